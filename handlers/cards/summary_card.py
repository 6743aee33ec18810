"""The summary: customers per provisioning and per subscription status.

Every count is a row with a selectAction that lists those customers (rows are
not buttons, so the card stays within Webex's five-button rule: it has two,
"Needing attention" and "Filter…"). Counts mean the same as a filter on the
status: customers with at least one subscription in it.
"""

from __future__ import annotations

from core.query import NEEDING_ATTENTION, Query
from core.results import Summary
from core.statuses import Lang, ProvisioningStatus, SubscriptionStatus
from handlers.cards.common import (
    ICON,
    Heading,
    card,
    list_payload,
    payload,
    status_color,
    status_runs,
    submit,
)
from handlers.cards.limits import check_card
from handlers.cards.safe_text import Json, escape_markdown, rich, text, text_run
from handlers.i18n import number, t
from handlers.reply import Reply


def _count_row(
    status: ProvisioningStatus | SubscriptionStatus, count: int, query: Query, lang: Lang
) -> Json:
    weight = "bolder" if count and status.needs_attention else None
    return {
        "type": "ColumnSet",
        "spacing": "small",
        "selectAction": submit(status.label(lang), list_payload(query)),
        "columns": [
            {"type": "Column", "width": "stretch", "items": [rich(*status_runs(status, lang))]},
            {
                "type": "Column",
                "width": "auto",
                "items": [
                    rich(
                        text_run(
                            number(count, lang), size="small", weight=weight, isSubtle=not count
                        )
                    )
                ],
            },
        ],
    }


def summary_reply(summary: Summary, lang: Lang, *, heading: Heading | None = None) -> Reply:
    """The summary card (``heading``: a digest's subscription line above the title)."""
    top = [heading.block()] if heading else []
    top_md = f"**{heading.markdown}**\n\n" if heading else ""
    title = t("summary_title", lang, count=summary.total)
    if summary.total == 0:
        empty = t("summary_empty", lang)
        return Reply(
            markdown=f"{top_md}**{escape_markdown(title)}**\n\n{escape_markdown(empty)}",
            card=card([*top, text(title, size="large", weight="bolder"), text(empty)], lang=lang),
        )
    attention = t("summary_attention", lang, count=summary.needing_attention)
    body: list[Json] = [
        *top,
        text(title, size="large", weight="bolder"),
        {
            "type": "Container",
            "style": "attention" if summary.needing_attention else "good",
            "spacing": "medium",
            "selectAction": submit(t("action_attention", lang), list_payload(NEEDING_ATTENTION)),
            "items": [text(attention, weight="bolder")],
        },
        text(t("filter_provisioning", lang), weight="bolder", spacing="medium"),
    ]
    body += [
        _count_row(status, summary.provisioning.get(status, 0), Query(provisioning={status}), lang)
        for status in ProvisioningStatus
    ]
    body.append(text(t("filter_subscription", lang), weight="bolder", spacing="medium"))
    body += [
        _count_row(status, summary.subscription.get(status, 0), Query(subscription={status}), lang)
        for status in SubscriptionStatus
    ]
    body.append(text(t("summary_hint", lang), size="small", isSubtle=True, spacing="medium"))
    actions = [
        submit(t("action_attention", lang), list_payload(NEEDING_ATTENTION)),
        submit(t("action_filter", lang), payload("filter")),
    ]
    return Reply(
        markdown=top_md + _markdown(summary, title, attention, lang),
        card=check_card(card(body, actions, lang=lang)),
    )


def _markdown(summary: Summary, title: str, attention: str, lang: Lang) -> str:
    lines = [f"**{escape_markdown(title)}**", "", f"**{escape_markdown(attention)}**"]
    sections: list[tuple[str, list[tuple[ProvisioningStatus | SubscriptionStatus, int]]]] = [
        (
            t("filter_provisioning", lang),
            [(s, summary.provisioning.get(s, 0)) for s in ProvisioningStatus],
        ),
        (
            t("filter_subscription", lang),
            [(s, summary.subscription.get(s, 0)) for s in SubscriptionStatus],
        ),
    ]
    for heading, counts in sections:
        lines += ["", f"**{escape_markdown(heading)}**"]
        for status, count in counts:
            row = t("summary_row", lang, label=status.label(lang), count=count)
            lines.append(f"- {ICON[status_color(status)]} {escape_markdown(row)}")
    return "\n".join(lines)
