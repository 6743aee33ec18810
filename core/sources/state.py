"""What each source did last: kept in the store, so every process agrees.

``statusbot sync`` (a process of its own), the scheduler, ``statusbot doctor``,
``/metrics`` of the web workers and the ``sources`` reply may all run in
different processes or hosts; the store is the one place they share. One row
per source (by its safe name) and one row, ``SNAPSHOT``, for the combined
snapshot: its last success is what "Data as of" on a card means.
"""

from __future__ import annotations

import weakref
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Literal

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    select,
    update,
)
from sqlalchemy.engine import Connection

from core.dialect.schema import ensure_schema
from core.sources.base import SourceError, SourceNotReady

SNAPSHOT = "(snapshot)"

#: Why the last attempt failed: bad data, the source out of reach, or a file still
#: being written (replies say each in words of their own).
ErrorKind = Literal["invalid", "unavailable", "waiting"]

metadata = MetaData()
source_state = Table(
    "source_state",
    metadata,
    Column("name", String(500), primary_key=True),
    Column("kind", String(100), nullable=False),
    Column("last_attempt", DateTime(timezone=True)),
    Column("last_success", DateTime(timezone=True)),
    Column("last_error", Text),
    Column("last_error_kind", String(20)),  # invalid | unavailable | waiting (replies say it)
    Column("last_error_at", DateTime(timezone=True)),
    Column("failures", Integer, nullable=False, default=0),  # in a row, since the last success
    Column("failures_total", Integer, nullable=False, default=0),
    Column("next_run", DateTime(timezone=True)),
)
_S = source_state.c


@dataclass(frozen=True, slots=True)
class SourceState:
    """One source's (or the snapshot's) last attempt, success and error."""

    name: str
    kind: str
    last_attempt: datetime | None
    last_success: datetime | None
    last_error: str | None
    last_error_kind: ErrorKind | None
    last_error_at: datetime | None
    failures: int
    failures_total: int
    next_run: datetime | None

    def is_stale(self, now: datetime, limit: timedelta) -> bool:
        """No success yet, or the last one is older than ``limit``."""
        return self.last_success is None or now - self.last_success > limit


_ensured: weakref.WeakSet[Engine] = weakref.WeakSet()


def ensure_table(engine: Engine) -> None:
    """Create the table once per engine (every scrape and reply reads it)."""
    if engine not in _ensured:
        ensure_schema(engine, metadata)
        _ensured.add(engine)


def record(
    connection: Connection,
    name: str,
    kind: str,
    now: datetime,
    *,
    error: str | None,
    next_run: datetime,
    error_kind: ErrorKind = "unavailable",
) -> SourceState:
    """Write one attempt's outcome (``error`` None is a success); returns the new row."""
    old = read_one(connection, name)
    failures = 0 if error is None else (old.failures if old else 0) + 1
    values = {
        "kind": kind,
        "last_attempt": now,
        "next_run": next_run,
        "failures": failures,
        "failures_total": (old.failures_total if old else 0) + (error is not None),
    }
    if error is None:
        values["last_success"] = now
    else:
        values["last_error"] = error[:2000]
        values["last_error_kind"] = error_kind
        values["last_error_at"] = now
    if old is None:
        connection.execute(source_state.insert().values(name=name, **values))
    else:
        connection.execute(update(source_state).where(_S.name == name).values(**values))
    found = read_one(connection, name)
    assert found is not None
    return found


def read_one(connection: Connection, name: str) -> SourceState | None:
    row = connection.execute(select(source_state).where(_S.name == name)).mappings().first()
    return _state(row) if row else None


def read_all(engine: Engine) -> list[SourceState]:
    """Every source's row, the snapshot's first; [] before the first sync."""
    ensure_table(engine)
    with engine.connect() as connection:
        rows = connection.execute(select(source_state).order_by(_S.name)).mappings().all()
    states = [_state(row) for row in rows]
    return sorted(states, key=lambda state: state.name != SNAPSHOT)


def snapshot_state(engine: Engine) -> SourceState | None:
    """The combined snapshot's row: when data was last synced whole, and from what."""
    ensure_table(engine)
    with engine.connect() as connection:
        return read_one(connection, SNAPSHOT)


def _state(row: object) -> SourceState:
    values = dict(row)  # type: ignore[call-overload]
    for key in ("last_attempt", "last_success", "last_error_at", "next_run"):
        moment = values[key]
        if moment is not None and moment.tzinfo is None:
            values[key] = moment.replace(tzinfo=UTC)
    return SourceState(**values)


def error_kind(error: SourceError) -> ErrorKind:
    if isinstance(error, SourceNotReady):
        return "waiting"
    return "invalid" if error.invalid else "unavailable"
