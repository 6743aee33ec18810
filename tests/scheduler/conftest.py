"""The scheduler's runners against the emulator (real HTTP, the real SDK), with an
injected clock: tests move time, nothing sleeps through it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import Executor, Future
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

import pytest
import requests
from webexpythonsdk import WebexAPI

from bot.access import AccessPolicy
from bot.scheduler.alerts import AlertRunner
from bot.scheduler.build import wire
from bot.scheduler.digests import DigestRunner
from bot.scheduler.runtime import Jobs
from bot.webex.client import WebexClient
from bot.webex.errors import RetryPolicy
from core.proactive.ledger import Ledger
from core.proactive.store import ProactiveStore
from core.store import Store
from emulator.server import EmulatorConfig, ServerHandle, run_in_thread
from tests.core.builders import TODAY

BOT_TOKEN = "BOT_TOKEN_SCHEDULER"
BOT_EMAIL = "statusbot@webex.bot"
USERS = (("alice@example.com", "ALICE"), ("bob@example.com", "BOB"), ("eve@evil.com", "EVE"))


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


class Inline(Executor):
    """Runs each task at once, in the caller's thread: a tick is done when it returns."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future[Any]:
        future: Future[Any] = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except BaseException as error:
            future.set_exception(error)
        return future


@dataclass
class Rig:
    emulator: ServerHandle
    customers: Store
    proactive: ProactiveStore
    ledger: Ledger
    clock: Clock
    digests: DigestRunner
    alerts: AlertRunner
    jobs: Jobs
    today: list[date]
    data: list[tuple[str, str]]

    def user(self, token: str) -> WebexAPI:
        return WebexAPI(access_token=token, base_url=self.emulator.api_url)

    def space(self, title: str, *members: str) -> str:
        """A group space made by alice, with the bot and ``members`` in it."""
        alice = self.user("ALICE")
        room = alice.rooms.create(title=title)
        for email in (*members, BOT_EMAIL):
            alice.memberships.create(roomId=room.id, personEmail=email)
        return str(room.id)

    def posts(self, room_id: str) -> list[dict[str, Any]]:
        """The bot's messages in a room, oldest first (read as the emulator's admin)."""
        state = requests.get(self.emulator.url + "/_emulator/state", timeout=30).json()
        bot = next(p for p in state["people"] if p["emails"] == [BOT_EMAIL])
        mine = (m for m in state["messages"] if m["personId"] == bot["id"])
        return [m for m in mine if m["roomId"] == room_id]


@pytest.fixture
def rig(database_url: str) -> Iterator[Rig]:
    emulator = run_in_thread(EmulatorConfig(bot_token=BOT_TOKEN, bot_email=BOT_EMAIL, users=USERS))
    customers = Store.open(database_url)
    clock = Clock(datetime(2026, 11, 27, 6, 0, tzinfo=UTC))
    webex = WebexClient(BOT_TOKEN, emulator.api_url, retry=RetryPolicy(attempts=3, base_delay=0.01))
    data: list[tuple[str, str]] = []  # what bot.retraction would take back
    today = [TODAY]
    wired = wire(
        customers,
        webex,
        AccessPolicy.from_entries(["@example.com"]),
        bot_id=webex.me().id,
        language=lambda _: "en",
        record_data=lambda room, message: data.append((room, message)),
        zone="Europe/Stockholm",
        today=lambda: today[0],
        clock=clock,
        pools=(Inline(), Inline()),
    )
    try:
        yield Rig(
            emulator,
            customers,
            wired.proactive,
            wired.ledger,
            clock,
            wired.digests,
            wired.alerts,
            wired.jobs,
            today,
            data,
        )
    finally:
        customers.close()
        emulator.stop()
