"""SQLite files as the ``sqlite3`` module opens them, without SQLAlchemy.

The engines (``core.dialect.engines``) prepare every connection they open with
``prepare``; the light read path (``core.store.reader``) opens the same file
read-only with ``connect_for_reading``: the same busy timeout, so a reader
waits for a writer as long as the bot does.
"""

from __future__ import annotations

import re
import sqlite3
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from urllib.parse import unquote

from core.dialect.text import SQLITE, bind

#: Seconds a SQLite connection waits for another writer's lock.
BUSY_SECONDS = 30

# what SQLAlchemy's make_url reads from a sqlite URL: sqlite[+driver]://[host]/database[?query]
_URL = re.compile(r"sqlite(?:\+\w+)?://(?P<host>[^/?]*)(?:/(?P<database>[^?]*))?(?:\?.*)?")


def sqlite_file(url: str) -> Path | None:
    """The SQLite database file; None for PostgreSQL or an in-memory database."""
    found = _URL.fullmatch(url)
    if found is None:
        return None
    database = unquote(found["database"] or "")
    if not database or database == ":memory:" or database.startswith("file:"):
        return None
    return Path(database).resolve()


def prepare(dbapi_connection: Any) -> None:
    """A new read-write connection's pragmas: the busy timeout, WAL (readers never
    block the writer), foreign keys, NORMAL sync. Switching a new database to WAL
    answers "database is locked" at once, without waiting, when another process
    is doing the same: that is retried briefly."""
    cursor = dbapi_connection.cursor()
    try:
        cursor.execute(f"PRAGMA busy_timeout={BUSY_SECONDS * 1000}")
        for attempt in range(1, 51):
            try:
                cursor.execute("PRAGMA journal_mode=WAL")
                break
            except sqlite3.OperationalError as error:
                if "locked" not in str(error) or attempt == 50:
                    raise
                time.sleep(min(0.01 * attempt, 0.2))
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute("PRAGMA synchronous=NORMAL")
    finally:
        cursor.close()


def runner(connection: sqlite3.Connection) -> Callable[[str, Mapping[str, Any]], list[Any]]:
    """Runs SQL text with named parameters on ``connection`` (bound as
    ``core.dialect.text.bind`` binds them for SQLite), every row fetched
    (``core.store.sql.Run``)."""
    return lambda statement, params: connection.execute(statement, bind(SQLITE, params)).fetchall()


def connect_for_reading(file: Path) -> sqlite3.Connection:
    """``file`` opened read-only (``mode=ro``: a missing file is an error, never a
    new empty database), waiting ``BUSY_SECONDS`` for a writer's lock like the
    bot's engines. Autocommit: the caller says ``BEGIN`` for a consistent read of
    several statements."""
    return sqlite3.connect(  # timeout= is SQLite's busy timeout
        file.as_uri() + "?mode=ro",
        uri=True,
        timeout=BUSY_SECONDS,
        isolation_level=None,
        check_same_thread=False,
    )
