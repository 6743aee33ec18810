"""``GET /readyz``: can this process do its work? The store takes writes, Webex answers.

The endpoint is unauthenticated, so whatever anyone sends it must stay cheap and
bounded, and it must never turn a Webex outage into a bot outage (issue 11):

* each check runs at most once per period, and its answer, ``ok`` or not, is kept
  for that period (a failure too: a probe storm during an outage is no storm on
  Webex); a 429 keeps the failure for as long as Webex asked, up to a bound;
* at most one thread per process runs a check; the others answer at once with
  the last answer, never waiting on Webex (before its first answer, Webex counts
  as unreachable; the store's first answer, local and bounded, is waited for);
* the Webex check is one ``GET /people/me`` with a short timeout and no retries;
* the answer is only ``ok`` or ``unreachable``: the reason goes to the log, once
  per change, never to the caller.

The store check is a write the database has to accept, rolled back: it fails
when the store is read-only, its tables are gone, or (SQLite) its file was moved
away; the Webex check is what every answer needs. Under gunicorn each process
has its own checks, so N processes call Webex at most N times per period.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import Engine

from bot.web.readiness_store import TIMEOUT_SECONDS as STORE_TIMEOUT_SECONDS
from bot.web.readiness_store import StoreProbe
from bot.webex.client import WebexClient
from bot.webex.errors import RetryPolicy, WebexError

log = logging.getLogger("statusbot.readiness")

Clock = Callable[[], float]

#: How long an answer counts: Webex at most once per period per process.
WEBEX_PERIOD_SECONDS = 30.0
#: The store check is local and cheaper; stale answers matter more there.
STORE_PERIOD_SECONDS = 5.0
#: Longest wait on Webex; a probe's own timeout is usually a few seconds.
WEBEX_TIMEOUT_SECONDS = 2.0
#: A 429's Retry-After keeps the failure this long at most.
MAX_HOLD_SECONDS = 300.0


@dataclass(frozen=True)
class Outcome:
    """A check's answer: ``hold`` asks to keep it longer than the period (Retry-After)."""

    ok: bool
    reason: str = ""
    hold: float = 0.0


class CachedCheck:
    """One check's last answer, refreshed at most once per period, by one thread at a time."""

    def __init__(
        self,
        name: str,
        check: Callable[[], Outcome],
        *,
        period: float,
        clock: Clock,
        first_wait: float = 0.0,
    ) -> None:
        """``first_wait``: how long a caller may wait for the very first answer while
        another thread gets it (after that, callers get the last answer at once)."""
        self.name = name
        self._check = check
        self._period = period
        self._clock = clock
        self._first_wait = first_wait
        self._lock = threading.Lock()
        self._ok: bool | None = None
        self._until = float("-inf")

    def ok(self) -> bool:
        if self._clock() < self._until:
            return bool(self._ok)
        if not self._lock.acquire(blocking=False):
            # another thread is checking: answer what was known, without waiting
            if (
                self._ok is None
                and self._first_wait
                and self._lock.acquire(timeout=self._first_wait)
            ):
                self._lock.release()
            return bool(self._ok)
        try:
            if self._clock() < self._until:  # refreshed while this thread came in
                return bool(self._ok)
            outcome = self._run()
            self._until = self._clock() + max(self._period, min(outcome.hold, MAX_HOLD_SECONDS))
            if outcome.ok != self._ok:
                level = logging.INFO if outcome.ok else logging.WARNING
                log.log(level, "readiness: %s %s", self.name, outcome.reason or "ok")
            self._ok = outcome.ok
            return outcome.ok
        finally:
            self._lock.release()

    def _run(self) -> Outcome:
        try:
            return self._check()
        except Exception as error:  # a probe answers; it never raises to the caller
            return Outcome(False, f"unreachable ({type(error).__name__})")


class Readiness:
    """The checks behind ``/readyz``; ``answer()`` is its body and status."""

    def __init__(self, store: CachedCheck, webex: CachedCheck) -> None:
        self.store = store
        self.webex = webex

    @classmethod
    def for_bot(
        cls,
        *,
        database_url: str,
        token: str,
        api_url: str,
        fallback_engine: Engine,
        clock: Clock = time.monotonic,
    ) -> Readiness:
        probe = StoreProbe(database_url, fallback_engine)
        client = WebexClient(
            token, api_url, retry=RetryPolicy(attempts=1), timeout=WEBEX_TIMEOUT_SECONDS
        )
        return cls(
            CachedCheck(
                "store",
                lambda: store_outcome(probe),
                period=STORE_PERIOD_SECONDS,
                clock=clock,
                # local and bounded (a connection and a statement): worth a wait
                first_wait=STORE_TIMEOUT_SECONDS * 3,
            ),
            CachedCheck(
                "webex", lambda: webex_outcome(client), period=WEBEX_PERIOD_SECONDS, clock=clock
            ),
        )

    def answer(self) -> tuple[dict[str, object], int]:
        checks = {"store": self.store.ok(), "webex": self.webex.ok()}
        ready = all(checks.values())
        body: dict[str, object] = {"ready": ready}
        body.update({name: "ok" if ok else "unreachable" for name, ok in checks.items()})
        return body, 200 if ready else 503


def store_outcome(probe: StoreProbe) -> Outcome:
    problem = probe.problem()
    return Outcome(True) if problem is None else Outcome(False, f"unreachable ({problem})")


def webex_outcome(client: WebexClient) -> Outcome:
    """One ``GET /people/me``, no retries (the client is built with one attempt)."""
    try:
        client.me()
    except WebexError as error:
        return Outcome(False, f"unreachable ({error.reason})", hold=error.retry_after or 0.0)
    return Outcome(True)
