"""Fixtures of the sources suite: real local HTTP servers and a store."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from core.store import Store
from emulator.server import EmulatorConfig, ServerHandle, run_in_thread
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


@pytest.fixture
def emulator() -> Iterator[ServerHandle]:
    handle = run_in_thread(
        EmulatorConfig(users=(("alice@example.com", "ALICE_TOKEN"),), random_seed=7),
        "127.0.0.1",
        0,
    )
    try:
        yield handle
    finally:
        handle.stop()
