"""Fixtures for the operator's tests: an emulator on a free port, a SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from emulator.server import EmulatorConfig, ServerHandle, run_in_thread
from tests.e2e.conftest import BOT_EMAIL, BOT_TOKEN, USERS
from tests.operations.process import StatusbotRun


@pytest.fixture
def emulator() -> Iterator[ServerHandle]:
    handle = run_in_thread(
        EmulatorConfig(
            bot_token=BOT_TOKEN, bot_email=BOT_EMAIL, users=USERS, failure_threshold=10_000
        )
    )
    try:
        yield handle
    finally:
        handle.stop()


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'statusbot.sqlite3'}"


@pytest.fixture
def bot(emulator: ServerHandle, sqlite_url: str, tmp_path: Path) -> Iterator[StatusbotRun]:
    """``statusbot run`` (one worker) against the emulator, on SQLite."""
    instance = StatusbotRun.in_folder(emulator.api_url, sqlite_url, tmp_path)
    # ready once the scheduler that `run` starts beside the workers leads: it asks
    # Webex who the bot is when it starts, and tests that count Webex calls or inject
    # faults must not catch that call
    instance.start(ready=StatusbotRun.leading)
    try:
        yield instance
    finally:
        instance.ensure_stopped()
