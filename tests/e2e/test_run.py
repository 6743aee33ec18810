"""``statusbot run`` as it runs in production (gunicorn, its own processes) against
the emulator: its processes add up their metrics and log JSON without secrets.

Killing it mid-burst, and every other way of breaking it, is the reliability
suite's (tests/reliability/test_suite.py: SIGKILL on both backends, 1:1 and group
spaces, with every question accounted for).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from bot.inbox.store import Inbox
from core.ingest.snapshot import read_snapshot
from core.sample import SAMPLE_TODAY, bundled_sample_path
from core.store import Store
from emulator.server import EmulatorConfig, ServerHandle, run_in_thread
from tests.e2e.conftest import BOT_EMAIL, BOT_TOKEN, SECRET, USERS, wait_until
from tests.operations.process import StatusbotRun

QUESTION_TEXTS = ("show suspended", "summary", "show expiring in 30 days", "customer åre", "help")


def start_bot(emulator: ServerHandle, database_url: str, log: Path) -> StatusbotRun:
    """``statusbot run`` (two processes of four threads) in its own process group, ready."""
    bot = StatusbotRun(
        emulator.api_url,
        database_url,
        log,
        workers=2,
        env={"STATUSBOT_INBOX_LEASE_SECONDS": "3", "STATUSBOT_WORKER_THREADS": "4"},
    )
    return bot.start(ready=StatusbotRun.ready)


@pytest.fixture
def emulator() -> Iterator[ServerHandle]:
    handle = run_in_thread(
        EmulatorConfig(
            bot_token=BOT_TOKEN, bot_email=BOT_EMAIL, users=USERS, failure_threshold=10_000
        )
    )
    yield handle
    handle.stop()


def test_statusbot_run_adds_up_metrics_and_logs_json_without_secrets(
    emulator: ServerHandle, database_url: str, tmp_path: Path
) -> None:
    import json
    import re

    from webexpythonsdk import WebexAPI

    store = Store.open(database_url)
    store.import_snapshot(read_snapshot(bundled_sample_path()), today=SAMPLE_TODAY, source="run")
    store.close()
    bot = start_bot(emulator, database_url, tmp_path / "statusbot-run.log")
    try:
        alice = WebexAPI(access_token="ALICE_TOKEN", base_url=emulator.api_url)
        for text in QUESTION_TEXTS:
            alice.messages.create(toPersonEmail=BOT_EMAIL, text=text)
        inbox = Inbox.open(database_url)
        try:
            wait_until(
                lambda: sum(e["reply_state"] == "sent" for e in inbox.events()) == 5,
                timeout=60,
                what="five answers",
            )
        finally:
            inbox.close()
        assert requests.get(bot.url + "/healthz", timeout=5).json() == {"status": "ok"}
        # two processes answer /metrics in turn; each tells the sum over both
        for _ in range(4):
            metrics = requests.get(bot.url + "/metrics", timeout=5).text
            sent = re.search(r'statusbot_replies_total\{outcome="sent"\} ([0-9.]+)', metrics)
            assert sent and float(sent.group(1)) >= 5, metrics[:2000]
    finally:
        bot.stop()
    lines = [line for line in bot.log.read_text().splitlines() if line.startswith("{")]
    records = [json.loads(line) for line in lines]
    assert any(r.get("event_id") and r.get("outcome") == "sent" for r in records)
    log_text = bot.log.read_text()
    assert BOT_TOKEN not in log_text and SECRET not in log_text
    assert "show suspended" not in log_text  # message text never reaches the log
