"""Digests: every subscription whose time has come is posted once, on a pool.

The scheduler runs ``DigestRunner.tick`` every few seconds (an APScheduler
interval job, ``bot.scheduler.jobs``). A tick asks each digest's ``Schedule``
for its latest run at or before now, in the space's zone, and posts the ones
whose run is recent and not yet keyed. That one rule gives the behaviour the
issue asks for, whatever happened in between:

* on time: a run is found within seconds of its minute (DST included: the
  schedule reads the space's wall clock);
* missed while the scheduler was down, for a failover or a restart: only the
  *latest* run counts, so many missed runs coalesce into one post;
* late by more than ``DIGEST_GRACE``: not posted at all (the next run will be);
* a digest created after its time today waits for the next run.

Why one tick over the subscriptions and not an APScheduler job per digest:
subscriptions are written by the web workers, and APScheduler's job store can
only be used by the one scheduler process (its FAQ), so per-digest jobs would
be a second copy of the subscriptions to keep in step. The tick reads the one
copy there is, and the post key makes every decision safe to repeat.

Posting happens on the runner's own threads, so 2,000 digests at 08:00, paced
by Webex's 429s, never hold up a tick or the alerts (they have their own pool).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from bot.scheduler.posting import Outgoing, Result, Runner
from core.proactive.models import Digest, DigestEntry
from core.statuses import Lang
from handlers.context import CustomerStore
from handlers.reply import Reply

log = logging.getLogger("statusbot.scheduler")

#: How late a digest may still be posted: a morning digest an hour late is still
#: that morning's; later it would land mid-day, and the next one is at most a day away.
DIGEST_GRACE = timedelta(hours=1)

DigestReply = Callable[[Digest, CustomerStore, date, str, Lang], Reply | None]


def digest_key(item_id: int, run: datetime) -> str:
    """The post key: the subscription and the run it was scheduled for (UTC)."""
    return f"digest:{item_id}:{run:%Y-%m-%dT%H:%MZ}"


@dataclass(kw_only=True, eq=False)
class DigestRunner(Runner):
    customers: CustomerStore
    reply: DigestReply
    grace: timedelta = DIGEST_GRACE
    _in_flight: set[str] = field(default_factory=set, init=False, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False)

    def due(self, now: datetime) -> list[tuple[DigestEntry, datetime]]:
        """Digests whose latest run is within the grace and not posted (nor being posted)."""
        candidates = []
        for entry in self.proactive.all_digests():
            run = entry.digest.schedule.last_run(now, ZoneInfo(entry.zone))
            if run < entry.created_at or now - run > self.grace:
                continue
            candidates.append((entry, run))
        taken = self.ledger.taken_keys([digest_key(e.item_id, run) for e, run in candidates])
        with self._lock:
            return [
                (entry, run)
                for entry, run in candidates
                if digest_key(entry.item_id, run) not in taken | self._in_flight
            ]

    def tick(self) -> int:
        """Hand every due digest to the pool; how many were handed over."""
        due = self.due(self.clock())
        for entry, run in due:
            key = digest_key(entry.item_id, run)
            with self._lock:
                self._in_flight.add(key)
            self.pool.submit(self._post, entry, run, key)
        return len(due)

    def _post(self, entry: DigestEntry, run: datetime, key: str) -> Result:
        try:
            digest = entry.digest
            outgoing = Outgoing(
                key=key,
                kind="digest",
                room_id=digest.room_id,
                build=lambda lang: self.reply(
                    digest, self.customers, self.today(), entry.zone, lang
                ),
            )
            result = self.poster.post(outgoing)
            if result != "taken":
                self.proactive.record_run(digest.room_id, digest.number, run, result)
            return result
        except Exception:  # the pool would swallow it: say it, then let the next tick judge
            log.exception("digest %s could not be posted", key)
            return "failed"
        finally:
            with self._lock:
                self._in_flight.discard(key)
