"""What the bot says to text no rule reads: the text back, close examples, "help".

``Unknown`` is no manifest command (nobody types it on purpose), so it is not
in ``handlers.registry.KINDS``; the grammar makes it and the registry answers it.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.statuses import Lang
from handlers.cards.safe_text import md, shorten
from handlers.command import CommandKind, Unknown
from handlers.context import Context
from handlers.i18n import join_or
from handlers.reply import Reply


def did_you_mean(suggestions: Sequence[str], lang: Lang) -> str:
    """ "Did you mean “A”, “B” or “C”?" (markdown), for the first three."""
    quote = "“{}”" if lang == "en" else "”{}”"
    shown = [quote.format(shorten(suggestion, 100)) for suggestion in suggestions[:3]]
    return md("unknown_suggestions", lang, suggestions=join_or(shown, lang))


def unknown(command: Unknown, context: Context) -> Reply:
    lang = context.lang
    lines = [md("unknown", lang, text=shorten(command.text, 100))]
    if command.suggestions:
        lines.append(did_you_mean(command.suggestions, lang))
    lines.append(md("unknown_help", lang))
    return Reply(markdown="\n\n".join(lines))


KIND = CommandKind(model=Unknown, rules=(), handle=unknown, card=False)
