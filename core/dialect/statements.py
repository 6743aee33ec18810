"""Statements that SQLite and PostgreSQL write differently.

Each function takes the engine or connection it is for and returns (or runs)
that backend's form; callers never ask which backend they are on.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import date
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from sqlalchemy import (
    BigInteger,
    ColumnElement,
    Date,
    Engine,
    FromClause,
    Integer,
    Select,
    Table,
    Text,
    cast,
    func,
    literal,
    select,
    type_coerce,
)
from sqlalchemy import insert as plain_insert
from sqlalchemy.dialects import sqlite
from sqlalchemy.engine import Connection

from core.dialect.engines import is_postgres, scrub

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


def days_until(bind: Engine | Connection, moment: Any, today: date) -> ColumnElement[Any]:
    """Whole days from ``today`` to the date ``moment`` (NULL stays NULL)."""
    if is_postgres(bind):
        return moment - today  # type: ignore[no-any-return]
    return func.cast(func.julianday(moment) - func.julianday(today.isoformat()), Integer)


#: Days from 0001-01-01 to any date up to 9999-12-31 stay below this, so one
#: integer holds a rank and a date: ``rank * _DAYS + day``.
_DAYS = 10_000_000
_JULIAN_DAY_ONE = 1721425.5  # SQLite's julianday('0001-01-01')


def first_ranked(
    bind: Engine | Connection, rank: ColumnElement[int], moment: ColumnElement[date]
) -> tuple[ColumnElement[int], ColumnElement[date]]:
    """Aggregates for a GROUP BY: the group's smallest ``rank``, and the earliest
    ``moment`` (never NULL) among its rows with that rank.

    Both take the smallest ``rank * _DAYS + day number of moment`` in one pass
    (no window, no sort per group); turning day numbers into dates and back is
    what the backends write differently (date arithmetic on PostgreSQL,
    ``julianday``/``date`` on SQLite).
    """
    if is_postgres(bind):
        day_one = literal(date(1, 1, 1), Date)
        key = func.min(cast(rank, BigInteger) * _DAYS + (moment - day_one))
        return func.min(rank), day_one + cast(key % _DAYS, Integer)
    day = cast(func.julianday(moment) - _JULIAN_DAY_ONE, Integer)
    key = func.min(rank * _DAYS + day)
    return func.min(rank), type_coerce(func.date(key % _DAYS + _JULIAN_DAY_ONE), Date)


def json_rows(
    bind: Engine | Connection,
    fields: Mapping[str, ColumnElement[Any]],
    source: FromClause,
    where: ColumnElement[bool],
    order_by: Sequence[ColumnElement[Any]],
) -> Select[int, str]:
    """``(count, JSON array text)`` of one object per row of ``source`` matching
    ``where``, in order, built by the database (``json_build_object`` /
    ``json_object``)."""
    pairs = [part for key, value in fields.items() for part in (key, value)]
    if is_postgres(bind):
        from sqlalchemy.dialects.postgresql import aggregate_order_by

        item = func.json_build_object(*pairs)
        return (
            select(
                func.count(),
                func.coalesce(func.json_agg(aggregate_order_by(item, *order_by)).cast(Text), "[]"),
            )
            .select_from(source)
            .where(where)
        )
    # SQLite < 3.44 has no ORDER BY inside an aggregate; it aggregates the rows
    # of an ordered subquery in that order (a test checks).
    item = func.json_object(*pairs)
    ordered = (
        select(item.label("item")).select_from(source).where(where).order_by(*order_by).subquery()
    )
    return select(func.count(), func.json_group_array(func.json(ordered.c.item)))


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
