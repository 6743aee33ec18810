"""One attempt at one claimed event, and what a failure means: later, or never.

* A transient failure (429 with any ``Retry-After``, 503, no connection, a
  read timeout, the store restarting) releases the event with a
  ``not_before`` from ``bot.inbox.retry_plan``: the worker sleeps through nothing.
* A post that may have gone out (500/502/504 or a timeout on the POST) is
  released too, still ``sending``, and settled by the next attempt
  (``bot.answering.responder``) after at least ``settle_seconds`` (twice the request
  timeout: a request Webex was still working on when ours gave up has landed by then;
  one timeout's margin was seen too thin on a loaded machine, where the reply landed
  after the look and was posted twice).
* Only when the plan's window is over, or the failure is not one that
  passes (a 4xx, a bug in our code), does the event fail for good. Then the
  asker gets one short apology in their language (``handlers.notices.failure``)
  when Webex lets us post it, unless the answer may already be out
  (``unknown``: an apology next to an answer would be wrong). Then, never a
  second answer, but one short notice (``handlers.notices.maybe_unanswered``,
  the same machinery as the apology): if the answer is not just above, ask again.
* A worker that lost its claim stops without writing anything.
"""

from __future__ import annotations

import logging
import traceback
from dataclasses import dataclass, field

from sqlalchemy.exc import InterfaceError, OperationalError

from bot.answering.apology import DUE, Apologies
from bot.answering.delivery import Attempt, MaybeOut, PostFailed
from bot.answering.responder import Responder
from bot.inbox.claims import Claim, LostClaim
from bot.inbox.leases import LeaseKeeper
from bot.inbox.retry_plan import RetryPlan
from bot.web.metrics import Metrics
from bot.webex.errors import WebexError

log = logging.getLogger("statusbot.worker")

#: Database errors that pass (a restart, a lost connection, a lock): retried, not failed.
TRANSIENT_STORE_ERRORS = (OperationalError, InterfaceError)


@dataclass(frozen=True)
class Failure:
    """Why an attempt failed; ``reason`` is safe to log and store (no data, no text)."""

    reason: str
    transient: bool
    retry_after: float | None = None
    maybe_posted: bool | None = None  # None: the post's result is not known (see _failed)
    apologise: bool = True


@dataclass
class Processor:
    responder: Responder
    plan: RetryPlan
    keeper: LeaseKeeper
    metrics: Metrics
    settle_seconds: float = 20.0
    apologies: Apologies = field(init=False)

    def __post_init__(self) -> None:
        self.apologies = Apologies(self.responder.webex, self.plan)

    def process(self, claim: Claim) -> str:
        """Work on ``claim`` once; the outcome (``retrying`` when released for later)."""
        event = claim.event
        attempt = Attempt(room_id=event.room_id, lang=self.responder.default_lang)
        with self.keeper.holding(claim):
            try:
                if event.reply_state in DUE:  # the answer failed or may be out; only this left
                    attempt.lang = "sv" if event.reply_lang == "sv" else "en"
                    now = self.responder.clock()
                    unknown = DUE[event.reply_state]
                    reason = event.error or ("unknown" if unknown else "failed")
                    outcome = self.apologies.offer(claim, attempt, reason, now, unknown=unknown)
                else:
                    outcome = self.responder.respond(claim, attempt)
            except MaybeOut as out:
                outcome = self._unknown(claim, attempt, out.reason)
            except LostClaim:
                log.warning("event %s: claim taken over; stopped without posting", event.id)
                return "lost"
            except PostFailed as failed:
                outcome = self._failed(claim, attempt, _webex_failure(failed.error, failed))
            except WebexError as error:
                outcome = self._failed(claim, attempt, _webex_failure(error, None))
            except TRANSIENT_STORE_ERRORS as error:
                reason = f"store unavailable ({type(error).__name__})"
                outcome = self._failed(claim, attempt, Failure(reason, transient=True))
            except Exception as error:  # a bug: the worker goes on, the asker hears from us
                log.error("event %s: a bug: %s", event.id, _where(error))
                failure = Failure(f"bug: {_where(error)}", transient=False)
                outcome = self._failed(claim, attempt, failure)
        log.info(
            "event %s %s/%s: %s",
            event.id,
            event.resource,
            event.event,
            outcome,
            extra={"event_id": event.id, "resource": event.resource, "outcome": outcome},
        )
        self.metrics.replies.labels(outcome).inc()
        return outcome

    def _failed(self, claim: Claim, attempt: Attempt, failure: Failure) -> str:
        """Release for later, or finish for good (with the apology); the outcome.

        The reply may be out when this attempt's post was ambiguous, when this
        attempt began posting and then broke, or when an earlier attempt left
        ``sending`` and this one failed before it could look.
        """
        event = claim.event
        now = self.responder.clock()
        maybe_posted = failure.maybe_posted
        if maybe_posted is None:
            maybe_posted = claim.posting or event.reply_state == "sending"
        try:
            if failure.transient or maybe_posted:
                wait = failure.retry_after or 0.0
                if maybe_posted:
                    wait = max(wait, self.settle_seconds)
                due = self.plan.next_try(
                    received_at=event.received_at, now=now, attempt=event.attempts, retry_after=wait
                )
                if due is not None:
                    log.warning("event %s: %s; trying again at %s", event.id, failure.reason, due)
                    # an earlier attempt's possible post keeps its reason: it is what settles
                    earlier = maybe_posted and not claim.posting and event.error
                    claim.release(earlier or failure.reason, due, posted_maybe=maybe_posted)
                    return "retrying"
            found = self._last_look(claim, attempt) if maybe_posted else ""
            if found and attempt.room_id is not None:
                self.responder.delivery.record_sent(claim, attempt.room_id, found, "sent")
                return "sent"
            if found is None:
                # the window is over and the answer may be out: not posted again, and the
                # reason kept is the post's that left it maybe out, not the last failure's
                earlier = not claim.posting and event.reply_state == "sending" and event.error
                _answered_in(claim, attempt)
                return self.apologies.offer(
                    claim, attempt, earlier or failure.reason, now, unknown=True
                )
            log.error("event %s failed: %s", event.id, failure.reason)
            if not failure.apologise:
                claim.finish("failed", reply_state="failed", error=failure.reason)
                return "failed"
            return self.apologies.offer(claim, attempt, failure.reason, now)
        except LostClaim:
            return "lost"
        except TRANSIENT_STORE_ERRORS as error:  # the lease runs out; the event is claimed again
            log.warning("event %s: not recorded (%s)", event.id, type(error).__name__)
            return "retrying"

    def _unknown(self, claim: Claim, attempt: Attempt, reason: str) -> str:
        """An earlier attempt's reply may be out and nobody can look (a group space):
        ``unknown``, with the one short notice in the language it was answered in."""
        _answered_in(claim, attempt)
        try:
            return self.apologies.offer(
                claim, attempt, reason, self.responder.clock(), unknown=True
            )
        except LostClaim:
            return "lost"
        except TRANSIENT_STORE_ERRORS as error:  # the lease runs out; the event is claimed again
            log.warning("event %s: not recorded (%s)", claim.event.id, type(error).__name__)
            return "retrying"

    def _last_look(self, claim: Claim, attempt: Attempt) -> str | None:
        """At the end of the window, a last look where Webex allows one (a direct space),
        so a persistent 500 there ends in an apology rather than in silence: the reply's
        message id, ``""`` when it is not there, None when nobody can tell."""
        if attempt.room_id is None or claim.fingerprint is None or claim.started_at is None:
            return None
        try:
            return self.responder.delivery.look_for_reply(
                attempt.room_id, claim.fingerprint, claim.started_at
            )
        except WebexError:
            return None


def _answered_in(claim: Claim, attempt: Attempt) -> None:
    """The notice for a reply that may be out goes in the language of that reply: this
    attempt's, or the one recorded with an earlier attempt's ``sending``."""
    recorded = claim.event.reply_lang
    if not claim.posting and claim.event.reply_state == "sending" and recorded is not None:
        attempt.lang = "sv" if recorded == "sv" else "en"


def _webex_failure(error: WebexError, failed: PostFailed | None) -> Failure:
    maybe = None if failed is None else failed.maybe_posted
    # a 4xx on fetching the question: it is gone or not ours; there is nobody to apologise to
    gone = failed is None and error.status_code in (403, 404, 410)
    return Failure(
        error.reason,
        transient=error.retryable,
        retry_after=error.retry_after,
        maybe_posted=maybe,
        apologise=not gone,
    )


def _where(error: BaseException) -> str:
    """The exception's type and where it was raised, never its message (it may hold data)."""
    frames = traceback.extract_tb(error.__traceback__)[-3:]
    places = ", ".join(f"{f.filename.rsplit('/', 1)[-1]}:{f.lineno} {f.name}" for f in frames)
    return f"{type(error).__name__} at {places}"
