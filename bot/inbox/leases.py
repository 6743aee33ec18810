"""Keeping the leases of the events a process is working on.

A claim's lease must not run out while its worker still works: a Webex call
may take its whole timeout, the store may be slow, and a released 429 does
not sleep here but a short in-process retry still may. So one thread per
process renews every held claim every third of a lease (a fenced write,
``Claim.renew``). A claim is then lost only when the process dies, or its
database writes fail for two thirds of a lease; and a lost claim is noticed at
the next fenced write, at the latest the ``sending`` right before a post.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator

from bot.inbox.claims import Claim

log = logging.getLogger("statusbot.leases")


class LeaseKeeper:
    """Renews the leases of the claims held inside :meth:`holding`."""

    def __init__(self, lease_seconds: float) -> None:
        self.interval = max(0.05, lease_seconds / 3)
        self._held: dict[int, Claim] = {}
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    @contextlib.contextmanager
    def holding(self, claim: Claim) -> Iterator[Claim]:
        with self._lock:
            self._held[id(claim)] = claim
        try:
            yield claim
        finally:
            with self._lock:
                self._held.pop(id(claim), None)

    def renew_all(self) -> int:
        """Renew every held claim once; the number still held."""
        with self._lock:
            claims = list(self._held.values())
        kept = 0
        for claim in claims:
            if claim.lost or claim.done:
                continue
            try:
                if not claim.renew():  # (finished by its worker meanwhile: not a takeover)
                    log.warning("event %s: claim taken over", claim.event.id)
                elif not claim.done:
                    kept += 1
            except Exception as error:  # the database may be restarting: try again soon
                kind = type(error).__name__
                log.warning("event %s: lease not renewed (%s)", claim.event.id, kind)
        return kept

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(target=self._loop, name="statusbot-leases", daemon=True)
            self._thread.start()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=5)

    def _loop(self) -> None:
        while not self._stop.wait(self.interval):
            self.renew_all()
