"""The whole bot over real HTTP: the emulator, the bot's web app and workers,
the real webexpythonsdk on both sides, real signatures, a real store."""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests
from webexpythonsdk import WebexAPI

from bot.cli.local import BotServer, serve_in_thread
from bot.service import build_service
from bot.settings import Settings
from bot.webex.errors import RetryPolicy
from bot.webex.webhooks import reconcile_webhooks
from core.ingest.snapshot import read_snapshot
from core.sample import SAMPLE_TODAY
from core.store import Store
from emulator.server import EmulatorConfig, ServerHandle, run_in_thread
from tests.hostile_data import sample_with_hostile_names

BOT_TOKEN = "BOT_TOKEN_E2E"
BOT_EMAIL = "statusbot@webex.bot"
SECRET = "e2e-webhook-secret-0123456789"
USERS = (
    ("alice@example.com", "ALICE_TOKEN"),
    ("bob@example.com", "BOB_TOKEN"),
    ("eve@evil.com", "EVE_TOKEN"),
)


@dataclass
class Stack:
    emulator: ServerHandle
    bot: BotServer
    database_url: str

    def user(self, token: str) -> WebexAPI:
        return WebexAPI(
            access_token=token, base_url=self.emulator.api_url, wait_on_rate_limit=False
        )

    @property
    def alice(self) -> WebexAPI:
        return self.user("ALICE_TOKEN")

    @property
    def eve(self) -> WebexAPI:
        return self.user("EVE_TOKEN")

    def admin(self, method: str, path: str, **kwargs: Any) -> Any:
        response = requests.request(
            method, self.emulator.url + "/_emulator" + path, timeout=30, **kwargs
        )
        response.raise_for_status()
        return response.json() if response.content else None

    def settle(self) -> None:
        """Wait until every webhook went out and the bot has worked on every event."""
        for _ in range(3):
            self.admin("POST", "/flush", params={"timeout": 20})
            wait_until(lambda: self._idle(), timeout=60, what="the inbox to empty")

    def _idle(self) -> bool:
        counts = self.bot.service.inbox.counts()
        return not counts.get("pending") and not counts.get("working")

    def bot_messages(self, room_id: str) -> list[Any]:
        """The bot's messages in a room, oldest first (read as the emulator's admin)."""
        state = self.admin("GET", "/state")
        bot_id = self.bot.service.identity.id
        return [m for m in state["messages"] if m["roomId"] == room_id and m["personId"] == bot_id]


def wait_until(check: Callable[[], Any], *, timeout: float = 30, what: str = "it") -> Any:
    deadline = time.monotonic() + timeout
    while True:
        result = check()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def start_stack(database_url: str, **settings: Any) -> Stack:
    emulator = run_in_thread(EmulatorConfig(bot_token=BOT_TOKEN, bot_email=BOT_EMAIL, users=USERS))
    store = Store.open(database_url)
    with tempfile.TemporaryDirectory() as scratch:
        data = Path(scratch) / "customers.csv"  # the sample and the names that test escaping
        data.write_text(sample_with_hostile_names(), encoding="utf-8")
        store.import_snapshot(read_snapshot(data), today=SAMPLE_TODAY, source="e2e")
    store.close()
    config = Settings(
        WEBEX_ACCESS_TOKEN=BOT_TOKEN,
        database_url=database_url,
        webex_api_url=emulator.api_url,
        webhook_secret=SECRET,
        today=SAMPLE_TODAY,
        # short retries (seconds, not the default 15 minutes) so failures end within a test
        **{
            "allowed": ("@example.com",),
            "retry_window_seconds": 8,
            "retry_first_seconds": 0.2,
            **settings,
        },
    )
    service = build_service(
        config,
        retry=RetryPolicy(attempts=3, base_delay=0.05, max_delay=0.5),
        poll_seconds=0.1,
        webex_timeout=2,
    )
    bot = serve_in_thread(service)
    reconcile_webhooks(service.webex, service.manifest, target_url=bot.webhook_url, secret=SECRET)
    return Stack(emulator, bot, database_url)


@pytest.fixture
def stack(database_url: str) -> Iterator[Stack]:
    running = start_stack(database_url)
    try:
        yield running
    finally:
        running.bot.stop()
        running.emulator.stop()
