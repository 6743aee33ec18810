"""One Query model for every question: typed commands, card filters, digests.

Matching semantics (status-reference.md, Filters): a customer matches when at
least one of its subscriptions matches every condition given. Statuses chosen
in one dimension are OR-ed; the dimensions, the expiry horizon and the kind are
AND-ed on that same subscription. ``needing_attention`` is the named filter
(provisioning in ATTENTION_PROVISIONING or subscription in
ATTENTION_SUBSCRIPTION), AND-ed with the rest. ``name`` is matched on the
customer: anywhere in the name, or the exact customer id, both compared as Webex
delivers what people type (``core.names.fold``: markdown marks dropped, any case).

A horizon (``expiring_within_days`` / ``expiring_by`` / ``expiring_before``,
the last exclusive: the date as typed in "before 2027-03-31", kept so the reply
can say the same date) is a date range, not a
bucket: a subscription that is not suspended and whose last day lies between
today and the horizon, both inclusive (so "expiring in 60 days" covers both
the 30 and the 60 buckets, and evergreen or already ended subscriptions never
match). With both given, the nearer one wins.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from core.classify import status_of
from core.models import Customer, Subscription
from core.names import fold
from core.statuses import (
    ATTENTION_PROVISIONING,
    ATTENTION_SUBSCRIPTION,
    ProvisioningStatus,
    SubscriptionKind,
    SubscriptionState,
    SubscriptionStatus,
    most_important,
)

#: The longest horizon anyone may ask about: ten years.
MAX_HORIZON_DAYS = 3660
MAX_NAME_QUERY = 100


class Query(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    provisioning: frozenset[ProvisioningStatus] = frozenset()
    subscription: frozenset[SubscriptionStatus] = frozenset()
    expiring_within_days: Annotated[int, Field(ge=0, le=MAX_HORIZON_DAYS)] | None = None
    expiring_by: date | None = None
    expiring_before: Annotated[date, Field(gt=date.min)] | None = None
    kind: SubscriptionKind | None = None
    name: (
        Annotated[
            str, StringConstraints(strip_whitespace=True, min_length=1, max_length=MAX_NAME_QUERY)
        ]
        | None
    ) = None
    needing_attention: bool = False

    def horizon(self, today: date) -> date | None:
        """The last end date a horizon question covers, or None without one."""
        ends = []
        if self.expiring_within_days is not None:
            ends.append(today + timedelta(days=self.expiring_within_days))
        if self.expiring_by is not None:
            ends.append(self.expiring_by)
        if self.expiring_before is not None:
            ends.append(self.expiring_before - timedelta(days=1))
        return min(ends) if ends else None


def subscription_matches(
    query: Query,
    subscription: Subscription,
    today: date,
) -> bool:
    """The reference form of the matching rules, in plain Python.

    The store answers in SQL; this is what it must agree with (a property test
    compares them) and the naive baseline the benchmark measures against.
    """
    status = status_of(subscription, today)
    provisioning = subscription.provisioning_status
    if query.provisioning and provisioning not in query.provisioning:
        return False
    if query.subscription and status not in query.subscription:
        return False
    if query.kind is not None and subscription.kind is not query.kind:
        return False
    if query.needing_attention and not (
        provisioning in ATTENTION_PROVISIONING or status in ATTENTION_SUBSCRIPTION
    ):
        return False
    horizon = query.horizon(today)
    if horizon is not None:
        end = subscription.end_date
        if subscription.state is SubscriptionState.SUSPENDED or end is None:
            return False
        if not today <= end <= horizon:
            return False
    return True


def customer_matches(query: Query, customer: Customer, today: date) -> bool:
    name = query.name
    if name is not None and fold(name) not in fold(customer.name) and name != customer.id:
        return False
    return any(subscription_matches(query, sub, today) for sub in customer.subscriptions)


def matched_row(
    query: Query, customer: Customer, today: date
) -> tuple[ProvisioningStatus, SubscriptionStatus, date | None] | None:
    """What a list row shows for a customer that matches ``query`` (None when it
    does not): the most important provisioning and subscription statuses among
    the subscriptions that matched, and the soonest end of those matched ones
    with the status shown (None for suspended or evergreen). So in "show active"
    a customer with a suspended subscription beside an active one reads "Active"
    with the active one's date; the reference form of the store's SQL.
    """
    if not customer_matches(query, customer, today):
        return None
    matched = [sub for sub in customer.subscriptions if subscription_matches(query, sub, today)]
    provisioning = most_important(sub.provisioning_status for sub in matched)
    shown = most_important(status_of(sub, today) for sub in matched)
    assert provisioning is not None and shown is not None  # it matched
    if shown is SubscriptionStatus.SUSPENDED:
        return provisioning, shown, None
    ends = [sub.end_date for sub in matched if sub.end_date and status_of(sub, today) is shown]
    return provisioning, shown, min(ends, default=None)


#: The named filter "needing attention" (status-reference.md): what help, the
#: filter and summary cards' buttons list, and what the summary counts.
NEEDING_ATTENTION = Query(needing_attention=True)
