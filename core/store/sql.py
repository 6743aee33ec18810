"""The classification rules and the Query semantics, as SQL expressions.

These mirror ``core.classify.subscription_status`` and
``core.query.subscription_matches`` exactly; tests compare them on random data.
Predicates are written as ranges on ``end_date`` (not as a computed rank) so
that the indexes on end date, state and provisioning rank can be used.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import (
    ColumnElement,
    Connection,
    Engine,
    Select,
    Subquery,
    and_,
    case,
    false,
    func,
    literal,
    or_,
    select,
    true,
)

from core.classify import HORIZON_30, HORIZON_60
from core.dialect.statements import first_ranked
from core.names import fold
from core.query import Query
from core.statuses import (
    ATTENTION_PROVISIONING,
    ATTENTION_SUBSCRIPTION,
    SubscriptionKind,
    SubscriptionState,
    SubscriptionStatus,
)
from core.store.schema import customers, subscriptions

S = subscriptions.c
C = customers.c
_PAID = SubscriptionKind.PAID.value
_TRIAL = SubscriptionKind.TRIAL.value
_ACTIVE = SubscriptionState.ACTIVE.value
_SUSPENDED = SubscriptionState.SUSPENDED.value

#: Rows or ids per statement in bulk reads and writes: far below SQLite's limit
#: of bound parameters, large enough that round trips do not dominate.
BATCH = 5000
#: Stands for "no end date to come" in the sort column, so that it sorts last
#: in both engines and the list-order index serves the ORDER BY.
NO_END_DATE = date(9999, 12, 31)


def status_predicate(status: SubscriptionStatus, today: date) -> ColumnElement[bool]:
    """Rows of ``subscriptions`` whose status at ``today`` is ``status``."""
    d30 = today + timedelta(days=HORIZON_30)
    d60 = today + timedelta(days=HORIZON_60)
    live = S.state == _ACTIVE
    paid = S.kind == _PAID
    trial = S.kind == _TRIAL
    match status:
        case SubscriptionStatus.SUSPENDED:
            return or_(S.state == _SUSPENDED, and_(paid, S.end_date < today))
        case SubscriptionStatus.TRIAL_EXPIRED:
            return and_(live, trial, S.end_date < today)
        case SubscriptionStatus.EXPIRING_30:
            return and_(live, paid, S.end_date >= today, S.end_date <= d30)
        case SubscriptionStatus.TRIAL_EXPIRING_30:
            return and_(live, trial, S.end_date >= today, S.end_date <= d30)
        case SubscriptionStatus.EXPIRING_60:
            return and_(live, paid, S.end_date > d30, S.end_date <= d60)
        case SubscriptionStatus.TRIAL_EXPIRING_60:
            return and_(live, trial, S.end_date > d30, S.end_date <= d60)
        case SubscriptionStatus.TRIAL_ACTIVE:
            return and_(live, trial, or_(S.end_date.is_(None), S.end_date > d60))
        case SubscriptionStatus.ACTIVE:
            return and_(live, paid, or_(S.end_date.is_(None), S.end_date > d60))


def status_rank(today: date) -> ColumnElement[int]:
    """The rank (0 = most important) of each subscription's status at ``today``."""
    return case(
        *((status_predicate(status, today), literal(status.rank)) for status in SubscriptionStatus),
        else_=literal(SubscriptionStatus.ACTIVE.rank),
    )


def soonest_end(today: date) -> ColumnElement[date]:
    """A subscription's end date when it is still to come and not suspended."""
    return case((and_(S.state == _ACTIVE, S.end_date >= today), S.end_date))


def _ranks(statuses: frozenset[SubscriptionStatus]) -> list[int]:
    return sorted(status.rank for status in statuses)


def subscription_filter(query: Query, today: date) -> ColumnElement[bool]:
    """The subscriptions that match ``query`` (every condition on the same row).

    Reads ``status_rank``, so the store must be classified for ``today``.
    """
    conditions: list[ColumnElement[bool]] = []
    if query.provisioning:
        ranks = sorted(status.rank for status in query.provisioning)
        conditions.append(S.provisioning_rank.in_(ranks))
    if query.subscription:
        conditions.append(S.status_rank.in_(_ranks(query.subscription)))
    if query.kind is not None:
        conditions.append(S.kind == query.kind.value)
    if query.needing_attention:
        attention_ranks = sorted(status.rank for status in ATTENTION_PROVISIONING)
        conditions.append(
            or_(
                S.provisioning_rank.in_(attention_ranks),
                S.status_rank.in_(_ranks(ATTENTION_SUBSCRIPTION)),
            )
        )
    horizon = query.horizon(today)
    if horizon is not None:
        if horizon < today:
            return false()
        conditions.append(and_(S.state == _ACTIVE, S.end_date >= today, S.end_date <= horizon))
    return and_(true(), *conditions)


def like_pattern(text: str) -> str:
    """A LIKE pattern for ``text`` anywhere, with LIKE's wildcards escaped by ``\\``."""
    escaped = text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _prefix_bound(ranks: list[int]) -> int | None:
    """k when ``ranks`` is exactly 0..k (a prefix of the importance order)."""
    return ranks[-1] if ranks and ranks == list(range(len(ranks))) else None


def customer_level_filter(query: Query) -> ColumnElement[bool] | None:
    """The same filter on the customer's most important statuses, where exact.

    "A subscription whose status is among the k most important" holds exactly
    when the customer's most important status is among them. So a query made
    only of such prefix sets (the attention sets are prefixes; so are "failed"
    and "suspended") is answered from the customers' list-order index, with
    no look-up of subscriptions and no sort. Anything else returns None.
    """
    if query.kind is not None or query.horizon(date.min) is not None:
        return None
    provisioning = _prefix_bound(sorted(s.rank for s in query.provisioning))
    subscription = _prefix_bound(_ranks(query.subscription))
    if query.provisioning and query.subscription:
        return None  # both on one subscription: not a customer-level fact
    conditions: list[ColumnElement[bool]] = []
    if query.provisioning:
        if provisioning is None:
            return None
        conditions.append(C.provisioning_rank <= provisioning)
    if query.subscription:
        if subscription is None:
            return None
        conditions.append(C.subscription_rank <= subscription)
    if query.needing_attention:
        attention_provisioning = _prefix_bound(sorted(s.rank for s in ATTENTION_PROVISIONING))
        attention_subscription = _prefix_bound(_ranks(ATTENTION_SUBSCRIPTION))
        if attention_provisioning is None or attention_subscription is None:
            return None
        if conditions:
            return None  # attention AND a status must hold on one subscription
        conditions.append(
            or_(
                C.provisioning_rank <= attention_provisioning,
                C.subscription_rank <= attention_subscription,
            )
        )
    return and_(true(), *conditions) if conditions else None


def name_filter(query: Query) -> ColumnElement[bool]:
    """The customers whose name holds ``query.name`` (both as Webex delivers them,
    ``core.names.fold``), or whose id it is."""
    if query.name is None:
        return true()
    return or_(
        C.name_folded.like(like_pattern(fold(query.name)), escape="\\"),
        C.id == query.name,
    )


def by_subscription(query: Query) -> bool:
    """Whether ``query`` asks about subscriptions (anything but a name)."""
    return query.model_copy(update={"name": None}) != Query()


def matched_rows(bind: Engine | Connection, query: Query, today: date) -> Subquery:
    """Per matching customer, what its list row shows: the most important
    provisioning and subscription ranks among the subscriptions that match
    ``query``, and the soonest end of those with the status shown (NO_END_DATE
    for suspended or evergreen). ``core.query.matched_row`` is the reference.

    One GROUP BY over the matching subscriptions (``first_ranked`` picks the
    shown status's date without a window per customer), so a question that
    matches few costs little. Reads ``status_rank``.
    """
    suspended = SubscriptionStatus.SUSPENDED.rank
    end = case(
        (S.status_rank == suspended, NO_END_DATE), else_=func.coalesce(S.end_date, NO_END_DATE)
    )
    subscription_rank, soonest = first_ranked(bind, S.status_rank, end)
    return (
        select(
            S.customer_pk,
            func.min(S.provisioning_rank).label("provisioning_rank"),
            subscription_rank.label("subscription_rank"),
            soonest.label("soonest_end_date"),
        )
        .where(subscription_filter(query, today))
        .group_by(S.customer_pk)
        .subquery()
    )


def customer_filter(query: Query, today: date) -> ColumnElement[bool]:
    """The customers that match ``query``: by name or id, and by at least one
    subscription (or, where exact, by their own most important statuses)."""
    conditions: list[ColumnElement[bool]] = [name_filter(query)]
    if by_subscription(query):
        by_customer = customer_level_filter(query)
        if by_customer is not None:
            conditions.append(by_customer)
        else:
            matching = select(S.customer_pk).where(subscription_filter(query, today))
            conditions.append(C.pk.in_(matching))
    return and_(true(), *conditions)


def count_matching(query: Query, today: date) -> Select[int]:
    return select(func.count()).select_from(customers).where(customer_filter(query, today))
