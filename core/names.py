"""Customer names as Webex delivers them, for matching what people type.

Webex reads what a person types as markdown and hands the bot the message's
plain ``text``: a name typed as a list shows it, "Acme *Bold* [x](http://evil)",
arrives as "Acme Bold x", and "Back`tick` AB" as "Backtick AB". So names are
compared in that delivered form: ``as_delivered`` drops what Webex drops (a
link becomes its text; ``**bold**``, ``__bold__``, ``*italic*`` and code spans
lose their marks, as the emulator models Webex and a test keeps the two in
step), and ``fold`` adds case folding and single spaces. The store keeps every
name folded so (``customers.name_folded``) and folds each question the same
way, so a name typed raw (``statusbot ask``) and the same name delivered by
Webex find the same customers.
"""

from __future__ import annotations

import re
from difflib import SequenceMatcher

#: Webex's markdown-to-text steps, in its order: links, bold, italic, code.
_DELIVERY: tuple[tuple[re.Pattern[str], str], ...] = (
    (re.compile(r"\[([^\]]+)\]\([^)\s]+\)"), r"\1"),
    (re.compile(r"\*\*(.+?)\*\*|__(.+?)__"), r"\1\2"),
    (re.compile(r"(?<![\*\w])\*(?!\s)(.+?)(?<!\s)\*(?!\*)"), r"\1"),
    (re.compile(r"`([^`]*)`"), r"\1"),
)
_MARKS = re.compile(r"[\[*_`]")

#: Which ``fold`` the stored names hold (``store_state.name_fold``): raise it
#: whenever ``fold`` changes, and opening a store folds its names again. 1 was
#: plain case folding; 2 drops markdown marks as Webex does.
FOLD_VERSION = 2

#: How alike a name must be to be offered as one of the closest (difflib's ratio).
CLOSE_ENOUGH = 0.5


def as_delivered(text: str) -> str:
    """``text`` as Webex delivers it to the bot when a person types it."""
    if _MARKS.search(text) is None:  # most names: nothing to drop
        return text
    for pattern, replacement in _DELIVERY:
        text = pattern.sub(replacement, text)
    return text


def fold(text: str) -> str:
    """The form names are matched in: as delivered, case-folded, single-spaced."""
    return " ".join(as_delivered(text).casefold().split())


def probes(name: str) -> list[str]:
    """Pieces of ``name`` (folded) that a close name likely holds: each word of
    three letters or more, and its first three letters (for a typo later on)."""
    words = [word for word in fold(name).split() if len(word) >= 3]
    return sorted({*words, *(word[:3] for word in words)})


def closest(name: str, candidates: list[str], limit: int = 3) -> list[str]:
    """The ``candidates`` most like ``name`` (both folded), best first, if alike enough."""
    needle = fold(name)
    scored = sorted(
        (-SequenceMatcher(None, needle, fold(candidate)).ratio(), candidate)
        for candidate in candidates
    )
    return [candidate for ratio, candidate in scored if -ratio >= CLOSE_ENOUGH][:limit]
