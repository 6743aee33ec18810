"""The day change: statuses that moved because the date did.

A subscription's status depends on today (31 days left is "expiring in 60",
30 is "expiring in 30"). Imports record only changes of the data, compared on
one day; the passing of days is recorded here, once per local day, as one
batch of transitions (``import_id`` NULL) that the alert job picks up like an
import's. The comparison is with the last day the statuses were recorded for
(the last day change or the last import, whichever is later), so a scheduler
that was down for three days records one batch covering them, not three.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Engine, func, select, update
from sqlalchemy.engine import Connection

from core.dialect.statements import hold_still, upsert
from core.proactive.schema import day_changes
from core.store.classification import classify
from core.store.importing import list_statuses, record_transitions, status_changes
from core.store.schema import customers, imports

C = customers.c
_BATCH = 5000


def record_day_change(engine: Engine, today: date, recorded_at: datetime) -> int | None:
    """Record ``today``'s date-driven transitions and re-classify the store.

    Returns how many were recorded, or None when ``today`` was done already
    (by this or another process: the day's row is inserted first, so a second
    attempt waits for the first and then finds the day taken).
    """
    with engine.begin() as connection:
        # an import running now would compare against rows this replaces
        hold_still(connection, customers)
        # written first (on SQLite a transaction that reads, then writes, can fail
        # when another process wrote in between); the primary key makes it once a day
        taken = connection.execute(
            upsert(connection, day_changes)
            .values(day=today, since=today, recorded_at=recorded_at, changes=0)
            .on_conflict_do_nothing(index_elements=["day"])
            .returning(day_changes.c.day)
        )
        if taken.first() is None:
            return None
        since = _last_recorded_day(connection, today)
        if since is None or since >= today:
            return 0
        old = list_statuses(connection, since)
        new = list_statuses(connection, today)
        moved = {key for key in new if old.get(key) != new[key]}
        names = _names(connection, sorted(moved))
        changes = status_changes(
            {key: old[key] for key in moved if key in old},
            {key: new[key] for key in moved},
            names,
            recorded_at,
        )
        record_transitions(connection, changes, None)
        connection.execute(
            update(day_changes)
            .where(day_changes.c.day == today)
            .values(since=since, changes=len(changes))
        )
        classify(connection, today)
        return len(changes)


def _names(connection: Connection, ids: list[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for start in range(0, len(ids), _BATCH):
        batch = ids[start : start + _BATCH]
        names.update(connection.execute(select(C.id, C.name).where(C.id.in_(batch))).all())
    return names


def _last_recorded_day(connection: Connection, today: date) -> date | None:
    """The day the stored statuses were last recorded for, before ``today``."""
    last_change: date | None = connection.execute(
        select(func.max(day_changes.c.day)).where(day_changes.c.day < today)
    ).scalar()
    last_import: date | None = connection.execute(
        select(imports.c.today).order_by(imports.c.id.desc()).limit(1)
    ).scalar()
    if last_import is None:
        return None  # nothing imported: nothing to compare
    return last_import if last_change is None else max(last_change, last_import)
