"""Read-only views of a staged snapshot that behave like the dicts and list
they replace, reading the scratch database on demand (memory stays flat)."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import Any, overload

from core.statuses import ProvisioningStatus, SubscriptionKind, SubscriptionState

SubscriptionValues = tuple[str, SubscriptionKind, SubscriptionState, date | None, date | None]


def as_date(value: str | None) -> date | None:
    return None if value is None else date.fromisoformat(value)


class Customers(Mapping[str, str]):
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __getitem__(self, key: str) -> str:
        row = self._db.execute("SELECT name FROM customers WHERE id = ?", (key,)).fetchone()
        if row is None:
            raise KeyError(key)
        return str(row[0])

    def __iter__(self) -> Iterator[str]:
        return (id_ for (id_,) in self._db.execute("SELECT id FROM customers ORDER BY pk"))

    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM customers").fetchone()[0])


class Subscriptions(Mapping[str, SubscriptionValues]):
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    def __getitem__(self, key: str) -> SubscriptionValues:
        row = self._db.execute(
            "SELECT customer_id, kind, state, start_date, end_date FROM subscriptions WHERE id = ?",
            (key,),
        ).fetchone()
        if row is None:
            raise KeyError(key)
        return _subscription_values(row)

    def __iter__(self) -> Iterator[str]:
        return (id_ for (id_,) in self._db.execute("SELECT id FROM subscriptions ORDER BY n"))

    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM subscriptions").fetchone()[0])


def _subscription_values(row: Sequence[Any]) -> SubscriptionValues:
    customer_id, kind, state, start, end = row
    return (
        customer_id,
        SubscriptionKind(kind),
        SubscriptionState(state),
        as_date(start),
        as_date(end),
    )


class Services(Sequence[tuple[str, str, ProvisioningStatus]]):
    def __init__(self, db: sqlite3.Connection) -> None:
        self._db = db

    @overload
    def __getitem__(self, index: int) -> tuple[str, str, ProvisioningStatus]: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[tuple[str, str, ProvisioningStatus]]: ...
    def __getitem__(
        self, index: int | slice
    ) -> tuple[str, str, ProvisioningStatus] | Sequence[tuple[str, str, ProvisioningStatus]]:
        if isinstance(index, slice):
            return list(self)[index]
        position = index + len(self) if index < 0 else index
        row = self._db.execute(
            "SELECT subscription_id, name, status FROM services ORDER BY seq LIMIT 1 OFFSET ?",
            (position,),
        ).fetchone()
        if row is None or position < 0:
            raise IndexError(index)
        return row[0], row[1], ProvisioningStatus(row[2])

    def __iter__(self) -> Iterator[tuple[str, str, ProvisioningStatus]]:
        rows = self._db.execute("SELECT subscription_id, name, status FROM services ORDER BY seq")
        return ((sub, name, ProvisioningStatus(status)) for sub, name, status in rows)

    def __len__(self) -> int:
        return int(self._db.execute("SELECT count(*) FROM services").fetchone()[0])

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return list(self) == list(other)

    __hash__ = None  # type: ignore[assignment]
