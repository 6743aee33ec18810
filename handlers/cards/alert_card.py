"""The alert card: "3 customers changed status", one row per customer, paged.

The engine posts one card per space per change batch (never one message per
customer). A customer whose provisioning and subscription status both changed
is one row with two lines. Rows are ordered most urgent first (the most
important new status, then the name), so a long batch starts with what needs
someone. ``ALERT_PAGE_SIZE`` customers fit a page; Previous/Next carry the
batch and the page (``alert_payload``), so the submission reads the same batch
again instead of trusting rows sent back by the client. Each row opens the
customer's details, like a list row; the buttons are Previous, Next and
"Needing attention", within Webex's five.

Customer names are data: TextRuns in the card, escaped in the fallback.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from core.proactive import StatusChange
from core.query import Query
from core.statuses import Lang, ProvisioningStatus, SubscriptionStatus
from handlers.cards.common import (
    ICON,
    SEVERITY,
    customer_payload,
    list_payload,
    payload,
    status_color,
    status_runs,
    submit,
)
from handlers.cards.limits import fit_items, fit_markdown
from handlers.cards.proactive_text import moment
from handlers.cards.safe_text import Json, escape_markdown, md, rich, shorten, text, text_run
from handlers.i18n import t
from handlers.reply import Reply

__all__ = ["ALERT_PAGE_SIZE", "MAX_BATCH_LENGTH", "alert_payload", "alert_reply"]

ALERT_PAGE_SIZE = 10
#: A batch id is the engine's (a transition id range or similar); longer is refused.
MAX_BATCH_LENGTH = 100

Status = ProvisioningStatus | SubscriptionStatus


@dataclass(frozen=True, slots=True)
class _Customer:
    """One row: a customer and its changes in this batch."""

    id: str
    name: str
    changes: tuple[StatusChange, ...]

    @property
    def urgency(self) -> int:
        ranks = [status.rank for change in self.changes if (status := _status(change, "new"))]
        return min(ranks, default=len(SubscriptionStatus))


def alert_payload(batch: str, page: int) -> Json:
    return payload("alert", batch=batch, page=page)


def alert_reply(
    changes: Sequence[StatusChange], lang: Lang, *, page: int = 0, batch: str, zone: str = "UTC"
) -> Reply:
    """One page of a change batch (a page past the end shows the last one)."""
    customers = _group(changes)
    pages = max(1, -(-len(customers) // ALERT_PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    first = page * ALERT_PAGE_SIZE
    shown = customers[first : first + ALERT_PAGE_SIZE]
    title = t("alert_title", lang, count=len(customers))
    page_line = t(
        "list_page",
        lang,
        page=page + 1,
        pages=pages,
        first=first + 1,
        last=first + len(shown),
        total=len(customers),
    )
    head = [
        text(title, size="medium", weight="bolder"),
        text(t("alert_zone", lang, zone=zone), size="small", isSubtle=True, spacing="none"),
    ]
    if pages > 1:
        head.append(text(page_line, size="small", isSubtle=True, spacing="small"))
    actions: list[Json] = []
    if page > 0:
        actions.append(submit(t("action_previous", lang), alert_payload(batch, page - 1)))
    if page + 1 < pages:
        actions.append(submit(t("action_next", lang), alert_payload(batch, page + 1)))
    actions.append(submit(t("action_attention", lang), list_payload(Query(needing_attention=True))))
    hint = [text(t("alert_hint", lang), size="small", isSubtle=True)]

    def build(customer: _Customer, name_chars: int, selectable: bool) -> Json:
        return _row(customer, zone, lang, name_chars=name_chars, selectable=selectable)

    built = fit_items(head, shown, build, hint, actions, lang)
    return Reply(markdown=_markdown(shown, title, zone, page_line, pages, lang), card=built)


def _group(changes: Sequence[StatusChange]) -> list[_Customer]:
    """Changes per customer, most urgent first, then by name."""
    by_id: dict[str, list[StatusChange]] = {}
    for change in changes:
        by_id.setdefault(change.customer_id, []).append(change)
    customers = [
        _Customer(id=key, name=found[-1].customer_name, changes=tuple(found))
        for key, found in by_id.items()
    ]
    return sorted(customers, key=lambda c: (c.urgency, c.name.casefold(), c.id))


def _status(change: StatusChange, which: str) -> Status | None:
    """The old or new status of a change, or None (new/gone customer, unknown key)."""
    key = change.old if which == "old" else change.new
    kind: type[Status] = (
        ProvisioningStatus if change.dimension == "provisioning" else SubscriptionStatus
    )
    try:
        return kind(key) if key is not None else None
    except ValueError:
        return None


def _side_label(change: StatusChange, which: str, lang: Lang) -> str:
    status = _status(change, which)
    if status is not None:
        return status.label(lang)
    key = change.old if which == "old" else change.new
    if key is None:
        return t("alert_new" if which == "old" else "alert_gone", lang)
    return t("outcome_other", lang)


def _side_runs(change: StatusChange, which: str, lang: Lang) -> list[Json]:
    status = _status(change, which)
    if status is not None:
        return status_runs(status, lang)
    return [text_run(_side_label(change, which, lang), size="small", isSubtle=True)]


def _dimension(change: StatusChange, lang: Lang) -> str:
    key = "filter_provisioning" if change.dimension == "provisioning" else "filter_subscription"
    return t(key, lang)


def _row(customer: _Customer, zone: str, lang: Lang, *, name_chars: int, selectable: bool) -> Json:
    lines: list[Json] = [text(shorten(customer.name, name_chars), weight="bolder")]
    for change in customer.changes:
        lines.append(
            rich(
                text_run(_dimension(change, lang) + ": ", size="small", isSubtle=True),
                *_side_runs(change, "old", lang),
                text_run(" → ", size="small"),
                *_side_runs(change, "new", lang),
                spacing="none",
            )
        )
    when = moment(max(change.at for change in customer.changes), zone, lang)
    container: Json = {
        "type": "Container",
        "separator": True,
        "spacing": "small",
        "items": [
            {
                "type": "ColumnSet",
                "columns": [
                    {"type": "Column", "width": "stretch", "items": lines},
                    {
                        "type": "Column",
                        "width": "auto",
                        "items": [text(when, size="small", isSubtle=True, align="right")],
                    },
                ],
            }
        ],
    }
    if selectable:
        container["selectAction"] = submit(t("action_details", lang), customer_payload(customer.id))
    return container


def _icon(customer: _Customer) -> str:
    colors = [status_color(s) for c in customer.changes if (s := _status(c, "new"))]
    return ICON[min(colors, key=SEVERITY.index)] if colors else "⚪"


def _markdown(
    shown: list[_Customer], title: str, zone: str, page_line: str, pages: int, lang: Lang
) -> str:
    head = [f"**{escape_markdown(title)}**", md("alert_zone", lang, zone=zone)]
    if pages > 1:
        head.append(escape_markdown(page_line))
    lines = [*head, ""]
    for customer in shown:
        parts = [
            md(
                "alert_change",
                lang,
                dimension=_dimension(change, lang),
                old=_side_label(change, "old", lang),
                new=_side_label(change, "new", lang),
            )
            for change in customer.changes
        ]
        when = escape_markdown(moment(max(c.at for c in customer.changes), zone, lang))
        name = escape_markdown(shorten(customer.name))
        lines.append(f"- {_icon(customer)} **{name}** — " + " · ".join([*parts, when]))
    return fit_markdown(lines, ["", md("alert_hint", lang)], "…")
