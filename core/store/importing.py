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

from sqlalchemy import Table, delete, func, insert, select
from sqlalchemy.engine import Connection

from core.classify import subscription_status
from core.results import ImportResult, Transition
from core.snapshot import Snapshot
from core.statuses import ProvisioningStatus, SubscriptionStatus
from core.store import sql
from core.store.classification import classify
from core.store.schema import customers, imports, services, subscriptions, transitions

C = customers.c
S = subscriptions.c
_PROVISIONING_BY_RANK = {status.rank: status for status in ProvisioningStatus}
_SUBSCRIPTION_BY_RANK = {status.rank: status for status in SubscriptionStatus}
_BATCH = 5000


def replace_snapshot(
    connection: Connection,
    snapshot: Snapshot,
    *,
    today: date,
    source: str,
    recorded_at: datetime,
) -> ImportResult:
    """Replace the stored customers with ``snapshot``, in one transaction.

    Transitions compare each customer's list statuses under the old and
    the new snapshot on the same ``today``, so only changes of the data
    count (not the passing of time). The first import is the baseline and
    records none. A snapshot identical to the last one writes nothing.
    """
    provisioning_of = snapshot.subscription_provisioning()
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
    old = list_statuses(connection, today)
    new = _snapshot_statuses(snapshot, provisioning_of, today)
    gone = sorted(old.keys() - new.keys())
    names = dict(snapshot.customers)
    for batch in _batches(gone, _BATCH):
        names.update(connection.execute(select(C.id, C.name).where(C.id.in_(batch))).all())
    connection.execute(delete(services))
    connection.execute(delete(subscriptions))
    connection.execute(delete(customers))
    _insert_snapshot(connection, snapshot, provisioning_of)
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
    changes = status_changes(old, new, names, recorded_at) if last is not None else []
    record_transitions(connection, changes, import_id)
    added = len(new.keys() - old.keys()) if last is not None else len(new)
    removed = len(old.keys() - new.keys())
    return replace(
        unchanged, added=added, removed=removed, transitions=tuple(changes), unchanged=False
    )


def record_transitions(
    connection: Connection, changes: Iterable[Transition], import_id: int | None
) -> None:
    """Insert transitions (one batch: one import, or one day change with no import)."""
    for batch in _batches(changes, _BATCH):
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


def _insert_snapshot(
    connection: Connection,
    snapshot: Snapshot,
    provisioning_of: dict[str, ProvisioningStatus],
) -> None:
    subscription_count: dict[str, int] = {}
    for customer_id, *_ in snapshot.subscriptions.values():
        subscription_count[customer_id] = subscription_count.get(customer_id, 0) + 1
    pk_of = {id_: pk for pk, id_ in enumerate(snapshot.customers, start=1)}
    customer_rows = (
        {
            "pk": pk_of[id_],
            "id": id_,
            "name": name,
            "name_folded": name.casefold(),
            "subscription_count": subscription_count[id_],
        }
        for id_, name in snapshot.customers.items()
    )
    subscription_rows = (
        {
            "id": id_,
            "customer_pk": pk_of[customer_id],
            "kind": kind.value,
            "state": state.value,
            "start_date": start,
            "end_date": end,
            "provisioning_status": provisioning_of[id_].value,
            "provisioning_rank": provisioning_of[id_].rank,
        }
        for id_, (customer_id, kind, state, start, end) in snapshot.subscriptions.items()
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
        if connection.dialect.name == "postgresql":
            _copy(connection, table, rows)
            continue
        for batch in _batches(rows, _BATCH):
            connection.execute(insert(table), batch)


def _copy(connection: Connection, table: Table, rows: Iterable[dict[str, Any]]) -> None:
    """PostgreSQL's COPY (through psycopg, in the same transaction): several times
    faster than batched INSERTs for a snapshot of half a million rows."""
    columns = [
        column.name for column in table.columns if column.name != "id" or table is not services
    ]
    command = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    raw = connection.connection.driver_connection
    assert raw is not None
    with raw.cursor() as cursor, cursor.copy(command) as copy:
        for row in rows:
            copy.write_row([row.get(name) for name in columns])


def list_statuses(connection: Connection, today: date) -> dict[str, tuple[int, int]]:
    """Each stored customer's (provisioning rank, subscription rank) at ``today``."""
    statement = (
        select(C.id, func.min(S.provisioning_rank), func.min(sql.status_rank(today)))
        .select_from(subscriptions)
        .join(customers, C.pk == S.customer_pk)
        .group_by(C.id)
    )
    return {
        customer_id: (provisioning, subscription)
        for customer_id, provisioning, subscription in connection.execute(statement)
    }


def _snapshot_statuses(
    snapshot: Snapshot, provisioning_of: dict[str, ProvisioningStatus], today: date
) -> dict[str, tuple[int, int]]:
    best: dict[str, tuple[int, int]] = {}
    for sub_id, (customer_id, kind, state, _start, end) in snapshot.subscriptions.items():
        provisioning = provisioning_of[sub_id].rank
        status = subscription_status(kind, state, end, today).rank
        current = best.get(customer_id)
        if current is None:
            best[customer_id] = (provisioning, status)
        else:
            best[customer_id] = (min(current[0], provisioning), min(current[1], status))
    return best


def status_changes(
    old: dict[str, tuple[int, int]],
    new: dict[str, tuple[int, int]],
    names: dict[str, str],
    recorded_at: datetime,
) -> list[Transition]:
    changes: list[Transition] = []
    for customer_id in sorted(old.keys() | new.keys()):
        before, after = old.get(customer_id), new.get(customer_id)
        if before == after:
            continue
        name = names.get(customer_id, customer_id)
        for dimension, index, by_rank in (
            ("provisioning", 0, _PROVISIONING_BY_RANK),
            ("subscription", 1, _SUBSCRIPTION_BY_RANK),
        ):
            old_key = by_rank[before[index]].value if before else None
            new_key = by_rank[after[index]].value if after else None
            if old_key != new_key:
                changes.append(
                    Transition(customer_id, name, dimension, old_key, new_key, recorded_at)
                )
    return changes


def _batches(rows: Any, size: int) -> Iterator[list[Any]]:
    iterator = iter(rows)
    while batch := list(islice(iterator, size)):
        yield batch
