"""Received events stored in groups, and handed to this process's own workers.

**Group commit** (``bot.inbox.group``). Each webhook request must not be
answered 2xx before its event is stored (``bot.web.receiver``), but it need not
have a transaction of its own: the events of concurrent requests are stored in
one (``Inbox.record_many``), and each request gets its own answer, stored, a
duplicate, or the error that makes it a 503, only once its row is committed.

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

from typing import Any, Protocol

from bot.inbox.claims import Claim
from bot.inbox.group import GroupCommit
from bot.inbox.store import Inbox

Event = tuple[str, str, dict[str, Any]]


class Workers(Protocol):
    """What the intake needs from this process's worker pool (``bot.answering.worker``)."""

    name: str

    def room(self) -> int:
        """How many events the idle workers could start on now."""

    def hand(self, claim: Claim) -> None:
        """Give a claimed event to an idle worker."""

    def wake(self) -> None:
        """An event was stored unclaimed: a worker may look in the inbox."""


class Intake:
    """Stores received events for the receiver: grouped commits, hand-off to workers."""

    def __init__(self, inbox: Inbox, workers: Workers | None = None) -> None:
        self.inbox = inbox
        self.workers = workers
        self.group: GroupCommit[Event, bool] = GroupCommit(self._store)

    def record(self, resource: str, event_name: str, data: dict[str, Any]) -> bool:
        """Store one event (False: a duplicate); returns once its row is committed."""
        return self.group((resource, event_name, data))

    def _store(self, batch: list[Event]) -> list[bool]:
        workers = self.workers
        room = workers.room() if workers is not None else 0
        answers = self.inbox.record_many(
            batch, worker=workers.name if workers is not None else None, claim=room
        )
        pending = False
        for answer in answers:
            if isinstance(answer, Claim):
                assert workers is not None
                workers.hand(answer)
            elif answer is True:
                pending = True
        if pending and workers is not None:
            workers.wake()
        return [answer is not False for answer in answers]
