"""Subscription status from kind, state, end date and today.

The rules are status-reference.md's table; the SQL form of the same rules is
``core.store.sql.status_rank`` and a property test
(``tests/core/test_sql_matches_python.py``) keeps the two in step.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from core.models import Customer, Subscription
from core.statuses import (
    ProvisioningStatus,
    SubscriptionKind,
    SubscriptionState,
    SubscriptionStatus,
    most_important,
)

#: The end of each expiring bucket, in days left (inclusive).
HORIZON_30 = 30
HORIZON_60 = 60


def days_left(end_date: date | None, today: date) -> int | None:
    """Whole days from today to the last day of service; None when evergreen."""
    return None if end_date is None else (end_date - today).days


def subscription_status(
    kind: SubscriptionKind,
    state: SubscriptionState,
    end_date: date | None,
    today: date,
) -> SubscriptionStatus:
    if state is SubscriptionState.SUSPENDED:
        return SubscriptionStatus.SUSPENDED
    left = days_left(end_date, today)
    trial = kind is SubscriptionKind.TRIAL
    if left is None:
        # Only a paid subscription may be evergreen (a trial needs an end date).
        return SubscriptionStatus.TRIAL_ACTIVE if trial else SubscriptionStatus.ACTIVE
    if left < 0:
        return SubscriptionStatus.TRIAL_EXPIRED if trial else SubscriptionStatus.SUSPENDED
    if left <= HORIZON_30:
        return SubscriptionStatus.TRIAL_EXPIRING_30 if trial else SubscriptionStatus.EXPIRING_30
    if left <= HORIZON_60:
        return SubscriptionStatus.TRIAL_EXPIRING_60 if trial else SubscriptionStatus.EXPIRING_60
    return SubscriptionStatus.TRIAL_ACTIVE if trial else SubscriptionStatus.ACTIVE


def status_of(subscription: Subscription, today: date) -> SubscriptionStatus:
    return subscription_status(subscription.kind, subscription.state, subscription.end_date, today)


@dataclass(frozen=True, slots=True)
class CustomerStatus:
    """The one line that stands for a customer in a list."""

    provisioning_status: ProvisioningStatus
    subscription_status: SubscriptionStatus


def customer_status(customer: Customer, today: date) -> CustomerStatus:
    """A customer's most important provisioning and subscription status."""
    subscription = most_important(status_of(sub, today) for sub in customer.subscriptions)
    assert subscription is not None  # a customer has at least one subscription
    return CustomerStatus(customer.provisioning_status, subscription)
