"""The inbox worker threads: claim an event, work on it once, repeat.

Several threads and processes share the inbox safely (``bot.inbox.store`` leases
and ``bot.inbox.claims`` fencing). An event this process received while a worker
here was idle arrives already claimed, through a queue (``bot.inbox.intake``);
otherwise a worker claims from the inbox. An idle pool looks in the inbox once per
``poll_seconds`` (one of its threads, not each: every look is a write transaction,
on SQLite under the one write lock), and at once when woken (an event stored here
unclaimed) or while the inbox may hold more (a wake since its last look, or a look
that came back full); that is how a busy pool drains a backlog.
What one attempt does is ``bot.answering.processing``; what the bot answers is
``bot.answering.responder``; how it posts is ``bot.answering.outgoing``. This
module only runs the loop, keeps the leases of what it holds
(``bot.inbox.leases``) and forgets old finished events once in a while.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta
from enum import Enum
from typing import Any

from bot.answering.processing import Processor
from bot.inbox.claims import Claim
from bot.inbox.store import Inbox

log = logging.getLogger("statusbot.worker")


class _Idle(Enum):
    """What a worker waiting for a hand-off got instead of an event."""

    WOKEN = "woken"  # an event was stored unclaimed here (or the pool stops)
    NOTHING = "nothing"  # nothing within the time it waited


class WorkerPool:
    """Threads that claim inbox events and hand them to the processor."""

    def __init__(
        self,
        inbox: Inbox,
        processor: Processor,
        *,
        threads: int = 4,
        poll_seconds: float = 0.5,
        name: str | None = None,
        retention: timedelta = timedelta(days=7),
        prune_every: float = 3600.0,
        pace: Callable[[], None] | None = None,
    ) -> None:
        """``pace``: called before claiming from the inbox and before starting an event;
        it returns when the worker may go on (``bot.inbox.pacing``: webhook requests
        first)."""
        self.inbox = inbox
        self.processor = processor
        self.threads = threads
        self.poll_seconds = poll_seconds
        self.name = name or f"worker-{uuid.uuid4().hex[:8]}"
        self.retention = retention
        self.prune_every = prune_every
        self.pace = pace or (lambda: None)
        self._executor: ThreadPoolExecutor | None = None
        self._pruned_at = 0.0
        self._prune_lock = threading.Lock()
        # claims handed over by bot.inbox.intake; None: look in the inbox (or stop)
        self._handed: queue.SimpleQueue[Claim | None] = queue.SimpleQueue()
        self._idle = 0  # workers waiting for something to do
        self._idle_lock = threading.Lock()
        # when the pool last looked in the inbox; whether it may hold more for us now
        self._look_lock = threading.Lock()
        self._looked_at = -float("inf")
        self._wakes = 0
        self._more = False
        self._stop = threading.Event()
        self._futures: list[Future[Any]] = []

    def wake(self) -> None:
        """An event was stored unclaimed: an idle worker looks in the inbox, and a busy
        one when it is done (until a look comes back short)."""
        with self._look_lock:
            self._wakes += 1
            self._more = True
        if self._handed.qsize() < self.threads:
            self._handed.put(None)

    def room(self) -> int:
        """How many handed events idle workers would start on at once."""
        with self._idle_lock:
            return max(0, self._idle - self._handed.qsize())

    def hand(self, claim: Claim) -> None:
        self._handed.put(claim)

    def start(self) -> None:
        self.processor.keeper.start()
        self._executor = ThreadPoolExecutor(
            max_workers=self.threads, thread_name_prefix="statusbot-worker"
        )
        for index in range(self.threads):
            self._futures.append(self._executor.submit(self._loop, f"{self.name}-{index}"))

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        for _ in range(self.threads):
            self._handed.put(None)
        deadline = time.monotonic() + timeout
        for future in self._futures:
            with contextlib.suppress(Exception):  # stopping; the loop already logged
                future.result(timeout=max(0.0, deadline - time.monotonic()))
        if self._executor is not None:
            self._executor.shutdown(wait=False)
        self._give_back()
        self.processor.keeper.stop()

    def _give_back(self) -> None:
        """Events handed over but not started: back to the inbox for any process now,
        rather than when their lease runs out."""
        while True:
            try:
                claim = self._handed.get_nowait()
            except queue.Empty:
                return
            if claim is None:
                continue
            try:
                claim.release(
                    "not started: the process stopped", self.inbox.clock(), posted_maybe=False
                )
            except Exception as error:  # the lease runs out; it is claimed again then
                log.warning("event %s: not given back (%s)", claim.event.id, type(error).__name__)

    def prune_if_due(self) -> int:
        """Forget old finished events, at most once per ``prune_every`` seconds."""
        now = time.monotonic()
        with self._prune_lock:
            if self._pruned_at and now - self._pruned_at < self.prune_every:
                return 0
            self._pruned_at = now
        removed = self.inbox.prune(self.retention)
        if removed:
            log.info("inbox: forgot %d finished events older than %s", removed, self.retention)
        return removed

    def _loop(self, worker: str) -> None:
        look = True  # a starting worker looks once
        while not self._stop.is_set():
            try:
                self.prune_if_due()
            except Exception as error:  # the database may be restarting: try again later
                log.warning("pruning the inbox failed (%s)", type(error).__name__)
            handed = self._wait(0)  # handed over: received here, or claimed by a peer
            if isinstance(handed, Claim):
                look = self._process(handed)
                continue
            if look or handed is _Idle.WOKEN or self._look_due():
                claim = self._claim(worker)
                if claim is not None:
                    look = self._process(claim)
                    continue
            handed = self._wait(self._until_look())
            # woken: look now; nothing handed in time: the pool's period decides (_look_due)
            look = self._process(handed) if isinstance(handed, Claim) else handed is _Idle.WOKEN

    def _look_due(self) -> bool:
        """Whether this worker looks in the inbox now: the inbox may hold more for us,
        or the pool's period is over (then this worker looks, its peers wait)."""
        with self._look_lock:
            now = time.monotonic()
            if not self._more and now - self._looked_at < self.poll_seconds:
                return False
            self._looked_at = now
            return True

    def _until_look(self) -> float:
        with self._look_lock:
            left = self.poll_seconds - (time.monotonic() - self._looked_at)
        return min(max(left, 0.001), self.poll_seconds)

    def _claim(self, worker: str) -> Claim | None:
        """One event from the inbox for this worker; when more are waiting, up to one per
        thread of this pool in the same transaction, the others handed to its peers."""
        self.pace()
        with self._look_lock:
            wakes = self._wakes
            self._looked_at = time.monotonic()
        try:
            claimed = self.inbox.claim(worker, limit=self.threads)
        except Exception as error:  # the database may be restarting: wait and try again
            log.warning("claiming failed (%s)", type(error).__name__)
            return None
        with self._look_lock:
            if len(claimed) >= self.threads:
                self._more = True  # a full batch: there may be more behind it
            elif self._wakes == wakes:
                self._more = False  # short, and nothing stored unclaimed since it began
        for extra in claimed[1:]:
            self.hand(extra)
        return claimed[0] if claimed else None

    def _wait(self, seconds: float) -> Claim | _Idle:
        """The next handed claim, or why there is none (``seconds`` 0: don't wait)."""
        try:
            if seconds <= 0:
                handed = self._handed.get_nowait()
            else:
                with self._idle_lock:
                    self._idle += 1
                try:
                    handed = self._handed.get(timeout=seconds)
                finally:
                    with self._idle_lock:
                        self._idle -= 1
        except queue.Empty:
            return _Idle.NOTHING
        return _Idle.WOKEN if handed is None else handed

    def _process(self, claim: Claim) -> bool:
        """Work on ``claim``; whether the inbox may hold more for this pool now."""
        if self._stop.is_set():  # stopping: given back by stop()
            self._handed.put(claim)
            return False
        self.pace()
        try:
            self.processor.process(claim)
        except Exception as error:  # not even recorded: the lease runs out, it returns
            log.warning("event %s: not processed (%s)", claim.event.id, type(error).__name__)
        with self._look_lock:
            return self._more
