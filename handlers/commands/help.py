"""``help``: what the bot understands, generated from ``manifest.json``.

Greetings ("hi", "hej") and a bare mention are help too: a person who says
hello to a bot wants to know what it does.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Literal

from handlers.cards.help_card import help_reply
from handlers.command import Command, CommandKind, fixed, rule
from handlers.context import Context
from handlers.manifest import Manifest, load_manifest
from handlers.reply import Reply


class ShowHelp(Command):
    kind: Literal["help"] = "help"


@lru_cache(maxsize=1)
def _manifest() -> Manifest:
    return load_manifest()


def show_help(command: ShowHelp, context: Context) -> Reply:
    return help_reply(_manifest(), context.lang)


KIND = CommandKind(
    model=ShowHelp,
    rules=(
        rule(
            "help",
            r"(?:(?:show|visa) )?(?:help|hjälp)(?: me| mig| please| tack)?|commands|kommandon"
            r"|what can you do|how does this work|usage|vad kan du(?: göra)?"
            r"|hi|hello|hey|hej|hallå|tjena",
            fixed(ShowHelp()),
        ),
    ),
    handle=show_help,
)
