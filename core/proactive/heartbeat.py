"""Whether a scheduler is posting digests and alerts, for whoever asks.

The one scheduler is a process of its own beside the web workers (``statusbot
run`` starts it), maybe on another host. When it cannot start (the database
refused it, its lock file cannot be made, Webex is away) or has died, the web
workers keep answering and nothing else would say that digests and alerts
stopped. So the leading scheduler writes a heartbeat into the shared database
(``proactive_scheduler``, one row) every ``BEAT_SECONDS`` while it runs the
jobs; ``statusbot doctor`` and ``/metrics`` (``statusbot_scheduler_leading``)
read it. A beat older than ``STALE`` means no scheduler is running the jobs.
"""

from __future__ import annotations

import os
import socket
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Engine, func, select

from core.clock import aware
from core.dialect.statements import upsert
from core.proactive.schema import items, scheduler

#: How often the leader says it is alive.
BEAT_SECONDS = 30.0
#: A beat this old means nobody leads (four beats missed).
STALE = timedelta(seconds=4 * BEAT_SECONDS)


def holder() -> str:
    """Who leads, as an operator looks for it: host and process id."""
    return f"{socket.gethostname()} pid {os.getpid()}"[:200]


@dataclass(frozen=True)
class Beat:
    holder: str
    since: datetime  # leading since
    at: datetime  # the last beat

    def fresh(self, now: datetime) -> bool:
        return now - self.at < STALE


def beat(engine: Engine, who: str, since: datetime, now: datetime) -> None:
    statement = upsert(engine, scheduler).values(id=1, holder=who, since=since, beat_at=now)
    statement = statement.on_conflict_do_update(
        index_elements=["id"], set_={"holder": who, "since": since, "beat_at": now}
    )
    with engine.begin() as connection:
        connection.execute(statement)


def last_beat(engine: Engine) -> Beat | None:
    with engine.connect() as connection:
        row = connection.execute(select(scheduler).where(scheduler.c.id == 1)).first()
    if row is None:
        return None
    return Beat(row.holder, aware(row.since), aware(row.beat_at))


def proactive_items(engine: Engine) -> int:
    """Digests and alert rules configured: what a missing scheduler leaves unposted."""
    with engine.connect() as connection:
        return int(connection.execute(select(func.count()).select_from(items)).scalar_one())


def describe(engine: Engine, now: datetime) -> tuple[bool, str]:
    """``statusbot doctor``'s line: ok, and what it means (a missing scheduler is only
    a problem when there is something to post)."""
    last = last_beat(engine)
    if last is not None and last.fresh(now):
        seconds = int((now - last.at).total_seconds())
        return (
            True,
            f"leading on {last.holder} since {last.since:%Y-%m-%d %H:%M} UTC ({seconds} s ago)",
        )
    configured = proactive_items(engine)
    when = "never" if last is None else f"last on {last.holder} at {last.at:%Y-%m-%d %H:%M} UTC"
    if not configured:
        return True, f"not running ({when}); no digests or alerts are set up"
    return False, (
        f"not running ({when}): {configured} digest(s) and alert rule(s) are not posted;"
        " statusbot run starts it (its log says why it cannot), or run statusbot scheduler"
    )
