from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest

from core.classify import customer_status, days_left, subscription_status
from core.clock import today_in
from core.models import Customer
from core.statuses import (
    ProvisioningStatus,
    SubscriptionKind,
    SubscriptionState,
    SubscriptionStatus,
)

TODAY = date(2026, 11, 27)
PAID, TRIAL = SubscriptionKind.PAID, SubscriptionKind.TRIAL
ACTIVE, SUSPENDED = SubscriptionState.ACTIVE, SubscriptionState.SUSPENDED
S = SubscriptionStatus


@pytest.mark.parametrize(
    ("kind", "state", "left", "expected"),
    [
        (PAID, ACTIVE, -1, S.SUSPENDED),  # paid past its end date
        (PAID, ACTIVE, 0, S.EXPIRING_30),
        (PAID, ACTIVE, 30, S.EXPIRING_30),
        (PAID, ACTIVE, 31, S.EXPIRING_60),
        (PAID, ACTIVE, 60, S.EXPIRING_60),
        (PAID, ACTIVE, 61, S.ACTIVE),
        (PAID, ACTIVE, None, S.ACTIVE),  # evergreen
        (PAID, SUSPENDED, 400, S.SUSPENDED),  # suspended with a future end date
        (PAID, SUSPENDED, None, S.SUSPENDED),
        (TRIAL, ACTIVE, -1, S.TRIAL_EXPIRED),
        (TRIAL, ACTIVE, 0, S.TRIAL_EXPIRING_30),
        (TRIAL, ACTIVE, 30, S.TRIAL_EXPIRING_30),
        (TRIAL, ACTIVE, 31, S.TRIAL_EXPIRING_60),
        (TRIAL, ACTIVE, 60, S.TRIAL_EXPIRING_60),
        (TRIAL, ACTIVE, 61, S.TRIAL_ACTIVE),
        (TRIAL, SUSPENDED, 10, S.SUSPENDED),
    ],
)
def test_every_boundary_of_the_table(
    kind: SubscriptionKind, state: SubscriptionState, left: int | None, expected: S
) -> None:
    end = None if left is None else TODAY + timedelta(days=left)
    assert subscription_status(kind, state, end, TODAY) is expected


def test_days_left() -> None:
    assert days_left(date(2026, 12, 27), TODAY) == 30
    assert days_left(None, TODAY) is None


def test_today_follows_the_partners_time_zone() -> None:
    late_evening_utc = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)
    assert today_in("UTC", lambda: late_evening_utc) == date(2026, 11, 27)
    assert today_in("Europe/Stockholm", lambda: late_evening_utc) == date(2026, 11, 28)
    assert today_in("America/Los_Angeles", lambda: late_evening_utc) == date(2026, 11, 27)


def test_customer_status_is_the_most_important_of_each_dimension() -> None:
    customer = Customer.model_validate(
        {
            "id": "c1",
            "name": "Globex",
            "subscriptions": [
                {
                    "id": "s1",
                    "kind": "paid",
                    "end_date": "2026-12-01",
                    "services": [
                        {"name": "Webex Calling", "provisioning_status": "provisioned"},
                        {"name": "Webex Meetings", "provisioning_status": "manual_cisco"},
                    ],
                },
                {
                    "id": "s2",
                    "kind": "trial",
                    "end_date": "2026-11-26",
                    "services": [{"name": "Webex Suite", "provisioning_status": "failed"}],
                },
            ],
        }
    )
    assert customer.subscriptions[0].provisioning_status is ProvisioningStatus.MANUAL_CISCO
    status = customer_status(customer, TODAY)
    assert status.provisioning_status is ProvisioningStatus.FAILED
    assert status.subscription_status is S.TRIAL_EXPIRED
