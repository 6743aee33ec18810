"""Answering from a SQLite store with the ``sqlite3`` module alone.

``statusbot ask --json`` reads one answer and exits; ``import sqlalchemy``
alone costs it more than the answer (150-190 ms on a loaded 2-core machine,
against ~16 ms of work for "show failed provisioning" at 100,000 customers). So
``open_for_reading`` opens a SQLite file read-only with ``sqlite3`` and answers
``last_import``, ``query_json``, ``query`` (a list page) and ``summary`` with the
store's own SQL text and answers (``core.store.listing``, ``core.store.counts``,
``core.store.sql``), never importing SQLAlchemy.

Whenever something must be written first, it hands over to the full
``core.store.Store`` (SQLAlchemy), which writes and answers: tables made by
another release (``store_state.schema_fingerprint`` is not ``SCHEMA``), names
folded the old way, a store not classified for the day asked about, a file
that is not there yet, an in-memory database, PostgreSQL, any ``sqlite3``
error. The other ``CustomerStore`` methods (a customer, the closest names, an
export's customers) are the full store's.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from datetime import date, datetime
from typing import TYPE_CHECKING, Any, TypeVar

from core.dialect.sqlite_files import connect_for_reading, runner, sqlite_file
from core.dialect.text import SQLITE
from core.names import FOLD_VERSION
from core.query import Query
from core.results import CustomerPage, Summary
from core.store import counts, listing, sql
from core.store.sql import Run

if TYPE_CHECKING:
    from core.models import Customer
    from core.store.store import Store

#: ``core.dialect.schema.fingerprint`` of ``core.store.schema.metadata``: the
#: tables this reader's SQL reads (a test keeps the two equal).
SCHEMA = "4eb8cb5db40465cd"

T = TypeVar("T")

_STATE = "SELECT name_fold, schema_fingerprint FROM store_state WHERE id = 1"
_LAST_IMPORT = "SELECT * FROM imports ORDER BY id DESC LIMIT 1"


def open_for_reading(url: str) -> StoreReader:
    """The store at ``url`` (a ``STATUSBOT_DATABASE_URL``) for answering
    questions: read with ``sqlite3`` alone when it is a current SQLite file, by
    the full ``Store`` otherwise (see the module). ``close()`` it when done."""
    file = sqlite_file(url)
    if file is None or not file.is_file():
        return StoreReader(url, None)
    try:
        connection = connect_for_reading(file)
    except sqlite3.Error:
        return StoreReader(url, None)
    try:
        state = connection.execute(_STATE).fetchone()
    except sqlite3.Error:
        state = None
    if state != (FOLD_VERSION, SCHEMA):
        connection.close()
        return StoreReader(url, None)
    return StoreReader(url, connection)


class StoreReader:
    """A ``CustomerStore`` (``handlers.context``) with ``last_import`` and
    ``close``: ``last_import``, ``query_json``, ``query`` and ``summary`` read the
    SQLite file when they can (``light``), everything else is the full store's,
    opened when first needed (and then answers everything)."""

    def __init__(self, url: str, connection: sqlite3.Connection | None) -> None:
        self.url = url
        self._light = connection
        self._store: Store | None = None

    @property
    def light(self) -> bool:
        """Whether answers still come from ``sqlite3`` alone."""
        return self._light is not None

    def full(self) -> Store:
        """The full store (SQLAlchemy), opened once; the light connection closes."""
        if self._store is None:
            from core.store.store import Store

            self._close_light()
            self._store = Store.open(self.url)
        return self._store

    def close(self) -> None:
        self._close_light()
        if self._store is not None:
            self._store.close()

    def _close_light(self) -> None:
        if self._light is not None:
            self._light.close()
            self._light = None

    def last_import(self) -> dict[str, Any] | None:
        """The latest import, as ``Store.last_import`` gives it (None before any)."""
        if self._light is not None:
            try:
                cursor = self._light.execute(_LAST_IMPORT)
                row = cursor.fetchone()
            except sqlite3.Error:
                return self.full().last_import()
            if row is None:
                return None
            found = dict(zip([column[0] for column in cursor.description], row, strict=True))
            found["imported_at"] = datetime.fromisoformat(found["imported_at"])
            found["today"] = date.fromisoformat(found["today"])
            return found
        return self.full().last_import()

    def query_json(self, query: Query, today: date) -> tuple[int, str]:
        found = self._answer(today, lambda run: listing.as_json(run, SQLITE, query, today))
        return self.full().query_json(query, today) if found is None else found

    def query(
        self, query: Query, today: date, *, offset: int = 0, limit: int | None = None
    ) -> CustomerPage:
        found = self._answer(
            today, lambda run: listing.page(run, SQLITE, query, today, offset=offset, limit=limit)
        )
        if found is None:
            return self.full().query(query, today, offset=offset, limit=limit)
        return found

    def summary(self, today: date) -> Summary:
        found = self._answer(today, counts.summary)
        return self.full().summary(today) if found is None else found

    def _answer(self, today: date, answer: Callable[[Run], T]) -> T | None:
        """``answer`` read in one transaction that first sees the store classified
        for ``today``; None when it is not (the full store classifies) or on any
        ``sqlite3`` error (the full store says what is wrong)."""
        if self._light is None:
            return None
        run = runner(self._light)
        try:
            self._light.execute("BEGIN")
            try:
                return answer(run) if sql.classified(run, today) else None
            finally:
                self._light.execute("COMMIT")
        except sqlite3.Error:
            return None

    # -- the rest of CustomerStore: the full store's --------------------------------

    def customer(self, customer_id: str) -> Customer | None:
        return self.full().customer(customer_id)

    def closest_names(self, name: str, limit: int = 3) -> list[str]:
        return self.full().closest_names(name, limit)

    def iter_customers(self, query: Query, today: date) -> Iterator[Customer]:
        return self.full().iter_customers(query, today)
