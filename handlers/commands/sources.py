"""``sources`` · ``källor``: where the data comes from, its last successful sync,
its last error and the next run (handlers.cards.sources_card).

Answered from ``Context.data`` (read by the edge from the store, where every
sync writes its state); it shows the sources' safe names only, so it passes the
same access check as a customer list and reveals no token or URL credential.
"""

from __future__ import annotations

from typing import Literal

from handlers.cards.sources_card import sources_reply
from handlers.command import Command, CommandKind, fixed, rule
from handlers.context import Context
from handlers.reply import Reply


class ShowSources(Command):
    kind: Literal["sources"] = "sources"


def show_sources(command: ShowSources, context: Context) -> Reply:
    return sources_reply(context.data_status(), context.now, context.lang)


KIND = CommandKind(
    model=ShowSources,
    rules=(
        rule(
            "sources",
            r"(?:(?:show|list|visa|lista)(?: the| my| our)? )?"
            r"(?:data sources?|sources?|datakällor(?:na)?|källor(?:na)?|datakälla|källa)",
            fixed(ShowSources()),
        ),
    ),
    handle=show_sources,
)
