"""Post keys are taken once; change batches are found whole, and once worked through, gone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.proactive.ledger import Ledger
from core.proactive.store import ProactiveStore
from core.store import Store
from tests.core.builders import TODAY, customer, snapshot, sub

T0 = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def test_a_post_key_is_taken_once(customers: Store, proactive: ProactiveStore) -> None:
    ledger = Ledger(customers.engine, clock=lambda: T0)
    assert ledger.claim_post("digest:1:2026-11-27T07:00", "room", "digest")
    assert not ledger.claim_post("digest:1:2026-11-27T07:00", "room", "digest")
    ledger.finish_post("digest:1:2026-11-27T07:00", "sent", message_id="m1")
    [post] = ledger.posts("room")
    assert (post["state"], post["message_id"], post["kind"]) == ("sent", "m1", "digest")


def test_each_import_is_one_batch_until_closed(customers: Store, proactive: ProactiveStore) -> None:
    customers.import_snapshot(
        snapshot(customer("a", "A", sub("a1", left=400))), today=TODAY, source="t", now=T0
    )
    assert Ledger(customers.engine).pending_batches(T0) == []  # the baseline records none
    for minutes, left in ((1, 10), (2, 400)):
        customers.import_snapshot(
            snapshot(customer("a", "A", sub("a1", left=left)), customer("b", "B")),
            today=TODAY,
            source="t",
            now=T0 + timedelta(minutes=minutes),
        )
    ledger = Ledger(customers.engine, clock=lambda: T0)
    first, second = ledger.pending_batches(T0)
    assert (first.key, first.changes, second.changes) == ("import-2", 3, 1)
    assert [c.customer_id for c in ledger.batch_changes(first)] == ["a", "b", "b"]
    assert [(c.old, c.new) for c in ledger.batch_changes(second)] == [("expiring_30", "active")]
    ledger.take_batch(first)
    assert [b.key for b in ledger.pending_batches(T0)] == ["import-2", "import-3"]  # open
    ledger.close_batch(first.key)
    ledger.take_batch(second)
    ledger.close_batch(second.key, "expired")
    assert ledger.pending_batches(T0) == []
    assert ledger.batch_state("import-3") == "expired"
    assert ledger.pending_batches(T0 + timedelta(minutes=5)) == []  # older ones are not read


def test_alert_changes_are_a_batch_as_the_space_rule_sees_it(
    customers: Store, proactive: ProactiveStore
) -> None:
    from core.query import NEEDING_ATTENTION

    customers.import_snapshot(
        snapshot(customer("a", "A", sub("a1", left=400)), customer("b", "B", sub("b1", left=400))),
        today=TODAY,
        source="t",
        now=T0,
    )
    customers.import_snapshot(
        snapshot(
            customer("a", "A", sub("a1", left=10)),
            customer("b", "B", sub("b1", left=400, provisioning="manual_cisco")),
        ),
        today=TODAY,
        source="t",
        now=T0,
    )
    assert proactive.alert_changes("room", "import-2") is None  # no rule in that space
    proactive.set_alerts("room", NEEDING_ATTENTION, created_by="p")
    changes = proactive.alert_changes("room", "import-2")
    assert changes is not None
    assert [(c.customer_id, c.new) for c in changes] == [("a", "expiring_30")]
    for unknown in ("import-99", "import-x", "day-nope", "other", ""):
        assert proactive.alert_changes("room", unknown) is None
