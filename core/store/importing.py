"""Replacing the stored snapshot with a new one, and what changed between them.

data-contract.md: a file is a complete snapshot, imported all or nothing. The
caller gives one transaction: the old rows are deleted and the new ones
inserted in it (readers keep seeing the old snapshot until it commits), the
import is recorded, the new rows classified, and each change of a customer's
list statuses recorded as a transition.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date, datetime
from itertools import islice
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.engine import Connection

from core.dialect.statements import bulk_insert, execute_text
from core.ingest.staging import Change, Snapshot
from core.names import fold
from core.query import Query
from core.results import ImportResult, Transition
from core.statuses import (
    PROVISIONING_BY_RANK,
    SUBSCRIPTION_BY_RANK,
    ProvisioningStatus,
)
from core.store import sql
from core.store.classification import classify
from core.store.schema import customers, imports, services, subscriptions, transitions

C = customers.c
S = subscriptions.c
#: The schema name a SQLite store attaches a snapshot's scratch file under
#: (``core.dialect.statements.attached``).
STAGED = "staged"


def replace_snapshot(
    connection: Connection,
    snapshot: Snapshot,
    *,
    today: date,
    source: str,
    recorded_at: datetime,
    staged: bool = False,
) -> ImportResult:
    """Replace the stored customers with ``snapshot``, in one transaction.

    Transitions compare each customer's list statuses under the old and
    the new snapshot on the same ``today``, so only changes of the data
    count (not the passing of time). The first import is the baseline and
    records none. A snapshot identical to the last one writes nothing.
    Everything streams: the comparison is made in the snapshot's scratch
    database, and rows go to the store in batches (COPY on PostgreSQL), or,
    ``staged``, copied from the scratch file attached as ``STAGED`` (SQLite).
    """
    unchanged = ImportResult(
        customers=len(snapshot.customers),
        subscriptions=len(snapshot.subscriptions),
        services=len(snapshot.services),
        added=0,
        removed=0,
        unchanged=True,
    )
    last = connection.execute(
        select(imports.c.digest).order_by(imports.c.id.desc()).limit(1)
    ).scalar()
    if last == snapshot.digest:
        return unchanged
    changes: list[Transition] = []
    added, removed = unchanged.customers, 0
    if last is not None:
        added, removed, changed = snapshot.compare(_stream_statuses(connection, today), today)
        changes = [change for each in changed for change in _transitions(each, recorded_at)]
    connection.execute(delete(services))
    connection.execute(delete(subscriptions))
    connection.execute(delete(customers))
    if staged:
        _insert_attached(connection)
    else:
        _insert_snapshot(connection, snapshot)
    import_id = connection.execute(
        insert(imports).returning(imports.c.id),
        dict(
            imported_at=recorded_at,
            source=source[:2000],
            digest=snapshot.digest,
            today=today,
            customers=unchanged.customers,
            subscriptions=unchanged.subscriptions,
            services=unchanged.services,
        ),
    ).scalar_one()
    # classified before commit: no reader ever sees rows without statuses
    classify(connection, today)
    record_transitions(connection, changes, import_id)
    return replace(
        unchanged, added=added, removed=removed, transitions=tuple(changes), unchanged=False
    )


def record_transitions(
    connection: Connection, changes: Iterable[Transition], import_id: int | None
) -> None:
    """Insert transitions (one batch: one import, or one day change with no import)."""
    for batch in _batches(changes, sql.BATCH):
        connection.execute(
            insert(transitions),
            [
                dict(
                    import_id=import_id,
                    recorded_at=change.recorded_at,
                    customer_id=change.customer_id,
                    customer_name=change.customer_name,
                    dimension=change.dimension,
                    old=change.old,
                    new=change.new,
                )
                for change in batch
            ],
        )


def _insert_snapshot(connection: Connection, snapshot: Snapshot) -> None:
    customer_rows = (
        {
            "pk": pk,
            "id": id_,
            "name": name,
            "name_folded": fold(name),
            "subscription_count": count,
        }
        for pk, id_, name, count in snapshot.customer_rows()
    )
    subscription_rows = (
        {
            "id": id_,
            "customer_pk": pk,
            "kind": kind,
            "state": state,
            "start_date": start,
            "end_date": end,
            "provisioning_status": provisioning.value,
            "provisioning_rank": provisioning.rank,
        }
        for id_, pk, kind, state, start, end, provisioning in snapshot.subscription_rows()
    )
    service_rows = (
        {"subscription_id": sub_id, "name": name, "provisioning_status": status.value}
        for sub_id, name, status in snapshot.services
    )
    for table, rows in (
        (customers, customer_rows),
        (subscriptions, subscription_rows),
        (services, service_rows),
    ):
        bulk_insert(connection, table, rows, sql.BATCH)


def _insert_attached(connection: Connection) -> None:
    status_of_rank = " ".join(
        f"WHEN {status.rank} THEN '{status.value}'" for status in ProvisioningStatus
    )
    raw = connection.connection.driver_connection
    assert raw is not None
    raw.create_function("fold_name", 1, fold, deterministic=True)  # core.names.fold
    connection.exec_driver_sql(
        "INSERT INTO main.customers (pk, id, name, name_folded, subscription_count) "
        f"SELECT pk, id, name, fold_name(name), subscription_count FROM {STAGED}.customers "
        "ORDER BY pk"
    )
    connection.exec_driver_sql(
        "INSERT INTO main.subscriptions (id, customer_pk, kind, state, start_date, end_date,"
        " provisioning_status, provisioning_rank) "
        "SELECT s.id, c.pk, s.kind, s.state, s.start_date, s.end_date,"
        f" CASE s.rank {status_of_rank} END, s.rank FROM {STAGED}.subscriptions s"
        f" JOIN {STAGED}.customers c ON c.id = s.customer_id ORDER BY s.n"
    )
    connection.exec_driver_sql(
        "INSERT INTO main.services (subscription_id, name, provisioning_status) "
        f"SELECT subscription_id, name, status FROM {STAGED}.services ORDER BY seq"
    )


def list_statuses(connection: Connection, today: date) -> dict[str, tuple[int, int]]:
    """Each stored customer's (provisioning rank, subscription rank) at ``today``."""
    return {id_: (p, s) for id_, _name, p, s in _stream_statuses(connection, today)}


def status_changes(
    old: dict[str, tuple[int, int]],
    new: dict[str, tuple[int, int]],
    names: dict[str, str],
    recorded_at: datetime,
) -> list[Transition]:
    changes: list[Transition] = []
    for customer_id in sorted(old.keys() | new.keys()):
        before, after = old.get(customer_id), new.get(customer_id)
        if before != after:
            change = Change(customer_id, names.get(customer_id, customer_id), before, after)
            changes.extend(_transitions(change, recorded_at))
    return changes


def _stream_statuses(connection: Connection, today: date) -> Iterator[tuple[str, str, int, int]]:
    """Each stored customer's id, name, provisioning rank and subscription rank at
    ``today``, streamed."""
    statement = (
        "SELECT customers.id, customers.name, min(subscriptions.provisioning_rank),"
        f" min({sql.status_rank()}) FROM subscriptions"
        " JOIN customers ON customers.pk = subscriptions.customer_pk"
        " GROUP BY customers.id, customers.name"
    )
    for row in execute_text(connection, statement, sql.params(Query(), today), stream=True):
        yield row[0], row[1], row[2], row[3]


def _transitions(change: Change, recorded_at: datetime) -> Iterator[Transition]:
    for dimension, index, by_rank in (
        ("provisioning", 0, PROVISIONING_BY_RANK),
        ("subscription", 1, SUBSCRIPTION_BY_RANK),
    ):
        old_key = by_rank[change.old[index]].value if change.old else None
        new_key = by_rank[change.new[index]].value if change.new else None
        if old_key != new_key:
            yield Transition(change.id, change.name, dimension, old_key, new_key, recorded_at)


def _batches(rows: Any, size: int) -> Iterator[list[Any]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch
