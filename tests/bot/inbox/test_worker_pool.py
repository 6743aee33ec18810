"""When an idle worker pool looks in the inbox (bot.answering.worker), on SQLite and
PostgreSQL: at once when woken, until a backlog is drained, and on its period for
what another process stored; never only on a period that is far off."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager

from sqlalchemy import event

from bot.answering.worker import WorkerPool
from bot.inbox.claims import Claim
from bot.inbox.leases import LeaseKeeper
from bot.inbox.store import Inbox
from tests.bot.inbox.support import message


class Finisher:
    """A processor that finishes every claim it is given and notes its data id."""

    def __init__(self) -> None:
        self.keeper = LeaseKeeper(60)
        self.done: list[str] = []
        self._lock = threading.Lock()

    def process(self, claim: Claim) -> str:
        claim.finish("ignored")
        with self._lock:
            self.done.append(claim.event.data_id)
        return "ignored"


@contextmanager
def running(
    inbox: Inbox, *, threads: int, poll_seconds: float
) -> Iterator[tuple[WorkerPool, Finisher]]:
    processor = Finisher()
    pool = WorkerPool(inbox, processor, threads=threads, poll_seconds=poll_seconds)  # type: ignore[arg-type]
    pool.start()
    try:
        until(lambda: pool.room() == threads)  # each looked once, found nothing, and waits
        yield pool, processor
    finally:
        pool.stop()


def store_unclaimed(inbox: Inbox, numbers: range) -> None:
    """Stored as by a process with no idle worker: pending, for whoever looks."""
    inbox.record_many([("messages", "created", message(n)) for n in numbers])


def until(check: Callable[[], bool], timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def test_a_woken_pool_looks_at_once_not_on_its_period(inbox: Inbox) -> None:
    with running(inbox, threads=2, poll_seconds=3600) as (pool, processor):
        store_unclaimed(inbox, range(1, 2))
        pool.wake()
        until(lambda: processor.done == ["msg-1"])
    assert inbox.counts() == {"ignored": 1}


def test_one_wake_drains_a_backlog_larger_than_the_pool(inbox: Inbox) -> None:
    """Each look claims at most one event per thread; a full look means there may be
    more, so the workers look again when done, until a look comes back short."""
    with running(inbox, threads=2, poll_seconds=3600) as (pool, processor):
        store_unclaimed(inbox, range(1, 8))
        pool.wake()
        until(lambda: len(processor.done) == 7)
    assert sorted(processor.done) == [f"msg-{n}" for n in range(1, 8)]
    assert inbox.counts() == {"ignored": 7}


def test_what_another_process_stored_is_found_on_the_pools_period(inbox: Inbox) -> None:
    with running(inbox, threads=3, poll_seconds=0.05) as (_pool, processor):
        store_unclaimed(inbox, range(1, 3))  # no wake here: another process stored them
        until(lambda: len(processor.done) == 2)
    assert inbox.counts() == {"ignored": 2}


def test_an_idle_pool_looks_once_a_period_not_once_a_thread(inbox: Inbox) -> None:
    """Every look is a write transaction (on SQLite under the one write lock): four idle
    threads share one look a period. Counted over ten periods, with room for a slow
    machine only on the side of fewer looks."""
    with running(inbox, threads=4, poll_seconds=0.1):
        looks: list[int] = []
        event.listen(inbox.engine, "commit", lambda _connection: looks.append(1))
        time.sleep(1.0)
    assert len(looks) <= 10 + 4  # each thread on its own: about 40
