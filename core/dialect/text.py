"""SQL text that SQLite and PostgreSQL write differently, for the statements the
store writes as plain text (``core.store.sql``).

``dialect`` is the backend's name, ``"sqlite"`` or ``"postgresql"`` (an engine's
``dialect.name``). Nothing here imports SQLAlchemy: the light read path
(``core.store.reader``) runs this text through the ``sqlite3`` module alone, the
store through its engine (``sqlalchemy.text``). Values are named parameters
(``:name``); both run them alike.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any

SQLITE = "sqlite"
POSTGRESQL = "postgresql"

#: Days from 0001-01-01 to any date up to 9999-12-31 stay below this, so one
#: integer holds a rank and a date: ``rank * _DAYS + day``.
_DAYS = 10_000_000
_JULIAN_DAY_ONE = 1721425.5  # SQLite's julianday('0001-01-01')


def bind(dialect: str, params: Mapping[str, Any]) -> dict[str, Any]:
    """``params`` as the backend's driver takes them: on SQLite a date is its ISO
    text (what the store's date columns hold there), PostgreSQL takes dates."""
    if dialect == POSTGRESQL:
        return dict(params)
    return {key: _sqlite_value(value) for key, value in params.items()}


def _sqlite_value(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def like(dialect: str, column: str, parameter: str) -> str:
    """``column`` LIKE the pattern ``:parameter``, whose wildcards are escaped by a
    backslash (``core.store.sql.like_pattern``). PostgreSQL: spelt ``E'\\\\'``, one
    backslash whatever ``standard_conforming_strings`` says."""
    escape = "E'\\\\'" if dialect == POSTGRESQL else "'\\'"
    return f"{column} LIKE :{parameter} ESCAPE {escape}"


def days_until(dialect: str, moment: str, today: str) -> str:
    """Whole days from the date ``:today`` to the date ``moment`` (NULL stays NULL)."""
    if dialect == POSTGRESQL:
        return f"({moment} - :{today})"
    return f"CAST(julianday({moment}) - julianday(:{today}) AS INTEGER)"


def first_ranked(dialect: str, rank: str, moment: str) -> tuple[str, str]:
    """Aggregates for a GROUP BY: the group's smallest ``rank``, and the earliest
    ``moment`` (never NULL) among its rows with that rank.

    Both take the smallest ``rank * _DAYS + day number of moment`` in one pass
    (no window, no sort per group); turning day numbers into dates and back is
    what the backends write differently (date arithmetic on PostgreSQL,
    ``julianday``/``date`` on SQLite).
    """
    if dialect == POSTGRESQL:
        day_one = "DATE '0001-01-01'"
        key = f"min(CAST({rank} AS BIGINT) * {_DAYS} + ({moment} - {day_one}))"
        return f"min({rank})", f"{day_one} + CAST({key} % {_DAYS} AS INTEGER)"
    day = f"CAST(julianday({moment}) - {_JULIAN_DAY_ONE} AS INTEGER)"
    key = f"min({rank} * {_DAYS} + {day})"
    return f"min({rank})", f"date({key} % {_DAYS} + {_JULIAN_DAY_ONE})"


def json_rows(
    dialect: str,
    fields: Sequence[tuple[str, str]],
    source: str,
    where: str,
    order: Sequence[str],
) -> str:
    """``(count, JSON array text)`` of one object per row of ``source`` matching
    ``where``, in ``order``, built by the database (``json_build_object`` /
    ``json_object``). ``fields``: (key, SQL expression) pairs; keys are ours."""
    pairs = ", ".join(f"'{key}', {value}" for key, value in fields)
    order_by = ", ".join(order)
    if dialect == POSTGRESQL:
        items = f"json_agg(json_build_object({pairs}) ORDER BY {order_by})"
        return f"SELECT count(*), coalesce(CAST({items} AS TEXT), '[]') FROM {source} WHERE {where}"
    # SQLite < 3.44 has no ORDER BY inside an aggregate; it aggregates the rows
    # of an ordered subquery in that order (a test checks).
    ordered = f"SELECT json_object({pairs}) AS item FROM {source} WHERE {where} ORDER BY {order_by}"
    return f"SELECT count(*), json_group_array(json(ordered.item)) FROM ({ordered}) AS ordered"


def limit_offset(dialect: str, *, limited: bool) -> str:
    """``:limit`` rows (every row unless ``limited``) after the first ``:offset``."""
    if limited:
        return "LIMIT :limit OFFSET :offset"
    return "LIMIT -1 OFFSET :offset" if dialect == SQLITE else "OFFSET :offset"
