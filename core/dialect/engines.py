"""Every engine the bot opens, with the settings each backend needs.

* A failed statement's values (a customer's name, a webhook's ids and email)
  never reach a log through an exception's text: parameters are hidden
  (``hide_parameters``), and a PostgreSQL error keeps only its primary message,
  without the DETAIL and CONTEXT lines where the server repeats the row
  ("Failing row contains (…)", "Key (id)=(…) already exists", a COPY line).
* No ``pool_pre_ping``: it cost a ``SELECT 1`` round trip on every PostgreSQL
  checkout (issue 12). A connection the database dropped fails its first
  statement instead; SQLAlchemy recognises the disconnect and invalidates the
  whole pool, so that one statement fails (the webhook answers 503, a worker
  or job tries again later) and the next gets a fresh connection.
* SQLite: WAL (readers never block the writer), a busy timeout, foreign keys
  (``sqlite_files.prepare``, shared with the light read path's connections).
  A claiming engine (the inbox's) turns pysqlite's own transaction handling
  off and begins every transaction with ``BEGIN IMMEDIATE`` (the write lock at
  once), the way SQLAlchemy documents for SERIALIZABLE use of SQLite.
* PostgreSQL: sessions are named ``statusbot`` (``pg_stat_activity``) unless
  the URL names them.
"""

from __future__ import annotations

import sqlite3
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import Connection, ExceptionContext, make_url
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.pool import NullPool

from core.dialect.sqlite_files import BUSY_SECONDS, prepare, sqlite_file
from core.dialect.urls import is_sqlite_url

APPLICATION_NAME = "statusbot"


def is_postgres(bind: Engine | Connection) -> bool:
    return bind.dialect.name == "postgresql"


def open_engine(url: str, *, claiming: bool = False) -> Engine:
    """An engine for the bot's database.

    ``claiming``: transactions that read rows and then write them must not
    interleave (the inbox's claims): on SQLite each takes the write lock when it
    begins; PostgreSQL's row locks (``statements.skip_locked``) need nothing here.
    """
    if not is_sqlite_url(url):
        return _terse(create_engine(url, hide_parameters=True, connect_args=_named(url)))
    engine = create_engine(
        url,
        connect_args={"timeout": BUSY_SECONDS, "check_same_thread": False},
        hide_parameters=True,
    )

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        if claiming:
            dbapi_connection.isolation_level = None
        prepare(dbapi_connection)

    if claiming:

        @event.listens_for(engine, "begin")
        def _begin(connection: Any) -> None:
            connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _terse(engine: Engine) -> Engine:
    @event.listens_for(engine, "handle_error")
    def _handle_error(context: ExceptionContext) -> None:
        scrub(context.original_exception, context.sqlalchemy_exception)

    return engine


def scrub(error: BaseException, wrapper: BaseException | None = None) -> None:
    """Cut a PostgreSQL error's text (and its SQLAlchemy ``wrapper``'s) down to the
    server's primary message, which names tables, columns and constraints, not
    values. Errors without one (a dropped connection) are left alone."""
    diag = getattr(error, "diag", None)
    primary = getattr(diag, "message_primary", None)
    if not primary:
        return
    error.args = (primary,)
    if wrapper is not None:
        wrapper.args = (f"({type(error).__module__}.{type(error).__name__}) {primary}",)


def describe_database_error(error: BaseException) -> str | None:
    """One line on a database error for a log (None when ``error`` is not one): the
    driver's error class and the first line of its message, scrubbed as above.
    SQLAlchemy's own text is left out: it repeats the statement."""
    if isinstance(error, DBAPIError) and error.orig is not None:
        error = error.orig
    elif not type(error).__module__.startswith(("psycopg", "sqlite3")):
        return None
    scrub(error)
    lines = str(error).strip().splitlines()
    return f"{type(error).__name__}: {lines[0]}" if lines else type(error).__name__


def _named(url: str) -> dict[str, Any]:
    """PostgreSQL's session name, unless the URL gives one."""
    if "application_name" in make_url(url).query:
        return {}
    return {"application_name": APPLICATION_NAME}


def open_probe_engine(url: str, timeout: int) -> Engine | None:
    """An engine that opens a new connection per use, failing within ``timeout``
    seconds (``/readyz``); None for an in-memory SQLite, which only the bot's
    own engine can see.

    SQLite: the file is opened ``mode=rw``, so a file moved away is an error
    rather than a new empty database.
    """
    if not is_sqlite_url(url):
        return _terse(
            create_engine(
                url,
                poolclass=NullPool,
                hide_parameters=True,
                connect_args={"connect_timeout": timeout, **_named(url)},
            )
        )
    file = sqlite_file(url)
    if file is None:
        return None
    uri = file.as_uri() + "?mode=rw"

    def connect() -> sqlite3.Connection:
        return sqlite3.connect(uri, uri=True, timeout=timeout, check_same_thread=False)

    return create_engine("sqlite://", creator=connect, poolclass=NullPool, hide_parameters=True)


def is_busy(error: DBAPIError) -> bool:
    """SQLite's "database is locked": another writer held the lock past the busy
    timeout. Busy, not broken (PostgreSQL waits on row locks instead)."""
    return isinstance(error, OperationalError) and "locked" in str(error.orig)


def statement_timeout(connection: Connection, seconds: int) -> None:
    """Bound each statement of the current transaction (PostgreSQL; SQLite's
    wait is its busy timeout)."""
    if is_postgres(connection):
        connection.exec_driver_sql(f"SET LOCAL statement_timeout = {int(seconds) * 1000}")
