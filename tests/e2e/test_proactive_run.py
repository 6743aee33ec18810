"""Issue 8's proof, end to end: ``statusbot run`` (the web workers and the one
scheduler it starts beside them) against the emulator; a partner
typing in a space, ``statusbot import`` in another process, and what arrives.

A user types ``alerts on`` and ``subscribe daily HH:MM needing attention`` for the
next minute that is at least ``LEAD`` away (the digest's time is real: the scheduler
runs in its own process, so there is no clock to inject; the test waits for
arrivals and asserts no durations). A changed snapshot is imported with ``statusbot
import``; then the alert card and, at HH:MM, the digest card arrive in the space,
once each, and pass the official Adaptive Cards renderer.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from webexpythonsdk import WebexAPI

from core.proactive.ledger import Ledger
from core.sample import SAMPLE_TODAY
from core.sample_changes import changed_sample
from core.store import Store
from emulator.server import EmulatorConfig, ServerHandle, run_in_thread
from tests.cardcheck.runner import Check, cardcheck  # noqa: F401  (fixture)
from tests.e2e.conftest import BOT_EMAIL, BOT_TOKEN, USERS, wait_until
from tests.hostile_data import ACME, sample_with_hostile_names
from tests.operations.process import StatusbotRun

#: The least time between subscribing and the digest's minute, so that the alert
#: (posted within seconds of the import) comes first.
LEAD = timedelta(seconds=40)
MENTION = f"<@personEmail:{BOT_EMAIL}|Statusbot>"


@pytest.fixture
def emulator() -> Iterator[ServerHandle]:
    handle = run_in_thread(EmulatorConfig(bot_token=BOT_TOKEN, bot_email=BOT_EMAIL, users=USERS))
    try:
        yield handle
    finally:
        handle.stop()


def statusbot_import(path: Path, database_url: str) -> subprocess.CompletedProcess[str]:
    """``statusbot import FILE`` as an operator runs it, in a process of its own."""
    env = {"STATUSBOT_DATABASE_URL": database_url, "STATUSBOT_TODAY": SAMPLE_TODAY.isoformat()}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", "import", str(path)],
        env={**_inherited(), **env},
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def _inherited() -> dict[str, str]:
    """This process's environment without its STATUSBOT_ settings (the test sets its own)."""
    return {key: value for key, value in os.environ.items() if not key.startswith("STATUSBOT_")}


def digest_minute(now: datetime) -> datetime:
    """The first whole minute at least ``LEAD`` after ``now``."""
    minute = (now + LEAD).replace(second=0, microsecond=0)
    return minute if minute >= now + LEAD else minute + timedelta(minutes=1)


def bot_messages(emulator: ServerHandle, room_id: str, bot_id: str) -> list[dict[str, Any]]:
    state = requests.get(emulator.url + "/_emulator/state", timeout=30).json()
    return [m for m in state["messages"] if m["roomId"] == room_id and m["personId"] == bot_id]


def card_of(message: dict[str, Any]) -> dict[str, Any]:
    (attachment,) = message["attachments"]
    content: dict[str, Any] = attachment["content"]
    return content


class AlertingSpace:
    """A space where Alice added the bot (it greets her) and typed ``alerts on``."""

    def __init__(self, emulator: ServerHandle) -> None:
        self.emulator = emulator
        self.alice = WebexAPI(access_token=USERS[0][1], base_url=emulator.api_url)
        self.bot_id = WebexAPI(access_token=BOT_TOKEN, base_url=emulator.api_url).people.me().id
        self.room = self.alice.rooms.create(title="Partner team")
        self.alice.memberships.create(roomId=self.room.id, personEmail=BOT_EMAIL)
        wait_until(lambda: self.said(1), timeout=60, what="the greeting")
        self.type("alerts on")
        *_, alerts_on = wait_until(lambda: self.said(2), timeout=60, what="alerts on")
        assert alerts_on["markdown"].startswith("Alerts are on (1)")

    def said(self, count: int) -> list[dict[str, Any]]:
        """The bot's messages in the space, once there are at least ``count``."""
        messages = bot_messages(self.emulator, self.room.id, self.bot_id)
        return messages if len(messages) >= count else []

    def type(self, text: str) -> None:
        self.alice.messages.create(roomId=self.room.id, markdown=f"{MENTION} {text}")


def test_an_alert_then_a_digest_arrive_once_each(
    emulator: ServerHandle,
    tmp_path: Path,
    cardcheck: Check,  # noqa: F811
) -> None:
    database_url = f"sqlite:///{tmp_path / 'statusbot.sqlite3'}"
    baseline = tmp_path / "baseline.csv"  # the sample and the names that test escaping
    baseline.write_text(sample_with_hostile_names(), encoding="utf-8")
    assert statusbot_import(baseline, database_url).returncode == 0
    bot = StatusbotRun.in_folder(emulator.api_url, database_url, tmp_path).start()
    try:
        space = AlertingSpace(emulator)
        room, said = space.room, space.said
        at = digest_minute(datetime.now(UTC))
        space.type(f"subscribe daily {at:%H:%M} needing attention")
        *_, subscribed = wait_until(lambda: said(3), timeout=60, what="the subscription")
        assert subscribed["markdown"].startswith(
            f"Subscribed (2): Daily · Needing attention · {at:%H:%M} UTC."
        )

        changed = tmp_path / "changed.csv"
        text, names = changed_sample()  # and Acme *Bold*'s service failed
        changed.write_text(sample_with_hostile_names(text, acme_failed=True), encoding="utf-8")
        names.append(ACME)
        imported = statusbot_import(changed, database_url)
        assert imported.returncode == 0, imported.stdout + imported.stderr

        *_, alert = wait_until(lambda: said(4), timeout=120, what="the alert")
        heading = f"**Daily · Needing attention · {at:%H:%M} UTC**"
        *_, digest = wait_until(lambda: said(5), timeout=240, what="the digest")
        assert alert["markdown"].startswith(f"**{len(names)} customers changed status**")
        assert "Acme \\*Bold\\* \\[x\\]\\(http\\://evil\\)" in alert["markdown"]  # escaped
        assert digest["markdown"].startswith(heading)

        store = Store.open(database_url)
        try:
            ledger = Ledger(store.engine)
            wait_until(
                lambda: [p["state"] for p in ledger.posts(room.id)] == ["sent", "sent"],
                timeout=60,
                what="both posts recorded as sent",
            )
            kinds = sorted(post["kind"] for post in ledger.posts(room.id))
        finally:
            store.close()
        assert kinds == ["alert", "digest"]
        messages = bot_messages(emulator, room.id, space.bot_id)
        assert sum("changed status" in m["markdown"] for m in messages) == 1
        assert sum(m["markdown"].startswith(heading) for m in messages) == 1
        report = cardcheck({"alert": card_of(alert), "digest": card_of(digest)})
        assert report == {"alert": [], "digest": []}
    finally:
        bot.stop()
