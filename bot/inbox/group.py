"""Group commit: the writes of concurrent threads carried out in one transaction.

Each caller must not go on before its write is committed, but it need not have
a transaction of its own. A caller adds its item to the queue; one of the
waiting threads (the first, then whoever is next) carries out everything queued
at once (``carry_out``: one transaction) and wakes the others, each with its
own result, or with the error that ended the transaction. So under load many
writes share one commit, and still each caller returns only once its own is
committed. Alone, a caller carries out its own item at once, with no wait.

The receiver's inserts (``bot.inbox.intake``) and the workers' fenced writes
(``bot.inbox.claims``) each go through one.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Generic, TypeVar

Item = TypeVar("Item")
Result = TypeVar("Result")

#: At most this many items in one transaction (a bound on its size and its statements).
MAX_BATCH = 64


@dataclass
class _Waiting(Generic[Item, Result]):
    item: Item
    done: threading.Event = field(default_factory=threading.Event)
    leads: bool = False  # this caller's thread carries out the next batch
    answered: bool = False
    result: Result | None = None
    error: BaseException | None = None


class GroupCommit(Generic[Item, Result]):
    """``carry_out(items)`` returns one result per item, in order, once all are committed;
    if it raises, every caller of that batch raises the same error."""

    def __init__(
        self, carry_out: Callable[[list[Item]], Sequence[Result]], *, most: int = MAX_BATCH
    ) -> None:
        self._carry_out = carry_out
        self._most = most
        self._lock = threading.Lock()
        self._queue: list[_Waiting[Item, Result]] = []
        self._busy = False  # a thread is carrying out a batch

    def __call__(self, item: Item) -> Result:
        waiting: _Waiting[Item, Result] = _Waiting(item)
        with self._lock:
            self._queue.append(waiting)
            if not self._busy:
                self._busy = waiting.leads = True
        if not waiting.leads:
            waiting.done.wait()
        if waiting.leads:  # first, or handed the lead by the previous batch
            self._carry_out_next_batch()
        if waiting.error is not None:
            raise waiting.error
        assert waiting.answered
        return waiting.result  # type: ignore[return-value]  # Result may itself be None

    @property
    def busy(self) -> bool:
        return self._busy

    @property
    def queued(self) -> int:
        return len(self._queue)

    def _carry_out_next_batch(self) -> None:
        """Carry out what is queued (this thread's item first among it), answer each
        waiter, and pass the lead to the first of those queued meanwhile."""
        with self._lock:
            batch = self._queue[: self._most]
            del self._queue[: self._most]
        try:
            results = self._carry_out([waiting.item for waiting in batch])
            for waiting, result in zip(batch, results, strict=True):
                waiting.result, waiting.answered = result, True
        except Exception as error:  # the transaction failed: every caller of it sees why
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
                if not waiting.answered and waiting.error is None:
                    waiting.error = RuntimeError("not carried out")
                waiting.done.set()
