"""The inbox worker threads: claim an event, work on it once, repeat.

Several threads and processes share the inbox safely (``bot.inbox.store`` leases and
``bot.inbox.claims`` fencing). What one attempt does is ``bot.answering.processing``; what the
bot answers is ``bot.answering.responder``; how it posts is ``bot.answering.outgoing``. This module
only runs the loop, keeps the leases of what it holds (``bot.inbox.leases``) and
forgets old finished events once in a while.
"""

from __future__ import annotations

import contextlib
import logging
import threading
import time
import uuid
from concurrent.futures import Future, ThreadPoolExecutor
from datetime import timedelta
from typing import Any

from bot.answering.processing import Processor
from bot.inbox.store import Inbox

log = logging.getLogger("statusbot.worker")


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
    ) -> None:
        self.inbox = inbox
        self.processor = processor
        self.threads = threads
        self.poll_seconds = poll_seconds
        self.name = name or f"worker-{uuid.uuid4().hex[:8]}"
        self.retention = retention
        self.prune_every = prune_every
        self._executor: ThreadPoolExecutor | None = None
        self._pruned_at = 0.0
        self._prune_lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._futures: list[Future[Any]] = []

    def wake(self) -> None:
        self._wake.set()

    def start(self) -> None:
        self.processor.keeper.start()
        self._executor = ThreadPoolExecutor(
            max_workers=self.threads, thread_name_prefix="statusbot-worker"
        )
        for index in range(self.threads):
            self._futures.append(self._executor.submit(self._loop, f"{self.name}-{index}"))

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        deadline = time.monotonic() + timeout
        for future in self._futures:
            with contextlib.suppress(Exception):  # stopping; the loop already logged
                future.result(timeout=max(0.0, deadline - time.monotonic()))
        if self._executor is not None:
            self._executor.shutdown(wait=False)
        self.processor.keeper.stop()

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
        while not self._stop.is_set():
            try:
                self.prune_if_due()
            except Exception as error:  # the database may be restarting: try again later
                log.warning("pruning the inbox failed (%s)", type(error).__name__)
            try:
                claimed = self.inbox.claim(worker)
            except Exception as error:  # the database may be restarting: wait and try again
                log.warning("claiming failed (%s)", type(error).__name__)
                claimed = []
            for claim in claimed:
                try:
                    self.processor.process(claim)
                except Exception as error:  # not even recorded: the lease runs out, it returns
                    kind = type(error).__name__
                    log.warning("event %s: not processed (%s)", claim.event.id, kind)
            if not claimed:
                self._wake.wait(self.poll_seconds)
                self._wake.clear()
