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

from sqlalchemy import Engine, delete, false, literal, select
from sqlalchemy.exc import DBAPIError

from bot.inbox.store import inbox
from bot.inbox.store import metadata as inbox_metadata
from core.dialect.engines import is_busy, open_probe_engine, statement_timeout
from core.dialect.sqlite_files import sqlite_file
from core.store.schema import metadata as store_metadata

#: Seconds a probe waits for a connection or a statement.
TIMEOUT_SECONDS = 2

TABLES = (*store_metadata.sorted_tables, *inbox_metadata.sorted_tables)


class StoreProbe:
    """``problem()`` says why the store would not take a delivery now, or None."""

    def __init__(self, database_url: str, fallback: Engine) -> None:
        self._file = sqlite_file(database_url)
        self._engine = open_probe_engine(database_url, TIMEOUT_SECONDS) or fallback

    def problem(self) -> str | None:
        if self._file is not None and not os.access(self._file, os.W_OK):
            # SQLite reuses a process's open descriptors of a file, so a probe's
            # write can pass on one opened before the file was made read-only
            return "the database file is missing or read-only"
        try:
            with self._engine.connect() as connection:
                transaction = connection.begin()
                try:
                    statement_timeout(connection, TIMEOUT_SECONDS)
                    for table in TABLES:
                        connection.execute(select(literal(1)).select_from(table).limit(1))
                    connection.execute(delete(inbox).where(false()))
                finally:
                    transaction.rollback()
        except DBAPIError as error:
            if is_busy(error):
                return None  # another writer holds the lock: busy, not broken
            return _first_line(error.orig)
        return None


def _first_line(error: BaseException | None) -> str:
    return str(error).splitlines()[0][:200] if error else "error"
