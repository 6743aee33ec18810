"""The scheduler process's loop: wait to lead, run the jobs while leading, stop.

``Scheduler.serve`` is what ``statusbot scheduler`` (and the scheduler beside
``statusbot run`` and ``statusbot demo``) runs until told to stop:

1. become the leader (``core.dialect.leadership``: PostgreSQL waits its turn,
   SQLite refuses a second scheduler outright);
2. start APScheduler on the shared job store with the fixed jobs
   (``bot.scheduler.jobs``), and catch up on the day change at once;
3. check the leadership every few seconds; when it is lost (the lock's
   session died) stop the jobs at once and go back to waiting.

The jobs' work is the runners' (``digests``, ``alerts``) and the day change
and sync functions; nothing here decides what to post.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.sqlalchemy import SQLAlchemyJobStore
from apscheduler.schedulers.background import BackgroundScheduler

from bot.scheduler.alerts import AlertRunner
from bot.scheduler.digests import DigestRunner
from bot.scheduler.jobs import JOB_TABLE, ensure_jobs, register
from core.clock import Clock
from core.dialect.leadership import Leadership
from core.proactive.day_change import record_day_change
from core.store import Store

log = logging.getLogger("statusbot.scheduler")

#: How often the leader makes sure it still holds the lock.
CHECK_SECONDS = 5.0


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
        """Lead whenever possible until ``stop`` is set."""
        while not stop.is_set():
            if not self.leadership.acquire(stop):
                return
            try:
                self._lead(stop)
            finally:
                self.leadership.release()
            if not stop.is_set():
                log.error("scheduler: leadership lost; jobs stopped, waiting to lead again")

    def _lead(self, stop: threading.Event) -> None:
        log.info("scheduler %s: leading", self.name)
        scheduler = BackgroundScheduler(
            jobstores={
                "default": SQLAlchemyJobStore(
                    engine=self.jobs.customers.engine, tablename=JOB_TABLE
                )
            },
            executors={"default": ThreadPoolExecutor(2), "slow": ThreadPoolExecutor(1)},
            timezone=UTC,
        )
        register(self.name, self)
        try:
            self.jobs.day_change()  # a midnight missed while nobody led
        except Exception:
            log.exception("day change at start failed; the midnight job will try again")
        scheduler.start(paused=True)
        try:
            ensure_jobs(
                scheduler, self.name, self.jobs.zone, self.jobs.sync_minutes, self.jobs.ticks
            )
            scheduler.resume()
            self.leading.set()
            while not stop.wait(self.check_seconds):
                if not self.leadership.still_held():
                    return
        finally:
            self.leading.clear()
            scheduler.shutdown(wait=False)
            register(self.name, None)
