"""Fencing: every write after a claim is conditional on it; leases are kept while working;
released events wait for their retry; an older inbox gains the new columns."""

from __future__ import annotations

import itertools
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import create_engine, inspect, text

from bot.inbox.claims import LostClaim
from bot.inbox.leases import LeaseKeeper
from bot.inbox.retry_plan import RetryPlan
from bot.inbox.store import Inbox
from tests.bot.inbox.support import Clock, message


def test_a_worker_whose_claim_was_taken_over_can_write_nothing(inbox: Inbox, clock: Clock) -> None:
    inbox.record("messages", "created", message(1))
    (slow,) = inbox.claim("slow")
    clock.now += timedelta(seconds=61)  # its lease ran out while it waited on Webex
    (fast,) = inbox.claim("fast")
    assert fast.token != slow.token
    for write in (
        lambda: slow.sending("f" * 32),
        lambda: slow.finish("sent", reply_state="sent", message_id="m-slow"),
        lambda: slow.release("429", clock.now, posted_maybe=False),
        lambda: slow.apologizing(),
    ):
        with pytest.raises(LostClaim):
            write()
    assert slow.lost and not slow.renew()
    fast.sending("e" * 32)
    fast.finish("sent", reply_state="sent", message_id="m-fast")
    (row,) = inbox.events()
    assert (row["state"], row["reply_message_id"], row["reply_fingerprint"]) == (
        "done",
        "m-fast",
        "e" * 32,
    )
    with pytest.raises(LostClaim):  # finished: not even the holder writes again
        fast.finish("failed", reply_state="failed")


def test_the_lease_keeper_keeps_a_working_claim_from_being_taken(
    inbox: Inbox, clock: Clock
) -> None:
    inbox.record("messages", "created", message(1))
    (claim,) = inbox.claim("a")
    keeper = LeaseKeeper(60)
    with keeper.holding(claim):
        for _ in range(5):  # five minutes of work, renewed every 20 s of it
            clock.now += timedelta(seconds=50)
            assert keeper.renew_all() == 1
            assert inbox.claim("b") == []
    clock.now += timedelta(seconds=61)  # no longer held, not renewed: claimable again
    assert keeper.renew_all() == 0
    assert len(inbox.claim("b")) == 1


def test_the_lease_keeper_does_not_call_a_claim_finished_meanwhile_taken_over(
    inbox: Inbox, clock: Clock, caplog: pytest.LogCaptureFixture
) -> None:
    """Its worker finished it between the keeper's look and its renewal (the worker's
    ``done`` not yet set when the renewal missed): not a takeover, nothing logged."""
    inbox.record("messages", "created", message(1))
    inbox.record("messages", "created", message(2))
    finishing, taken = inbox.claim("a", limit=2)
    keeper = LeaseKeeper(60)
    with keeper.holding(finishing), keeper.holding(taken):
        # the worker's own write, committed; its in-memory flag not set yet
        replace(finishing, done=False).finish("sent", reply_state="sent", message_id="m")
        clock.now += timedelta(seconds=61)
        (other,) = inbox.claim("b")  # the second one's lease ran out: taken over
        assert other.event.id == taken.event.id
        assert keeper.renew_all() == 0
    warnings = [r.getMessage() for r in caplog.records if "taken over" in r.getMessage()]
    assert warnings == [f"event {taken.event.id}: claim taken over"]
    assert finishing.done and not finishing.lost and taken.lost


def test_a_released_event_waits_for_its_retry(inbox: Inbox, clock: Clock) -> None:
    inbox.record("messages", "created", message(1))
    (claim,) = inbox.claim("a")
    claim.sending("f" * 32)
    claim.release("post message: HTTP 503", clock.now + timedelta(seconds=30), posted_maybe=False)
    assert inbox.claim("b") == []
    clock.now += timedelta(seconds=30)
    (again,) = inbox.claim("b")
    assert again.event.attempts == 2
    assert again.event.reply_state is None  # a 503 was not posted: nothing to settle
    assert again.event.error == "post message: HTTP 503"
    again.sending("f" * 32)
    again.release("post message: timeout", clock.now, posted_maybe=True)
    (third,) = inbox.claim("c")
    assert third.event.reply_state == "sending"  # may be out: the next attempt looks first


def test_an_inbox_made_by_an_older_release_gains_the_new_columns(tmp_path: object) -> None:
    url = f"sqlite:///{tmp_path}/old.sqlite3"
    engine = create_engine(url)
    with engine.begin() as connection:
        connection.execute(
            text(
                "CREATE TABLE inbox_events (id INTEGER PRIMARY KEY, dedupe_key VARCHAR(400) "
                "UNIQUE NOT NULL, resource VARCHAR(40) NOT NULL, event VARCHAR(40) NOT NULL, "
                "data_id VARCHAR(300) NOT NULL, room_id VARCHAR(300), person_id VARCHAR(300), "
                "data TEXT NOT NULL, received_at DATETIME NOT NULL, state VARCHAR(16) NOT NULL, "
                "attempts INTEGER NOT NULL, lease_until DATETIME, worker VARCHAR(100), "
                "finished_at DATETIME, outcome VARCHAR(40), error TEXT, reply_state VARCHAR(16), "
                "reply_fingerprint VARCHAR(64), reply_started_at DATETIME, "
                "reply_message_id VARCHAR(300))"
            )
        )
    engine.dispose()
    box = Inbox.open(url)
    try:
        columns = {c["name"] for c in inspect(box.engine).get_columns("inbox_events")}
        assert {"claim_token", "not_before", "apology_message_id"} <= columns
        box.record("messages", "created", message(1))
        (claim,) = box.claim("a")
        claim.finish("sent", reply_state="sent")
    finally:
        box.close()


def test_the_retry_plan_backs_off_within_its_window_and_then_gives_up() -> None:
    plan = RetryPlan(timedelta(minutes=15), first=5, longest=120, jitter=lambda: 1.0)
    start = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    now, tries = start, [start]
    while (due := plan.next_try(received_at=start, now=now, attempt=len(tries))) is not None:
        now = due
        tries.append(now)
    waits = [(b - a).total_seconds() for a, b in itertools.pairwise(tries)]
    assert waits[:6] == [5, 10, 20, 40, 80, 120]
    assert tries[-1] == start + timedelta(minutes=15)  # the last try is at the window's end
    # Retry-After is honoured whatever its size, but never past the window
    assert plan.next_try(received_at=start, now=start, attempt=1, retry_after=61) == (
        start + timedelta(seconds=61)
    )
    assert plan.next_try(received_at=start, now=start, attempt=1, retry_after=3600) == (
        start + timedelta(minutes=15)
    )
