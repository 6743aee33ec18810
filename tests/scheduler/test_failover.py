"""PostgreSQL: two ``statusbot scheduler`` processes, one database. Each digest is
posted once; SIGKILL the leader and the other takes over and posts the next, once.

Digests are made already due (their run a minute ago, made the day before, by an
injected clock), so nothing waits for a wall-clock minute: only for the
scheduler's own ticks and its take-over."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
import requests

from core.proactive.ledger import Ledger
from core.proactive.models import DigestQuestion, Schedule
from core.proactive.store import ProactiveStore
from core.query import NEEDING_ATTENTION
from core.store import Store
from emulator.server import EmulatorConfig, ServerHandle, run_in_thread
from tests.core.builders import TODAY, customer, snapshot, sub
from tests.scheduler.conftest import BOT_EMAIL, BOT_TOKEN, USERS

pytestmark = [pytest.mark.postgres, pytest.mark.slow]
ZONE = "Europe/Stockholm"


def wait_for(check: Callable[[], object], timeout: float, what: str) -> object:
    deadline = time.monotonic() + timeout
    while True:
        found = check()
        if found:
            return found
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.2)


def bot_posts(emulator: ServerHandle, room: str) -> list[dict[str, object]]:
    state = requests.get(emulator.url + "/_emulator/state", timeout=30).json()
    bot = next(p for p in state["people"] if p["emails"] == [BOT_EMAIL])
    return [m for m in state["messages"] if m["roomId"] == room and m["personId"] == bot["id"]]


def due_digest(proactive: ProactiveStore, room: str) -> None:
    """A daily digest whose time was a minute ago, made yesterday: due now."""
    local = (datetime.now(UTC) - timedelta(minutes=1)).astimezone(ZoneInfo(ZONE))
    proactive.clock = lambda: datetime.now(UTC) - timedelta(days=1)
    schedule = Schedule("daily", local.time().replace(second=0, microsecond=0))
    proactive.add_digest(room, schedule, DigestQuestion("list", NEEDING_ATTENTION), created_by="a")


def test_two_schedulers_post_each_digest_once_and_fail_over(
    postgres_url: str, tmp_path: Path
) -> None:
    emulator = run_in_thread(EmulatorConfig(bot_token=BOT_TOKEN, bot_email=BOT_EMAIL, users=USERS))
    store = Store.open(postgres_url)
    store.import_snapshot(
        snapshot(customer("acme", "Acme", sub("acme-1", left=10))), today=TODAY, source="t"
    )
    proactive = ProactiveStore(store.engine, default_zone=ZONE)
    proactive.create_schema()
    from webexpythonsdk import WebexAPI

    alice = WebexAPI(access_token="ALICE", base_url=emulator.api_url)
    room = str(alice.rooms.create(title="Ops").id)
    alice.memberships.create(roomId=room, personEmail=BOT_EMAIL)
    due_digest(proactive, room)
    env = {
        **os.environ,
        "WEBEX_ACCESS_TOKEN": BOT_TOKEN,
        "STATUSBOT_DATABASE_URL": postgres_url,
        "STATUSBOT_WEBEX_API_URL": emulator.api_url,
        "STATUSBOT_ALLOWED": "@example.com",
        "STATUSBOT_TIMEZONE": ZONE,
        "STATUSBOT_TODAY": TODAY.isoformat(),
        "STATUSBOT_LOG_FORMAT": "text",
    }
    logs = [tmp_path / "a.log", tmp_path / "b.log"]
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "scheduler"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=log.open("w"),
        )
        for log in logs
    ]
    try:
        wait_for(lambda: len(bot_posts(emulator, room)) == 1, 90, "the first digest")
        leaders = [i for i, log in enumerate(logs) if "leading" in log.read_text()]
        assert len(leaders) == 1, [log.read_text()[-2000:] for log in logs]
        leader, standby = leaders[0], 1 - leaders[0]
        time.sleep(16)  # one more digest tick of the leader: still once
        assert len(bot_posts(emulator, room)) == 1
        processes[leader].send_signal(signal.SIGKILL)
        processes[leader].wait(30)
        due_digest(proactive, room)
        wait_for(lambda: "leading" in logs[standby].read_text(), 60, "the take-over")
        wait_for(lambda: len(bot_posts(emulator, room)) == 2, 90, "the second digest")
        time.sleep(16)  # another tick: neither digest again
        assert len(bot_posts(emulator, room)) == 2
        keys = [post["key"] for post in Ledger(store.engine).posts(room)]
        assert len(keys) == 2 and len(set(keys)) == 2
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
                try:
                    process.wait(30)
                except subprocess.TimeoutExpired:
                    process.kill()
        store.close()
        emulator.stop()
