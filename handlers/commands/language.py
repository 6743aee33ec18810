"""``language sv``: the language this space is answered in from now on.

The reply says so in the new language and carries it in ``Reply.language``;
the edge stores it. The chosen language's name does not vote on the language
of the question ("language english" typed in a Swedish space is English words).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from core.statuses import Lang
from handlers.cards.common import md
from handlers.command import Command, CommandKind, rule
from handlers.context import Context
from handlers.reply import Reply


class SetLanguage(Command):
    """Set the language a space is answered in ("language sv")."""

    kind: Literal["language"] = "language"
    lang: Lang


_LANGUAGES: dict[str, Lang] = {
    "sv": "sv", "se": "sv", "svenska": "sv", "svensk": "sv", "swedish": "sv",
    "en": "en", "eng": "en", "english": "en", "engelska": "en", "engelsk": "en",
}  # fmt: skip
_LANGUAGE_VALUES = "|".join(_LANGUAGES)


def _set_language(match: re.Match[str], today: date) -> tuple[Command, str]:
    group = "value" if match.group("value") is not None else "said"
    chosen = _LANGUAGES[match.group(group).casefold()]
    return SetLanguage(lang=chosen), match.string[: match.start(group)]


def set_language(command: SetLanguage, context: Context) -> Reply:
    return Reply(markdown=md("language_set", command.lang), language=command.lang)


KIND = CommandKind(
    model=SetLanguage,
    rules=(
        rule(
            "language",
            r"(?:(?:set|change|switch|byt|ändra|sätt)(?: the)? )?(?:language|lang|språk|språket)"
            rf"(?:\s*[:=]\s*|\s+(?:to|till)\s+|\s+)(?P<value>{_LANGUAGE_VALUES})"
            r"|(?:speak|talk|answer in|reply in|respond in|tala|prata|svara på)"
            r" (?P<said>swedish|svenska|english|engelska)",
            _set_language,
        ),
    ),
    handle=set_language,
    card=False,
)
