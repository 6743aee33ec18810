"""A customer list's rows: where they come from, and each row as ``CustomerRow``.

``core.store.store.Store.query`` and ``query_json`` read their rows through ``Listed``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, Engine, FromClause

from core.query import Query
from core.results import CustomerRow
from core.statuses import PROVISIONING_BY_RANK, SUBSCRIPTION_BY_RANK
from core.store import sql
from core.store.schema import customers
from core.store.sql import NO_END_DATE

C = customers.c

LIST_ORDER = (C.subscription_rank, C.provisioning_rank, C.soonest_end_date, C.name_folded, C.id)


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

    shown: tuple[ColumnElement[Any], ColumnElement[Any], ColumnElement[Any]]
    source: FromClause
    where: ColumnElement[bool]
    order: tuple[ColumnElement[Any], ...]

    @classmethod
    def of(cls, bind: Engine, query: Query, today: date) -> Listed:
        if not sql.by_subscription(query) or sql.customer_level_filter(query) is not None:
            shown = (C.provisioning_rank, C.subscription_rank, C.soonest_end_date)
            return cls(shown, customers, sql.customer_filter(query, today), LIST_ORDER)
        matched = sql.matched_rows(bind, query, today)
        m = matched.c
        return cls(
            (m.provisioning_rank, m.subscription_rank, m.soonest_end_date),
            customers.join(matched, C.pk == m.customer_pk),
            sql.name_filter(query),
            (m.subscription_rank, m.provisioning_rank, m.soonest_end_date, C.name_folded, C.id),
        )


def customer_row(row: Any, today: date) -> CustomerRow:
    id_, name, provisioning_rank, subscription_rank, soonest, subscription_count = row
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
