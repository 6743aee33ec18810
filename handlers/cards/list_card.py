"""The customer list: a title, one row per customer, paging, export.

Rows come in the store's order (most important first, then soonest end date,
then name). A card shows ``PAGE_SIZE`` customers; Previous/Next carry the
query and the page in their payload. Each row is a selectAction that opens the
customer's details, so the card keeps at most four buttons (Previous, Next,
Export, Filter) under Webex's five.

Size: a row is bounded (name cut to ``ROW_NAME_CHARS``, labels from the
catalogue), so ten rows stay well under ``CARD_BUDGET`` whatever the data; if
a card were still too big, ``fit_rows`` degrades it step by step (``limits.fit_items``).
The markdown fallback is cut at whole lines under Webex's limit.
"""

from __future__ import annotations

from core.query import Query
from core.results import CustomerPage, CustomerRow
from core.statuses import Lang
from handlers.cards.common import (
    ICON,
    SEVERITY,
    Heading,
    customer_payload,
    list_payload,
    payload,
    status_color,
    status_runs,
    submit,
)
from handlers.cards.describe import Description, describe
from handlers.cards.limits import fit_items, fit_markdown
from handlers.cards.safe_text import (
    ROW_NAME_CHARS,
    Json,
    escape_markdown,
    md,
    rich,
    shorten,
    text,
    text_run,
)
from handlers.i18n import t
from handlers.reply import Reply

PAGE_SIZE = 10
#: Shown at the end of a row that opens the customer's details.
CHEVRON = "  ›"


def page_count(total: int) -> int:
    return max(1, -(-total // PAGE_SIZE))


def ends_text(row: CustomerRow, lang: Lang) -> str | None:
    """The row's date in words: it belongs to the status shown (a trial expired's past end)."""
    if row.soonest_end_date is None or row.days_left is None:
        return None
    day = row.soonest_end_date.isoformat()
    if row.days_left < 0:
        return t("row_ended", lang, date=day)
    if row.days_left == 0:
        return t("row_ends_today", lang, date=day)
    return t("row_ends", lang, date=day, days_left=t("days_left", lang, count=row.days_left))


def customer_row(
    row: CustomerRow, lang: Lang, *, name_chars: int = ROW_NAME_CHARS, selectable: bool = True
) -> Json:
    """One customer: name and both statuses on the left, the soonest end on the
    right; selecting the row shows the customer's details."""
    statuses = rich(
        *status_runs(row.provisioning_status, lang),
        text_run("   "),
        *status_runs(row.subscription_status, lang),
        spacing="none",
    )
    name = rich(text_run(shorten(row.name, name_chars), weight="bolder"))
    if selectable:  # a chevron says the row opens something (1.3 cards show no hover)
        name["inlines"].append(text_run(CHEVRON, isSubtle=True))
    left: Json = {
        "type": "Column",
        "width": "stretch",
        "items": [name, statuses],
    }
    columns = [left]
    if row.soonest_end_date is not None and row.days_left is not None:
        color = "warning" if row.subscription_status.needs_attention else None
        day = row.soonest_end_date.isoformat()
        if row.days_left < 0:  # a trial expired: when it ended
            remaining = t("days_ago", lang, count=-row.days_left)
        elif row.days_left == 0:
            remaining = t("row_today", lang)
        else:
            remaining = t("days_left", lang, count=row.days_left)
        date_key = "row_ended" if row.days_left < 0 else "row_end_date"
        columns.append(
            {
                "type": "Column",
                "width": "auto",
                "verticalContentAlignment": "center",
                "items": [
                    text(
                        t(date_key, lang, date=day),
                        size="small",
                        isSubtle=True,
                        align="right",
                    ),
                    text(remaining, size="small", color=color, spacing="none", align="right"),
                ],
            }
        )
    container: Json = {
        "type": "Container",
        "separator": True,
        "spacing": "small",
        "items": [{"type": "ColumnSet", "columns": columns}],
    }
    if selectable:
        container["selectAction"] = submit(t("action_details", lang), customer_payload(row.id))
    return container


def fit_rows(
    head: list[Json],
    rows: tuple[CustomerRow, ...],
    tail: list[Json],
    actions: list[Json],
    lang: Lang,
) -> Json:
    """The card with every customer row that fits under ``CARD_BUDGET`` (``fit_items``)."""

    def build(row: CustomerRow, name_chars: int, selectable: bool) -> Json:
        return customer_row(row, lang, name_chars=name_chars, selectable=selectable)

    return fit_items(head, rows, build, tail, actions, lang)


def markdown_row(row: CustomerRow, lang: Lang) -> str:
    colors = (status_color(row.provisioning_status), status_color(row.subscription_status))
    worst = min(colors, key=SEVERITY.index)
    parts = [
        row.provisioning_status.label(lang),
        row.subscription_status.label(lang),
    ]
    ends = ends_text(row, lang)
    if ends is not None:
        parts.append(ends)
    name = escape_markdown(shorten(row.name))
    return f"- {ICON[worst]} **{name}** — " + " · ".join(parts)  # parts: no data


def list_reply(
    page: CustomerPage,
    query: Query,
    page_index: int,
    lang: Lang,
    *,
    notice: str | None = None,
    heading: Heading | None = None,
) -> Reply:
    """The list card and its fallback for one page of matches (``heading``: a
    digest's subscription line above the title)."""
    description = describe(query, page.total, lang)
    pages = page_count(page.total)
    first, last = page.offset + 1, page.offset + len(page.rows)
    page_line = t(
        "list_page",
        lang,
        page=page_index + 1,
        pages=pages,
        first=first,
        last=last,
        total=page.total,
    )
    head = [heading.block()] if heading else []
    head.append(text(description.title, size="medium", weight="bolder"))
    head += [
        text(line, size="small", isSubtle=True, spacing="none") for line in description.conditions
    ]
    if notice:
        head.append(text(notice, color="warning", size="small"))
    actions: list[Json] = []
    if page_index > 0:
        actions.append(submit(t("action_previous", lang), list_payload(query, page_index - 1)))
    if page_index + 1 < pages:
        actions.append(submit(t("action_next", lang), list_payload(query, page_index + 1)))
    if page.rows:
        actions.append(
            submit(t("action_export", lang), payload("export", query=list_payload(query)["query"]))
        )
        head.append(text(page_line, size="small", isSubtle=True, spacing="small"))
    else:
        head.append(text(t("list_empty", lang), spacing="medium"))
    actions.append(
        submit(t("action_filter", lang), payload("filter", query=list_payload(query)["query"]))
    )
    hint = [text(t("list_select_hint", lang), size="small", isSubtle=True)] if page.rows else []
    built = fit_rows(head, page.rows, hint, actions, lang)
    markdown = _markdown(
        page, describe(query, page.total, lang, markdown=True), lang, notice, page_line, heading
    )
    return Reply(markdown=markdown, card=built)


def _markdown(
    page: CustomerPage,
    description: Description,
    lang: Lang,
    notice: str | None,
    page_line: str,
    heading: Heading | None = None,
) -> str:
    """Catalogue sentences (parameters already escaped) and escaped names."""
    head = [f"**{heading.markdown}**"] if heading else []
    head += [f"**{description.title}**", *description.conditions]
    if notice:
        head.append(escape_markdown(notice))
    if not page.rows:
        return fit_markdown(head, [md("list_empty", lang)], "…")
    lines = [*head, page_line, ""]
    lines += [markdown_row(row, lang) for row in page.rows]
    tail = ["", md("md_details_hint", lang)]
    return fit_markdown(lines, tail, "…")
