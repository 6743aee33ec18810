"""The day change records what moved because the date did, once per day."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.proactive.day_change import record_day_change
from core.proactive.ledger import Ledger
from core.proactive.store import ProactiveStore
from core.query import NEEDING_ATTENTION, Query
from core.statuses import SubscriptionStatus
from core.store import Store
from tests.core.builders import TODAY, customer, snapshot, sub

NOON = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)


def fleet() -> object:
    return snapshot(
        customer("acme", "Acme", sub("acme-1", left=31)),  # 31 days left: expiring in 60
        customer("beta", "Beta", sub("beta-1", "trial", left=61)),
        customer("golf", "Golf", sub("golf-1", left=None)),
    )


def test_thirty_one_to_thirty_days_left_is_a_transition(
    customers: Store, proactive: ProactiveStore
) -> None:
    customers.import_snapshot(fleet(), today=TODAY, source="t", now=NOON)  # type: ignore[arg-type]
    midnight = datetime(2026, 11, 27, 23, 0, tzinfo=UTC)  # 00:00 in Stockholm
    assert record_day_change(customers.engine, TODAY + timedelta(days=1), midnight) == 2
    batches = Ledger(customers.engine).pending_batches(NOON)
    assert [batch.key for batch in batches] == ["day-20261127T230000000000"]
    changes = Ledger(customers.engine).batch_changes(batches[0])
    assert [(c.customer_id, c.dimension, c.old, c.new, c.at) for c in changes] == [
        ("acme", "subscription", "expiring_60", "expiring_30", midnight),
        ("beta", "subscription", "trial_active", "trial_expiring_60", midnight),
    ]
    proactive.set_alerts("room", NEEDING_ATTENTION, created_by="p")
    watched = proactive.alert_changes("room", batches[0].key)
    assert watched is not None and [c.customer_id for c in watched] == ["acme"]
    # the store is re-classified for the new day: lists read the new statuses at once
    expiring = Query(subscription=frozenset({SubscriptionStatus.EXPIRING_30}))
    assert [row.id for row in customers.query(expiring, TODAY + timedelta(days=1)).rows] == ["acme"]


def test_each_day_is_recorded_once_and_a_long_outage_is_one_batch(customers: Store) -> None:
    customers.import_snapshot(fleet(), today=TODAY, source="t", now=NOON)  # type: ignore[arg-type]
    ProactiveStore(customers.engine).create_schema()
    later = TODAY + timedelta(days=3)
    assert record_day_change(customers.engine, later, NOON + timedelta(days=3)) == 2
    assert record_day_change(customers.engine, later, NOON + timedelta(days=3)) is None
    # nothing moved between day 3 and day 4
    assert record_day_change(customers.engine, later + timedelta(days=1), NOON) == 0


def test_nothing_is_recorded_before_the_first_import_or_on_the_import_day(
    customers: Store,
) -> None:
    ProactiveStore(customers.engine).create_schema()
    assert record_day_change(customers.engine, TODAY, NOON) == 0
    customers.import_snapshot(fleet(), today=TODAY, source="t", now=NOON)  # type: ignore[arg-type]
    assert record_day_change(customers.engine, TODAY, NOON) is None  # that day is done
    assert Ledger(customers.engine).pending_batches(NOON - timedelta(days=1)) == []
