"""Working on inbox events: fetch, check access, answer, post, record.

One event at a time per worker thread; several threads and processes share the
inbox safely (``bot.inbox`` leases). Everything a worker needs is passed in
(the inbox, the store, the Webex client, the policy, the clock), so tests run
the same code synchronously with ``drain()``.

Exactly once, as far as Webex allows (security-and-reliability.md): the reply's
fingerprint is committed as ``sending`` before the post and ``sent`` with the
message id after it. An event whose worker died in between is settled on its
next claim: in a direct space the bot can list the space's messages, so it
looks for its reply and posts only when it is not there; in a group space a
bot may only list messages that mention it, so it cannot tell, and it does not
post again (at most once), recording the outcome as ``unknown``.
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import threading
import time
import uuid
from collections.abc import Callable, Iterable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from functools import partial
from typing import Any

from bot import audit
from bot.access import AccessPolicy, Person, Verdict
from bot.followed_lang import FollowedLanguages
from bot.inbox import Inbox, InboxEvent
from bot.metrics import Metrics
from bot.retraction import Retractor
from bot.space_events import SPACE_EVENTS, handle_space_event
from bot.webex import WebexClient, WebexError, fit_text
from bot.webex_models import BotIdentity
from core.proactive.store import ProactiveStore
from core.sources.freshness import data_status
from core.statuses import Lang
from core.store import Store
from handlers import notices
from handlers.context import Context
from handlers.grammar import parse
from handlers.manifest import Manifest
from handlers.registry import handle
from handlers.reply import Reply
from handlers.submissions import handle_submission

log = logging.getLogger("statusbot.worker")


def fingerprint(reply: Reply) -> str:
    """What identifies a posted reply: its markdown as Webex stores it (cut to the limit)."""
    return hashlib.sha256(fit_text(reply.markdown).encode("utf-8")).hexdigest()[:32]


@dataclass
class Responder:
    """Turns one inbox event into at most one reply."""

    inbox: Inbox
    store: Store
    webex: WebexClient
    policy: AccessPolicy
    identity: BotIdentity
    manifest: Manifest
    metrics: Metrics
    today: Callable[[], date]
    leave_outsider_spaces: bool = False
    default_lang: Lang = "en"
    retraction: Retractor | None = None  # takes data back when an outsider joins
    proactive: ProactiveStore | None = None  # digests and alerts follow their space
    # how old the data is, said on cards (STATUSBOT_STALE_MINUTES, STATUSBOT_TIMEZONE)
    stale_after: timedelta = timedelta(minutes=60)
    zone: str = "UTC"
    # the language each unchosen space last spoke in ("filter" alone follows it)
    followed: FollowedLanguages = field(default_factory=FollowedLanguages)

    # -- dispatch ------------------------------------------------------------------

    def process(self, event: InboxEvent) -> None:
        try:
            outcome = self._process(event)
            log.info(
                "event %s %s/%s: %s",
                event.id,
                event.resource,
                event.event,
                outcome,
                extra={"event_id": event.id, "resource": event.resource, "outcome": outcome},
            )
        except WebexError as error:
            if error.retryable and event.attempts < 3 and event.reply_state is None:
                log.warning("event %s: %s; will retry", event.id, error.reason)
                self.inbox.release(event.id, error.reason)
                return
            log.error("event %s failed: %s", event.id, error.reason)
            self.inbox.finish(event.id, "error", reply_state="failed", error=error.reason)
            self.metrics.replies.labels("failed").inc()
            return
        except Exception as error:  # a bug must not stop the worker or lose the event
            log.exception("event %s crashed", event.id)
            self.inbox.finish(event.id, "error", reply_state="failed", error=repr(error))
            self.metrics.replies.labels("failed").inc()
            return
        self.metrics.replies.labels(outcome).inc()

    def _process(self, event: InboxEvent) -> str:
        kind = (event.resource, event.event)
        if kind == ("messages", "created"):
            return self._message(event)
        if kind == ("attachmentActions", "created"):
            return self._card_submission(event)
        if kind == ("memberships", "created"):
            return self._joined(event)
        if kind in SPACE_EVENTS and self.proactive is not None:
            outcome = handle_space_event(
                *kind, event.data, bot_id=self.identity.id, proactive=self.proactive
            )
            self.inbox.finish(event.id, outcome)
            return outcome
        self.inbox.finish(event.id, "ignored")
        return "ignored"

    # -- messages and card submissions -------------------------------------------------

    def _message(self, event: InboxEvent) -> str:
        if event.person_id == self.identity.id:
            self.inbox.finish(event.id, "ignored")  # the bot hears its own messages
            return "ignored"
        message = self.webex.message(event.data_id)
        chosen = self._chosen_lang(message.room_id)  # the space's own choice, if any
        lang = self._space_lang(message.room_id)
        asker = self._asker(message.person_id, message.person_email)
        verdict = self._verdict(event, message.room_id, message.room_type, asker)
        if verdict is not Verdict.ALLOWED:
            refusal = notices.refusal(lang, space=verdict is Verdict.MEMBER_NOT_ALLOWED)
            return self._answer(event, message.room_id, refusal, message.parent_id, "refused")
        today = self.today()
        parsed = parse(
            message.text or "",
            today=today,
            bot_names=(self.identity.display_name, self.identity.first_name),
            default_lang=lang,
        )
        reply_lang = chosen or parsed.lang
        self.followed.remember(message.room_id, parsed.lang)
        context = self._context(message.room_id, message.person_id, asker, reply_lang, today)
        reply = handle(parsed.command, context)
        if reply.language == "auto":  # follow each question again
            self.inbox.set_space_language(message.room_id, None)
        elif reply.language is not None:
            self.inbox.set_space_language(message.room_id, reply.language)
        return self._answer(event, message.room_id, reply, message.parent_id, "sent")

    def _card_submission(self, event: InboxEvent) -> str:
        action = self.webex.attachment_action(event.data_id)
        if action.person_id == self.identity.id:
            self.inbox.finish(event.id, "ignored")
            return "ignored"
        lang = self._space_lang(action.room_id)
        asker = self._asker(action.person_id, None)
        verdict = self._verdict(event, action.room_id, None, asker)
        if verdict is not Verdict.ALLOWED:
            refusal = notices.refusal(lang, space=verdict is Verdict.MEMBER_NOT_ALLOWED)
            return self._answer(event, action.room_id, refusal, None, "refused")
        context = self._context(action.room_id, action.person_id, asker, lang, self.today())
        reply = handle_submission(action.inputs, context)
        if reply.refusal is not None:  # a card payload that was changed or is outdated
            audit.refused(self.metrics, event.id, reply.refusal, outcome="rejected")
            return self._answer(event, action.room_id, reply, None, "rejected")
        return self._answer(event, action.room_id, reply, None, "sent")

    def _context(
        self, room_id: str, person_id: str, asker: Person, lang: Lang, today: date
    ) -> Context:
        """What the command handlers may read about this question (handlers.context)."""
        now = datetime.now(UTC)
        return Context(
            store=self.store,
            lang=lang,
            today=today,
            now=now,
            room_id=room_id,
            asker_id=person_id,
            asker_email=asker.email,
            proactive=self.proactive,
            data=partial(
                data_status, self.store, now, stale_after=self.stale_after, zone=self.zone
            ),
        )

    # -- joining spaces --------------------------------------------------------------------

    def _joined(self, event: InboxEvent) -> str:
        room_id = event.room_id or str(event.data.get("roomId", ""))
        others = event.person_id != self.identity.id and self.retraction is not None
        if others and self.retraction and self.retraction.joined(event.id, event.data):
            notice = notices.retracted(self._space_lang(room_id))  # data taken back: say why
            return self._answer(event, room_id, notice, None, "retracted")
        if event.person_id != self.identity.id or event.data.get("roomType") == "direct":
            # someone else joined; or a 1:1 began, whose first message gets the answer
            self.inbox.finish(event.id, "ignored")
            return "ignored"
        lang = self._space_lang(room_id)
        actor_id = event.data.get("actorId")
        adder = self.webex.person(actor_id) if actor_id else None
        adder_person = Person(
            adder.emails[0] if adder and adder.emails else None, adder.org_id if adder else None
        )
        if self.policy.room_allowed(room_id) or self.policy.person_allowed(adder_person):
            return self._answer(event, room_id, notices.greeting(self.manifest, lang), None, "sent")
        audit.refused(self.metrics, event.id, "outsider_space")
        reply = notices.outsider_greeting(self.manifest, lang, leaving=self.leave_outsider_spaces)
        outcome = self._answer(event, room_id, reply, None, "refused")
        if self.leave_outsider_spaces:
            self.webex.leave_room(room_id)
        return outcome

    # -- access ---------------------------------------------------------------------------

    def _verdict(
        self, event: InboxEvent, room_id: str, room_type: str | None, asker: Person
    ) -> Verdict:
        verdict = self.policy.decide(room_id, asker, self._members_of(room_id, room_type, asker))
        if verdict is not Verdict.ALLOWED:
            audit.refused(self.metrics, event.id, verdict.value)
        return verdict

    def _asker(self, person_id: str, email: str | None) -> Person:
        """The asker, with the organization only when the policy allows by organization
        (it costs a call) and the email when the event did not carry it."""
        if email is not None and not self.policy.org_ids:
            return Person(email)
        person = self.webex.person(person_id)
        return Person(email or (person.emails[0] if person.emails else None), person.org_id)

    def _members_of(self, room_id: str, room_type: str | None, asker: Person) -> Iterable[Person]:
        """Who reads the answer. Asked afresh for every question: a cached list could
        miss someone added a moment ago (and another process may have seen the join)."""
        if room_type == "direct":
            return [asker]  # a direct space holds the asker and the bot
        return (
            Person(member.email, member.person_org_id)
            for member in self.webex.room_members(room_id)
            if member.person_id != self.identity.id
        )

    # -- language --------------------------------------------------------------------------

    def _chosen_lang(self, room_id: str) -> Lang | None:
        chosen = self.inbox.space_language(room_id)
        return "sv" if chosen == "sv" else "en" if chosen == "en" else None

    def _space_lang(self, room_id: str) -> Lang:
        """The space's chosen language, else the one it last spoke in, else the default."""
        return self._chosen_lang(room_id) or self.followed.get(room_id) or self.default_lang

    # -- posting, exactly once ------------------------------------------------------------

    def _answer(
        self, event: InboxEvent, room_id: str, reply: Reply, parent_id: str | None, outcome: str
    ) -> str:
        print_ = fingerprint(reply)
        if event.reply_state == "sending":
            settled = self._settle(event, room_id, print_)
            if settled is not None:
                return settled
        self.inbox.sending(event.id, print_)
        try:
            message_id = self.webex.send(room_id, reply, parent_id=parent_id, retry_ambiguous=False)
        except WebexError as error:
            if error.ambiguous:  # it may have been posted: look before posting again
                settled = self._settle(event, room_id, print_)
                if settled is not None:
                    return settled
                return self._post_again(event, room_id, reply, parent_id, outcome)
            log.error("event %s: reply failed: %s", event.id, error.reason)
            self.inbox.finish(event.id, outcome, reply_state="failed", error=error.reason)
            return "failed"
        self._sent(event, room_id, message_id, outcome)
        waited = (self.inbox.clock() - event.received_at).total_seconds()
        self.metrics.reply_seconds.observe(max(0.0, waited))
        return outcome

    def _post_again(
        self, event: InboxEvent, room_id: str, reply: Reply, parent_id: str | None, outcome: str
    ) -> str:
        try:
            message_id = self.webex.send(room_id, reply, parent_id=parent_id, retry_ambiguous=False)
        except WebexError as error:
            self.inbox.finish(event.id, outcome, reply_state="failed", error=error.reason)
            return "failed"
        self._sent(event, room_id, message_id, outcome)
        return outcome

    def _sent(self, event: InboxEvent, room_id: str, message_id: str, outcome: str) -> None:
        """Record the reply as sent. An answer to a question or a card may carry customer
        data, so the retraction remembers it first (greetings and notices carry none): a
        crash in between leaves a message remembered, never one forgotten."""
        answered = outcome in ("sent", "answered")
        data_bearing = answered and event.resource in ("messages", "attachmentActions")
        if data_bearing and self.retraction is not None:
            self.retraction.posts.record(room_id, message_id)
        self.inbox.finish(event.id, outcome, reply_state="sent", message_id=message_id)

    def _settle(self, event: InboxEvent, room_id: str, print_: str) -> str | None:
        """After a crash mid-send: was the reply posted? None means post it now."""
        since = (event.reply_started_at or self.inbox.clock()) - timedelta(seconds=5)
        try:
            recent = self.webex.list_recent_bot_messages(room_id, since)
        except WebexError as error:
            recent = None
            log.warning("event %s: can't look for its reply: %s", event.id, error.reason)
        if recent is None:
            log.warning(
                "event %s: reply outcome unknown after a crash; not posting twice", event.id
            )
            self.inbox.finish(
                event.id,
                "unknown",
                reply_state="unknown",
                error="crashed while posting; the space can't be checked",
            )
            return "unknown"
        for message in sorted(recent, key=lambda m: m.created or since):
            same = fingerprint(Reply(markdown=message.markdown or "")) == print_
            # an identical answer to an identical question may be there too: each
            # posted message settles one event only
            if same and not self.inbox.is_recorded_reply(message.id):
                self._sent(event, room_id, message.id, "answered")
                return "sent"
        return None


class WorkerPool:
    """Threads that claim inbox events and hand them to the responder.

    ``executor`` and ``wait`` are arguments so tests can run the same loop on
    their own terms; ``drain()`` works synchronously until nothing is left.
    """

    def __init__(
        self,
        inbox: Inbox,
        responder: Responder,
        *,
        threads: int = 4,
        poll_seconds: float = 0.5,
        executor: Executor | None = None,
        name: str | None = None,
        retention: timedelta = timedelta(days=7),
        prune_every: float = 3600.0,
    ) -> None:
        self.inbox = inbox
        self.responder = responder
        self.threads = threads
        self.poll_seconds = poll_seconds
        self.name = name or f"worker-{uuid.uuid4().hex[:8]}"
        self._executor = executor
        self.retention = retention
        self.prune_every = prune_every
        self._pruned_at = 0.0
        self._prune_lock = threading.Lock()
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._futures: list[Any] = []

    def wake(self) -> None:
        self._wake.set()

    def drain(self, *, limit: int = 10_000) -> int:
        """Work synchronously until no event is claimable; the number worked on."""
        done = 0
        while done < limit:
            claimed = self.inbox.claim(self.name)
            if not claimed:
                return done
            for event in claimed:
                self.responder.process(event)
                done += 1
        return done

    def start(self) -> None:
        executor = self._executor or ThreadPoolExecutor(
            max_workers=self.threads, thread_name_prefix="statusbot-worker"
        )
        self._executor = executor
        for index in range(self.threads):
            self._futures.append(executor.submit(self._loop, f"{self.name}-{index}"))

    def stop(self, timeout: float = 10.0) -> None:
        self._stop.set()
        self._wake.set()
        deadline = time.monotonic() + timeout
        for future in self._futures:
            with contextlib.suppress(Exception):  # stopping; the loop already logged
                future.result(timeout=max(0.0, deadline - time.monotonic()))
        if isinstance(self._executor, ThreadPoolExecutor):
            self._executor.shutdown(wait=False)

    def prune_if_due(self) -> int:
        """Forget old finished events, at most once per ``prune_every`` seconds."""
        now = time.monotonic()
        with self._prune_lock:
            if self._pruned_at and now - self._pruned_at < self.prune_every:
                return 0
            self._pruned_at = now
        removed = self.inbox.prune(self.retention)
        if removed:
            log.info("inbox: forgot %d finished events older than %s", removed, self.retention)
        return removed

    def _loop(self, worker: str) -> None:
        while not self._stop.is_set():
            try:
                self.prune_if_due()
            except Exception:  # the database may be restarting: try again later
                log.exception("pruning the inbox failed")
            try:
                claimed = self.inbox.claim(worker)
            except Exception:  # the database may be restarting: wait and try again
                log.exception("claiming failed")
                claimed = []
            for event in claimed:
                self.responder.process(event)
            if not claimed:
                self._wake.wait(self.poll_seconds)
                self._wake.clear()
