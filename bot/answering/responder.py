"""What the bot answers to one claimed inbox event, posted through ``bot.answering.outgoing``.

Each claim of an event is one attempt: fetch the question, check who is in
the space (afresh: issue 11), build the answer, post it once. A failure is raised (``PostFailed`` or
``WebexError``) for ``bot.answering.processing`` to retry later or to fail for good;
this module only decides what to say.

Exactly once, as far as Webex allows (README, "Exactly once"): an event whose
last attempt may have posted (``reply_state = 'sending'``: a crash, or a
500/502/504/timeout on the post) is settled before anything is posted again.
In a direct space the bot can list the space's messages, so it looks for the
reply by its fingerprint and posts only when it is not there. In a group space
a bot may only list messages that mention it, so it cannot tell: it does not
post again (at most once; a second copy of a data card in a shared space is
the worse mistake) and records ``unknown`` with the reason.

Replays: Webex's signature has no timestamp, so a captured delivery can be
sent again after its event was forgotten (``STATUSBOT_INBOX_RETENTION_DAYS``).
A message or card submission created longer ago than ``replay_window``
(``STATUSBOT_REPLAY_WINDOW_HOURS``, shorter than the retention) is recorded
as ``replayed`` and not answered. The creation time is Webex's own, fetched
over the API, so a replayed envelope cannot fake it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import partial
from typing import Any

from bot import audit
from bot.access import AccessPolicy, Person, Verdict
from bot.answering.audience import Audience
from bot.answering.followed_lang import FollowedLanguages
from bot.answering.outgoing import MaybePosted, NotPosted, Posted, Withheld, fingerprint, post
from bot.answering.space_events import SPACE_EVENTS, handle_space_event
from bot.inbox.claims import Claim
from bot.retraction import Retractor
from bot.web.metrics import Metrics
from bot.webex.client import WebexClient
from bot.webex.errors import WebexError
from bot.webex.models import BotIdentity
from core.proactive.store import ProactiveStore
from core.sources.freshness import DataStatusCache
from core.statuses import Lang
from core.store import Store
from handlers import notices
from handlers.context import Context
from handlers.grammar.parser import parse
from handlers.manifest import Manifest
from handlers.registry import handle
from handlers.reply import Reply
from handlers.submissions import handle_submission

log = logging.getLogger("statusbot.worker")

#: Builds the answer to a parsed command (``handlers.registry.handle``; replaceable in tests).
Answerer = Callable[[Any, Context], Reply]


class PostFailed(Exception):
    """A post did not go through; ``maybe_posted`` when Webex may have posted it."""

    def __init__(self, error: WebexError, *, maybe_posted: bool) -> None:
        super().__init__(error.reason)
        self.error = error
        self.maybe_posted = maybe_posted


@dataclass
class Attempt:
    """What one attempt learned, for the apology if it finally fails."""

    room_id: str | None
    lang: Lang
    parent_id: str | None = None
    asked: bool = False  # the question was fetched: there is someone to apologise to


@dataclass
class Responder:
    """Turns one claimed event into at most one reply."""

    store: Store
    webex: WebexClient
    policy: AccessPolicy
    identity: BotIdentity
    manifest: Manifest
    metrics: Metrics
    today: Callable[[], date]
    clock: Callable[[], datetime]
    languages: FollowedLanguages  # the space's chosen language and the one it last spoke in
    set_space_language: Callable[[str, str | None], None]
    is_recorded_reply: Callable[[str], bool]
    leave_outsider_spaces: bool = False
    default_lang: Lang = "en"
    replay_window: timedelta = timedelta(hours=24)
    retraction: Retractor | None = None  # takes data back when an outsider joins
    proactive: ProactiveStore | None = None  # digests and alerts follow their space
    # how old the data is, said on cards (STATUSBOT_STALE_MINUTES, STATUSBOT_TIMEZONE)
    stale_after: timedelta = timedelta(minutes=60)
    zone: str = "UTC"
    answer: Answerer = handle
    audience: Audience = field(init=False)
    data_status: DataStatusCache = field(init=False)  # the cards' "Data as of" line

    def __post_init__(self) -> None:
        self.audience = Audience(self.webex, self.policy, self.identity, self.metrics)
        self.data_status = DataStatusCache(self.store)

    def respond(self, claim: Claim, attempt: Attempt) -> str:
        """Work on the event once; the outcome recorded."""
        event = claim.event
        if event.reply_state == "apologizing":  # a crash mid-apology: it is posted at most once
            claim.finish("failed", reply_state="failed", error=event.error)
            return "failed"
        kind = (event.resource, event.event)
        if kind == ("messages", "created"):
            return self._message(claim, attempt)
        if kind == ("attachmentActions", "created"):
            return self._card_submission(claim, attempt)
        if kind == ("memberships", "created"):
            return self._joined(claim, attempt)
        if kind in SPACE_EVENTS and self.proactive is not None:
            outcome = handle_space_event(
                *kind, event.data, bot_id=self.identity.id, proactive=self.proactive
            )
            claim.finish(outcome)
            return outcome
        claim.finish("ignored")
        return "ignored"

    # -- messages and card submissions -------------------------------------------------

    def _message(self, claim: Claim, attempt: Attempt) -> str:
        event = claim.event
        if event.person_id == self.identity.id:
            claim.finish("ignored")  # the bot hears its own messages
            return "ignored"
        message = self.webex.message(event.data_id)
        langs = self.languages.read(message.room_id)  # chosen, and last spoken ("filter")
        attempt.room_id, attempt.parent_id = message.room_id, message.parent_id
        attempt.lang, attempt.asked = langs.reply_lang(self.default_lang), True
        done = self._replayed(claim, message.created) or self._settled(claim, message.room_id)
        if done is not None:
            return done
        asker = self.audience.asker(message.person_id, message.person_email)
        today = self.today()
        parsed = parse(
            message.text or "",
            today=today,
            bot_names=(self.identity.display_name, self.identity.first_name),
            default_lang=attempt.lang,
        )
        attempt.lang = langs.chosen or parsed.lang
        self.languages.remember(message.room_id, parsed.lang, langs)
        check = self.audience.check(event.id, message.room_id, message.room_type, asker)
        refused = self._refused(claim, attempt, check)
        if refused is not None:
            return refused
        context = self._context(message.room_id, message.person_id, asker, attempt.lang, today)
        reply = self.answer(parsed.command, context)
        outcome = self._deliver(claim, attempt, reply)
        if outcome == "sent" and reply.language == "auto":  # follow each question again
            self.set_space_language(message.room_id, None)
        elif outcome == "sent" and reply.language is not None:
            self.set_space_language(message.room_id, reply.language)
        return outcome

    def _card_submission(self, claim: Claim, attempt: Attempt) -> str:
        action = self.webex.attachment_action(claim.event.data_id)
        if action.person_id == self.identity.id:
            claim.finish("ignored")
            return "ignored"
        attempt.room_id, attempt.asked = action.room_id, True
        attempt.lang = self._space_lang(action.room_id)
        done = self._replayed(claim, action.created) or self._settled(claim, action.room_id)
        if done is not None:
            return done
        asker = self.audience.asker(action.person_id, None)
        check = self.audience.check(claim.event.id, action.room_id, None, asker)
        refused = self._refused(claim, attempt, check)
        if refused is not None:
            return refused
        context = self._context(action.room_id, action.person_id, asker, attempt.lang, self.today())
        reply = handle_submission(action.inputs, context)
        if reply.refusal is not None:  # a card payload that was changed or is outdated
            audit.refused(self.metrics, claim.event.id, reply.refusal, outcome="rejected")
            return self._deliver(claim, attempt, reply, outcome="rejected")
        return self._deliver(claim, attempt, reply)

    def _refused(
        self, claim: Claim, attempt: Attempt, audience: Callable[[], Verdict]
    ) -> str | None:
        """The refusal's outcome when the space may not see data; None when it may.

        Asked in every attempt before the answer is built: a command may change
        things (``unsubscribe all``), which a refused asker must not, and the post
        follows at once. A retried answer is built, and checked, afresh.
        """
        verdict = audience()
        if verdict is Verdict.ALLOWED:
            return None
        refusal = notices.refusal(attempt.lang, space=verdict is Verdict.MEMBER_NOT_ALLOWED)
        return self._deliver(claim, attempt, refusal, outcome="refused")

    def _context(
        self, room_id: str, person_id: str, asker: Person, lang: Lang, today: date
    ) -> Context:
        """What the command handlers may read about this question (handlers.context)."""
        return Context(
            store=self.store,
            lang=lang,
            today=today,
            now=self.clock(),
            room_id=room_id,
            asker_id=person_id,
            asker_email=asker.email,
            proactive=self.proactive,
            data=partial(
                self.data_status, self.clock(), stale_after=self.stale_after, zone=self.zone
            ),
        )

    # -- joining spaces --------------------------------------------------------------------

    def _joined(self, claim: Claim, attempt: Attempt) -> str:
        event = claim.event
        room_id = event.room_id or str(event.data.get("roomId", ""))
        others = event.person_id != self.identity.id and self.retraction is not None
        if others and self.retraction and self.retraction.joined(event.id, event.data):
            attempt.room_id = room_id
            attempt.lang = self._space_lang(room_id)
            done = self._settled(claim, room_id)
            if done is not None:
                return done
            notice = notices.retracted(attempt.lang)  # data taken back: say why, no data
            return self._deliver(claim, attempt, notice, outcome="retracted")
        if event.person_id != self.identity.id or event.data.get("roomType") == "direct":
            # someone else joined; or a 1:1 began, whose first message gets the answer
            claim.finish("ignored")
            return "ignored"
        attempt.room_id = room_id
        attempt.lang = self._space_lang(room_id)
        done = self._settled(claim, room_id)
        if done is not None:
            return done
        actor_id = event.data.get("actorId")
        adder = self.webex.person(actor_id) if isinstance(actor_id, str) and actor_id else None
        adder_person = Person(
            adder.emails[0] if adder and adder.emails else None, adder.org_id if adder else None
        )
        if self.policy.room_allowed(room_id) or self.policy.person_allowed(adder_person):
            return self._deliver(claim, attempt, notices.greeting(self.manifest, attempt.lang))
        audit.refused(self.metrics, event.id, "outsider_space")
        reply = notices.outsider_greeting(
            self.manifest, attempt.lang, leaving=self.leave_outsider_spaces
        )
        outcome = self._deliver(claim, attempt, reply, outcome="refused")
        if self.leave_outsider_spaces:
            self.webex.leave_room(room_id)
        return outcome

    # -- posting, exactly once ------------------------------------------------------------

    def _deliver(
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
        result = post(self.webex, claim, room_id, reply, audience=audience, parent_id=parent_id)
        match result:
            case Posted(message_id):
                self.record_sent(claim, room_id, message_id, outcome)
                waited = (self.clock() - claim.event.received_at).total_seconds()
                self.metrics.reply_seconds.observe(max(0.0, waited))
                return outcome
            case Withheld(verdict):
                refusal = notices.refusal(attempt.lang, space=verdict is Verdict.MEMBER_NOT_ALLOWED)
                return self._deliver(claim, attempt, refusal, outcome="refused")
            case NotPosted(error):
                raise PostFailed(error, maybe_posted=False)
            case MaybePosted(error):
                raise PostFailed(error, maybe_posted=True)
        raise AssertionError(f"unexpected post result {result!r}")

    def _settled(self, claim: Claim, room_id: str) -> str | None:
        """The outcome when an earlier attempt's possible post settles the event.

        None means nothing was posted (or nothing was being posted): post now.
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
            claim.finish(
                "unknown",
                reply_state="unknown",
                error=f"a group space can't be checked, not posted again: {why}",
            )
            return "unknown"
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

    def _replayed(self, claim: Claim, created: datetime | None) -> str | None:
        if created is None or self.clock() - created <= self.replay_window:
            return None
        age = self.clock() - created
        log.warning("event %s: created %s ago, a replay; not answered", claim.event.id, age)
        claim.finish("replayed")
        return "replayed"

    # -- language --------------------------------------------------------------------------

    def _space_lang(self, room_id: str) -> Lang:
        """The space's chosen language, else the one it last spoke in, else the default."""
        return self.languages.read(room_id).reply_lang(self.default_lang)
