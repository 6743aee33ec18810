"""``send 2 now`` · ``skicka 2 nu``: post digest 2 now, as its own reply.

How a team tries a subscription, and how the demo shows one without waiting.
The answer is the digest itself (``digest_reply``) as the reply to the command,
so it goes through the inbox exactly once like any reply; the run is recorded
(``record_run``: "sent", or "nothing" when there is nothing to report, which
the reply then says).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import Field

from core.proactive import AlertRule
from handlers.cards.digest_card import digest_reply
from handlers.cards.safe_text import md
from handlers.cards.subscriptions_card import MAX_NUMBER
from handlers.command import Command, CommandKind, rule
from handlers.context import Context
from handlers.proactive_space import space_of
from handlers.reply import Reply


class SendNow(Command):
    kind: Literal["send_now"] = "send_now"
    number: Annotated[int, Field(ge=1, le=MAX_NUMBER)]


def _send(match: re.Match[str], today: date) -> tuple[Command, str]:
    words = match.string[: match.start("number")] + match.string[match.end("number") :]
    return SendNow(number=int(match.group("number"))), words


def send_now(command: SendNow, context: Context) -> Reply:
    space = space_of(context)
    if isinstance(space, Reply):
        return space
    lang, number = context.lang, command.number
    digest = space.store.digest(space.room_id, number)
    if digest is None:
        items = space.store.items(space.room_id)
        is_alert = any(isinstance(i, AlertRule) and i.number == number for i in items)
        key = "send_not_digest" if is_alert else "unsubscribe_missing"
        return Reply(markdown=md(key, lang, number=number))
    reply = digest_reply(digest, context.store, context.today, space.zone, lang)
    space.store.record_run(
        space.room_id, number, context.now, "nothing" if reply is None else "sent"
    )
    return reply or Reply(markdown=md("send_nothing", lang, number=number))


KIND = CommandKind(
    model=SendNow,
    rules=(
        rule(
            "send_now",
            r"(?:send|run|skicka|kör) (?:(?:number|nummer|nr|digest|utskick) |#)?"
            r"(?P<number>\d{1,7})(?: (?:now|right now|nu|direkt))?",
            _send,
        ),
    ),
    handle=send_now,
)
