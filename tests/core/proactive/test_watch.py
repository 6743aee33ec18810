"""Which changes an alert rule watches: moves into its statuses, by name if it has one."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.proactive.models import StatusChange
from core.proactive.watch import watches
from core.query import NEEDING_ATTENTION, Query
from core.statuses import ProvisioningStatus, SubscriptionKind, SubscriptionStatus
from tests.core.builders import TODAY

AT = datetime(2026, 11, 27, 9, 0, tzinfo=UTC)


def change(dimension: str, old: str | None, new: str | None, name: str = "Acme") -> StatusChange:
    return StatusChange("acme", name, dimension, old, new, AT)


FAILED = Query(provisioning=frozenset({ProvisioningStatus.FAILED}))
EXPIRING_30 = Query(expiring_within_days=30)
TRIALS = Query(kind=SubscriptionKind.TRIAL, needing_attention=True)
SUSPENDED = Query(subscription=frozenset({SubscriptionStatus.SUSPENDED}))


@pytest.mark.parametrize(
    ("query", "moved", "expected"),
    [
        (NEEDING_ATTENTION, change("provisioning", "provisioned", "failed"), True),
        (NEEDING_ATTENTION, change("subscription", "expiring_60", "expiring_30"), True),
        (NEEDING_ATTENTION, change("subscription", "expiring_30", "suspended"), False),
        (NEEDING_ATTENTION, change("subscription", "expiring_30", "active"), False),
        (NEEDING_ATTENTION, change("subscription", None, "trial_expired"), True),
        (NEEDING_ATTENTION, change("subscription", "trial_expired", None), False),
        (FAILED, change("provisioning", "manual_partner", "failed"), True),
        (FAILED, change("subscription", "active", "suspended"), False),
        (EXPIRING_30, change("subscription", "expiring_60", "trial_expiring_30"), True),
        (EXPIRING_30, change("subscription", "active", "expiring_60"), False),
        (Query(expiring_within_days=60), change("subscription", "active", "expiring_60"), True),
        (TRIALS, change("subscription", "trial_active", "trial_expiring_30"), True),
        (TRIALS, change("subscription", "active", "expiring_30"), False),
        (SUSPENDED, change("subscription", "active", "suspended"), True),
        (Query(), change("provisioning", "failed", "provisioned"), True),
        (Query(name="acm"), change("subscription", "active", "expiring_60"), True),
        (Query(name="beta"), change("subscription", "active", "expiring_60"), False),
    ],
)
def test_watches(query: Query, moved: StatusChange, expected: bool) -> None:
    assert watches(query, moved, TODAY) is expected
