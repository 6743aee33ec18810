"""The scheduler's APScheduler jobs: few, fixed, and kept in the same database.

APScheduler keeps jobs in a ``SQLAlchemyJobStore`` in the customers' database
(table ``scheduler_jobs``), each with a fixed id, so a restart or a failover
finds the same jobs instead of adding copies. A job is a textual reference to
``run`` (a persistent job store can only hold references) and names the
runtime that serves it; the runtime registers itself here when it leads.

* ``alerts``: every 10 s, misfire grace 60 s (a late tick is as good as the next).
* ``digests``: every 15 s, misfire grace 60 s (``DIGEST_GRACE`` judges lateness).
* ``day-change``: 00:00 in STATUSBOT_TIMEZONE, no misfire limit: the day's
  statuses must be recorded however late, and it is done once per day anyway.
* ``sync``: a 30 s tick that syncs when due (``Jobs.sync_if_due``): every
  STATUSBOT_SYNC_MINUTES after a success, on the sync's backoff after a failure.

Every job coalesces (``coalesce=True``): after an outage each runs once, not
once per missed run. Whether a *post* is still worth making after an outage
is the runners' decision, with the grace of each kind: ``DIGEST_GRACE``
(1 hour) and ``ALERT_GRACE`` (2 hours).
"""

from __future__ import annotations

import logging
from typing import Any, Protocol

from apscheduler.schedulers.base import BaseScheduler
from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

log = logging.getLogger("statusbot.scheduler")

JOB_TABLE = "scheduler_jobs"
ALERTS_SECONDS = 10
DIGESTS_SECONDS = 15
TICK_GRACE_SECONDS = 60
SYNC_TICK_SECONDS = 30


class JobRunner(Protocol):
    def run_job(self, job: str) -> None: ...


_RUNTIMES: dict[str, JobRunner] = {}


def register(name: str, runner: JobRunner | None) -> None:
    """The runtime that serves jobs naming ``name`` (None: nobody, it stopped)."""
    if runner is None:
        _RUNTIMES.pop(name, None)
    else:
        _RUNTIMES[name] = runner


def run(name: str, job: str) -> None:
    """What every stored job calls."""
    runner = _RUNTIMES.get(name)
    if runner is None:  # a stopping scheduler's last tick
        log.info("job %s: no scheduler serves %r here", job, name)
        return
    runner.run_job(job)


def planned_jobs(
    name: str, zone: str, sync_minutes: int | None, ticks: tuple[float, float] | None = None
) -> dict[str, tuple[BaseTrigger, dict[str, Any]]]:
    """Each job's trigger and options (``sync`` only when sources are set); ``ticks``
    (alerts, digests seconds) shortens the ticks for tests."""
    alerts_seconds, digests_seconds = ticks or (ALERTS_SECONDS, DIGESTS_SECONDS)
    tick = {"misfire_grace_time": TICK_GRACE_SECONDS, "executor": "default"}
    jobs: dict[str, tuple[BaseTrigger, dict[str, Any]]] = {
        "alerts": (IntervalTrigger(seconds=alerts_seconds), tick),
        "digests": (IntervalTrigger(seconds=digests_seconds), tick),
        "day-change": (
            CronTrigger(hour=0, minute=0, timezone=zone),
            {"misfire_grace_time": None, "executor": "slow"},
        ),
    }
    if sync_minutes:
        # a tick that syncs when due (Jobs.sync_if_due): every interval, or sooner on backoff
        jobs["sync"] = (
            IntervalTrigger(seconds=min(SYNC_TICK_SECONDS, sync_minutes * 60)),
            {"misfire_grace_time": TICK_GRACE_SECONDS, "executor": "slow"},
        )
    return jobs


def ensure_jobs(
    scheduler: BaseScheduler,
    name: str,
    zone: str,
    sync_minutes: int | None,
    ticks: tuple[float, float] | None = None,
) -> None:
    """Add the jobs, or replace those whose plan changed; leave the others as stored.

    An unchanged job is not replaced, so one that was due while the scheduler was
    down (a day change at midnight) keeps its missed run and runs it now.
    """
    planned = planned_jobs(name, zone, sync_minutes, ticks)
    for job in scheduler.get_jobs():
        if job.id not in planned:
            scheduler.remove_job(job.id)
    for job_id, (trigger, options) in planned.items():
        current = scheduler.get_job(job_id)
        wanted = (_plan(trigger), options["misfire_grace_time"], (name, job_id))
        if (
            current is not None
            and (
                _plan(current.trigger),
                current.misfire_grace_time,
                tuple(current.args),
            )
            == wanted
            and current.executor == options["executor"]
        ):
            continue
        scheduler.add_job(
            run,
            trigger,
            args=(name, job_id),
            id=job_id,
            name=job_id,
            replace_existing=True,
            coalesce=True,
            max_instances=1,
            **options,
        )


def _plan(trigger: BaseTrigger) -> str:
    """What makes two triggers the same plan (an interval's start date does not)."""
    return f"{trigger}@{getattr(trigger, 'timezone', '')}"
