"""Classifying the stored customers for one day.

A subscription's status depends on the date, so it cannot be stored once. It is
worked out in SQL (``sql.status_rank``, the rules' one text) once per day and
snapshot, into ``subscriptions.status_rank`` and the customers' list columns
(their most important statuses and the end date of the subscription behind the
status shown), with the summary counts of that day; ``classification`` records
which day and import that was. Every question then reads indexed columns.
"""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import delete, func, insert, select
from sqlalchemy.engine import Connection

from core.dialect.statements import execute_text, runner
from core.query import NEEDING_ATTENTION
from core.results import Summary
from core.statuses import SubscriptionStatus
from core.store import counts, sql
from core.store.schema import classification, customers, imports, subscriptions

S = subscriptions.c


def is_classified(connection: Connection, today: date) -> bool:
    """Whether the classified columns hold ``today``'s statuses for the latest import."""
    return sql.classified(runner(connection), today)


def classify(connection: Connection, today: date) -> None:
    """Work out every status for ``today`` into the classified columns, and the
    summary counts (the caller's transaction)."""
    values = sql.params(NEEDING_ATTENTION, today)
    # Write first: on SQLite, two transactions that each read and then write
    # deadlock each other (another process may be classifying too).
    execute_text(connection, f"UPDATE subscriptions SET status_rank = {sql.status_rank()}", values)
    import_id = connection.execute(select(func.max(imports.c.id))).scalar()
    execute_text(connection, _CUSTOMER_COLUMNS, values)
    execute_text(connection, _SHOWN_END, values)
    distinct_customers = func.count(S.customer_pk.distinct())
    dialect = connection.dialect.name
    needing_attention = sql.count_matching(dialect, NEEDING_ATTENTION, today)
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
        "needing_attention": execute_text(connection, needing_attention, values).scalar_one(),
    }
    connection.execute(delete(classification))
    connection.execute(
        insert(classification).values(
            id=1, today=today, import_id=import_id, summary=json.dumps(summary)
        )
    )


#: Each customer's most important statuses, and its soonest end to come.
_CUSTOMER_COLUMNS = (
    "UPDATE customers SET provisioning_rank = per_customer.provisioning_rank,"
    " subscription_rank = per_customer.subscription_rank,"
    " soonest_end_date = coalesce(per_customer.soonest_end_date, :no_end)"
    " FROM (SELECT subscriptions.customer_pk AS customer_pk,"
    " min(subscriptions.provisioning_rank) AS provisioning_rank,"
    " min(subscriptions.status_rank) AS subscription_rank,"
    f" min({sql.soonest_end()}) AS soonest_end_date"
    " FROM subscriptions GROUP BY subscriptions.customer_pk) AS per_customer"
    " WHERE customers.pk = per_customer.customer_pk"
)

#: The list row's date: the soonest end of the subscriptions whose status the
#: row shows, so a row reads true on its own ("Trial expired · Ended 2026-11-02",
#: never another subscription's "921 days left"). A suspended row has no date
#: (its end says nothing about the suspension); a trial expired shows its past end.
_SHOWN_END = (
    "UPDATE customers SET soonest_end_date = coalesce("
    "(SELECT min(subscriptions.end_date) FROM subscriptions"
    " WHERE subscriptions.customer_pk = customers.pk"
    " AND subscriptions.status_rank = customers.subscription_rank"
    f" AND subscriptions.status_rank != {SubscriptionStatus.SUSPENDED.rank}), :no_end)"
)


def read_summary(connection: Connection) -> Summary:
    """The counts stored by the last ``classify``."""
    return counts.summary(runner(connection))
