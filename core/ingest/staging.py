"""A validated snapshot, staged on disk: flat memory whatever the file's size.

data-contract.md: large files stream, and a file is imported all or nothing
with every bad row named. Rows that must agree (one customer's name, one
subscription's kind, state and dates) can be far apart in a file, so checking
them needs every id seen so far: a million customers would need a few hundred
megabytes of Python dicts. Instead each valid row is appended to a private
scratch SQLite database (a temporary file, removed when the snapshot is closed
or collected; only its page cache is in memory), and the checks
that span rows run there in SQL once the file is read. The import then streams
the staged rows into the store.

Consecutive rows of one customer or subscription (how every export is laid
out) are staged once, so the scratch holds about one row per service.
"""

from __future__ import annotations

import os
import sqlite3
import tempfile
import weakref
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from itertools import islice
from pathlib import Path
from typing import Any, NamedTuple

from core.classify import subscription_status
from core.ingest.assemble import customers_from_rows
from core.ingest.staging_views import Customers, Services, Subscriptions, as_date
from core.models import Customer
from core.statuses import ProvisioningStatus, SubscriptionKind, SubscriptionState

#: Scratch page cache: the only memory that grows with the file, and it stops here.
_CACHE_KIB = 32 * 1024
_BATCH = 5000
_SCHEMA = """
CREATE TABLE customer_rows (seq INTEGER PRIMARY KEY, line INT, more TEXT, col TEXT, id TEXT,
    name TEXT);
CREATE TABLE subscription_rows (seq INTEGER PRIMARY KEY, line INT, more TEXT, id TEXT,
    customer_id TEXT,
    kind TEXT, state TEXT, start_date TEXT, end_date TEXT);
CREATE TABLE provisioning_rows (subscription_id TEXT, rank INT);
CREATE TABLE services (seq INTEGER PRIMARY KEY, subscription_id TEXT, name TEXT, status TEXT,
    line INT);
"""
_PROVISIONING_BY_RANK = {status.rank: status for status in ProvisioningStatus}


class Change(NamedTuple):
    """A customer whose (provisioning rank, subscription rank) differ between
    the stored snapshot (``old``; None when new) and this one (``new``; None when gone)."""

    id: str
    name: str
    old: tuple[int, int] | None
    new: tuple[int, int] | None


class Snapshot:
    """A validated snapshot in a scratch database; the views read it back lazily.

    ``customers``: id -> name. ``subscriptions``: id -> (customer id, kind,
    state, start date, end date). ``services``: (subscription id, name,
    provisioning status) in file order. ``digest`` identifies the file's bytes.
    """

    def __init__(self) -> None:
        # A file of its own (not SQLite's nameless temporary database), so that a
        # SQLite store can ATTACH it and copy it over without Python in between.
        handle, name = tempfile.mkstemp(prefix="statusbot-snapshot-", suffix=".sqlite3")
        os.close(handle)
        self.path = Path(name)
        self._db = sqlite3.connect(name, check_same_thread=False, isolation_level=None)
        self._drop = weakref.finalize(self, _drop, self._db, self.path)
        self._db.executescript(
            f"PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA temp_store=FILE;"
            f"PRAGMA cache_size=-{_CACHE_KIB}; BEGIN; {_SCHEMA}"
        )
        self.digest = ""
        self.customers = Customers(self._db)
        self.subscriptions = Subscriptions(self._db)
        self.services = Services(self._db)

    def execute(self, statement: str, parameters: Sequence[Any] = ()) -> sqlite3.Cursor:
        """Read the scratch database (the store's import and the checks use it)."""
        return self._db.execute(statement, parameters)

    def executemany(self, statement: str, rows: list[tuple[Any, ...]]) -> None:
        self._db.executemany(statement, rows)

    def executescript(self, script: str) -> None:
        """Run statements (an open transaction is committed first, as sqlite3 does)."""
        self._db.executescript(script)

    def subscription_provisioning(self) -> dict[str, ProvisioningStatus]:
        """Each subscription's most important service status (small snapshots, tests)."""
        rows = self._db.execute("SELECT id, rank FROM subscriptions")
        return {id_: _PROVISIONING_BY_RANK[rank] for id_, rank in rows}

    def customer_rows(self) -> Iterator[tuple[int, str, str, int]]:
        """(pk, id, name, subscription count) in the order the file first names them."""
        yield from self._db.execute(
            "SELECT pk, id, name, subscription_count FROM customers ORDER BY pk"
        )

    def subscription_rows(
        self,
    ) -> Iterator[tuple[str, int, str, str, date | None, date | None, ProvisioningStatus]]:
        """(id, customer pk, kind, state, start, end, best provisioning) in file order."""
        rows = self._db.execute(
            "SELECT s.id, c.pk, s.kind, s.state, s.start_date, s.end_date, s.rank "
            "FROM subscriptions s JOIN customers c ON c.id = s.customer_id ORDER BY s.n"
        )
        for id_, pk, kind, state, start, end, rank in rows:
            yield id_, pk, kind, state, as_date(start), as_date(end), _PROVISIONING_BY_RANK[rank]

    def customer_statuses(self, today: date) -> Iterator[tuple[str, str, int, int]]:
        """(id, name, provisioning rank, subscription rank): each customer's most
        important statuses on ``today``, by the same rules as the store's SQL."""
        rows = self._db.execute(
            "SELECT c.id, c.name, s.rank, s.kind, s.state, s.end_date "
            "FROM subscriptions s JOIN customers c ON c.id = s.customer_id ORDER BY c.pk"
        )
        current: list[Any] | None = None
        for id_, name, rank, kind, state, end in rows:
            status = subscription_status(
                SubscriptionKind(kind), SubscriptionState(state), as_date(end), today
            ).rank
            if current is not None and current[0] == id_:
                current[2], current[3] = min(current[2], rank), min(current[3], status)
                continue
            if current is not None:
                yield current[0], current[1], current[2], current[3]
            current = [id_, name, rank, status]
        if current is not None:
            yield current[0], current[1], current[2], current[3]

    def compare(
        self, previous: Iterable[tuple[str, str, int, int]], today: date
    ) -> tuple[int, int, Iterator[Change]]:
        """Customers added and removed since ``previous`` (each stored customer's id,
        name, provisioning rank and subscription rank on ``today``), and each
        customer whose ranks differ, in id order; both sides are staged here, so
        memory stays flat."""
        db = self._db
        db.executescript(
            "DROP TABLE IF EXISTS previous; DROP TABLE IF EXISTS current;"
            "CREATE TABLE previous (id TEXT PRIMARY KEY, name TEXT, p INT, s INT) WITHOUT ROWID;"
            "CREATE TABLE current (id TEXT PRIMARY KEY, name TEXT, p INT, s INT) WITHOUT ROWID;"
            "BEGIN"
        )
        for table, rows in (
            ("previous", iter(previous)),
            ("current", self.customer_statuses(today)),
        ):
            while batch := list(islice(rows, _BATCH)):
                db.executemany(f"INSERT INTO {table} VALUES (?, ?, ?, ?)", batch)
        db.execute("COMMIT")
        added = db.execute(
            "SELECT count(*) FROM current WHERE id NOT IN (SELECT id FROM previous)"
        ).fetchone()[0]
        removed = db.execute(
            "SELECT count(*) FROM previous WHERE id NOT IN (SELECT id FROM current)"
        ).fetchone()[0]
        changed = db.execute(
            "SELECT n.id, n.name, o.p, o.s, n.p, n.s FROM current n LEFT JOIN previous o"
            " ON o.id = n.id WHERE o.id IS NULL OR o.p <> n.p OR o.s <> n.s"
            " UNION ALL SELECT o.id, o.name, o.p, o.s, NULL, NULL FROM previous o"
            " WHERE o.id NOT IN (SELECT id FROM current) ORDER BY 1"
        )
        changes = (
            Change(
                id_,
                name,
                None if old_p is None else (old_p, old_s),
                None if new_p is None else (new_p, new_s),
            )
            for id_, name, old_p, old_s, new_p, new_s in changed
        )
        return int(added), int(removed), changes

    def to_customers(self) -> Iterator[Customer]:
        """The snapshot as models, one customer at a time (sources, tests)."""
        return customers_from_rows(
            self._db.execute(
                "SELECT c.pk, c.id, c.name, s.id, s.kind, s.state, s.start_date, s.end_date,"
                " v.name, v.status FROM services v"
                " JOIN subscriptions s ON s.id = v.subscription_id"
                " JOIN customers c ON c.id = s.customer_id ORDER BY c.pk, s.n, v.seq"
            )
        )

    def close(self) -> None:
        """Drop the scratch database and its file (also done when garbage-collected)."""
        self._drop()

    def __enter__(self) -> Snapshot:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


def _drop(db: sqlite3.Connection, path: Path) -> None:
    db.close()
    path.unlink(missing_ok=True)
