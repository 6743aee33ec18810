"""The scheduler survives a database that is away while it starts: it tries again on its
backoff, says so in the log, and once the database is back it leads and the alert
goes out. Meanwhile ``statusbot doctor`` and ``/metrics`` say no scheduler runs.

PostgreSQL is away behind a door (a TCP forwarder that drops every connection while
shut); SQLite's folder is away (moved, as a volume mounted late)."""

from __future__ import annotations

import logging
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import UTC, datetime
from pathlib import Path

import pytest
from prometheus_client import CollectorRegistry, generate_latest
from sqlalchemy.engine import make_url

from bot.scheduler.build import Built, build_scheduler
from bot.scheduler.process import serve_scheduler
from bot.scheduler.runtime import Scheduler
from bot.settings import Settings
from bot.web.scheduler_metrics import SchedulerCollector
from core.dialect.leadership import leadership_for
from core.proactive.heartbeat import describe
from tests.core.builders import TODAY, customer, snapshot, sub
from tests.scheduler.conftest import BOT_TOKEN, Rig
from tests.scheduler.test_runtime import alerting_room, wait_for

RETRY = (0.05, 0.2)


class Door:
    """A TCP forwarder to PostgreSQL; while shut it drops every connection at once, as
    a client sees a database that is away."""

    def __init__(self, host: str, port: int) -> None:
        self._target = (host, port)
        self._server = socket.create_server(("127.0.0.1", 0))
        self.port = self._server.getsockname()[1]
        self.opened = threading.Event()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                client, _ = self._server.accept()
            except OSError:
                return
            if not self.opened.is_set():
                client.close()
                continue
            upstream = socket.create_connection(self._target)
            for source, sink in ((client, upstream), (upstream, client)):
                threading.Thread(target=_pipe, args=(source, sink), daemon=True).start()

    def close(self) -> None:
        self._server.close()


def _pipe(source: socket.socket, sink: socket.socket) -> None:
    try:
        while data := source.recv(65536):
            sink.sendall(data)
    except OSError:
        pass
    finally:
        for end in (source, sink):
            with suppress(OSError):
                end.shutdown(socket.SHUT_RDWR)


class Outage:
    """The database as the scheduler sees it (``url``): away until ``end``."""

    def __init__(self, database_url: str) -> None:
        url = make_url(database_url)
        self.door: Door | None = None
        if url.get_backend_name() == "postgresql":
            self.door = Door(url.host or "127.0.0.1", url.port or 5432)
            url = url.set(host="127.0.0.1", port=self.door.port)
            self.folder = self.away = Path()
        else:
            self.folder = Path(str(url.database)).parent
            self.away = self.folder.with_name(self.folder.name + "-away")
            self.folder.rename(self.away)
        self.url = url.render_as_string(hide_password=False)

    def end(self) -> None:
        if self.door is not None:
            self.door.opened.set()
        else:
            self.away.rename(self.folder)

    def close(self) -> None:
        if self.door is not None:
            self.door.close()
        elif self.away.exists():
            self.away.rename(self.folder)


@contextmanager
def start_failures() -> Iterator[list[str]]:
    """The scheduler's log lines about starts that failed."""
    lines: list[str] = []

    class Collect(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            if "could not start" in record.getMessage():
                lines.append(record.getMessage())

    handler = Collect(logging.ERROR)
    logger = logging.getLogger("statusbot.scheduler")
    logger.addHandler(handler)
    try:
        yield lines
    finally:
        logger.removeHandler(handler)


def leading(rig: Rig) -> float:
    """``statusbot_scheduler_leading`` as /metrics reports it."""
    registry = CollectorRegistry()
    registry.register(SchedulerCollector(rig.customers.engine))
    (line,) = [
        line
        for line in generate_latest(registry).decode().splitlines()
        if line.startswith("statusbot_scheduler_leading ")
    ]
    return float(line.split()[1])


def test_a_database_away_at_start_delays_the_scheduler_not_its_alerts(rig: Rig) -> None:
    room = alerting_room(rig)
    outage = Outage(str(rig.customers.engine.url.render_as_string(hide_password=False)))
    settings = Settings(
        WEBEX_ACCESS_TOKEN=BOT_TOKEN,
        database_url=outage.url,
        webex_api_url=rig.emulator.api_url,
        allowed=("@example.com",),
        today=TODAY,
    )

    def build(settings: Settings) -> Built:
        built = build_scheduler(settings, check_seconds=0.1)
        built.jobs.ticks = (0.2, 0.2)
        return built

    stop = threading.Event()
    exits: list[int] = []
    with start_failures() as failures:
        thread = threading.Thread(
            target=lambda: exits.append(
                serve_scheduler(settings, stop, build=build, start_retry=RETRY)
            )
        )
        thread.start()
        try:
            wait_for(lambda: len(failures) >= 2)  # tried again, and again
            assert "OperationalError" in failures[0] and "trying again" in failures[0]
            assert "SELECT" not in " ".join(failures) and "CREATE" not in " ".join(failures)
            if outage.door is not None:  # the others still reach PostgreSQL: they can tell
                ok, detail = describe(rig.customers.engine, datetime.now(UTC))
                assert not ok and "not running (never)" in detail
                assert leading(rig) == 0
            outage.end()
            wait_for(lambda: describe(rig.customers.engine, datetime.now(UTC))[0])
            assert leading(rig) == 1
            rig.customers.import_snapshot(
                snapshot(customer("acme", "Acme", sub("acme-1", left=5))), today=TODAY, source="t"
            )
            wait_for(lambda: len(rig.posts(room)) == 1)
        finally:
            stop.set()
            thread.join(30)
            outage.close()
    assert exits == [0]


@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
def test_a_scheduler_that_cannot_take_its_lock_tries_again(rig: Rig) -> None:
    """SQLite: the lock file's folder is away when the election runs (``serve`` itself;
    PostgreSQL's election waits for the database by itself)."""
    scheduler = Scheduler(rig.jobs, leadership_for(rig.customers.engine), check_seconds=0.1)
    scheduler.start_retry = RETRY
    outage = Outage(str(rig.customers.engine.url))
    stop = threading.Event()
    with start_failures() as failures:
        thread = threading.Thread(target=scheduler.serve, args=(stop,))
        thread.start()
        try:
            wait_for(lambda: len(failures) >= 2)
            assert "FileNotFoundError" in failures[0]
            outage.end()
            wait_for(scheduler.leading.is_set)
        finally:
            stop.set()
            thread.join(30)
            outage.close()
