"""Digests at the space's local time, once, with an injected clock."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, time, timedelta

import requests

from bot.scheduler.build import PROACTIVE_RETRY
from bot.webex.client import WebexClient
from core.proactive.models import DigestQuestion, Schedule
from core.query import NEEDING_ATTENTION, Query
from tests.core.builders import TODAY, customer, snapshot, sub
from tests.scheduler.conftest import BOT_TOKEN, Rig

DAILY_8 = Schedule("daily", time(8, 0))


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def load(rig: Rig) -> None:
    rig.customers.import_snapshot(
        snapshot(
            customer("acme", "Acme", sub("acme-1", left=10)),
            customer("golf", "Golf", sub("golf-1", left=None)),
        ),
        today=TODAY,
        source="t",
    )


def subscribe(rig: Rig, room: str, schedule: Schedule = DAILY_8, query: Query = NEEDING_ATTENTION):
    return rig.proactive.add_digest(room, schedule, DigestQuestion("list", query), created_by="a")


def at(rig: Rig, moment: datetime) -> int:
    rig.clock.now = moment
    return rig.digests.tick()


def test_daily_digest_at_eight_local_across_the_dst_change(rig: Rig) -> None:
    load(rig)
    room = rig.space("Ops", "bob@example.com")
    rig.clock.now = utc(2026, 3, 27, 12, 0)
    subscribe(rig, room)
    # Saturday 28 March: 08:00 in Stockholm is 07:00 UTC (CET)
    assert at(rig, utc(2026, 3, 28, 6, 59, 50)) == 0
    assert at(rig, utc(2026, 3, 28, 7, 0, 5)) == 1
    assert at(rig, utc(2026, 3, 28, 7, 0, 20)) == 0  # once
    # Sunday 29 March, summer time: 08:00 is 06:00 UTC, not 07:00
    assert at(rig, utc(2026, 3, 29, 5, 59, 0)) == 0
    assert at(rig, utc(2026, 3, 29, 6, 0, 10)) == 1
    assert at(rig, utc(2026, 3, 29, 7, 0, 10)) == 0
    posts = rig.posts(room)
    assert len(posts) == 2 and all("Acme" in post["markdown"] for post in posts)
    digest = rig.proactive.digest(room, 1)
    assert digest is not None
    assert (digest.last_run, digest.last_outcome) == (utc(2026, 3, 29, 6, 0), "sent")


def test_weekdays_skip_saturday_and_sunday(rig: Rig) -> None:
    load(rig)
    room = rig.space("Ops")
    rig.clock.now = utc(2026, 11, 26, 12, 0)  # Thursday
    subscribe(rig, room, Schedule("weekdays", time(8, 0)))
    fired = [at(rig, utc(2026, 11, day, 7, 0, 10)) for day in (27, 28, 29, 30)]
    assert fired == [1, 0, 0, 1]  # Friday, not Saturday or Sunday, Monday
    assert len(rig.posts(room)) == 2


def test_missed_runs_coalesce_after_a_restart_and_are_dropped_after_the_grace(
    rig: Rig,
) -> None:
    load(rig)
    late, dropped = rig.space("Late"), rig.space("Dropped")
    rig.clock.now = utc(2026, 11, 23, 12, 0)
    subscribe(rig, late)
    subscribe(rig, dropped, Schedule("daily", time(7, 0)))
    # down from Monday noon until Thursday 08:40 Stockholm: three runs of each were missed
    assert at(rig, utc(2026, 11, 26, 7, 40)) == 1  # 08:00 is 40 min ago: within the grace
    assert len(rig.posts(late)) == 1  # once, not once per missed run
    assert rig.posts(dropped) == []  # 07:00 is 100 minutes ago: past the grace
    dropped_digest = rig.proactive.digest(dropped, 1)
    assert dropped_digest is not None and dropped_digest.last_run is None
    # a second scheduler after a failover, same database: nothing twice
    fresh = replace(rig.digests)  # its own in-flight set: nothing shared but the database
    rig.clock.now = utc(2026, 11, 26, 7, 41)
    assert fresh.tick() == 0
    assert len(rig.posts(late)) == 1
    [post] = rig.ledger.posts(late)
    assert post["key"].endswith(":2026-11-26T07:00Z") and post["state"] == "sent"


def test_a_digest_made_after_its_time_waits_for_the_next_run(rig: Rig) -> None:
    load(rig)
    room = rig.space("Ops")
    rig.clock.now = utc(2026, 11, 27, 7, 10)  # 08:10 in Stockholm
    subscribe(rig, room)
    assert at(rig, utc(2026, 11, 27, 7, 11)) == 0
    assert at(rig, utc(2026, 11, 28, 7, 0, 1)) == 1


def test_nothing_to_report_posts_nothing_and_says_so(rig: Rig) -> None:
    load(rig)
    room = rig.space("Ops")
    rig.clock.now = utc(2026, 11, 26, 12, 0)
    subscribe(rig, room, query=Query(name="nobody at all"))
    assert at(rig, utc(2026, 11, 27, 7, 0, 5)) == 1
    assert rig.posts(room) == []
    digest = rig.proactive.digest(room, 1)
    assert digest is not None and digest.last_outcome == "nothing"


def test_an_outsider_joining_withholds_the_next_digest(rig: Rig) -> None:
    load(rig)
    room = rig.space("Ops", "bob@example.com")
    rig.clock.now = utc(2026, 11, 26, 12, 0)
    subscribe(rig, room)
    assert at(rig, utc(2026, 11, 26, 7, 0, 5) + timedelta(days=1)) == 1
    rig.user("ALICE").memberships.create(roomId=room, personEmail="eve@evil.com")
    assert at(rig, utc(2026, 11, 28, 7, 0, 5)) == 1
    first, second = rig.posts(room)
    assert "Acme" in first["markdown"]
    assert "Acme" not in second["markdown"] and "Golf" not in second["markdown"]
    digest = rig.proactive.digest(room, 1)
    assert digest is not None and digest.last_outcome == "withheld"
    assert [post["state"] for post in rig.ledger.posts(room)] == ["sent", "withheld"]
    # the digest carried data, the refusal did not: only the first is for retraction
    assert rig.data == [(room, first["id"])]


def test_a_digest_waits_out_webex_429s_in_the_scheduler_and_is_posted_once(rig: Rig) -> None:
    """The scheduler's own retry plan: a 429 whose Retry-After is longer than the web
    workers' blips (2 s) is waited out, the digest posted once and recorded sent."""
    load(rig)
    room = rig.space("Ops")
    rig.clock.now = utc(2026, 11, 26, 12, 0)
    subscribe(rig, room)
    rig.digests.poster.webex = WebexClient(BOT_TOKEN, rig.emulator.api_url, retry=PROACTIVE_RETRY)
    rule = {"path": "/v1/messages", "method": "POST", "status": 429, "retry_after": 3}
    fault = requests.post(
        rig.emulator.url + "/_emulator/faults", json={**rule, "token": BOT_TOKEN, "count": 2}
    )
    fault.raise_for_status()
    assert at(rig, utc(2026, 11, 27, 7, 0, 10)) == 1
    assert len(rig.posts(room)) == 1
    digest = rig.proactive.digest(room, 1)
    assert digest is not None and digest.last_outcome == "sent"
    fired = requests.get(rig.emulator.url + "/_emulator/faults", timeout=10).json()["fired"]
    assert [(entry["status"], entry["roomId"]) for entry in fired] == [(429, room)] * 2
