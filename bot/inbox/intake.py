"""Received events stored in groups, and handed to this process's own workers.

**Group commit.** Each webhook request must not be answered 2xx before its
event is stored (``bot.web.receiver``), but it need not have a transaction of its
own. A request thread adds its event to this process's queue; one of the
waiting threads (the first, then whoever is next) stores everything queued in
one transaction (``Inbox.record_many``) and wakes the others, each with its own
answer: stored, a duplicate, or the error that makes it a 503. So under load
many requests share one commit, and still each is answered only once its row
is committed. Alone, a request stores its own event at once, as before.

**Hand-off.** When this process has idle inbox workers, new events are stored
already claimed for them (in the same transaction: state ``working``, a lease
and a fresh fencing token, like any claim) and passed to them through a queue,
without a claim transaction or a poll. The database claim stays what recovery
rests on: events for which no worker here is idle are stored ``pending`` and
claimed by whichever process polls first, and an event handed off by a process
that dies is claimed again by another when its lease runs out, as for any
worker that dies holding one. Every later write is fenced by the token.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Protocol

from bot.inbox.claims import Claim
from bot.inbox.store import Inbox

#: At most this many events in one transaction (a bound on the statement's size).
MAX_BATCH = 64


class Workers(Protocol):
    """What the intake needs from this process's worker pool (``bot.answering.worker``)."""

    name: str

    def room(self) -> int:
        """How many events the idle workers could start on now."""

    def hand(self, claim: Claim) -> None:
        """Give a claimed event to an idle worker."""

    def wake(self) -> None:
        """An event was stored unclaimed: a worker may look in the inbox."""


@dataclass
class _Waiting:
    event: tuple[str, str, dict[str, Any]]
    done: threading.Event = field(default_factory=threading.Event)
    leads: bool = False  # this request's thread commits the next batch
    stored: bool | None = None
    error: BaseException | None = None


class Intake:
    """Stores received events for the receiver: grouped commits, hand-off to workers."""

    def __init__(self, inbox: Inbox, workers: Workers | None = None) -> None:
        self.inbox = inbox
        self.workers = workers
        self._lock = threading.Lock()
        self._queue: list[_Waiting] = []
        self._busy = False  # a thread is committing a batch

    def record(self, resource: str, event_name: str, data: dict[str, Any]) -> bool:
        """Store one event (False: a duplicate); returns once its row is committed."""
        waiting = _Waiting((resource, event_name, data))
        with self._lock:
            self._queue.append(waiting)
            if not self._busy:
                self._busy = waiting.leads = True
        if not waiting.leads:
            waiting.done.wait()
        if waiting.leads:  # first, or handed the lead by the previous batch
            self._commit_next_batch()
        if waiting.error is not None:
            raise waiting.error
        assert waiting.stored is not None
        return waiting.stored

    def _commit_next_batch(self) -> None:
        """Commit what is queued (this thread's event first among it), answer each
        waiter, and pass the lead to the first of those queued meanwhile."""
        with self._lock:
            batch = self._queue[:MAX_BATCH]
            del self._queue[:MAX_BATCH]
        try:
            self._store(batch)
        except Exception as error:  # the store can't take them: every request answers 503
            for waiting in batch:
                waiting.error = error
        finally:
            with self._lock:
                if self._queue:
                    self._queue[0].leads = True
                    self._queue[0].done.set()
                else:
                    self._busy = False
            for waiting in batch:
                if waiting.stored is None and waiting.error is None:
                    waiting.error = RuntimeError("not stored")
                waiting.done.set()

    def _store(self, batch: list[_Waiting]) -> None:
        workers = self.workers
        room = workers.room() if workers is not None else 0
        answers = self.inbox.record_many(
            [waiting.event for waiting in batch],
            worker=workers.name if workers is not None else None,
            claim=room,
        )
        pending = False
        for waiting, answer in zip(batch, answers, strict=True):
            waiting.stored = answer is not False
            if isinstance(answer, Claim):
                assert workers is not None
                workers.hand(answer)
            elif answer is True:
                pending = True
        if pending and workers is not None:
            workers.wake()
