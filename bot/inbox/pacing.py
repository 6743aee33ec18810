"""Receiving first: the inbox workers start an event when no webhook is being received.

A process's webhook requests and its inbox workers share one interpreter lock
and the machine's cores. Answering an event costs several times what storing it
does (Webex calls, a card, fenced writes), so under a burst of deliveries the
workers took most of the CPU and Webex waited for its 200s (issue 12: at
saturation, 76 % of the bot's samples were its workers). Acknowledging is what
Webex times out on; an answer a second later is not late.

So each worker, before it claims or starts an event, waits until this process
has no webhook request in flight and had one for less than half of the last
20 ms (:meth:`Receiving.wait_turn`). At the rates the machine sustains that is
at once, or within a request. Under a burst the workers wait, each at most
``longest`` seconds, then go ahead anyway: answering
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
from collections import deque
from collections.abc import Iterator

#: How long a worker lets requests go first before it starts its event anyway.
LONGEST_WAIT = 0.5

#: How often the waiting worker looks again (it sleeps, holding no lock the requests need).
LOOK_EVERY = 0.002

#: A worker starts when no request is in flight and requests kept the process busy for
#: less than ``BUSIEST`` of the last ``WINDOW`` seconds. The moment alone would not do:
#: under a burst there are many short ones with no request inside the view (gunicorn
#: reads each request before it and writes the answer after it), and a worker that
#: starts in one competes with the requests for its whole event.
WINDOW = 0.02
BUSIEST = 0.5


class Receiving:
    """Webhook requests in flight in this process, and the workers' turn to start."""

    def __init__(
        self, longest: float = LONGEST_WAIT, *, window: float = WINDOW, busiest: float = BUSIEST
    ) -> None:
        self.longest, self.window, self.busiest = longest, window, busiest
        self._in_flight = 0
        self._busy_since = 0.0  # when the requests in flight began to be (time.monotonic)
        self._busy: deque[tuple[float, float]] = deque(maxlen=256)  # recent busy spells
        self._count_lock = threading.Lock()
        self._turn = threading.Lock()  # held by the worker that looks

    @contextlib.contextmanager
    def request(self) -> Iterator[None]:
        """Around one webhook request."""
        with self._count_lock:
            if not self._in_flight:
                self._busy_since = time.monotonic()
            self._in_flight += 1
        try:
            yield
        finally:
            with self._count_lock:
                self._in_flight -= 1
                if not self._in_flight:
                    self._busy.append((self._busy_since, time.monotonic()))

    @property
    def in_flight(self) -> int:
        return self._in_flight

    def busy_share(self) -> float:
        """The share of the last ``window`` seconds with a request in flight."""
        now = time.monotonic()
        since = now - self.window
        with self._count_lock:
            busy = now - max(self._busy_since, since) if self._in_flight else 0.0
            for began, ended in reversed(self._busy):
                if ended <= since:
                    break
                busy += ended - max(began, since)
        return busy / self.window

    def quiet(self) -> bool:
        return not self._in_flight and self.busy_share() < self.busiest

    def wait_turn(self) -> None:
        """Return when it is :meth:`quiet`, or after ``longest`` seconds of waiting for
        that (then the worker goes ahead: answering never stops). One waiting worker
        looks; the others wait for it, within their own ``longest``."""
        if self.quiet():
            return
        deadline = time.monotonic() + self.longest
        if not self._turn.acquire(timeout=self.longest):
            return
        try:
            while not self.quiet() and time.monotonic() < deadline:
                time.sleep(LOOK_EVERY)
        finally:
            self._turn.release()
