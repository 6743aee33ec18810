"""What every card shares: the envelope, safe text, status colours, payloads, limits.

Safety (security-and-reliability.md, Output). Customer data never goes into
markup:

* In cards, any text that contains data (names, ids, service names, a typed
  search) is a ``TextRun`` inside a ``RichTextBlock``. Adaptive Cards do not
  process markdown in a TextRun (only TextBlock does), so ``*x*``, ``[x](y)``,
  ``<@all>`` and ``<b>`` show as typed; ``plain`` only removes control and
  bidi-override characters, which could break lines or reorder what people see.
  TextBlock, FactSet and ChoiceSet titles only ever hold catalogue text,
  numbers, dates and status labels.
* In the markdown fallback, ``escape_markdown`` backslash-escapes every
  CommonMark punctuation character and writes ``&``, ``<`` and ``>`` as
  entities, so no name can start a mention (``<@all>``), an HTML tag, a link or
  any formatting.

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
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar

from core.query import Query
from core.statuses import Lang, ProvisioningStatus, SubscriptionStatus
from handlers.i18n import t

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_VERSION = "1.3"
#: Version of the Action.Submit payload; a different one is a stale card.
PAYLOAD_VERSION = 1
TEXT_LIMIT = 7439
CARD_BUDGET = 16_000
MAX_BUTTONS = 5
#: Longest name shown in a list row or a fallback line (the detail card shows it whole).
ROW_NAME_CHARS = 60

Json = dict[str, Any]
Item = TypeVar("Item")
#: How ``fit_items`` degrades rows that do not fit: (name characters, selectable).
FIT_STEPS = ((ROW_NAME_CHARS, True), (30, True), (12, True), (12, False))

#: Adaptive Card colour per status: attention (red) and warning (orange) are the
#: statuses that need someone to act (core.statuses ATTENTION_*), accent (blue)
#: is in progress or coming up, good (green) is fine.
PROVISIONING_COLOR: dict[ProvisioningStatus, str] = {
    ProvisioningStatus.FAILED: "attention",
    ProvisioningStatus.MANUAL_PARTNER: "warning",
    ProvisioningStatus.PENDING_DETAILS: "warning",
    ProvisioningStatus.MANUAL_CISCO: "accent",
    ProvisioningStatus.PROVISIONING: "accent",
    ProvisioningStatus.PROVISIONED: "good",
}
SUBSCRIPTION_COLOR: dict[SubscriptionStatus, str] = {
    SubscriptionStatus.SUSPENDED: "attention",
    SubscriptionStatus.TRIAL_EXPIRED: "attention",
    SubscriptionStatus.EXPIRING_30: "warning",
    SubscriptionStatus.TRIAL_EXPIRING_30: "warning",
    SubscriptionStatus.EXPIRING_60: "accent",
    SubscriptionStatus.TRIAL_EXPIRING_60: "accent",
    SubscriptionStatus.TRIAL_ACTIVE: "good",
    SubscriptionStatus.ACTIVE: "good",
}
#: The same four levels in the markdown fallback.
ICON = {"attention": "🔴", "warning": "🟠", "accent": "🔵", "good": "🟢"}
SEVERITY = ("attention", "warning", "accent", "good")
DOT = "●"

_MARKDOWN_PUNCTUATION = frozenset("\\`*_{}[]()#+-.!|~:")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


@dataclass(frozen=True, slots=True)
class Heading:
    """A line above a card's title, e.g. the subscription a digest comes from.

    ``text`` goes into a TextRun as is; ``markdown`` is the same line already
    escaped for the fallback (the caller knows which parts are data).
    """

    text: str
    markdown: str

    def block(self) -> Json:
        return text(self.text, size="small", weight="bolder", color="accent")


def status_color(status: ProvisioningStatus | SubscriptionStatus) -> str:
    if isinstance(status, ProvisioningStatus):
        return PROVISIONING_COLOR[status]
    return SUBSCRIPTION_COLOR[status]


# -- text ---------------------------------------------------------------------------


def plain(text: str) -> str:
    """Data made safe to show as plain text: control characters (newlines,
    tabs, NUL) become spaces, bidi overrides go; emoji joiners stay."""
    cleaned = []
    for char in text:
        if char in _BIDI_CONTROLS:
            continue
        cleaned.append(" " if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char)
    return "".join(cleaned)


def shorten(text: str, limit: int = ROW_NAME_CHARS) -> str:
    """``text`` cut to ``limit`` code points, with an ellipsis when it was cut."""
    text = plain(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def escape_markdown(text: str) -> str:
    """``text`` shown literally by a Webex markdown renderer (see module docstring)."""
    out = []
    for char in plain(text):
        if char in _ENTITIES:
            out.append(_ENTITIES[char])
        elif char in _MARKDOWN_PUNCTUATION:
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def md(key: str, lang: Lang, **params: Any) -> str:
    """A catalogue sentence for the markdown fallback: the (trusted) template as
    written, every string parameter escaped."""
    return t(
        key,
        lang,
        **{name: escape_markdown(v) if isinstance(v, str) else v for name, v in params.items()},
    )


def text_run(value: str, **style: Any) -> Json:
    """A TextRun: shown as is, never read as markdown (so data may go here)."""
    run: Json = {"type": "TextRun", "text": plain(value)}
    run.update({key: item for key, item in style.items() if item is not None})
    return run


def rich(
    *runs: Json, spacing: str | None = None, separator: bool = False, align: str | None = None
) -> Json:
    block: Json = {"type": "RichTextBlock", "inlines": list(runs)}
    if spacing:
        block["spacing"] = spacing
    if align:
        block["horizontalAlignment"] = align
    if separator:
        block["separator"] = True
    return block


def text(value: str, *, spacing: str | None = None, align: str | None = None, **style: Any) -> Json:
    """One line (it wraps) of safe text: a RichTextBlock with one TextRun."""
    return rich(text_run(value, **style), spacing=spacing, align=align)


def status_runs(status: ProvisioningStatus | SubscriptionStatus, lang: Lang) -> list[Json]:
    """A coloured dot and the status label; statuses that need action in bold colour."""
    color = status_color(status)
    label: Json = text_run(status.label(lang), size="small")
    if status.needs_attention:
        label.update(color=color, weight="bolder")
    return [text_run(DOT + " ", color=color, size="small"), label]


# -- cards and actions ------------------------------------------------------------


def card(body: list[Json], actions: Iterable[Json] = (), *, lang: Lang) -> Json:
    """A 1.3 card. ``lang`` is not written into it: adaptivecards 3.0.6 checks
    ``lang`` with a global regex whose state leaks between cards, so every
    second card fails validation; the card's text is already in ``lang``."""
    del lang
    built: Json = {
        "type": "AdaptiveCard",
        "$schema": SCHEMA,
        "version": CARD_VERSION,
        "body": body,
    }
    chosen = list(actions)
    if chosen:
        built["actions"] = chosen
    return built


def payload(action: str, **fields: Any) -> Json:
    """The ``data`` of an Action.Submit: small, versioned, re-validated on return."""
    return {"statusbot": PAYLOAD_VERSION, "action": action, **fields}


def submit(title: str, data: Json, *, style: str | None = None) -> Json:
    action: Json = {"type": "Action.Submit", "title": title, "data": data}
    if style:
        action["style"] = style
    return action


def query_json(query: Query) -> Json:
    """A Query as compact JSON, statuses in importance order (stable payloads)."""
    dumped: Json = query.model_dump(mode="json", exclude_defaults=True)
    if query.provisioning:
        dumped["provisioning"] = [s.value for s in sorted(query.provisioning, key=_rank)]
    if query.subscription:
        dumped["subscription"] = [s.value for s in sorted(query.subscription, key=_rank)]
    return dumped


def list_payload(query: Query, page: int = 0) -> Json:
    return payload("list", query=query_json(query), page=page)


def customer_payload(customer_id: str) -> Json:
    return payload("customer", id=customer_id)


def _rank(status: ProvisioningStatus | SubscriptionStatus) -> int:
    return status.rank


# -- limits -----------------------------------------------------------------------


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
