"""The one short apology an asker gets when their answer finally failed.

``handlers.notices.failure`` in the asker's language, in the space of the
question (in its thread when known), posted through ``bot.answering.outgoing`` like any
reply. Recorded as ``apologizing`` right before the post, so a crash there
never posts a second one. When Webex will not take it yet (a 429, a 503: the
outage that failed the answer is often still going on), the event is given
back as ``apology_due`` and only the apology is tried again, under the same
retry plan, counted from when it became due. No apology is posted where the
answer may already be out (``unknown``), nor for a greeting that failed.
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

#: Recorded with a failed answer whose apology met a 500/502/504 or a timeout.
APOLOGY_MAYBE = "the apology may be out"


@dataclass(frozen=True)
class Apologies:
    webex: WebexClient
    plan: RetryPlan

    def offer(self, claim: Claim, attempt: Attempt, reason: str, now: datetime) -> str:
        """Post the apology for ``claim``'s failed answer (or schedule it); the outcome."""
        event = claim.event
        if attempt.room_id is None or event.resource == "memberships":
            claim.finish("failed", reply_state="failed", error=reason)
            return "failed"
        started = event.reply_started_at if event.reply_state == "apology_due" else None
        result = post(
            self.webex,
            _ApologyFence(claim),
            attempt.room_id,
            notices.failure(attempt.lang),
            parent_id=attempt.parent_id,
        )
        if isinstance(result, Posted):
            claim.finish("failed", reply_state="failed", error=reason, apology_id=result.message_id)
            return "failed"
        if isinstance(result, NotPosted) and result.error.retryable:
            due = self.plan.next_try(
                received_at=started or now,
                now=now,
                attempt=event.attempts,
                retry_after=result.error.retry_after,
            )
            if due is not None:
                log.warning("event %s: apology not posted yet (%s)", event.id, result.error.reason)
                claim.owe_apology(reason, due, attempt.lang)
                return "retrying"
        if isinstance(result, MaybePosted):  # posted at most once: don't try again
            log.warning("event %s: apology may be out: %s", event.id, result.error.reason)
            claim.finish("failed", reply_state="failed", error=f"{reason}; {APOLOGY_MAYBE}")
            return "failed"
        if isinstance(result, NotPosted):
            log.warning("event %s: apology not posted: %s", event.id, result.error.reason)
        claim.finish("failed", reply_state="failed", error=reason)
        return "failed"


@dataclass(frozen=True)
class _ApologyFence:
    """The apology is recorded as ``apologizing`` before it goes: posted at most once."""

    claim: Claim

    def sending(self, fingerprint: str) -> None:
        self.claim.apologizing()
