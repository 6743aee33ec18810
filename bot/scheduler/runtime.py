"""The scheduler process's loop: wait to lead, run the jobs while leading, stop.

``Scheduler.serve`` is what ``statusbot scheduler`` (and the scheduler beside
``statusbot run`` and ``statusbot demo``) runs until told to stop:

1. become the leader (``core.dialect.leadership``: PostgreSQL waits its turn,
   SQLite refuses a second scheduler outright);
2. start APScheduler on the shared job store with the fixed jobs
   (``bot.scheduler.jobs``), and catch up on the day change at once;
3. check the leadership every few seconds; when it is lost (the lock's
   session died) stop the jobs at once and go back to waiting. While it leads
   it beats (``core.proactive.heartbeat``), so ``statusbot doctor`` and
   ``/metrics`` can tell when no scheduler is posting.

A start that fails (the database away while it elects or sets up the job
store, the lock's folder missing) is tried again on a backoff (``START_RETRY``:
5 s, 10 s, … at most 5 minutes apart), with one log line each time saying what
failed (``why``: no statement, no values, no secrets); the scheduler never
gives up while the process runs. ``bot.scheduler.process`` does the same for
building it (the tables, the token check).

The jobs' work is the runners' (``digests``, ``alerts``) and the day change
and sync functions; nothing here decides what to post.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine

from bot.scheduler.alerts import AlertRunner
from bot.scheduler.digests import DigestRunner
from bot.scheduler.jobs import JOB_TABLE, ensure_jobs, register
from bot.webex.errors import WebexError
from core.clock import Clock, utc_now
from core.dialect.engines import describe_database_error
from core.dialect.leadership import Leadership, SchedulerRefused
from core.proactive import heartbeat
from core.proactive.day_change import record_day_change
from core.store import Store

log = logging.getLogger("statusbot.scheduler")

#: How often the leader makes sure it still holds the lock.
CHECK_SECONDS = 5.0
#: A failed start is tried again after the first delay, doubling up to the second.
START_RETRY = (5.0, 300.0)


class Backoff:
    """Delays between failed starts: first, twice that, … at most ``most``."""

    def __init__(self, first: float, most: float) -> None:
        self.first, self.most = first, most
        self._next = first

    def next(self) -> float:
        delay, self._next = self._next, min(self._next * 2, self.most)
        return delay

    def reset(self) -> None:
        self._next = self.first


def why(error: BaseException) -> str:
    """One line for the log on what failed: the error's kind, and its text only where
    that is known to hold no statement values or secrets (a database driver's own
    message, Webex's reason, a file's); anything else by its kind alone (a URL
    parsing error, say, would repeat the URL with its password)."""
    database = describe_database_error(error)
    if database is not None:
        return database
    if isinstance(error, WebexError):
        return f"Webex: {error.reason}"
    if isinstance(error, OSError):
        return f"{type(error).__name__}: {error.strerror or ''} {error.filename or ''}".strip()
    return type(error).__name__


@dataclass
class Jobs:
    """What the jobs do, each a plain call (tests call them with an injected clock)."""

    customers: Store
    digests: DigestRunner
    alerts: AlertRunner
    today: Callable[[], date]
    clock: Clock
    zone: str  # STATUSBOT_TIMEZONE: the day changes at its midnight
    sync: Callable[[], Any] | None = None  # bot.sync.sync_once, when sources are set
    sync_minutes: int | None = None
    ticks: tuple[float, float] | None = None  # (alerts, digests) seconds; tests shorten them
    sync_due: datetime | None = None  # when the next sync is due (None: at the next tick)

    def day_change(self) -> int | None:
        recorded = record_day_change(self.customers.engine, self.today(), self.clock())
        if recorded:
            log.info("day change: %d status change(s) recorded", recorded)
        return recorded

    def sync_if_due(self) -> Any:
        """Sync when it is due: STATUSBOT_SYNC_MINUTES after a success, sooner after a
        failure (the report's backoff: 30 s, 1 min, … up to the interval, or what a
        source's Retry-After asked). The sync job ticks often and asks this, so a failed
        fetch is retried on the backoff the ``sources`` reply shows as its next run, not
        a whole interval later."""
        if self.sync is None:
            return None
        if self.sync_due is not None and self.clock() < self.sync_due:
            return None
        report = self.sync()
        self.sync_due = getattr(report, "next_run", None)
        return report


class Scheduler:
    def __init__(
        self,
        jobs: Jobs,
        leadership: Leadership,
        *,
        name: str = "statusbot",
        check_seconds: float = CHECK_SECONDS,
    ) -> None:
        self.jobs = jobs
        self.leadership = leadership
        self.name = name
        self.check_seconds = check_seconds
        self.start_retry = START_RETRY
        self.leading = threading.Event()

    def run_job(self, job: str) -> None:
        if job == "alerts":
            self.jobs.alerts.tick()
        elif job == "digests":
            self.jobs.digests.tick()
        elif job == "day-change":
            self.jobs.day_change()
        elif job == "sync" and self.jobs.sync is not None:
            report = self.jobs.sync_if_due()
            if report is not None:
                log.info("sync: %s", report.summary() if hasattr(report, "summary") else report)

    def serve(self, stop: threading.Event) -> None:
        """Lead whenever possible until ``stop`` is set; a start that fails is tried
        again on the backoff (only ``SchedulerRefused``, a second scheduler on one
        SQLite file, ends it)."""
        delays = Backoff(*self.start_retry)
        while not stop.is_set():
            try:
                if not self.leadership.acquire(stop):
                    return
                try:
                    self._lead(stop)
                finally:
                    self.leadership.release()
            except SchedulerRefused:
                raise
            except Exception as error:
                delay = delays.next()
                log.error(
                    "scheduler %s could not start (%s): no digests or alerts are posted;"
                    " trying again in %.0f s",
                    self.name,
                    why(error),
                    delay,
                )
                stop.wait(delay)
                continue
            delays.reset()
            if not stop.is_set():
                log.error("scheduler: leadership lost; jobs stopped, waiting to lead again")

    def _lead(self, stop: threading.Event) -> None:
        engine = self.jobs.customers.engine
        scheduler = BackgroundScheduler(
            jobstores={
                "default": SQLAlchemyJobStore(
                    engine=self.jobs.customers.engine, tablename=JOB_TABLE
                )
            },
            executors={"default": ThreadPoolExecutor(2), "slow": ThreadPoolExecutor(1)},
            timezone=UTC,
        )
        try:
            scheduler.start(paused=True)  # creates the job store's table
        except Exception:
            for alias in ("default", "slow"):  # their threads; the scheduler never ran
                with contextlib.suppress(Exception):
                    scheduler.remove_executor(alias)
            raise
        register(self.name, self)
        try:
            try:
                self.jobs.day_change()  # a midnight missed while nobody led
            except Exception:
                log.exception("day change at start failed; the midnight job will try again")
            ensure_jobs(
                scheduler, self.name, self.jobs.zone, self.jobs.sync_minutes, self.jobs.ticks
            )
            scheduler.resume()
            since, who = utc_now(), heartbeat.holder()
            heartbeat.beat(engine, who, since, since)  # a start that cannot write fails
            log.info("scheduler %s: leading (%s)", self.name, who)
            self.leading.set()
            beaten = time.monotonic()
            while not stop.wait(self.check_seconds):
                if not self.leadership.still_held():
                    return
                if time.monotonic() - beaten >= heartbeat.BEAT_SECONDS:
                    beaten = time.monotonic()
                    self._beat(engine, who, since)
        finally:
            self.leading.clear()
            scheduler.shutdown(wait=False)
            register(self.name, None)

    def _beat(self, engine: Engine, who: str, since: datetime) -> None:
        try:
            heartbeat.beat(engine, who, since, utc_now())
        except Exception as error:  # the jobs carry on; the next beat may go through
            log.warning("scheduler %s: heartbeat not written (%s)", self.name, why(error))
