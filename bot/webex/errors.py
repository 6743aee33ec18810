"""What a failed Webex call means, and how long ``WebexClient.call`` keeps trying.

``WebexError`` is the only exception the client raises for Webex and network
failures; its ``reason`` is short and safe to log and store. ``RetryPolicy``
is the in-process plan (seconds); the patient one (minutes) is
``bot.inbox.retry_plan``, applied by the inbox workers between claims.
"""

from __future__ import annotations

from dataclasses import dataclass

import requests
from webexpythonsdk.exceptions import ApiError, RateLimitError

TRANSIENT = (requests.ConnectionError, requests.Timeout, requests.exceptions.ChunkedEncodingError)


@dataclass(frozen=True)
class RetryPolicy:
    """Bounded: ``attempts`` tries with sleeps of at most ``max_delay`` (backoff) or
    ``max_retry_after`` (429): blips only. A thread that sleeps serves nobody, so a
    longer wait is the caller's (``bot.inbox.retry_plan`` releases the event and the
    thread takes other work); with the 20 s request timeout one call is bounded by
    about a minute even when every attempt times out."""

    attempts: int = 3
    base_delay: float = 0.25
    max_delay: float = 1.0
    max_retry_after: float = 2.0

    def __post_init__(self) -> None:
        if self.attempts < 1 or min(self.base_delay, self.max_delay, self.max_retry_after) < 0:
            raise ValueError("RetryPolicy needs attempts >= 1 and delays >= 0")

    def backoff(self, attempt: int, jitter: float) -> float:
        """Equal jitter: half the capped exponential delay plus ``jitter`` (0..1) of the rest."""
        ceiling = min(self.max_delay, self.base_delay * 2.0 ** (attempt - 1))
        return ceiling / 2 + ceiling / 2 * jitter


class WebexError(Exception):
    """A call failed. ``reason`` is short and safe to store and log (no token, no body).

    ``retryable``: trying later may work (429, 5xx, network). ``ambiguous``: a request that
    is not idempotent may have taken effect anyway (a message may have been posted).
    ``retry_after``: the seconds Webex asked for, on a 429.
    """

    def __init__(
        self,
        reason: str,
        *,
        status_code: int | None = None,
        retryable: bool = False,
        tracking_id: str | None = None,
        retry_after: float | None = None,
        ambiguous: bool = False,
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.status_code = status_code
        self.retryable = retryable
        self.tracking_id = tracking_id
        self.retry_after = retry_after
        self.ambiguous = ambiguous


#: Server errors after which a non-idempotent request may or may not have happened.
AMBIGUOUS_STATUSES = frozenset({500, 502, 504})


def failure_of(what: str, exc: Exception, idempotent: bool) -> WebexError | None:
    """The WebexError for an SDK or network exception; None when it is neither."""
    if isinstance(exc, RateLimitError):
        wait = float(exc.retry_after)
        reason = f"{what}: rate limited (HTTP 429, Retry-After {wait:g}s)"
        return WebexError(
            reason, status_code=429, retryable=True, tracking_id=exc.tracking_id, retry_after=wait
        )
    if isinstance(exc, ApiError):
        status = int(exc.status_code)
        detail = f" ({str(exc.message)[:120]})" if exc.message else ""
        return WebexError(
            f"{what}: HTTP {status}{detail}",
            status_code=status,
            retryable=status >= 500,
            tracking_id=exc.tracking_id,
            # 503 says the request was not taken; 500/502/504 may hide one that was
            ambiguous=status in AMBIGUOUS_STATUSES and not idempotent,
        )
    if isinstance(exc, TRANSIENT):
        kind = "timeout" if isinstance(exc, requests.Timeout) else "connection error"
        sent = not isinstance(exc, requests.ConnectTimeout)
        return WebexError(f"{what}: {kind}", retryable=True, ambiguous=sent and not idempotent)
    return None
