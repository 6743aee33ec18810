"""Posting a reply exactly once, as far as Webex allows (README, "Exactly once").

Every reply goes through ``bot.answering.outgoing.post`` (access checked again, a
fenced ``sending`` record, one attempt). An event whose last attempt may have
posted (``reply_state = 'sending'``: a crash, or a 500/502/504/timeout on the
post) is settled before anything is posted again. In a direct space the bot can
list the space's messages, so it looks for the reply by its fingerprint and
posts only when it is not there. In a group space a bot may only list messages
that mention it, so it cannot tell: it does not post again (at most once; a
second copy of a data card in a shared space is the worse mistake): it raises
``MaybeOut``, and ``bot.answering.processing`` records ``unknown`` with the reason
and posts the one short notice (``bot.answering.apology``: "I may not have
finished answering this…"), so the asker is never left in silence.

A failure is raised as ``PostFailed`` for ``bot.answering.processing`` to retry
later or to fail for good.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from bot.access import Verdict
from bot.answering.outgoing import MaybePosted, NotPosted, Posted, Withheld, fingerprint, post
from bot.inbox.claims import Claim
from bot.retraction import Retractor
from bot.web.metrics import Metrics
from bot.webex.client import WebexClient
from bot.webex.errors import WebexError
from core.statuses import Lang
from handlers import notices
from handlers.reply import Reply

log = logging.getLogger("statusbot.worker")


class PostFailed(Exception):
    """A post did not go through; ``maybe_posted`` when Webex may have posted it."""

    def __init__(self, error: WebexError, *, maybe_posted: bool) -> None:
        super().__init__(error.reason)
        self.error = error
        self.maybe_posted = maybe_posted


class MaybeOut(Exception):
    """An earlier attempt's reply may be out and nobody can tell (a group space)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass
class Attempt:
    """What one attempt learned, for the apology if it finally fails."""

    room_id: str | None
    lang: Lang
    parent_id: str | None = None
    asked: bool = False  # the question was fetched: there is someone to apologise to


@dataclass
class Delivery:
    """Posts one claimed event's reply, and settles one that may already be out."""

    webex: WebexClient
    metrics: Metrics
    clock: Callable[[], datetime]
    is_recorded_reply: Callable[[str], bool]
    retraction: Retractor | None = None  # remembers data-bearing replies to take back

    def deliver(
        self,
        claim: Claim,
        attempt: Attempt,
        reply: Reply,
        audience: Callable[[], Verdict] | None = None,
        *,
        outcome: str = "sent",
    ) -> str:
        """Post through the one outgoing path; a withheld answer becomes the refusal."""
        assert attempt.room_id is not None
        room_id, parent_id = attempt.room_id, attempt.parent_id
        claim.lang = attempt.lang  # recorded with "sending": the notice's language if unknown
        result = post(self.webex, claim, room_id, reply, audience=audience, parent_id=parent_id)
        match result:
            case Posted(message_id):
                self.record_sent(claim, room_id, message_id, outcome)
                waited = (self.clock() - claim.event.received_at).total_seconds()
                self.metrics.reply_seconds.observe(max(0.0, waited))
                return outcome
            case Withheld(verdict):
                refusal = notices.refusal(attempt.lang, space=verdict is Verdict.MEMBER_NOT_ALLOWED)
                return self.deliver(claim, attempt, refusal, outcome="refused")
            case NotPosted(error):
                raise PostFailed(error, maybe_posted=False)
            case MaybePosted(error):
                raise PostFailed(error, maybe_posted=True)
        raise AssertionError(f"unexpected post result {result!r}")

    def settled(self, claim: Claim, room_id: str) -> str | None:
        """The outcome when an earlier attempt's possible post settles the event.

        None means nothing was posted (or nothing was being posted): post now.
        ``MaybeOut`` when it may be out and nobody can tell (a group space).
        """
        event = claim.event
        if event.reply_state != "sending":
            return None
        try:
            found = self.look_for_reply(
                room_id, event.reply_fingerprint, event.reply_started_at or self.clock()
            )
        except WebexError as error:  # can't look now: keep "sending", look again later
            raise PostFailed(error, maybe_posted=True) from None
        if found is None:
            why = event.error or "the worker stopped while posting"
            log.warning("event %s: reply may be out (%s); not posting twice", event.id, why)
            raise MaybeOut(f"a group space can't be checked, not posted again: {why}")
        if found:
            self.record_sent(claim, room_id, found, "sent")
            return "sent"
        return None

    def record_sent(self, claim: Claim, room_id: str, message_id: str, outcome: str) -> None:
        """Record the reply as sent. An answer to a question or a card may carry customer
        data, so the retraction remembers it first (greetings and notices carry none): a
        crash in between leaves a message remembered, never one forgotten."""
        data_bearing = outcome == "sent" and claim.event.resource in (
            "messages",
            "attachmentActions",
        )
        if data_bearing and self.retraction is not None:
            self.retraction.posts.record(room_id, message_id)
        claim.finish(outcome, reply_state="sent", message_id=message_id)

    def look_for_reply(self, room_id: str, print_: str | None, started: datetime) -> str | None:
        """The id of the bot's message with fingerprint ``print_`` posted since ``started``
        that no event has recorded yet; ``""`` when there is none; None when the space
        can't be looked at (a group space)."""
        since = started - timedelta(seconds=5)
        recent = self.webex.list_recent_bot_messages(room_id, since)
        if recent is None:
            return None
        for message in sorted(recent, key=lambda m: m.created or since):
            same = fingerprint(Reply(markdown=message.markdown or "")) == print_
            # an identical answer to an identical question may be there too: each
            # posted message settles one event only
            if same and not self.is_recorded_reply(message.id):
                return message.id
        return ""
