"""A proactive store (and the customer store beside it) on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest

from core.proactive.store import ProactiveStore
from core.store import Store


class FakeClock:
    """An injected clock: tests move time, nothing sleeps."""

    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock(datetime(2026, 11, 27, 9, 0, tzinfo=UTC))


@pytest.fixture
def customers(database_url: str) -> Iterator[Store]:
    store = Store.open(database_url)
    yield store
    store.close()


@pytest.fixture
def proactive(customers: Store, clock: FakeClock) -> ProactiveStore:
    store = ProactiveStore(customers.engine, default_zone="Europe/Stockholm", clock=clock)
    store.create_schema()
    return store
