"""``unsubscribe 2`` · ``avsluta prenumeration 2``, and ``unsubscribe all``.

In Swedish ``avsluta alla prenumerationer``.

Numbers are the short ids the subscriptions card shows; they are never reused
within a space, so an old card's Unsubscribe cannot stop a newer item. The
card's button arrives as ``UnsubscribeAction`` and is validated like every
payload; the space is the one the click came from, never one named in the card.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StrictInt

from handlers.cards.safe_text import md
from handlers.cards.subscriptions_card import MAX_NUMBER, item_title
from handlers.command import Command, CommandKind, Payload, fixed, rule
from handlers.context import Context
from handlers.i18n import t
from handlers.proactive_space import space_of
from handlers.reply import Reply

Number = Annotated[int, Field(ge=1, le=MAX_NUMBER)]
_NUMBER = r"(?:(?:number|nummer|nr|no\.?) |#)?(?P<number>\d{1,7})"


class Unsubscribe(Command):
    """Stop one digest or the alerts (``number``), or everything in the space (``every``)."""

    kind: Literal["unsubscribe"] = "unsubscribe"
    number: Number | None = None
    every: bool = False


class UnsubscribeAction(Payload):
    """A row's Unsubscribe on the subscriptions card."""

    action: Literal["unsubscribe"]
    number: Annotated[StrictInt, Field(ge=1, le=MAX_NUMBER)]

    def command(self) -> Command:
        return Unsubscribe(number=self.number)


def _one(match: re.Match[str], today: date) -> tuple[Command, str]:
    return Unsubscribe(number=int(match.group("number"))), match.string[: match.start("number")]


def unsubscribe(command: Unsubscribe, context: Context) -> Reply:
    space = space_of(context)
    if isinstance(space, Reply):
        return space
    lang = context.lang
    if command.every:
        count = space.store.remove_all(space.room_id)
        if count == 0:
            return Reply(markdown=md("unsubscribed_nothing", lang))
        return Reply(markdown=md("unsubscribed_all", lang, count=count))
    if command.number is None:
        return Reply(markdown=md("unsubscribe_usage", lang))
    found = [item for item in space.store.items(space.room_id) if item.number == command.number]
    if not found or not space.store.remove(space.room_id, command.number):
        return Reply(markdown=md("unsubscribe_missing", lang, number=command.number))
    what = item_title(found[0], lang, markdown=True)
    return Reply(markdown=t("unsubscribed", lang, what=what))


KIND = CommandKind(
    model=Unsubscribe,
    rules=(
        rule(
            "unsubscribe_all",
            r"unsubscribe (?:all|everything)|stop all(?: subscriptions)?"
            r"|avsluta alla(?: prenumerationer)?|avsluta allt",
            fixed(Unsubscribe(every=True)),
        ),
        rule(
            "unsubscribe",
            rf"(?:unsubscribe|stop|avsluta prenumeration(?:en)?|avsluta|stoppa) {_NUMBER}",
            _one,
        ),
        rule(
            "unsubscribe_usage",
            r"unsubscribe|avsluta prenumeration(?:en)?|avprenumerera",
            fixed(Unsubscribe()),
        ),
    ),
    handle=unsubscribe,
    card=False,
    payloads=(UnsubscribeAction,),
)
