"""Receiving first: the inbox workers start an event when no webhook is being received.

A process's webhook requests and its inbox workers share one interpreter lock
and the machine's cores. Answering an event costs several times what storing it
does (Webex calls, a card, fenced writes), so under a burst of deliveries the
workers took most of the CPU and Webex waited for its 200s (issue 12: at
saturation, 76 % of the bot's samples were its workers). Acknowledging is what
Webex times out on; an answer a second later is not late.

So each worker, before it claims or starts an event, waits until this process
has no webhook request in flight (:meth:`Receiving.wait_turn`). Between
requests, at any rate the machine sustains, that is at once. Under a burst the
workers wait, each at most ``longest`` seconds, then go ahead anyway: answering
goes on at a floor of one event per worker thread per ``longest``, and the
backlog drains at full speed when the burst ends. The wait is shorter than any
lease (at least a second), so an event handed over already claimed
(``bot.inbox.intake``) still holds its lease when its worker starts. Nothing
about the events changes: what is stored is answered exactly once by the same
claims and fencing; only when a worker starts differs.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Iterator

#: How long a worker lets requests go first before it starts its event anyway.
LONGEST_WAIT = 0.5

#: How often the waiting worker looks again (it sleeps, holding no lock the requests need).
LOOK_EVERY = 0.002


class Receiving:
    """Webhook requests in flight in this process, and the workers' turn to start."""

    def __init__(self, longest: float = LONGEST_WAIT) -> None:
        self.longest = longest
        self._in_flight = 0
        self._count_lock = threading.Lock()
        self._turn = threading.Lock()  # held by the worker that looks

    @contextlib.contextmanager
    def request(self) -> Iterator[None]:
        """Around one webhook request."""
        with self._count_lock:
            self._in_flight += 1
        try:
            yield
        finally:
            with self._count_lock:
                self._in_flight -= 1

    @property
    def in_flight(self) -> int:
        return self._in_flight

    def wait_turn(self) -> None:
        """Return when no request is in flight, or after ``longest`` seconds of waiting
        for that (then the worker goes ahead: answering never stops). One waiting
        worker looks; the others wait for it, within their own ``longest``."""
        if not self._in_flight:
            return
        deadline = time.monotonic() + self.longest
        if not self._turn.acquire(timeout=self.longest):
            return
        try:
            while self._in_flight and time.monotonic() < deadline:
                time.sleep(LOOK_EVERY)
        finally:
            self._turn.release()
