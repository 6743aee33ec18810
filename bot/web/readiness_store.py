"""The store half of ``/readyz``: a write the database must accept, then rolled back.

``SELECT 1`` says a database answers, not that a delivery could be stored: a
read-only SQLite file, a PostgreSQL in read-only mode, or tables dropped (or a
SQLite file moved away, after which new connections make an empty file) all pass
it while every webhook fails (issue 10, item 5). So the probe reads each of the
bot's tables (none may be missing) and deletes nothing from the inbox, which the
database checks like any write, and rolls back.

On SQLite it first asks the file system whether the file is there and writable
(SQLite would answer a write on a descriptor it opened before the file turned
read-only), then opens a fresh connection in ``mode=rw``: a pooled one would
still see a moved file, and a default open would create an empty one. On
PostgreSQL it opens its own connection too (no pool), with short timeouts.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path

from sqlalchemy import Engine, create_engine, delete, false, literal, select
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import NullPool

from bot.inbox.store import inbox
from bot.inbox.store import metadata as inbox_metadata
from core.store.schema import metadata as store_metadata

#: Seconds a probe waits for a connection or a statement.
TIMEOUT_SECONDS = 2

TABLES = (*store_metadata.sorted_tables, *inbox_metadata.sorted_tables)


class StoreProbe:
    """``problem()`` says why the store would not take a delivery now, or None."""

    def __init__(self, database_url: str, fallback: Engine) -> None:
        self._file = _sqlite_file(database_url)
        self._engine = _probe_engine(database_url, self._file) or fallback

    def problem(self) -> str | None:
        if self._file is not None and not os.access(self._file, os.W_OK):
            # SQLite reuses a process's open descriptors of a file, so a probe's
            # write can pass on one opened before the file was made read-only
            return "the database file is missing or read-only"
        try:
            with self._engine.connect() as connection:
                transaction = connection.begin()
                try:
                    if self._file is None:
                        connection.exec_driver_sql(
                            f"SET LOCAL statement_timeout = {TIMEOUT_SECONDS * 1000}"
                        )
                    for table in TABLES:
                        connection.execute(select(literal(1)).select_from(table).limit(1))
                    connection.execute(delete(inbox).where(false()))
                finally:
                    transaction.rollback()
        except DBAPIError as error:
            if isinstance(error, OperationalError) and "locked" in str(error.orig):
                return None  # SQLite: another writer holds the lock; busy, not broken
            return _first_line(error.orig)
        return None


def _sqlite_file(url: str) -> Path | None:
    """The SQLite database file; None for PostgreSQL or an in-memory database."""
    if not url.startswith("sqlite"):
        return None
    database = make_url(url).database
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).resolve()


def _probe_engine(url: str, file: Path | None) -> Engine | None:
    """An engine that opens a new connection per probe; None for an in-memory SQLite."""
    if not url.startswith("sqlite"):
        return create_engine(
            url, poolclass=NullPool, connect_args={"connect_timeout": TIMEOUT_SECONDS}
        )
    if file is None:
        return None
    uri = file.as_uri() + "?mode=rw"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, timeout=TIMEOUT_SECONDS, check_same_thread=False)

    return create_engine("sqlite://", creator=connect, poolclass=NullPool)


def _first_line(error: BaseException | None) -> str:
    return str(error).splitlines()[0][:200] if error else "error"
