"""Posting a digest or an alert: keyed first, access checked now, then sent once.

Every proactive post goes through ``ProactivePoster.post``:

1. its key is taken in the ledger (``core.proactive.ledger``) *before* anything
   is sent; a key taken before means another run, process or retry has it,
   and nothing is posted;
2. the whole-space rule is applied again at posting time, not only when the
   space subscribed: a space whose members are not all allowed (someone joined
   since) gets the usual refusal, with no data, and the outcome ``withheld``;
3. the reply is built (``None``: nothing to report, nothing posted,
   ``nothing``) and sent on the same outgoing path as replies
   (``WebexClient.send``: bounded retries, 429 ``Retry-After`` honoured);
4. the outcome is recorded: ``sent``, ``failed``, or ``unknown`` when Webex
   may have taken a post it did not confirm. Like a reply in a group space,
   such a post is not sent again: at most once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Literal

from bot.access import AccessPolicy, Person
from bot.webex.client import WebexClient
from bot.webex.errors import WebexError
from core.clock import Clock
from core.proactive.ledger import Ledger
from core.proactive.store import ProactiveStore
from core.statuses import Lang
from handlers import notices
from handlers.reply import Reply

log = logging.getLogger("statusbot.scheduler")

Kind = Literal["digest", "alert"]
#: What ``post`` returns: an outcome label, or ``taken`` when another run had the key.
Result = Literal["sent", "nothing", "withheld", "failed", "unknown", "taken"]


@dataclass(frozen=True)
class Outgoing:
    """One post to make. ``build`` makes the reply in the space's language, or
    returns None when there is nothing to report."""

    key: str
    kind: Kind
    room_id: str
    build: Callable[[Lang], Reply | None]


@dataclass
class ProactivePoster:
    ledger: Ledger
    webex: WebexClient
    policy: AccessPolicy
    bot_id: str
    language: Callable[[str], Lang]  # the space's language
    #: bot.retraction.DataPosts.record: data-bearing posts, taken back if an outsider joins
    record_data: Callable[[str, str], None] | None = None

    def post(self, outgoing: Outgoing) -> Result:
        if not self.ledger.claim_post(outgoing.key, outgoing.room_id, outgoing.kind):
            return "taken"
        try:
            result = self._post(outgoing)
        except WebexError as error:
            result = "unknown" if error.ambiguous else "failed"
            log.warning("%s %s: %s (%s)", outgoing.kind, outgoing.key, result, error.reason)
            self.ledger.finish_post(outgoing.key, result, error=error.reason)
        except Exception as error:  # a bug must not stop the other posts
            log.exception("%s %s crashed", outgoing.kind, outgoing.key)
            result = "failed"
            self.ledger.finish_post(outgoing.key, result, error=repr(error))
        log.info(
            "%s %s: %s",
            outgoing.kind,
            outgoing.key,
            result,
            extra={"outcome": result, "kind": outgoing.kind},
        )
        return result

    def _post(self, outgoing: Outgoing) -> Result:
        lang = self.language(outgoing.room_id)
        if not self.space_allowed(outgoing.room_id):
            refusal = notices.refusal(lang, space=True)
            message_id = self.webex.send(outgoing.room_id, refusal, retry_ambiguous=False)
            self.ledger.finish_post(outgoing.key, "withheld", message_id=message_id)
            return "withheld"
        reply = outgoing.build(lang)
        if reply is None:
            self.ledger.finish_post(outgoing.key, "nothing")
            return "nothing"
        message_id = self.webex.send(outgoing.room_id, reply, retry_ambiguous=False)
        self.ledger.finish_post(outgoing.key, "sent", message_id=message_id)
        if self.record_data is not None:
            self.record_data(outgoing.room_id, message_id)
        return "sent"

    def space_allowed(self, room_id: str) -> bool:
        """The whole-space rule, asked afresh: allowed by id, or every member allowed.
        Nobody asked here, so there is no asker to check, only who would read it."""
        if self.policy.room_allowed(room_id):
            return True
        return all(
            self.policy.person_allowed(Person(member.email, member.person_org_id))
            for member in self.webex.room_members(room_id)
            if member.person_id != self.bot_id
        )


@dataclass(kw_only=True, eq=False)
class Runner:
    """What the digest and the alert runner share: where proactive items and post keys
    live, how a post is made, the partner's day and the time, and the posting pool.
    ``grace`` is how late a post may still be made (each runner sets its own)."""

    proactive: ProactiveStore
    ledger: Ledger
    poster: ProactivePoster
    today: Callable[[], date]
    clock: Clock
    pool: Executor
    grace: timedelta
