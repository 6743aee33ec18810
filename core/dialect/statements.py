"""Statements that SQLite and PostgreSQL write differently, in SQLAlchemy.

Each function takes the engine or connection it is for and returns (or runs)
that backend's form; callers never ask which backend they are on. The store's
questions are SQL text (``core.dialect.text`` holds its backend forms), run
here by ``execute_text``.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from functools import lru_cache
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from sqlalchemy import CursorResult, Engine, Select, Table, TextClause, text
from sqlalchemy import insert as plain_insert
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Connection, Row

from core.dialect.engines import is_postgres, scrub
from core.dialect.text import bind

# PostgreSQL's SQLAlchemy dialect is imported where it is used: a command on
# SQLite (statusbot ask) never pays for loading it.
if TYPE_CHECKING:
    from sqlalchemy.dialects import postgresql

    Upsert: TypeAlias = postgresql.Insert | sqlite.Insert


def upsert(bind: Engine | Connection, table: Table) -> Upsert:
    """An INSERT that can say ``on_conflict_do_nothing`` / ``on_conflict_do_update``."""
    if is_postgres(bind):
        from sqlalchemy.dialects import postgresql

        return postgresql.insert(table)
    return sqlite.insert(table)


def skip_locked(statement: Select[Any], bind: Engine | Connection) -> Select[Any]:
    """Rows to claim, locked for this transaction, skipping rows another holds.

    PostgreSQL: ``FOR UPDATE SKIP LOCKED``. SQLite has no row locks; a claiming
    engine (``engines.open_engine(claiming=True)``) holds the database's write
    lock from ``BEGIN``, so nobody else is choosing at the same time.
    """
    return statement.with_for_update(skip_locked=True) if is_postgres(bind) else statement


def hold_still(connection: Connection, table: Table) -> None:
    """Keep ``table`` from changing until this transaction ends (others may read).

    PostgreSQL: ``LOCK TABLE … IN SHARE MODE``. SQLite: a transaction's first
    write takes the one database-wide write lock, which the caller does first.
    """
    if is_postgres(connection):
        connection.exec_driver_sql(f"LOCK TABLE {table.name} IN SHARE MODE")


def analyze(connection: Connection, tables: Sequence[Table]) -> None:
    """Fresh planner statistics for ``tables``. PostgreSQL: only these (a bare
    ``ANALYZE`` visits every table of the database, other schemas' too, and can
    deadlock with a schema being dropped beside it). SQLite: its own file."""
    if is_postgres(connection):
        connection.exec_driver_sql(f"ANALYZE {', '.join(table.name for table in tables)}")
    else:
        connection.exec_driver_sql("ANALYZE")


@lru_cache(maxsize=512)
def _text(statement: str) -> TextClause:
    return text(statement)


def execute_text(
    connection: Connection, statement: str, params: Mapping[str, Any], *, stream: bool = False
) -> CursorResult[*tuple[Any, ...]]:
    """Run SQL text with named parameters (``core.store.sql``, ``core.dialect.text``),
    bound as this backend's driver takes them; ``stream``: rows fetched as read
    (a server-side cursor on PostgreSQL). The same text is the same
    ``TextClause``, so SQLAlchemy's statement cache serves it again."""
    values = bind(connection.dialect.name, params)
    options = {"stream_results": True} if stream else {}
    return connection.execute(_text(statement), values, execution_options=options)


def runner(connection: Connection) -> Callable[[str, Mapping[str, Any]], Sequence[Row[Any]]]:
    """``execute_text`` on ``connection``, every row fetched (``core.store.sql.Run``)."""
    return lambda statement, params: execute_text(connection, statement, params).all()


def bulk_insert(
    connection: Connection, table: Table, rows: Iterable[dict[str, Any]], batch: int
) -> None:
    """Insert many rows in this transaction: COPY on PostgreSQL (several times
    faster than batched INSERTs for half a million rows), batches elsewhere.
    A column the database numbers itself (autoincrement) is left to it."""
    if not is_postgres(connection):
        iterator = iter(rows)
        while chunk := list(islice(iterator, batch)):
            connection.execute(plain_insert(table), chunk)
        return
    columns = [column.name for column in table.columns if column.autoincrement is not True]
    command = f"COPY {table.name} ({', '.join(columns)}) FROM STDIN"
    raw = connection.connection.driver_connection
    assert raw is not None
    try:
        with raw.cursor() as cursor, cursor.copy(command) as copy:
            for row in rows:
                copy.write_row([row.get(name) for name in columns])
    except Exception as error:  # psycopg's own: SQLAlchemy never saw the statement
        scrub(error)
        raise


@contextmanager
def attached(connection: Connection, path: Path, name: str) -> Iterator[bool]:
    """SQLite: the scratch SQLite file ``path`` readable as schema ``name`` on this
    connection (True), so rows are copied by INSERT … SELECT inside SQLite, with
    ``casefold`` available as a function. Outside a transaction: SQLite refuses
    ATTACH inside one. PostgreSQL cannot read the file (False): rows go through
    Python (``bulk_insert``)."""
    if is_postgres(connection):
        yield False
        return
    connection.exec_driver_sql(f"ATTACH DATABASE ? AS {name}", (str(path),))
    raw = connection.connection.driver_connection
    assert raw is not None
    raw.create_function("casefold", 1, str.casefold, deterministic=True)
    connection.commit()
    try:
        yield True
    finally:
        connection.exec_driver_sql(f"DETACH DATABASE {name}")
        connection.commit()
