"""``language sv``: the language this space is answered in from now on.

The reply says so in the new language and carries it in ``Reply.language``;
the edge stores it. The chosen language's name does not vote on the language
of the question ("language english" typed in a Swedish space is English words).
``language auto`` · ``språk auto`` undoes a choice: the space is answered in the
language of each question again (without it, one ``language en`` would be for
good); it is said in both languages, as no one language is the space's now. A
language the bot does not speak ("language de") is answered in both languages
it does, so the asker can read which ones there are.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from core.statuses import LANGS, Lang
from handlers.cards.safe_text import md
from handlers.command import Command, CommandKind, rule
from handlers.context import Context
from handlers.reply import Reply


class SetLanguage(Command):
    """Set the language a space is answered in ("language sv")."""

    kind: Literal["language"] = "language"
    #: "auto" follows each question's language; None is a language not spoken.
    lang: Lang | Literal["auto"] | None


_LANGUAGES: dict[str, Lang | Literal["auto"]] = {
    "sv": "sv", "se": "sv", "svenska": "sv", "svensk": "sv", "swedish": "sv",
    "en": "en", "eng": "en", "english": "en", "engelska": "en", "engelsk": "en",
    "auto": "auto", "automatic": "auto", "automatiskt": "auto",
}  # fmt: skip
_LANGUAGE_VALUES = "|".join(_LANGUAGES)
#: Any other language code or name ("de", "deutsch", "français"): one word of
#: letters, at most 20, so "language settings please" is not read as a language.
_OTHER_LANGUAGE = r"[^\W\d_]{2,20}"


def _set_language(match: re.Match[str], today: date) -> tuple[Command, str]:
    group = next(name for name in ("value", "said", "other") if match.group(name) is not None)
    chosen = _LANGUAGES.get(match.group(group).casefold())
    return SetLanguage(lang=chosen), match.string[: match.start(group)]


def _in_both(key: str) -> str:
    return "\n\n".join(md(key, lang) for lang in LANGS)


def set_language(command: SetLanguage, context: Context) -> Reply:
    if command.lang is None:  # said in both: the asker may read either, not German
        return Reply(markdown=_in_both("language_unsupported"))
    if command.lang == "auto":  # no one language is the space's now: say it in both
        return Reply(markdown=_in_both("language_auto"), language="auto")
    return Reply(markdown=md("language_set", command.lang), language=command.lang)


KIND = CommandKind(
    model=SetLanguage,
    rules=(
        rule(
            "language",
            r"(?:(?:set|change|switch|byt|ändra|sätt)(?: the)? )?(?:language|lang|språk|språket)"
            rf"(?:\s*[:=]\s*|\s+(?:to|till)\s+|\s+)(?P<value>{_LANGUAGE_VALUES})"
            r"|(?:speak|talk|answer in|reply in|respond in|tala|prata|svara på)"
            r" (?P<said>swedish|svenska|english|engelska)"
            r"|(?:(?:set|change|switch|byt|ändra|sätt)(?: the)? )?(?:language|lang|språk|språket)"
            rf"(?:\s*[:=]\s*|\s+(?:to|till)\s+|\s+)(?P<other>{_OTHER_LANGUAGE})",
            _set_language,
        ),
    ),
    handle=set_language,
    card=False,
)
