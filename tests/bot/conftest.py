"""Fixtures for the bot's edge: a live Webex emulator on a free port."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from bot.inbox.store import Inbox
from emulator.server import EmulatorConfig, ServerHandle, run_in_thread
from tests.bot.inbox.support import Clock


@pytest.fixture
def emulator() -> Iterator[ServerHandle]:
    """A fresh emulator: the bot (token in ``.context.config.bot_token``), alice and bob
    (``ALICE_TOKEN``, ``BOB_TOKEN``); a webhook goes inactive after 3 failed deliveries."""
    config = EmulatorConfig(
        bot_token="statusbot-test-token-7f3a9c1e5b",
        bot_email="statusbot@webex.bot",
        bot_name="Statusbot",
        users=(("alice@example.com", "ALICE_TOKEN"), ("bob@example.com", "BOB_TOKEN")),
        failure_threshold=3,
        delivery_timeout_seconds=1.0,
        random_seed=7,
    )
    handle = run_in_thread(config, "127.0.0.1", 0)
    try:
        yield handle
    finally:
        handle.stop()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def inbox(database_url: str, clock: Clock) -> Iterator[Inbox]:
    box = Inbox.open(database_url, clock=clock, lease=60)
    yield box
    box.close()
