"""Fixtures of the sources suite: real local HTTP servers and a store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.store import Store
from tests.sources.http_support import LocalServer, serve


@pytest.fixture
def server() -> Iterator[LocalServer]:
    yield from serve(LocalServer())


@pytest.fixture
def other_server() -> Iterator[LocalServer]:
    yield from serve(LocalServer())


@pytest.fixture
def store(database_url: str) -> Iterator[Store]:
    opened = Store.open(database_url)
    try:
        yield opened
    finally:
        opened.close()


@pytest.fixture
def sqlite_store(tmp_path: Path) -> Iterator[Store]:
    opened = Store.open(f"sqlite:///{tmp_path / 'store.sqlite3'}")
    try:
        yield opened
    finally:
        opened.close()
