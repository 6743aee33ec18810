"""Webex's limits on what the bot posts, and cards that degrade to fit them.

Limits (webex-facts.md): markdown at most 7439 UTF-8 bytes; at most five
buttons per card; a card well under 20 KB. ``card_size`` measures the JSON the
way ``requests`` sends it (``ensure_ascii``: an emoji costs 12 bytes), which is
never smaller than the UTF-8 form. Cards whose size depends on the data degrade
to fit ``CARD_BUDGET`` (``list_card.fit_rows``, the detail card's budget);
cards of catalogue text only (filter, help, summary, notices) pass through
``check_card``, which raises ``CardTooLarge``: growing one past the limit (a
longer translation, more commands in help) is a bug the tests then catch.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from core.statuses import Lang
from handlers.cards.common import card
from handlers.cards.safe_text import ROW_NAME_CHARS, Json, text
from handlers.i18n import t

TEXT_LIMIT = 7439  # Webex's limit on text and markdown, in UTF-8 bytes
ELLIPSIS = "…"
CARD_BUDGET = 16_000
MAX_BUTTONS = 5

Item = TypeVar("Item")

#: How ``fit_items`` degrades rows that do not fit: (name characters, selectable).
FIT_STEPS = ((ROW_NAME_CHARS, True), (30, True), (12, True), (12, False))


def card_size(built: Json) -> int:
    """Bytes of the card as it goes over the wire (ASCII-escaped JSON, the larger form)."""
    return len(json.dumps(built))


def text_size(markdown: str) -> int:
    return len(markdown.encode("utf-8"))


def count_buttons(built: Any) -> int:
    """Buttons anywhere in a card: every action in an ``actions`` list (nested cards
    of ShowCard and ActionSets included); a selectAction is a row, not a button."""
    total = 0
    if isinstance(built, dict):
        for key, value in built.items():
            if key == "actions" and isinstance(value, list):
                total += len(value)
            total += count_buttons(value)
    elif isinstance(built, list):
        for item in built:
            total += count_buttons(item)
    return total


def fit_items(
    head: list[Json],
    items: Sequence[Item],
    build: Callable[[Item, int, bool], Json],
    tail: list[Json],
    actions: list[Json],
    lang: Lang,
    *,
    left_out: str = "rows_left_out",
) -> Json:
    """The card with one row per item if it fits under ``CARD_BUDGET``: ``build(item,
    name_chars, selectable)`` is asked for shorter names, then (for absurdly long
    ids in payloads) for rows without a selectAction, and as a last resort rows are
    left out with a note (the catalogue's ``left_out`` sentence, with their count).
    Realistic data never gets past the first step."""
    rows: list[Json] = []
    for name_chars, selectable in FIT_STEPS:
        rows = [build(item, name_chars, selectable) for item in items]
        built = card([*head, *rows, *tail], actions, lang=lang)
        if card_size(built) <= CARD_BUDGET:
            return built
    while rows:
        rows.pop()
        note = text(t(left_out, lang, count=len(items) - len(rows)), isSubtle=True)
        built = card([*head, *rows, note, *tail], actions, lang=lang)
        if card_size(built) <= CARD_BUDGET:
            return built
    return card(head, actions, lang=lang)


def fit_text(text: str, limit: int = TEXT_LIMIT) -> str:
    """``text`` cut to ``limit`` UTF-8 bytes with an ellipsis, never inside a character
    (the client's last guard for a reply's markdown and text)."""
    data = text.encode("utf-8")
    if len(data) <= limit:
        return text
    room = limit - len(ELLIPSIS.encode("utf-8"))
    return data[:room].decode("utf-8", errors="ignore") + ELLIPSIS


def fit_markdown(lines: list[str], tail: list[str], note: str) -> str:
    """``lines`` joined, cut at a whole line so that with ``note`` and ``tail`` the
    text stays within Webex's limit (``note`` only appears when lines were cut)."""
    full = "\n".join([*lines, *tail])
    if text_size(full) <= TEXT_LIMIT:
        return full
    budget = TEXT_LIMIT - text_size("\n".join([note, *tail])) - 1
    kept: list[str] = []
    used = 0
    for line in lines:
        cost = text_size(line) + 1
        if used + cost > budget:
            break
        kept.append(line)
        used += cost
    return "\n".join([*kept, note, *tail])


class CardTooLarge(ValueError):
    """A card Webex would refuse, built from catalogue text alone: a bug, not bad data."""


def check_card(built: Json) -> Json:
    """``built`` as it is, once it is known to be within Webex's card limits."""
    size, buttons = card_size(built), count_buttons(built)
    if size > CARD_BUDGET or buttons > MAX_BUTTONS:
        raise CardTooLarge(
            f"card of {size} bytes (budget {CARD_BUDGET}) with {buttons} buttons"
            f" (at most {MAX_BUTTONS})"
        )
    return built
