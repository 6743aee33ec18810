"""Classifying the stored customers for one day.

A subscription's status depends on the date, so it cannot be stored once. It is
worked out in SQL (``sql.status_rank``) once per day and snapshot, into
``subscriptions.status_rank`` and the customers' list columns (their most
important statuses and the end date of the subscription behind the status shown),
with the summary counts of that day;
``classification`` records which day and import that was. Every question then
reads indexed columns.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import ColumnElement, delete, func, insert, select, update
from sqlalchemy.engine import Connection

from core.query import NEEDING_ATTENTION
from core.results import Summary
from core.statuses import ProvisioningStatus, SubscriptionStatus
from core.store import sql
from core.store.schema import classification, customers, imports, subscriptions
from core.store.sql import NO_END_DATE

C = customers.c
S = subscriptions.c


def is_classified(connection: Connection, today: date) -> bool:
    """Whether the classified columns hold ``today``'s statuses for the latest import."""
    latest = select(func.max(imports.c.id)).scalar_subquery()
    row = connection.execute(
        select(classification.c.today, classification.c.import_id, latest)
    ).first()
    return row is not None and row[0] == today and row[1] == row[2]


def classify(connection: Connection, today: date) -> None:
    """Work out every status for ``today`` into the classified columns, and the
    summary counts (the caller's transaction)."""
    # Write first: on SQLite, two transactions that each read and then write
    # deadlock each other (another process may be classifying too).
    connection.execute(update(subscriptions).values(status_rank=sql.status_rank(today)))
    import_id = connection.execute(select(func.max(imports.c.id))).scalar()
    per_customer = (
        select(
            S.customer_pk,
            func.min(S.provisioning_rank).label("provisioning_rank"),
            func.min(S.status_rank).label("subscription_rank"),
            func.min(sql.soonest_end(today)).label("soonest_end_date"),
        )
        .group_by(S.customer_pk)
        .subquery()
    )
    connection.execute(
        update(customers)
        .values(
            provisioning_rank=per_customer.c.provisioning_rank,
            subscription_rank=per_customer.c.subscription_rank,
            soonest_end_date=func.coalesce(per_customer.c.soonest_end_date, NO_END_DATE),
        )
        .where(C.pk == per_customer.c.customer_pk)
    )
    connection.execute(update(customers).values(soonest_end_date=_shown_end()))
    distinct_customers = func.count(S.customer_pk.distinct())
    summary = {
        "total": connection.execute(select(func.count()).select_from(customers)).scalar_one(),
        "provisioning": {
            str(rank): count
            for rank, count in connection.execute(
                select(S.provisioning_rank, distinct_customers).group_by(S.provisioning_rank)
            )
        },
        "subscription": {
            str(rank): count
            for rank, count in connection.execute(
                select(S.status_rank, distinct_customers).group_by(S.status_rank)
            )
        },
        "needing_attention": connection.execute(
            sql.count_matching(NEEDING_ATTENTION, today)
        ).scalar_one(),
    }
    connection.execute(delete(classification))
    connection.execute(
        insert(classification).values(
            id=1, today=today, import_id=import_id, summary=json.dumps(summary)
        )
    )


def _shown_end() -> ColumnElement[date]:
    """The list row's date: the soonest end of the subscriptions whose status the
    row shows, so a row reads true on its own ("Trial expired · Ended 2026-11-02",
    never another subscription's "921 days left"). A suspended row has no date
    (its end says nothing about the suspension); a trial expired shows its past end.
    """
    suspended = SubscriptionStatus.SUSPENDED.rank
    shown = (
        select(func.min(S.end_date))
        .where(
            S.customer_pk == C.pk,
            S.status_rank == C.subscription_rank,
            S.status_rank != suspended,
        )
        .scalar_subquery()
    )
    return func.coalesce(shown, NO_END_DATE)


def read_summary(connection: Connection) -> Summary:
    """The counts stored by the last ``classify``."""
    stored = connection.execute(select(classification.c.summary)).scalar()
    counts = json.loads(stored or "{}")
    return Summary(
        total=counts.get("total", 0),
        provisioning={
            status: counts.get("provisioning", {}).get(str(status.rank), 0)
            for status in ProvisioningStatus
        },
        subscription={
            status: counts.get("subscription", {}).get(str(status.rank), 0)
            for status in SubscriptionStatus
        },
        needing_attention=counts.get("needing_attention", 0),
    )
