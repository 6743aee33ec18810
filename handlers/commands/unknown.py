"""What the bot says to text no rule reads: the text back, close examples, "help".

``Unknown`` is no manifest command (nobody types it on purpose), so it is not
in ``handlers.registry.KINDS``; the grammar makes it and the registry answers it.
"""

from __future__ import annotations

from handlers.cards.common import md, shorten
from handlers.command import CommandKind, Unknown
from handlers.context import Context
from handlers.i18n import join_or
from handlers.reply import Reply


def unknown(command: Unknown, context: Context) -> Reply:
    lang = context.lang
    lines = [md("unknown", lang, text=shorten(command.text, 100))]
    if command.suggestions:
        quote = "“{}”" if lang == "en" else "”{}”"
        shown = [quote.format(shorten(suggestion, 100)) for suggestion in command.suggestions[:3]]
        lines.append(md("unknown_suggestions", lang, suggestions=join_or(shown, lang)))
    lines.append(md("unknown_help", lang))
    return Reply(markdown="\n\n".join(lines))


KIND = CommandKind(model=Unknown, rules=(), handle=unknown, card=False)
