"""Every sentence the bot writes, in English and Swedish, behind one function.

``t(key, lang, **params)`` looks the key up in the language's catalogue
(``en.py``, ``sv.py``) and fills in named parameters. Sentences are whole
templates, never glued from fragments, so each language keeps its own word
order. A ``Plural`` entry picks its form from one integer parameter (English
and Swedish both have two forms: one, other). Numbers are formatted per
language (``1,234`` / ``1 234``) before they are filled in.

Parameters are inserted as given: escaping for markdown or cards is the
caller's job (``handlers.cards.safe_text``), because only the caller knows where
the text goes.
"""

from __future__ import annotations

from typing import Any

from core.statuses import Lang
from handlers.i18n import en, sv
from handlers.i18n.plural import Entry, Plural

__all__ = ["CATALOGUES", "Entry", "Plural", "join_or", "number", "t"]

CATALOGUES: dict[Lang, dict[str, Entry]] = {"en": en.CATALOGUE, "sv": sv.CATALOGUE}


def number(value: int, lang: Lang) -> str:
    """An integer as people in ``lang`` write it: in Swedish grouped with a no-break
    space (U+00A0), so a number never wraps across lines."""
    grouped = f"{value:,}"
    return grouped.replace(",", "\u00a0") if lang == "sv" else grouped


def t(key: str, lang: Lang, **params: Any) -> str:
    """The sentence ``key`` in ``lang`` with ``params`` filled in.

    A missing key falls back to English (and an unknown one raises KeyError:
    tests keep both catalogues complete).
    """
    entry = CATALOGUES[lang].get(key) or CATALOGUES["en"][key]
    if isinstance(entry, Plural):
        template = entry.one if params[entry.count] == 1 else entry.other
    else:
        template = entry
    shown = {
        name: number(value, lang)
        if isinstance(value, int) and not isinstance(value, bool)
        else value
        for name, value in params.items()
    }
    return template.format(**shown)


def join_or(items: list[str], lang: Lang) -> str:
    """``a``, ``a or b``, ``a, b or c`` (``eller`` in Swedish), from whole templates."""
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return t("list_or", lang, head=t("list_separator", lang).join(items[:-1]), last=items[-1])
