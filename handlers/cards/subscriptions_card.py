"""The subscriptions card: this space's digests and alerts, each with its own Unsubscribe.

Each row shows the short number people type (``unsubscribe 2``, ``send 2 now``),
what it is, the next run (digests), and the last run with its outcome ("nothing
to report", "withheld …"). A row's Unsubscribe is a selectAction on its own
column, not a card button: Webex allows five buttons per card, a space may have
more rows. Its payload carries only the number; the space is the one the
submission comes from (never a room id from the payload), and the submission is
validated like every other (``handlers.submissions``).

A space holds at most ``MAX_ITEMS`` digests (the subscribe command refuses more),
so one card shows them all without paging; question labels are cut at
``LABEL_CHARS``, and shorter when the card would be too big (``fit_items``'s
steps). Should rows still not fit (items added by two processes at
once, absurd filters), the card says how many it left out and the markdown
fallback lists every one.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.proactive import AlertRule, Digest
from core.statuses import Lang
from handlers.cards.common import card, payload, submit
from handlers.cards.limits import fit_items, fit_markdown
from handlers.cards.proactive_text import (
    last_run_label,
    moment,
    query_label,
    question_label,
    schedule_label,
)
from handlers.cards.safe_text import Json, escape_markdown, md, shorten, text
from handlers.i18n import t
from handlers.reply import Reply

__all__ = ["MAX_ITEMS", "MAX_NUMBER", "item_title", "subscriptions_reply", "unsubscribe_payload"]

#: Digests one space may have (the subscribe command refuses more).
MAX_ITEMS = 15
#: Longest question label on a row (a filter on a long name).
LABEL_CHARS = 80
#: Short numbers are small; a bigger one in a payload is refused as tampered.
MAX_NUMBER = 1_000_000

Item = Digest | AlertRule


def unsubscribe_payload(number: int) -> Json:
    return payload("unsubscribe", number=number)


def item_title(
    item: Item, lang: Lang, *, markdown: bool = False, label_chars: int = LABEL_CHARS
) -> str:
    """ "2. Daily · Needing attention · 08:00" or "1. Alerts · Needing attention"."""
    if isinstance(item, Digest):
        return t(
            "subs_digest",
            lang,
            number=item.number,
            schedule=schedule_label(item.schedule, lang),
            question=_label(question_label(item.question, lang), markdown, label_chars),
            time=item.schedule.at.strftime("%H:%M"),
        )
    question = _label(query_label(item.query, lang), markdown, label_chars)
    return t("subs_alerts", lang, number=item.number, question=question)


def _label(label: str, markdown: bool, chars: int) -> str:
    """A question label cut to ``chars``, escaped for markdown if asked (it may quote
    a typed name)."""
    short = shorten(label, chars)
    return escape_markdown(short) if markdown else short


def item_runs(item: Item, zone: str, lang: Lang) -> list[str]:
    """The next run (digests) and the last run with its outcome."""
    lines = []
    if isinstance(item, Digest) and item.next_run is not None:
        lines.append(t("subs_next", lang, when=moment(item.next_run, zone, lang)))
    lines.append(last_run_label(item.last_run, item.last_outcome, zone, lang))
    return lines


def subscriptions_reply(items: Sequence[Item], zone: str, lang: Lang) -> Reply:
    """The card for ``items`` (one space's), by number."""
    ordered = sorted(items, key=lambda item: item.number)
    title = t("subs_title", lang)
    if not ordered:
        empty = t("subs_empty", lang)
        return Reply(
            markdown=f"**{escape_markdown(title)}**\n\n{md('subs_empty', lang)}",
            card=card([text(title, size="medium", weight="bolder"), text(empty)], lang=lang),
        )
    head = [
        text(title, size="medium", weight="bolder"),
        text(t("subs_zone", lang, zone=zone), size="small", isSubtle=True, spacing="none"),
    ]

    def build(item: Item, name_chars: int, selectable: bool) -> Json:
        del selectable  # every row keeps its Unsubscribe: it is what the row is for
        return _row(item, zone, lang, name_chars)

    built = fit_items(head, ordered, build, [], [], lang, left_out="subs_left_out")
    return Reply(markdown=_markdown(ordered, title, zone, lang), card=built)


def _row(item: Item, zone: str, lang: Lang, label_chars: int) -> Json:
    lines = [text(item_title(item, lang, label_chars=label_chars), weight="bolder")]
    runs = " · ".join(item_runs(item, zone, lang))
    lines.append(text(runs, size="small", isSubtle=True, spacing="none"))
    unsubscribe = t("action_unsubscribe", lang)
    return {
        "type": "ColumnSet",
        "separator": True,
        "spacing": "small",
        "columns": [
            {"type": "Column", "width": "stretch", "items": lines},
            {
                "type": "Column",
                "width": "auto",
                "verticalContentAlignment": "center",
                "selectAction": submit(unsubscribe, unsubscribe_payload(item.number)),
                "items": [text(unsubscribe, color="attention", weight="bolder", size="small")],
            },
        ],
    }


def _markdown(shown: Sequence[Item], title: str, zone: str, lang: Lang) -> str:
    lines = [f"**{escape_markdown(title)}**", md("subs_zone", lang, zone=zone), ""]
    for item in shown:
        runs = " · ".join(item_runs(item, zone, lang))  # catalogue text, dates and times only
        lines.append(f"- **{item_title(item, lang, markdown=True)}** — {runs}")
    return fit_markdown(lines, ["", md("subs_md_hint", lang)], "…")
