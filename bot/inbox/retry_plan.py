"""When a transient Webex failure is tried again, and when an event has failed for good.

A worker never sleeps through Webex's ``Retry-After`` or a long outage: it
releases the event with a ``not_before`` time and takes other work. The event
is tried again after an exponential backoff with jitter (``first`` seconds,
doubling, at most ``longest``), and never before what a 429's ``Retry-After``
asked for. It is ``failed`` only once the ``window`` since it was received has
passed; the last try is made at the end of the window. The defaults (5 s
doubling up to 2 min, over 15 min) outlast a typical Webex incident while the
asker still cares about the answer; ``STATUSBOT_RETRY_WINDOW_SECONDS`` and
``STATUSBOT_RETRY_FIRST_SECONDS`` change them (CI uses seconds).

Proactive posts use the same plan (``next_try``) with their own records.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta


@dataclass(frozen=True)
class RetryPlan:
    window: timedelta = timedelta(minutes=15)
    first: float = 5.0
    longest: float = 120.0
    jitter: Callable[[], float] = field(default=random.random, compare=False)

    def __post_init__(self) -> None:
        if self.window <= timedelta(0) or self.first <= 0 or self.longest < self.first:
            raise ValueError("RetryPlan needs a positive window and 0 < first <= longest")

    @classmethod
    def over(cls, window_seconds: float, first_seconds: float) -> RetryPlan:
        """The plan for a window; the longest wait is a fifth of it, at most 2 minutes."""
        longest = max(first_seconds, min(120.0, window_seconds / 5))
        return cls(timedelta(seconds=window_seconds), first_seconds, longest)

    def delay(self, attempt: int) -> float:
        """Seconds before try ``attempt + 1``: equal jitter on the capped exponential."""
        ceiling = min(self.longest, self.first * 2.0 ** max(0, attempt - 1))
        return ceiling / 2 + ceiling / 2 * self.jitter()

    def next_try(
        self,
        *,
        received_at: datetime,
        now: datetime,
        attempt: int,
        retry_after: float | None = None,
    ) -> datetime | None:
        """When to try again after failed try ``attempt``; None when the window is over."""
        deadline = received_at + self.window
        if now >= deadline:
            return None
        wait = max(self.delay(attempt), retry_after or 0.0)
        return min(now + timedelta(seconds=wait), deadline)
