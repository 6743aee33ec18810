"""A customer list as SQL text (where its rows come from, the page, the JSON) and
the answers read with it: ``page``, ``count``, ``as_json``.

The answers take a ``sql.Run``, so ``core.store.store.Store`` (its engine) and
``core.store.reader`` (``sqlite3``) answer alike.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from core.dialect import text as dialect_text
from core.query import Query
from core.results import CustomerPage, CustomerRow
from core.statuses import (
    PROVISIONING_BY_RANK,
    SUBSCRIPTION_BY_RANK,
    ProvisioningStatus,
    SubscriptionStatus,
)
from core.store import sql
from core.store.sql import NO_END_DATE, Run

LIST_ORDER = (
    "customers.subscription_rank",
    "customers.provisioning_rank",
    "customers.soonest_end_date",
    "customers.name_folded",
    "customers.id",
)


@dataclass(frozen=True, slots=True)
class Listed:
    """Where a list's rows come from: what each row shows (provisioning rank,
    subscription rank, end date), the tables, the filter and the list order.

    A question about subscriptions shows, on each row, the statuses of the
    subscriptions that matched it (``sql.matched_rows``): in "show active" a
    customer with one suspended subscription reads "Active" with that active
    one's date. A name alone (or nothing), and a question about the most
    important statuses (needing attention, suspended, failed: where
    ``sql.customer_level_filter`` is exact, the customer's most important
    status is the one that matched), show the customer's own, classified once a
    day, in the list-order index: the fast path of the common questions.
    """

    shown: tuple[str, str, str]
    source: str
    where: str
    order: tuple[str, ...]

    @classmethod
    def of(cls, dialect: str, query: Query, today: date) -> Listed:
        if not sql.by_subscription(query) or sql.customer_level_filter(query) is not None:
            shown = (
                "customers.provisioning_rank",
                "customers.subscription_rank",
                "customers.soonest_end_date",
            )
            where = sql.customer_filter(dialect, query, today)
            return cls(shown, "customers", where, LIST_ORDER)
        matched = sql.matched_rows(dialect, query, today)
        return cls(
            ("matched.provisioning_rank", "matched.subscription_rank", "matched.soonest_end_date"),
            f"customers JOIN ({matched}) AS matched ON customers.pk = matched.customer_pk",
            sql.name_filter(dialect, query),
            (
                "matched.subscription_rank",
                "matched.provisioning_rank",
                "matched.soonest_end_date",
                "customers.name_folded",
                "customers.id",
            ),
        )


def list_page(dialect: str, query: Query, today: date, *, limited: bool) -> str:
    """The rows ``customer_row`` reads, in list order: most important first, then
    soonest end date, then name; ``:limit`` of them (all unless ``limited``)
    after ``:offset``."""
    listed = Listed.of(dialect, query, today)
    provisioning, subscription, end = listed.shown
    return (
        f"SELECT customers.id, customers.name, {provisioning}, {subscription}, {end},"
        f" customers.subscription_count FROM {listed.source} WHERE {listed.where}"
        f" ORDER BY {', '.join(listed.order)} {dialect_text.limit_offset(dialect, limited=limited)}"
    )


def list_json(dialect: str, query: Query, today: date) -> str:
    """``(count, JSON array text)``: every match, in list order, one object each
    with ``id``, ``name``, ``provisioning_status`` and ``subscription_status``
    (keys), ``soonest_end_date`` and ``days_left`` (null when none) and
    ``subscriptions``, as ``CustomerRow`` holds them."""
    listed = Listed.of(dialect, query, today)
    provisioning, subscription, end = listed.shown
    soonest = f"CASE WHEN {end} = :no_end THEN NULL ELSE {end} END"
    fields = (
        ("id", "customers.id"),
        ("name", "customers.name"),
        ("provisioning_status", _key(provisioning, ProvisioningStatus)),
        ("subscription_status", _key(subscription, SubscriptionStatus)),
        ("soonest_end_date", soonest),
        ("days_left", dialect_text.days_until(dialect, soonest, "today")),
        ("subscriptions", "customers.subscription_count"),
    )
    return dialect_text.json_rows(dialect, fields, listed.source, listed.where, listed.order)


def _key(rank: str, statuses: type[ProvisioningStatus] | type[SubscriptionStatus]) -> str:
    whens = " ".join(f"WHEN {status.rank} THEN '{status.value}'" for status in statuses)
    return f"CASE {rank} {whens} END"


def page(
    run: Run, dialect: str, query: Query, today: date, *, offset: int, limit: int | None
) -> CustomerPage:
    """``limit`` customers (all when None) after ``offset`` of those matching
    ``query``, in list order, and how many match."""
    statement = list_page(dialect, query, today, limited=limit is not None)
    found = run(statement, {**sql.params(query, today), "offset": offset, "limit": limit})
    rows = tuple([customer_row(row, today) for row in found])
    total = told(rows, offset, limit)
    if total is None:
        total = count(run, dialect, query, today)
    return CustomerPage(total=total, offset=offset, rows=rows)


def told(rows: tuple[CustomerRow, ...], offset: int, limit: int | None) -> int | None:
    """How many match, when the page itself tells: a page short of its limit is the
    last one (unless it is empty past the first: the data may have shrunk since), so
    nothing follows it. None when only a count can tell. A name that one customer
    holds is answered without a second scan of every name."""
    if (limit is None or len(rows) < limit) and (rows or offset == 0):
        return offset + len(rows)
    return None


def count(run: Run, dialect: str, query: Query, today: date) -> int:
    statement = sql.count_matching(dialect, query, today)
    return int(run(statement, sql.params(query, today))[0][0])


def as_json(run: Run, dialect: str, query: Query, today: date) -> tuple[int, str]:
    """``(count, JSON array text)`` of every match (``list_json``)."""
    total, text = run(list_json(dialect, query, today), sql.params(query, today))[0]
    return int(total), str(text)


def customer_row(row: Any, today: date) -> CustomerRow:
    id_, name, provisioning_rank, subscription_rank, soonest, subscription_count = row
    soonest = sql.as_date(soonest)
    if soonest == NO_END_DATE:
        soonest = None
    return CustomerRow(
        id_,
        name,
        PROVISIONING_BY_RANK[provisioning_rank],
        SUBSCRIPTION_BY_RANK[subscription_rank],
        soonest,
        None if soonest is None else (soonest - today).days,
        subscription_count,
    )
