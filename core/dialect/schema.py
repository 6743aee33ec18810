"""Tables made, and kept up with the code, on SQLite and PostgreSQL alike.

There are no migrations: each part of the bot declares its tables and
``ensure_schema`` makes the database hold them. ``create_all`` creates missing
tables, never missing columns, so a column or index added in a later release
would never reach a database an older one made: ``ensure_schema`` adds those
too. An added column must be nullable or have a scalar default (the rows
already there get it); anything else (a new primary key, a NOT NULL column
without a default) needs a real migration and is refused with a clear error.
"""

from __future__ import annotations

import hashlib
from typing import Any

from sqlalchemy import Column, Engine, MetaData, Table, inspect, literal, select
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError
from sqlalchemy.schema import CreateColumn

from core.dialect import SchemaError
from core.dialect.engines import is_postgres
from core.dialect.statements import upsert

#: Key of the PostgreSQL advisory lock held while tables are made.
SCHEMA_LOCK = 0x5374_6174  # "Stat"


def ensure_schema(
    engine: Engine, tables: MetaData, *, fingerprint_in: Column[Any] | None = None
) -> None:
    """Create what is missing (tables, columns, indexes), safely when several
    processes start at once.

    ``fingerprint_in``: a column of a one-row state table (``id`` 1) that then
    holds ``fingerprint(tables)``, so a reader that cannot make tables (the light
    read path, ``core.store.reader``) sees with one SELECT that they are current.

    ``create_all`` looks, then creates: two processes starting together (the
    workers of ``statusbot run``) can both decide to create the same table or
    column. On PostgreSQL an advisory lock makes them take turns (its DDL is
    transactional); on SQLite, where the database serialises writers, the loser
    sees "already exists" or "duplicate column" and looks again.
    """
    # each such error means another process made progress: a few rounds suffice
    attempts = len(tables.tables) + 2
    for attempt in range(attempts):
        try:
            with engine.begin() as connection:
                if is_postgres(connection):
                    connection.exec_driver_sql(f"SELECT pg_advisory_xact_lock({SCHEMA_LOCK})")
                tables.create_all(connection)
                _add_missing(connection, tables)
                if fingerprint_in is not None:
                    _mark(connection, fingerprint_in, fingerprint(tables))
            return
        except DBAPIError as error:
            text = str(error.orig)
            raced = "already exists" in text or "duplicate column" in text
            if attempt == attempts - 1 or not raced:
                raise


def fingerprint(tables: MetaData) -> str:
    """A short digest of ``tables`` as declared: the names and types of their
    columns and the names and columns of their indexes (what ``ensure_schema``
    makes)."""
    lines = []
    for table in sorted(tables.tables.values(), key=lambda table: table.name):
        lines.append(table.name)
        lines.extend(f" {column.name} {column.type} {column.nullable}" for column in table.columns)
        lines.extend(
            f" {index.name} {[column.name for column in index.columns]}"
            for index in sorted(table.indexes, key=lambda index: str(index.name))
        )
    return hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]


def _mark(connection: Connection, column: Column[Any], value: str) -> None:
    state = column.table
    if connection.execute(select(column).where(state.c.id == 1)).scalar() == value:
        return
    statement = upsert(connection, state).values({"id": 1, column.name: value})
    connection.execute(
        statement.on_conflict_do_update(index_elements=[state.c.id], set_={column.name: value})
    )


def _add_missing(connection: Connection, tables: MetaData) -> None:
    names = [table.name for table in tables.sorted_tables]
    inspector = inspect(connection)
    present = {
        name: {column["name"] for column in columns}
        for (_schema, name), columns in inspector.get_multi_columns(filter_names=names).items()
    }
    indexes = {
        name: {index["name"] for index in found}
        for (_schema, name), found in inspector.get_multi_indexes(filter_names=names).items()
    }
    for table in tables.sorted_tables:
        for column in table.columns:
            if column.name not in present.get(table.name, set()):
                connection.exec_driver_sql(_add_column(connection, table, column))
        for index in table.indexes:
            if index.name not in indexes.get(table.name, set()):
                index.create(connection, checkfirst=True)


def _add_column(connection: Connection, table: Table, column: Column[object]) -> str:
    dialect = connection.dialect
    default = column.default
    scalar = getattr(default, "arg", None) if getattr(default, "is_scalar", False) else None
    if (
        column.primary_key
        or column.unique
        or (not column.nullable and column.server_default is None and scalar is None)
    ):
        raise SchemaError(
            f"{table.name}.{column.name} is missing and cannot simply be added"
            " (a key, unique, or required without a default): this database needs a migration"
        )
    add = f"ALTER TABLE {dialect.identifier_preparer.format_table(table)} ADD COLUMN"
    if column.nullable or column.server_default is not None:
        return f"{add} {CreateColumn(column).compile(dialect=dialect)}"
    # the rows already there need a value: the column's own default
    value = literal(scalar, column.type).compile(
        dialect=dialect, compile_kwargs={"literal_binds": True}
    )
    name = dialect.identifier_preparer.format_column(column)
    return f"{add} {name} {column.type.compile(dialect=dialect)} DEFAULT {value} NOT NULL"
