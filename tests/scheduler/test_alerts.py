"""Alerts: one card per space per change batch, filtered by each space's rule."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.query import NEEDING_ATTENTION, Query
from core.statuses import ProvisioningStatus
from tests.core.builders import TODAY, customer, snapshot, sub
from tests.scheduler.conftest import Rig

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)
FAILED = Query(provisioning=frozenset({ProvisioningStatus.FAILED}))


def fleet(acme_left: int = 400, beta: str = "provisioned", golf: str = "active") -> object:
    return snapshot(
        customer("acme", "Acme", sub("acme-1", left=acme_left)),
        customer("beta", "Beta", sub("beta-1", provisioning=beta)),
        customer("golf", "Golf", sub("golf-1", state=golf)),
    )


def load(rig: Rig, minutes: int, **changes: object) -> None:
    rig.customers.import_snapshot(
        fleet(**changes),  # type: ignore[arg-type]
        today=TODAY,
        source="t",
        now=T0 + timedelta(minutes=minutes),
    )


def test_one_card_per_space_per_batch_filtered_by_each_rule(rig: Rig) -> None:
    attention, failed, quiet = rig.space("A"), rig.space("B"), rig.space("C")
    load(rig, 0)  # the baseline: no transitions
    rig.clock.now = T0 + timedelta(minutes=1)
    rig.proactive.set_alerts(attention, NEEDING_ATTENTION, created_by="a")
    rig.proactive.set_alerts(failed, FAILED, created_by="a")
    load(rig, 2, acme_left=10, beta="failed", golf="suspended")
    rig.clock.now = T0 + timedelta(minutes=2, seconds=30)
    assert rig.alerts.tick() == {
        f"alert:{attention}:import-2": "sent",
        f"alert:{failed}:import-2": "sent",
    }
    [a_card] = rig.posts(attention)
    assert "3 customers changed status" in a_card["markdown"]
    assert all(name in a_card["markdown"] for name in ("Acme", "Beta", "Golf"))
    [b_card] = rig.posts(failed)
    assert "1 customer changed status" in b_card["markdown"] and "Beta" in b_card["markdown"]
    assert "Acme" not in b_card["markdown"]
    assert rig.posts(quiet) == []
    assert rig.alerts.tick() == {}  # the batch is done
    # a batch with nothing that B watches: only A hears of it
    load(rig, 3, acme_left=400, beta="failed", golf="suspended")
    load(rig, 4, acme_left=10, beta="failed", golf="suspended")
    rig.clock.now = T0 + timedelta(minutes=5)
    assert set(rig.alerts.tick()) == {f"alert:{attention}:import-4"}
    assert len(rig.posts(attention)) == 2 and len(rig.posts(failed)) == 1
    [rule] = rig.proactive.items(failed)
    assert rule.last_outcome == "sent"


def test_a_batch_older_than_the_grace_is_not_posted(rig: Rig) -> None:
    room = rig.space("A")
    load(rig, 0)
    rig.clock.now = T0
    rig.proactive.set_alerts(room, NEEDING_ATTENTION, created_by="a")
    load(rig, 1, acme_left=10)
    rig.clock.now = T0 + timedelta(hours=2, minutes=2)
    assert rig.alerts.tick() == {}
    assert rig.posts(room) == []


def test_a_rule_made_after_a_batch_does_not_see_it(rig: Rig) -> None:
    room = rig.space("A")
    load(rig, 0)
    load(rig, 1, acme_left=10)
    rig.clock.now = T0 + timedelta(minutes=2)
    rig.proactive.set_alerts(room, NEEDING_ATTENTION, created_by="a")
    assert rig.alerts.tick() == {}


def test_the_day_change_produces_transitions_that_alert(rig: Rig) -> None:
    room = rig.space("A")
    load(rig, 0, acme_left=31)  # expiring in 60 days today; in 30 tomorrow
    rig.clock.now = T0 + timedelta(minutes=1)
    rig.proactive.set_alerts(room, NEEDING_ATTENTION, created_by="a")
    rig.today[0] = TODAY + timedelta(days=1)
    rig.clock.now = datetime(2026, 11, 27, 23, 0, 5, tzinfo=UTC)  # midnight in Stockholm
    assert rig.jobs.day_change() == 1
    assert rig.jobs.day_change() is None  # once a day
    results = rig.alerts.tick()
    assert list(results.values()) == ["sent"]
    [card] = rig.posts(room)
    assert "Acme" in card["markdown"] and "Expiring within 30 days" in card["markdown"]


def test_an_outsider_joining_withholds_the_next_alert(rig: Rig) -> None:
    room = rig.space("A", "bob@example.com")
    load(rig, 0)
    rig.clock.now = T0
    rig.proactive.set_alerts(room, NEEDING_ATTENTION, created_by="a")
    rig.user("ALICE").memberships.create(roomId=room, personEmail="eve@evil.com")
    load(rig, 1, acme_left=10)
    rig.clock.now = T0 + timedelta(minutes=2)
    assert list(rig.alerts.tick().values()) == ["withheld"]
    [refusal] = rig.posts(room)
    assert "Acme" not in refusal["markdown"]
