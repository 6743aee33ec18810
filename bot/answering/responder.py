"""What the bot answers to one claimed inbox event.

Each claim of an event is one attempt: fetch the question, check who is in
the space (afresh: issue 11), build the answer. Posting it, exactly once as far
as Webex allows, is ``bot.answering.delivery``; a failure is raised (``PostFailed``
or ``WebexError``) for ``bot.answering.processing`` to retry later or to fail for
good. This module only decides what to say.

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
from bot.answering.apology import APOLOGY_MAYBE, POSTING
from bot.answering.audience import Audience
from bot.answering.delivery import Attempt, Delivery
from bot.answering.followed_lang import FollowedLanguages
from bot.answering.space_events import SPACE_EVENTS, handle_space_event
from bot.inbox.claims import Claim
from bot.retraction import Retractor
from bot.web.metrics import Metrics
from bot.webex.client import WebexClient
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
    delivery: Delivery = field(init=False)  # posting it, exactly once

    def __post_init__(self) -> None:
        self.audience = Audience(self.webex, self.policy, self.identity, self.metrics)
        self.delivery = Delivery(
            self.webex, self.metrics, self.clock, self.is_recorded_reply, self.retraction
        )
        self.data_status = DataStatusCache(self.store)

    def respond(self, claim: Claim, attempt: Attempt) -> str:
        """Work on the event once; the outcome recorded."""
        event = claim.event
        if event.reply_state in POSTING:  # a crash mid-apology (notice): posted at most once
            outcome = "unknown" if POSTING[event.reply_state] else "failed"
            claim.finish(outcome, reply_state=outcome, error=f"{event.error}; {APOLOGY_MAYBE}")
            return outcome
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
        done = self._replayed(claim, message.created) or self.delivery.settled(
            claim, message.room_id
        )
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
        outcome = self.delivery.deliver(claim, attempt, reply)
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
        done = self._replayed(claim, action.created) or self.delivery.settled(claim, action.room_id)
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
            return self.delivery.deliver(claim, attempt, reply, outcome="rejected")
        return self.delivery.deliver(claim, attempt, reply)

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
        return self.delivery.deliver(claim, attempt, refusal, outcome="refused")

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
            done = self.delivery.settled(claim, room_id)
            if done is not None:
                return done
            notice = notices.retracted(attempt.lang)  # data taken back: say why, no data
            return self.delivery.deliver(claim, attempt, notice, outcome="retracted")
        if event.person_id != self.identity.id or event.data.get("roomType") == "direct":
            # someone else joined; or a 1:1 began, whose first message gets the answer
            claim.finish("ignored")
            return "ignored"
        attempt.room_id = room_id
        attempt.lang = self._space_lang(room_id)
        done = self.delivery.settled(claim, room_id)
        if done is not None:
            return done
        actor_id = event.data.get("actorId")
        adder = self.webex.person(actor_id) if isinstance(actor_id, str) and actor_id else None
        adder_person = Person(
            adder.emails[0] if adder and adder.emails else None, adder.org_id if adder else None
        )
        if self.policy.room_allowed(room_id) or self.policy.person_allowed(adder_person):
            return self.delivery.deliver(
                claim, attempt, notices.greeting(self.manifest, attempt.lang)
            )
        audit.refused(self.metrics, event.id, "outsider_space")
        reply = notices.outsider_greeting(
            self.manifest, attempt.lang, leaving=self.leave_outsider_spaces
        )
        outcome = self.delivery.deliver(claim, attempt, reply, outcome="refused")
        if self.leave_outsider_spaces:
            self.webex.leave_room(room_id)
        return outcome

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
