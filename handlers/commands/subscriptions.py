"""``subscriptions`` · ``prenumerationer``: this space's digests and alerts, as a card.

Each row has its own Unsubscribe (see ``handlers.cards.subscriptions_card``); a
space holds few enough items that one card shows them all.
"""

from __future__ import annotations

from typing import Literal

from handlers.cards.subscriptions_card import subscriptions_reply
from handlers.command import Command, CommandKind, fixed, rule
from handlers.context import Context
from handlers.proactive_space import space_of
from handlers.reply import Reply


class ShowSubscriptions(Command):
    kind: Literal["subscriptions"] = "subscriptions"


def show_subscriptions(command: ShowSubscriptions, context: Context) -> Reply:
    space = space_of(context)
    if isinstance(space, Reply):
        return space
    return subscriptions_reply(space.store.items(space.room_id), space.zone, context.lang)


KIND = CommandKind(
    model=ShowSubscriptions,
    rules=(
        rule(
            "subscriptions",
            r"(?:(?:show|list|visa|lista) )?(?:(?:my|our|the|mina|våra) )?"
            r"(?:subscriptions|digests|prenumerationer|prenumerationerna|utskick|utskicken)",
            fixed(ShowSubscriptions()),
        ),
    ),
    handle=show_subscriptions,
)
