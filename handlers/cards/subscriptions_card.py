"""The subscriptions card: this space's digests and alerts, each with its own Unsubscribe.

Each row shows the short number people type (``unsubscribe 2``, ``send 2 now``),
what it is, the next run (digests), and the last run with its outcome ("nothing
to report", "withheld …"). A row's Unsubscribe is a selectAction on its own
column, not a card button: Webex allows five buttons per card, a space may have
more rows. Its payload carries only the number; the space is the one the
submission comes from (never a room id from the payload), and the submission is
validated like every other (``handlers.submissions``). More than
``SUBS_PAGE_SIZE`` rows are paged with Previous/Next.
"""

from __future__ import annotations

from collections.abc import Sequence

from core.proactive import AlertRule, Digest
from core.statuses import Lang
from handlers.cards.common import (
    Json,
    card,
    escape_markdown,
    fit_items,
    fit_markdown,
    md,
    payload,
    submit,
    text,
)
from handlers.cards.proactive_text import (
    last_run_label,
    moment,
    query_label,
    question_label,
    schedule_label,
)
from handlers.i18n import t
from handlers.reply import Reply

__all__ = ["SUBS_PAGE_SIZE", "subscriptions_payload", "subscriptions_reply", "unsubscribe_payload"]

SUBS_PAGE_SIZE = 10
#: Short numbers are small; a bigger one in a payload is refused as tampered.
MAX_NUMBER = 1_000_000

Item = Digest | AlertRule


def unsubscribe_payload(number: int) -> Json:
    return payload("unsubscribe", number=number)


def subscriptions_payload(page: int = 0) -> Json:
    return payload("subscriptions", page=page)


def item_title(item: Item, lang: Lang, *, markdown: bool = False) -> str:
    """ "2. Daily · Needing attention · 08:00" or "1. Alerts · Needing attention"."""
    if isinstance(item, Digest):
        return t(
            "subs_digest",
            lang,
            number=item.number,
            schedule=schedule_label(item.schedule, lang),
            question=question_label(item.question, lang, markdown=markdown),
            time=item.schedule.at.strftime("%H:%M"),
        )
    question = query_label(item.query, lang, markdown=markdown)
    return t("subs_alerts", lang, number=item.number, question=question)


def item_runs(item: Item, zone: str, lang: Lang) -> list[str]:
    """The next run (digests) and the last run with its outcome."""
    lines = []
    if isinstance(item, Digest) and item.next_run is not None:
        lines.append(t("subs_next", lang, when=moment(item.next_run, zone, lang)))
    lines.append(last_run_label(item.last_run, item.last_outcome, zone, lang))
    return lines


def subscriptions_reply(items: Sequence[Item], zone: str, lang: Lang, *, page: int = 0) -> Reply:
    """The card for ``items`` (one space's), by number; a page past the end shows the last."""
    ordered = sorted(items, key=lambda item: item.number)
    title = t("subs_title", lang)
    if not ordered:
        empty = t("subs_empty", lang)
        return Reply(
            markdown=f"**{escape_markdown(title)}**\n\n{md('subs_empty', lang)}",
            card=card([text(title, size="medium", weight="bolder"), text(empty)], lang=lang),
        )
    pages = max(1, -(-len(ordered) // SUBS_PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = ordered[page * SUBS_PAGE_SIZE : (page + 1) * SUBS_PAGE_SIZE]
    head = [
        text(title, size="medium", weight="bolder"),
        text(t("subs_zone", lang, zone=zone), size="small", isSubtle=True, spacing="none"),
    ]
    actions: list[Json] = []
    if page > 0:
        actions.append(submit(t("action_previous", lang), subscriptions_payload(page - 1)))
    if page + 1 < pages:
        actions.append(submit(t("action_next", lang), subscriptions_payload(page + 1)))

    def build(item: Item, name_chars: int, selectable: bool) -> Json:
        del name_chars, selectable  # rows hold no names; every row keeps its Unsubscribe
        return _row(item, zone, lang)

    built = fit_items(head, shown, build, [], actions, lang)
    return Reply(markdown=_markdown(shown, title, zone, lang), card=built)


def _row(item: Item, zone: str, lang: Lang) -> Json:
    lines = [text(item_title(item, lang), weight="bolder")]
    lines += [
        text(line, size="small", isSubtle=True, spacing="none")
        for line in item_runs(item, zone, lang)
    ]
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
