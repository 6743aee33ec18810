"""The store: customers in SQL, imported as whole snapshots, queried in SQL.

SQLite (a file, the default) on one machine, PostgreSQL with the same code when
the bot grows past one. Lists, counts and summaries are computed by the
database with indexes; Python only ever sees what it shows. The pieces:
``schema`` (tables), ``sql`` and ``listing`` (the rules and a list as SQL
text), ``classification`` (statuses of the day), ``importing`` (snapshots),
``loading`` (whole customers); ``reader`` answers from a SQLite file without
SQLAlchemy, and hands over to this store whenever something must be written.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Engine, select

from core.clock import aware
from core.dialect.engines import open_engine
from core.dialect.schema import ensure_schema
from core.dialect.statements import analyze, attached, execute_text, runner
from core.dialect.text import like
from core.ingest.staging import Snapshot
from core.models import Customer
from core.names import closest, probes
from core.query import Query
from core.results import CustomerPage, ImportResult, Summary, Transition
from core.store import listing, sql
from core.store.classification import classify, is_classified, read_summary
from core.store.importing import STAGED, replace_snapshot
from core.store.loading import load_customers, stream_customers
from core.store.refold import refold_names
from core.store.schema import (
    customers,
    imports,
    metadata,
    store_state,
    subscriptions,
    transitions,
)

#: Names a "did you mean" compares at most (the likeliest, by pieces shared).
CLOSEST_CANDIDATES = 200


class Store:
    """Customer snapshots and the questions asked of them."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self._classify_lock = threading.Lock()

    @classmethod
    def open(cls, url: str) -> Store:
        store = cls(open_engine(url))
        store.create_schema()
        return store

    def create_schema(self) -> None:
        ensure_schema(self.engine, metadata, fingerprint_in=store_state.c.schema_fingerprint)
        refold_names(self.engine)

    def close(self) -> None:
        self.engine.dispose()

    # -- questions -------------------------------------------------------------

    def query(
        self, query: Query, today: date, *, offset: int = 0, limit: int | None = None
    ) -> CustomerPage:
        """The customers matching ``query``, in list order: most important first,
        then soonest end date, then name."""
        self.classify(today)
        with self.engine.connect() as connection:
            run = runner(connection)
            return listing.page(run, self.dialect, query, today, offset=offset, limit=limit)

    def query_json(self, query: Query, today: date) -> tuple[int, str]:
        """Every match as a JSON array text, built by the database, in list order
        (``listing.list_json`` says what each object holds).

        The machine-readable answer (``statusbot ask --json``) lists every
        match; at tens of thousands of customers, building that text row by
        row in Python costs more than finding them.
        """
        self.classify(today)
        with self.engine.connect() as connection:
            return listing.as_json(runner(connection), self.dialect, query, today)

    def count(self, query: Query, today: date) -> int:
        self.classify(today)
        with self.engine.connect() as connection:
            return listing.count(runner(connection), self.dialect, query, today)

    def closest_names(self, name: str, limit: int = 3) -> list[str]:
        """Names most like ``name``, for a reply that found none holding it.

        The database picks the names sharing most pieces with it (its words, and
        their first three letters, for a typo later on: ``core.names.probes``),
        at most ``CLOSEST_CANDIDATES``; Python ranks those by likeness.
        """
        pieces = probes(name)
        if not pieces:
            return []
        shared = " + ".join(
            f"CASE WHEN {like(self.dialect, 'customers.name_folded', f'piece{index}')}"
            " THEN 1 ELSE 0 END"
            for index in range(len(pieces))
        )
        statement = (
            f"SELECT customers.name FROM customers WHERE {shared} > 0"
            f" ORDER BY {shared} DESC, customers.name_folded LIMIT {CLOSEST_CANDIDATES}"
        )
        values = {f"piece{index}": sql.like_pattern(piece) for index, piece in enumerate(pieces)}
        with self.engine.connect() as connection:
            candidates = list(execute_text(connection, statement, values).scalars())
        return closest(name, candidates, limit)

    def customer(self, customer_id: str) -> Customer | None:
        found = self.customers_by_id([customer_id])
        return found[0] if found else None

    def customers_by_id(self, ids: Sequence[str]) -> list[Customer]:
        """Whole customers (every subscription and service), in the order asked."""
        with self.engine.connect() as connection:
            return load_customers(connection, ids)

    def iter_customers(self, query: Query, today: date) -> Iterator[Customer]:
        """Every matching customer, whole, in list order, a batch at a time."""
        ids = [row.id for row in self.query(query, today).rows]
        for start in range(0, len(ids), sql.BATCH):
            yield from self.customers_by_id(ids[start : start + sql.BATCH])

    def all_customers(self) -> Iterator[Customer]:
        """Every stored customer, whole, in one streaming pass (sources; the
        benchmark's naive baseline). Questions are answered with ``query``."""
        with self.engine.connect() as connection:
            yield from stream_customers(connection)

    def summary(self, today: date) -> Summary:
        """Customers per status, with the same meaning as a filter on that status."""
        self.classify(today)
        with self.engine.connect() as connection:
            return read_summary(connection)

    def classify(self, today: date) -> None:
        """Make sure the classified columns hold ``today``'s statuses.

        Cheap when they already do (one small SELECT); otherwise done once, by
        one thread of this process, in one transaction.
        """
        if self._is_classified(today):
            return
        with self._classify_lock:
            if self._is_classified(today):
                return
            with self.engine.begin() as connection:
                classify(connection, today)

    def _is_classified(self, today: date) -> bool:
        with self.engine.connect() as connection:
            return is_classified(connection, today)

    def transitions(self, *, after_id: int = 0, limit: int = 1000) -> list[tuple[int, Transition]]:
        """Recorded status changes with their ids, oldest first."""
        t = transitions.c
        statement = select(transitions).where(t.id > after_id).order_by(t.id).limit(limit)
        with self.engine.connect() as connection:
            return [
                (
                    row.id,
                    Transition(
                        customer_id=row.customer_id,
                        customer_name=row.customer_name,
                        dimension=row.dimension,
                        old=row.old,
                        new=row.new,
                        recorded_at=aware(row.recorded_at),
                    ),
                )
                for row in connection.execute(statement)
            ]

    def last_import(self) -> dict[str, Any] | None:
        with self.engine.connect() as connection:
            row = (
                connection.execute(select(imports).order_by(imports.c.id.desc()).limit(1))
                .mappings()
                .first()
            )
        return dict(row) if row else None

    def import_snapshot(
        self,
        snapshot: Snapshot,
        *,
        today: date,
        source: str,
        now: datetime | None = None,
    ) -> ImportResult:
        """Replace the stored customers with ``snapshot``, in one transaction.

        Transitions compare each customer's list statuses under the old and
        the new snapshot on the same ``today``, so only changes of the data
        count (not the passing of time). The first import is the baseline and
        records none. A snapshot identical to the last one writes nothing.
        """
        with (
            self.engine.connect() as connection,
            attached(connection, snapshot.path, STAGED) as in_sqlite,
            connection.begin(),
        ):
            result = replace_snapshot(
                connection,
                snapshot,
                today=today,
                source=source,
                recorded_at=now or datetime.now(UTC),
                staged=in_sqlite,
            )
        if not result.unchanged:
            self._analyze()
        return result

    def _analyze(self) -> None:
        """Fresh planner statistics: a snapshot can change the data wholesale."""
        with self.engine.connect() as connection:
            analyze(connection, [customers, subscriptions])
            connection.commit()
