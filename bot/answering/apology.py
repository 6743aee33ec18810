"""The one short apology an asker gets when their answer finally failed, and the one
short notice when it may or may not be out and nobody can tell.

``handlers.notices.failure`` (or, for an ``unknown`` outcome,
``handlers.notices.maybe_unanswered``: "I may not have finished answering this…")
in the asker's language, in the space of the question (in its thread when known),
posted through ``bot.answering.outgoing`` like any reply. Recorded as
``apologizing`` (``noticing``) right before the post, so a crash there never
posts a second one. When Webex will not take it yet (a 429, a 503: the outage
that failed the answer is often still going on), the event is given back as
``apology_due`` (``notice_due``) and only that is tried again, under the same
retry plan, counted from when it became due. The notice is never a second
answer: the answer itself is not posted again. Nothing is said for a greeting
or another space event (``memberships``): nobody asked.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from bot.answering.delivery import Attempt
from bot.answering.outgoing import MaybePosted, NotPosted, Posted, post
from bot.inbox.claims import Claim
from bot.inbox.retry_plan import RetryPlan
from bot.webex.client import WebexClient
from handlers import notices

log = logging.getLogger("statusbot.worker")

#: Recorded with a failed answer whose apology (or notice) met a 500/502/504 or a timeout.
APOLOGY_MAYBE = "the apology may be out"

#: The reply states of a due apology or notice, and whether each is the notice.
DUE = {"apology_due": False, "notice_due": True}
#: The reply states of one being posted (a crash there: it is posted at most once).
POSTING = {"apologizing": False, "noticing": True}


@dataclass(frozen=True)
class Apologies:
    webex: WebexClient
    plan: RetryPlan

    def offer(
        self, claim: Claim, attempt: Attempt, reason: str, now: datetime, *, unknown: bool = False
    ) -> str:
        """Post the apology for ``claim``'s failed answer, or with ``unknown`` the notice
        for an answer that may be out (or schedule it); the outcome, ``failed`` or
        ``unknown`` (``retrying`` while it is due)."""
        event = claim.event
        outcome = "unknown" if unknown else "failed"
        if attempt.room_id is None or event.resource == "memberships":
            claim.finish(outcome, reply_state=outcome, error=reason)
            return outcome
        started = event.reply_started_at if event.reply_state in DUE else None
        said = notices.maybe_unanswered if unknown else notices.failure
        result = post(
            self.webex,
            _ApologyFence(claim, "noticing" if unknown else "apologizing"),
            attempt.room_id,
            said(attempt.lang),
            parent_id=attempt.parent_id,
        )
        if isinstance(result, Posted):
            claim.finish(outcome, reply_state=outcome, error=reason, apology_id=result.message_id)
            return outcome
        if isinstance(result, NotPosted) and result.error.retryable:
            due = self.plan.next_try(
                received_at=started or now,
                now=now,
                attempt=event.attempts,
                retry_after=result.error.retry_after,
            )
            if due is not None:
                log.warning(
                    "event %s: %s not posted yet (%s)", event.id, said.__name__, result.error.reason
                )
                claim.owe_apology(
                    reason, due, attempt.lang, due="notice_due" if unknown else "apology_due"
                )
                return "retrying"
        if isinstance(result, MaybePosted):  # posted at most once: don't try again
            log.warning("event %s: %s may be out: %s", event.id, said.__name__, result.error.reason)
            claim.finish(outcome, reply_state=outcome, error=f"{reason}; {APOLOGY_MAYBE}")
            return outcome
        if isinstance(result, NotPosted):
            log.warning("event %s: %s not posted: %s", event.id, said.__name__, result.error.reason)
        claim.finish(outcome, reply_state=outcome, error=reason)
        return outcome


@dataclass(frozen=True)
class _ApologyFence:
    """The apology (notice) is recorded as ``apologizing`` (``noticing``) before it goes:
    posted at most once."""

    claim: Claim
    state: str = "apologizing"

    def sending(self, fingerprint: str) -> None:
        self.claim.apologizing(self.state)
