"""``/readyz``'s checks in one process, with an injected clock (issue 11 item 2,
issue 10 item 5): Webex through the emulator with its fault injection, the store
on real files and a real PostgreSQL. The same endpoint in ``statusbot run`` is
driven in test_readyz_run.
"""

from __future__ import annotations

import os
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy import create_engine, text

from bot.inbox.store import Inbox
from bot.web.readiness import MAX_HOLD_SECONDS, WEBEX_PERIOD_SECONDS, Readiness
from core.store import Store
from emulator.server import ServerHandle
from tests.operations.process import BOT_TOKEN

NOT_READY = {"ready": False, "store": "ok", "webex": "unreachable"}


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def fault(emulator: ServerHandle, **rule: Any) -> str:
    spec = {"path": "/v1/people/me", "token": BOT_TOKEN, **rule}
    response = requests.post(emulator.url + "/_emulator/faults", json=spec, timeout=10)
    response.raise_for_status()
    return str(response.json()["id"])


def hits(emulator: ServerHandle, fault_id: str) -> int:
    rules = requests.get(emulator.url + "/_emulator/faults", timeout=10).json()["api"]
    return int(next(rule["hits"] for rule in rules if rule["id"] == fault_id))


@contextmanager
def readiness(url: str, emulator: ServerHandle, clock: Clock) -> Iterator[Readiness]:
    store, inbox = Store.open(url), Inbox.open(url)
    try:
        yield Readiness.for_bot(
            database_url=url,
            token=BOT_TOKEN,
            api_url=emulator.api_url,
            fallback_engine=store.engine,
            clock=clock,
        )
    finally:
        inbox.close()
        store.close()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def ready(sqlite_url: str, emulator: ServerHandle, clock: Clock) -> Iterator[Readiness]:
    with readiness(sqlite_url, emulator, clock) as checks:
        yield checks


def test_a_failed_webex_check_is_kept_for_the_period(
    ready: Readiness, emulator: ServerHandle, clock: Clock
) -> None:
    assert ready.answer() == ({"ready": True, "store": "ok", "webex": "ok"}, 200)
    clock.now += WEBEX_PERIOD_SECONDS  # the success was kept until now
    outage = fault(emulator, status=503, message="Service Unavailable: internal detail")
    for _ in range(10):
        assert ready.answer() == (NOT_READY, 503)
    assert hits(emulator, outage) == 1, "one call, no retries, and the failure is kept"
    clock.now += WEBEX_PERIOD_SECONDS - 1
    assert ready.answer() == (NOT_READY, 503) and hits(emulator, outage) == 1
    clock.now += 1
    assert ready.answer() == (NOT_READY, 503) and hits(emulator, outage) == 2
    requests.delete(emulator.url + "/_emulator/faults", timeout=10)
    assert ready.answer()[1] == 503, "still the kept failure"
    clock.now += WEBEX_PERIOD_SECONDS
    assert ready.answer()[1] == 200


def test_a_429_keeps_the_failure_as_long_as_webex_asked(
    ready: Readiness, emulator: ServerHandle, clock: Clock
) -> None:
    limited = fault(emulator, status=429, retry_after=120)
    assert ready.answer() == (NOT_READY, 503)
    clock.now += WEBEX_PERIOD_SECONDS * 3
    assert ready.answer() == (NOT_READY, 503) and hits(emulator, limited) == 1
    clock.now += 120 - WEBEX_PERIOD_SECONDS * 3
    ready.answer()
    assert hits(emulator, limited) == 2
    requests.delete(emulator.url + "/_emulator/faults", timeout=10)
    fault(emulator, status=429, retry_after=86400)
    clock.now += 120
    ready.answer()
    clock.now += MAX_HOLD_SECONDS
    assert ready.answer()[1] == 503  # asked again after the bound, not after a day


def test_one_check_at_a_time_and_nobody_waits_on_it(
    ready: Readiness, emulator: ServerHandle
) -> None:
    stall = fault(emulator, stall_seconds=60)  # a Webex that does not answer at all
    answers: list[tuple[dict[str, object], int]] = []
    first = threading.Thread(target=lambda: answers.append(ready.answer()))
    first.start()
    while hits(emulator, stall) == 0:
        first.join(0.01)  # until the first check is waiting on Webex
    others = [threading.Thread(target=lambda: answers.append(ready.answer())) for _ in range(20)]
    for thread in others:
        thread.start()
    for thread in others:
        thread.join(timeout=10)
    assert len(answers) >= 20, "the others answered without waiting for the stalled check"
    first.join(timeout=10)
    assert not first.is_alive(), "the check gave up quickly (no retries, short timeout)"
    assert hits(emulator, stall) == 1
    assert all(answer == (NOT_READY, 503) for answer in answers)


@contextmanager
def read_only(path: Path) -> Iterator[None]:
    """Made read-only for this process, root included (root ignores the mode bits)."""
    if os.geteuid() == 0:
        subprocess.run(["chattr", "+i", str(path)], check=True)
    else:
        path.chmod(0o444)
    try:
        yield
    finally:
        if os.geteuid() == 0:
            subprocess.run(["chattr", "-i", str(path)], check=True)
        else:
            path.chmod(0o644)


def test_a_read_only_or_moved_sqlite_file_is_not_ready(
    ready: Readiness, sqlite_url: str, clock: Clock
) -> None:
    path = Path(sqlite_url.removeprefix("sqlite:///"))
    assert ready.answer()[1] == 200
    with read_only(path):
        clock.now += WEBEX_PERIOD_SECONDS
        assert ready.answer() == ({"ready": False, "store": "unreachable", "webex": "ok"}, 503)
    clock.now += WEBEX_PERIOD_SECONDS
    assert ready.answer()[1] == 200
    path.rename(path.with_name("moved-away.sqlite3"))
    clock.now += WEBEX_PERIOD_SECONDS
    assert ready.answer()[0]["store"] == "unreachable"
    assert not path.exists(), "the probe must not create an empty database in its place"
    Inbox.open(sqlite_url).close()  # what a new connection of the bot would find: no tables
    path.unlink()
    path.touch()
    clock.now += WEBEX_PERIOD_SECONDS
    assert ready.answer()[0]["store"] == "unreachable"


@pytest.mark.postgres
def test_postgresql_read_only_or_without_tables_is_not_ready(
    postgres_url: str, emulator: ServerHandle, clock: Clock
) -> None:
    with readiness(postgres_url, emulator, clock) as ready:
        assert ready.answer()[1] == 200
        # a server in read-only mode (a standby, or a full disk's emergency setting)
        read_only_url = postgres_url.replace(
            "options=", "options=-cdefault_transaction_read_only%3Don%20"
        )
        with readiness(read_only_url, emulator, clock) as read_only_ready:
            assert read_only_ready.answer()[0]["store"] == "unreachable"
        engine = create_engine(postgres_url)
        with engine.begin() as connection:
            connection.execute(text("DROP TABLE inbox_events"))
        engine.dispose()
        clock.now += WEBEX_PERIOD_SECONDS
        assert ready.answer()[0]["store"] == "unreachable"
