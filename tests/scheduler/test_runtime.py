"""The real APScheduler on the shared job store: fixed jobs, no copies after a restart,
alerts within seconds of an import; one scheduler per SQLite file."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from bot.scheduler.jobs import JOB_TABLE
from bot.scheduler.runtime import Scheduler
from core.dialect.leadership import SchedulerRefused, SqliteLeadership, leadership_for
from core.query import NEEDING_ATTENTION
from emulator.server import EmulatorConfig, run_in_thread
from tests.core.builders import TODAY, customer, snapshot, sub
from tests.scheduler.conftest import BOT_EMAIL, BOT_TOKEN, Rig


def wait_for(check: object, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():  # type: ignore[operator]
        if time.monotonic() > deadline:
            raise AssertionError("timed out")
        time.sleep(0.05)


def alerting_room(rig: Rig) -> str:
    """A space with alerts on (needing attention), and Acme imported, active: the
    baseline the changes of later imports are alerted against."""
    room = rig.space("A")
    rig.customers.import_snapshot(
        snapshot(customer("acme", "Acme", sub("acme-1"))), today=TODAY, source="t"
    )
    rig.clock.now = datetime.now(UTC)
    rig.proactive.set_alerts(room, NEEDING_ATTENTION, created_by="a")
    rig.jobs.ticks = (0.2, 0.2)
    return room


@contextmanager
def serving(rig: Rig) -> Iterator[Scheduler]:
    """The real scheduler in a thread, leading, until the block ends."""
    scheduler = Scheduler(rig.jobs, leadership_for(rig.customers.engine), check_seconds=0.1)
    stop = threading.Event()
    thread = threading.Thread(target=scheduler.serve, args=(stop,))
    thread.start()
    try:
        wait_for(scheduler.leading.is_set)
        yield scheduler
    finally:
        stop.set()
        thread.join(10)


def test_jobs_are_stored_once_with_fixed_ids_and_alerts_go_out(rig: Rig) -> None:
    room = alerting_room(rig)
    for run in range(2):  # a restart: the same jobs, no copies
        rig.clock.now = datetime.now(UTC)
        with serving(rig):
            if run == 1:
                rig.customers.import_snapshot(
                    snapshot(customer("acme", "Acme", sub("acme-1", left=5))),
                    today=TODAY,
                    source="t",
                )
                rig.clock.now = datetime.now(UTC)
                wait_for(lambda: len(rig.posts(room)) == 1)
        with rig.customers.engine.connect() as connection:
            ids = connection.execute(text(f"SELECT id FROM {JOB_TABLE} ORDER BY id")).scalars()
            assert list(ids) == ["alerts", "day-change", "digests"]
    assert len(rig.posts(room)) == 1


def test_a_second_scheduler_on_one_sqlite_file_refuses(tmp_path: Path) -> None:
    engine = create_engine(f"sqlite:///{tmp_path / 'bot.sqlite3'}")
    first = SqliteLeadership(engine)
    assert first.acquire(threading.Event())
    with pytest.raises(SchedulerRefused, match=r"another scheduler \(pid \d+\) is already running"):
        SqliteLeadership(engine).acquire(threading.Event())
    first.release()
    again = SqliteLeadership(engine)
    assert again.acquire(threading.Event())
    again.release()


def test_statusbot_scheduler_refuses_in_one_line(tmp_path: Path) -> None:
    emulator = run_in_thread(EmulatorConfig(bot_token=BOT_TOKEN, bot_email=BOT_EMAIL))
    database = tmp_path / "bot.sqlite3"
    holder = SqliteLeadership(create_engine(f"sqlite:///{database}"))
    assert holder.acquire(threading.Event())
    env = {
        **os.environ,
        "WEBEX_ACCESS_TOKEN": BOT_TOKEN,
        "STATUSBOT_DATABASE_URL": f"sqlite:///{database}",
        "STATUSBOT_WEBEX_API_URL": emulator.api_url,
        "STATUSBOT_ALLOWED": "@example.com",
    }
    try:
        done = subprocess.run(
            [sys.executable, "-m", "bot.cli", "scheduler"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
    finally:
        holder.release()
        emulator.stop()
    assert done.returncode == 1
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and "already running" in lines[0] and "only one" in lines[0], lines


def test_the_demo_runs_the_one_scheduler(tmp_path: Path) -> None:
    from bot.cli.demo import start_demo

    demo = start_demo(port=0, data_dir=tmp_path)
    try:
        wait_for(demo.scheduler.scheduler.leading.is_set)
        # its jobs are in the demo's database, where a second scheduler would find the lock
        with pytest.raises(SchedulerRefused):
            SqliteLeadership(create_engine(f"sqlite:///{demo.database}")).acquire(threading.Event())
    finally:
        demo.stop()
    assert not demo.scheduler_thread.is_alive()


@dataclass
class _Report:
    next_run: datetime


def test_a_failed_sync_is_retried_on_its_backoff_not_a_whole_interval_later(rig: Rig) -> None:
    """The sync tick syncs when due: after a failure at the report's next run (its
    backoff), after a success one interval later; never in between."""
    start = rig.clock.now
    calls: list[datetime] = []
    plan = iter([timedelta(seconds=30), timedelta(minutes=15)])  # a failure, then a success

    def sync() -> _Report:
        calls.append(rig.clock.now)
        return _Report(rig.clock.now + next(plan))

    rig.jobs.sync = sync
    assert rig.jobs.sync_if_due() is not None  # due at once when the scheduler starts
    rig.clock.now = start + timedelta(seconds=29)
    assert rig.jobs.sync_if_due() is None  # the backoff has not passed
    rig.clock.now = start + timedelta(seconds=30)
    assert rig.jobs.sync_if_due() is not None  # retried on the backoff
    rig.clock.now = start + timedelta(minutes=10)
    assert rig.jobs.sync_if_due() is None  # after a success: the whole interval
    assert calls == [start, start + timedelta(seconds=30)]
