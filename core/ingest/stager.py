"""Staging validated rows into a Snapshot, and the checks that span rows.

Readers hand over each valid row as it is read; consecutive rows of one
customer or subscription (how every export is laid out) are staged once, with
their lines kept, so the scratch holds about one row per service and a
disagreement can still name every bad row. ``finish`` builds the snapshot's
tables and finds the rows that disagree with an earlier one, in SQL.
"""

from __future__ import annotations

from typing import Any

from core.ingest.staging import Snapshot
from core.ingest.staging_views import SubscriptionValues
from core.statuses import ProvisioningStatus

_BATCH = 5000
_SUBSCRIPTION_FIELDS = (
    "customer_id",
    "subscription_kind",
    "subscription_state",
    "start_date",
    "end_date",
)
_FINISH = """
CREATE TABLE customers (pk INTEGER PRIMARY KEY, id TEXT UNIQUE, name TEXT, line INT,
    subscription_count INT NOT NULL DEFAULT 0);
INSERT INTO customers (id, name, line)
    SELECT id, name, line FROM (SELECT id, name, line, min(seq) AS first
    FROM customer_rows GROUP BY id) ORDER BY first;
CREATE TABLE subscriptions (n INTEGER PRIMARY KEY, id TEXT UNIQUE, customer_id TEXT, kind TEXT,
    state TEXT, start_date TEXT, end_date TEXT, line INT, rank INT);
INSERT INTO subscriptions (id, customer_id, kind, state, start_date, end_date, line)
    SELECT id, customer_id, kind, state, start_date, end_date, line FROM (
    SELECT *, min(seq) AS first FROM subscription_rows GROUP BY id) ORDER BY first;
CREATE TABLE best_provisioning (subscription_id TEXT PRIMARY KEY, rank INT) WITHOUT ROWID;
INSERT INTO best_provisioning
    SELECT subscription_id, min(rank) FROM provisioning_rows GROUP BY subscription_id;
UPDATE subscriptions SET rank = (SELECT rank FROM best_provisioning b WHERE b.subscription_id = id);
UPDATE customers SET subscription_count = n.count FROM (SELECT customer_id, count(*) AS count
    FROM subscriptions GROUP BY customer_id) AS n WHERE n.customer_id = customers.id;
"""

#: A service listed twice for one subscription (a row pasted twice): counting it
#: twice would report more services than there are, so the later row is refused.
#: Found by grouping first (cheap: a tenth of a second per 250,000 rows), and only
#: when some pair repeats, their lines by a window over those pairs alone.
_REPEATED_PAIRS = """
CREATE TEMP TABLE repeated AS SELECT subscription_id, name FROM services
    GROUP BY subscription_id, name HAVING count(*) > 1 LIMIT ?
"""
_REPEATED_SERVICES = """
SELECT seq, line, subscription_id, name, first FROM (
    SELECT seq, line, subscription_id, name, row_number() OVER same AS n,
        first_value(line) OVER same AS first
    FROM services JOIN repeated USING (subscription_id, name)
    WINDOW same AS (PARTITION BY subscription_id, name ORDER BY seq))
WHERE n > 1 ORDER BY seq LIMIT ?
"""


class Stager:
    """Appends validated rows to a Snapshot in batches; finds the disagreements.

    ``add_*`` take rows that passed validation; ``finish`` runs the checks that
    span rows and returns every disagreement as (line, column, value, reason).
    """

    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self._customers: list[tuple[Any, ...]] = []
        self._subscriptions: list[tuple[Any, ...]] = []
        self._provisioning: list[tuple[Any, ...]] = []
        self._services: list[tuple[Any, ...]] = []
        # The run of consecutive rows that say the same: (what they say, their lines).
        self._customer_run: tuple[tuple[Any, ...], list[int]] | None = None
        self._subscription_run: tuple[tuple[Any, ...], list[int]] | None = None
        self._run: list[Any] | None = None  # [subscription id, best rank] of this run of rows

    def add_customer(self, line: int, customer_id: str, name: str, *, column: str) -> None:
        said = (column, customer_id, name)
        run = self._customer_run
        if run is not None and run[0] == said:
            run[1].append(line)
            return
        if run is not None:
            self._customers.append((*_lines(run[1]), *run[0]))
        self._customer_run = (said, [line])

    def add_subscription(self, line: int, subscription_id: str, values: SubscriptionValues) -> None:
        said = (subscription_id, *values)
        run = self._subscription_run
        if run is not None and run[0] == said:
            run[1].append(line)
            return
        if run is not None:
            self._subscriptions.append(_subscription_row(*run))
        self._subscription_run = (said, [line])

    def add_service(
        self, line: int, subscription_id: str, name: str, status: ProvisioningStatus
    ) -> None:
        self._services.append((subscription_id, name, status.value, line))
        run = self._run
        if run is not None and run[0] == subscription_id:
            run[1] = min(run[1], status.rank)
        else:
            if run is not None:
                self._provisioning.append((run[0], run[1]))
            self._run = [subscription_id, status.rank]
        if len(self._services) >= _BATCH:
            self._flush()

    def _flush(self) -> None:
        db = self.snapshot
        db.executemany(
            "INSERT INTO customer_rows (line, more, col, id, name) VALUES (?, ?, ?, ?, ?)",
            self._customers,
        )
        db.executemany(
            "INSERT INTO subscription_rows (line, more, id, customer_id, kind, state,"
            " start_date, end_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            self._subscriptions,
        )
        db.executemany("INSERT INTO provisioning_rows VALUES (?, ?)", self._provisioning)
        db.executemany(
            "INSERT INTO services (subscription_id, name, status, line) VALUES (?, ?, ?, ?)",
            self._services,
        )
        for rows in (self._customers, self._subscriptions, self._provisioning, self._services):
            rows.clear()

    def finish(self, limit: int) -> list[tuple[int, str, str, str]]:
        """Stage what is left, build the snapshot's tables and return up to
        ``limit`` disagreements between rows, in file order."""
        if self._run is not None:
            self._provisioning.append((self._run[0], self._run[1]))
            self._run = None
        if self._customer_run is not None:
            self._customers.append((*_lines(self._customer_run[1]), *self._customer_run[0]))
            self._customer_run = None
        if self._subscription_run is not None:
            self._subscriptions.append(_subscription_row(*self._subscription_run))
            self._subscription_run = None
        self._flush()
        db = self.snapshot
        db.executescript(_FINISH)
        problems: list[tuple[int, int, str, str, str]] = []
        for seq, line, more, column, name, id_, known, first in db.execute(
            "SELECT r.seq, r.line, r.more, r.col, r.name, r.id, c.name, c.line "
            "FROM customer_rows r JOIN customers c ON c.id = r.id "
            "WHERE r.name <> c.name ORDER BY r.seq LIMIT ?",
            (limit,),
        ):
            reason = f"customer {id_!r} is named {known!r} on line {first}"
            for each in _expand(line, more):
                problems.append((each, seq, column, name, reason))
        for row in db.execute(
            "SELECT r.line, r.more, r.seq, r.id, r.customer_id, r.kind, r.state, r.start_date,"
            " r.end_date, s.customer_id, s.kind, s.state, s.start_date, s.end_date "
            "FROM subscription_rows r JOIN subscriptions s ON s.id = r.id "
            "WHERE r.customer_id <> s.customer_id OR r.kind <> s.kind OR r.state <> s.state"
            " OR r.start_date IS NOT s.start_date OR r.end_date IS NOT s.end_date "
            "ORDER BY r.seq LIMIT ?",
            (limit,),
        ):
            line, more, seq, id_, new, old = row[0], row[1], row[2], row[3], row[4:9], row[9:14]
            for field, before, after in zip(_SUBSCRIPTION_FIELDS, old, new, strict=True):
                if before != after:
                    reason = f"subscription {id_!r} has {field} {before or ''!r} on an earlier row"
                    for each in _expand(line, more):
                        problems.append((each, seq, field, after or "", reason))
                    break
        # a row whose subscription already disagrees is named once, for that
        flagged = {problem[0] for problem in problems}
        db.execute(_REPEATED_PAIRS, (limit,))
        repeats = db.execute(_REPEATED_SERVICES, (limit,)).fetchall()
        db.execute("DROP TABLE temp.repeated")
        for seq, line, subscription_id, name, first in repeats:
            if line in flagged:
                continue
            reason = (
                f"already on line {first} for subscription {subscription_id!r} (a repeated row)"
            )
            problems.append((line, seq, "service", name, reason))
        problems.sort(key=lambda problem: (problem[0], problem[1]))
        return [(line, column, value, reason) for line, _, column, value, reason in problems][
            :limit
        ]


def _subscription_row(said: tuple[Any, ...], lines: list[int]) -> tuple[Any, ...]:
    subscription_id, customer_id, kind, state, start, end = said
    return (
        *_lines(lines),
        subscription_id,
        customer_id,
        kind.value,
        state.value,
        None if start is None else start.isoformat(),
        None if end is None else end.isoformat(),
    )


def _lines(lines: list[int]) -> tuple[int, str | None]:
    """The first line of a run, and the others (kept to name every bad row)."""
    return lines[0], " ".join(map(str, lines[1:])) or None


def _expand(line: int, more: str | None) -> list[int]:
    return [line, *(int(each) for each in more.split())] if more else [line]
