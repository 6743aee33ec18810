"""Several staged snapshots joined into one, in their scratch databases.

Sources (``core.sources.combine``) each give a staged snapshot; applying them
together needs one. The rows are copied scratch to scratch inside SQLite
(ATTACH), so memory stays flat, and an id that comes from two parts is found
in SQL, with the parts' names, the way ``combine`` reports it.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.ingest.staging import Snapshot

_TABLES = """
CREATE TABLE customers (pk INTEGER PRIMARY KEY, id TEXT, name TEXT, line INT,
    subscription_count INT NOT NULL DEFAULT 0, part INT);
CREATE TABLE subscriptions (n INTEGER PRIMARY KEY, id TEXT, customer_id TEXT, kind TEXT,
    state TEXT, start_date TEXT, end_date TEXT, line INT, rank INT, part INT);
"""
_COPY = """
INSERT INTO customers (id, name, line, subscription_count, part)
    SELECT id, name, line, subscription_count, {part} FROM part.customers ORDER BY pk;
INSERT INTO subscriptions (id, customer_id, kind, state, start_date, end_date, line, rank, part)
    SELECT id, customer_id, kind, state, start_date, end_date, line, rank, {part}
    FROM part.subscriptions ORDER BY n;
INSERT INTO services (subscription_id, name, status)
    SELECT subscription_id, name, status FROM part.services ORDER BY seq;
"""
_INDEXES = """
CREATE INDEX ix_customers_id ON customers (id);
CREATE INDEX ix_subscriptions_id ON subscriptions (id);
"""
#: Rows whose id an earlier part already gave: (id, the first part, this part).
_CUSTOMER_CLASHES = """
SELECT c.id, first.part, c.part FROM customers c
JOIN customers first ON first.id = c.id AND first.pk < c.pk
WHERE first.pk = (SELECT min(pk) FROM customers WHERE id = c.id) ORDER BY c.pk LIMIT ?
"""
#: The same for subscriptions, when the subscription's customer belongs to this
#: part (otherwise the customer's clash has said it already).
_SUBSCRIPTION_CLASHES = """
SELECT s.id, first.part, s.part FROM subscriptions s
JOIN subscriptions first ON first.id = s.id AND first.n < s.n
WHERE first.n = (SELECT min(n) FROM subscriptions WHERE id = s.id)
AND (SELECT part FROM customers WHERE id = s.customer_id ORDER BY pk LIMIT 1) = s.part
ORDER BY s.n LIMIT ?
"""


def merge(parts: Sequence[tuple[str, Snapshot]], *, limit: int) -> tuple[Snapshot, list[str]]:
    """One snapshot with every part's rows, and up to ``limit`` clashes: ids that
    come from two parts (the caller refuses the whole when there is any)."""
    merged = Snapshot()
    merged.executescript(_TABLES)
    for number, (_name, part) in enumerate(parts):
        merged.execute("ATTACH DATABASE ? AS part", (str(part.path),))
        try:
            merged.executescript(f"BEGIN; {_COPY.format(part=number)} COMMIT;")
        finally:
            merged.execute("DETACH DATABASE part")
    merged.executescript(_INDEXES)
    names = [name for name, _ in parts]
    clashes = [
        f"customer id {id_!r} comes from {names[first]} and {names[this]}"
        for id_, first, this in merged.execute(_CUSTOMER_CLASHES, (limit,))
    ]
    clashes += [
        f"subscription id {id_!r} comes from {names[first]} and {names[this]}"
        for id_, first, this in merged.execute(_SUBSCRIPTION_CLASHES, (limit,))
    ]
    return merged, clashes[:limit]
