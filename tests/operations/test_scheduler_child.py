"""``statusbot run`` keeps its scheduler child running: killed (as the OOM killer
does, SIGKILL), a new one is started, leads, and posts the next alert through the
emulator; SIGTERM to ``run`` alone stops the scheduler with it."""

from __future__ import annotations

import os
import signal
from pathlib import Path

from core.sample_changes import changed_sample
from emulator.server import ServerHandle
from tests.e2e.test_proactive_run import AlertingSpace, statusbot_import
from tests.hostile_data import sample_with_hostile_names
from tests.operations.process import BOT_TOKEN, SECRET, StatusbotRun, wait_until


def test_a_killed_scheduler_is_started_again_and_run_stops_it(
    emulator: ServerHandle, tmp_path: Path
) -> None:
    database_url = f"sqlite:///{tmp_path / 'statusbot.sqlite3'}"
    baseline = tmp_path / "baseline.csv"
    baseline.write_text(sample_with_hostile_names(), encoding="utf-8")
    assert statusbot_import(baseline, database_url).returncode == 0
    bot = StatusbotRun.in_folder(emulator.api_url, database_url, tmp_path)
    bot.start(ready=StatusbotRun.leading)
    try:
        space = AlertingSpace(emulator)
        (first,) = bot.schedulers()
        os.kill(first, signal.SIGKILL)
        wait_until(
            lambda: bot.log.read_text().count(": leading") == 2,
            timeout=60,
            what="a new scheduler leading",
        )
        (second,) = bot.schedulers()
        assert second != first
        log = bot.log.read_text()
        (restart,) = [line for line in log.splitlines() if "starting it again" in line]
        assert "scheduler was killed (SIGKILL)" in restart

        changed = tmp_path / "changed.csv"
        text, _names = changed_sample()
        changed.write_text(sample_with_hostile_names(text, acme_failed=True), encoding="utf-8")
        imported = statusbot_import(changed, database_url)
        assert imported.returncode == 0, imported.stdout + imported.stderr
        *_, alert = wait_until(lambda: space.said(3), timeout=120, what="the alert")
        assert "customers changed status" in alert["markdown"]
    finally:
        code = bot.stop(group=False)  # run alone: it stops its scheduler itself
    assert code == 0
    assert schedulers_of(database_url) == []
    log = bot.log.read_text()
    assert log.count("scheduler stopped") == 1  # the second one, on SIGTERM, cleanly
    assert BOT_TOKEN not in log and SECRET not in log


def schedulers_of(database_url: str) -> list[int]:
    """Every process left running ``statusbot scheduler`` on this test's database."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            command = (entry / "cmdline").read_bytes()
            environment = (entry / "environ").read_bytes()
        except OSError:  # gone, or not ours
            continue
        if b"bot.cli\0scheduler" in command and database_url.encode() in environment:
            found.append(int(entry.name))
    return found
