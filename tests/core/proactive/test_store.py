"""Digests and alert rules per space, on SQLite and PostgreSQL."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, time

from core.proactive.models import AlertRule, Digest, DigestQuestion, Schedule
from core.proactive.store import ProactiveStore
from core.query import NEEDING_ATTENTION, Query
from core.statuses import ProvisioningStatus
from tests.core.proactive.conftest import FakeClock

ROOM = "room-a"
DAILY = Schedule("daily", time(8, 0))
FAILED = Query(provisioning=frozenset({ProvisioningStatus.FAILED}))


def test_items_get_short_ids_per_space_never_reused(proactive: ProactiveStore) -> None:
    first = proactive.add_digest(ROOM, DAILY, DigestQuestion("summary"), created_by="p1")
    rule = proactive.set_alerts(ROOM, NEEDING_ATTENTION, created_by="p1")
    other_space = proactive.add_digest("room-b", DAILY, DigestQuestion("summary"), created_by="p")
    assert (first.number, rule.number, other_space.number) == (1, 2, 1)
    assert proactive.remove(ROOM, 2)
    again = proactive.add_digest(ROOM, DAILY, DigestQuestion("list", FAILED), created_by="p1")
    assert again.number == 3  # a stale "unsubscribe 2" can never hit it
    listed = proactive.items(ROOM)
    assert [item.number for item in listed] == [1, 3]
    assert isinstance(listed[1], Digest) and listed[1].question.query == FAILED


def test_a_digest_reads_back_with_its_next_run_in_the_space_zone(
    proactive: ProactiveStore, clock: FakeClock
) -> None:
    weekly = Schedule("weekly", time(9, 30), weekday=0)
    proactive.add_digest(ROOM, weekly, DigestQuestion("list", NEEDING_ATTENTION), created_by="p")
    digest = proactive.digest(ROOM, 1)
    assert digest is not None and digest.schedule == weekly
    # Friday 27 Nov 2026 09:00 UTC → Monday 30 Nov 09:30 Stockholm (the default zone)
    assert digest.next_run == datetime(2026, 11, 30, 8, 30, tzinfo=UTC)
    assert proactive.timezone(ROOM) is None and proactive.zone_of(ROOM) == "Europe/Stockholm"
    proactive.set_timezone(ROOM, "America/New_York")
    moved = proactive.digest(ROOM, 1)
    assert moved is not None and moved.next_run == datetime(2026, 11, 30, 14, 30, tzinfo=UTC)
    assert proactive.digest(ROOM, 2) is None
    clock.now = datetime(2026, 11, 30, 15, 0, tzinfo=UTC)
    later = proactive.digest(ROOM, 1)
    assert later is not None and later.next_run == datetime(2026, 12, 7, 14, 30, tzinfo=UTC)


def test_one_alert_rule_per_space_replaced_by_the_next(proactive: ProactiveStore) -> None:
    proactive.set_alerts(ROOM, NEEDING_ATTENTION, created_by="p")
    proactive.set_alerts(ROOM, FAILED, created_by="p")
    rules = [item for item in proactive.items(ROOM) if isinstance(item, AlertRule)]
    assert [(rule.number, rule.query) for rule in rules] == [(2, FAILED)]
    assert [entry.rule.room_id for entry in proactive.alert_rules()] == [ROOM]
    assert proactive.alerts_off(ROOM)
    assert not proactive.alerts_off(ROOM)
    assert proactive.items(ROOM) == []


def test_runs_are_recorded_and_remove_all_clears_a_space(proactive: ProactiveStore) -> None:
    proactive.add_digest(ROOM, DAILY, DigestQuestion("summary"), created_by="p")
    proactive.set_alerts(ROOM, NEEDING_ATTENTION, created_by="p")
    ran = datetime(2026, 11, 27, 7, 0, tzinfo=UTC)
    proactive.record_run(ROOM, 1, ran, "nothing")
    digest = proactive.digest(ROOM, 1)
    assert digest is not None and (digest.last_run, digest.last_outcome) == (ran, "nothing")
    assert proactive.remove_all(ROOM) == 2
    assert proactive.items(ROOM) == []


def test_removal_from_a_space_drops_its_items_and_migration_moves_them(
    proactive: ProactiveStore,
) -> None:
    proactive.add_digest(ROOM, DAILY, DigestQuestion("summary"), created_by="p")
    proactive.set_alerts(ROOM, FAILED, created_by="p")
    proactive.set_timezone(ROOM, "Asia/Tokyo")
    assert proactive.move_space(ROOM, "room-new") == 2
    assert proactive.items(ROOM) == []
    assert [item.number for item in proactive.items("room-new")] == [1, 2]
    assert proactive.timezone("room-new") == "Asia/Tokyo"
    assert [entry.rule.room_id for entry in proactive.alert_rules()] == ["room-new"]
    assert proactive.move_space(ROOM, "room-new") == 0  # a repeated event changes nothing
    added = proactive.add_digest("room-new", DAILY, DigestQuestion("summary"), created_by="p")
    assert added.number == 3
    assert proactive.drop_space("room-new") == 3
    assert proactive.items("room-new") == [] and proactive.timezone("room-new") is None
    assert proactive.all_digests() == []


def test_migration_onto_a_space_already_in_use_keeps_both(proactive: ProactiveStore) -> None:
    proactive.add_digest(ROOM, DAILY, DigestQuestion("summary"), created_by="p")
    proactive.set_alerts(ROOM, FAILED, created_by="p")
    proactive.add_digest("room-new", DAILY, DigestQuestion("summary"), created_by="p")
    proactive.set_alerts("room-new", NEEDING_ATTENTION, created_by="p")
    assert proactive.move_space(ROOM, "room-new") == 1  # its alert rule gives way
    listed = proactive.items("room-new")
    assert [item.number for item in listed] == [1, 2, 3]
    assert [entry.rule.query for entry in proactive.alert_rules()] == [NEEDING_ATTENTION]


def test_two_processes_adding_at_once_get_different_numbers(proactive: ProactiveStore) -> None:
    def add(index: int) -> int:
        return proactive.add_digest(
            ROOM, DAILY, DigestQuestion("summary"), created_by=f"p{index}"
        ).number

    with ThreadPoolExecutor(max_workers=4) as pool:
        numbers = sorted(pool.map(add, range(12)))
    assert numbers == list(range(1, 13))


def test_all_digests_carry_their_zone(proactive: ProactiveStore) -> None:
    proactive.add_digest(ROOM, DAILY, DigestQuestion("summary"), created_by="p")
    proactive.add_digest("room-b", DAILY, DigestQuestion("summary"), created_by="p")
    proactive.set_timezone("room-b", "UTC")
    entries = proactive.all_digests()
    assert [(entry.digest.room_id, entry.zone) for entry in entries] == [
        (ROOM, "Europe/Stockholm"),
        ("room-b", "UTC"),
    ]
    assert proactive.digest_by_id(entries[1].item_id) == entries[1]
