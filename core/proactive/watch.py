"""Which status changes an alert rule watches.

An alert says "this customer moved into a status you asked about". A rule is
a ``Query`` (what ``alerts on FILTER`` reads, the same grammar as a list
question), so its statuses are worked out per dimension:

* statuses named in a dimension are watched there; a horizon ("expiring in 30
  days") stands for the expiring buckets it reaches; a kind (trials, paid)
  keeps the subscription statuses of that kind;
* a dimension the rule says nothing about is not watched, unless the rule says
  nothing about either (``alerts on everything``: every change);
* ``needing attention`` (a bare ``alerts on``) watches the attention statuses
  of both dimensions: status-reference.md's named filter is an OR of the two.

A change is watched when its new status is watched and its old one was not
(moving between two watched statuses is not news, unless the rule watches
every status), and the name, if the rule
has one, matches the customer as a list question would.
"""

from __future__ import annotations

from datetime import date

from core.classify import HORIZON_30
from core.names import fold
from core.proactive.models import StatusChange
from core.query import Query
from core.statuses import (
    ATTENTION_PROVISIONING,
    ATTENTION_SUBSCRIPTION,
    ProvisioningStatus,
    SubscriptionKind,
    SubscriptionStatus,
)

_ALL_P = frozenset(ProvisioningStatus)
_ALL_S = frozenset(SubscriptionStatus)
_TRIAL = frozenset(
    {
        SubscriptionStatus.TRIAL_EXPIRED,
        SubscriptionStatus.TRIAL_EXPIRING_30,
        SubscriptionStatus.TRIAL_EXPIRING_60,
        SubscriptionStatus.TRIAL_ACTIVE,
    }
)
_EXPIRING_30 = frozenset({SubscriptionStatus.EXPIRING_30, SubscriptionStatus.TRIAL_EXPIRING_30})
_EXPIRING_60 = _EXPIRING_30 | {SubscriptionStatus.EXPIRING_60, SubscriptionStatus.TRIAL_EXPIRING_60}


def watched_statuses(query: Query, today: date) -> tuple[frozenset[str], frozenset[str]]:
    """The (provisioning, subscription) status keys a rule watches."""
    provisioning: frozenset[ProvisioningStatus] | None = query.provisioning or None
    subscription: frozenset[SubscriptionStatus] | None = query.subscription or None
    horizon = query.horizon(today)
    if horizon is not None:
        reach = _EXPIRING_30 if (horizon - today).days <= HORIZON_30 else _EXPIRING_60
        subscription = (subscription or _ALL_S) & reach
    if query.kind is not None:
        trial = query.kind is SubscriptionKind.TRIAL
        subscription = (subscription or _ALL_S) & (_TRIAL if trial else _ALL_S - _TRIAL)
    if query.needing_attention:
        p_set = (provisioning or _ALL_P) & ATTENTION_PROVISIONING
        s_set = (subscription or _ALL_S) & ATTENTION_SUBSCRIPTION
    elif provisioning is None and subscription is None:
        p_set, s_set = _ALL_P, _ALL_S
    else:
        p_set, s_set = provisioning or frozenset(), subscription or frozenset()
    return frozenset(p_set), frozenset(s_set)


def watches(query: Query, change: StatusChange, today: date) -> bool:
    """Whether a space with this rule is told about this change."""
    if query.name is not None:
        needle = fold(query.name)
        if needle not in fold(change.customer_name) and query.name != change.customer_id:
            return False
    provisioning, subscription = watched_statuses(query, today)
    watched = provisioning if change.dimension == "provisioning" else subscription
    every = watched in (_ALL_P, _ALL_S)  # "everything": any move is news
    return change.new in watched and (every or change.old not in watched)
