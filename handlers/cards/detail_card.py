"""One customer in full (every subscription, every service), or a pick list
when a name matches several customers.

A customer may have any number of subscriptions and services, so the card is
filled subscription by subscription until ``CARD_BUDGET`` would be passed, and
says how many were left out; names of services and ids are cut to a bounded
length. The fallback lists the same, cut at whole lines under the text limit.
"""

from __future__ import annotations

from datetime import date

from core.classify import status_of
from core.models import Customer, Subscription
from core.query import Query
from core.results import CustomerPage
from core.statuses import (
    Lang,
    ProvisioningStatus,
    SubscriptionKind,
    SubscriptionState,
    SubscriptionStatus,
)
from handlers.cards.common import (
    ICON,
    card,
    list_payload,
    payload,
    status_color,
    status_runs,
    submit,
)
from handlers.cards.limits import CARD_BUDGET, card_size, fit_markdown
from handlers.cards.list_card import fit_rows, markdown_row
from handlers.cards.safe_text import Json, escape_markdown, md, rich, shorten, text, text_run
from handlers.i18n import t
from handlers.reply import Reply

MAX_SERVICES_SHOWN = 12
ID_CHARS = 80
SERVICE_CHARS = 80
PICK_LIMIT = 8
_RESERVE = 600  # room kept for the "...and N more" line and the actions


def _days_value(end: date, today: date, lang: Lang) -> str:
    left = (end - today).days
    if left < 0:
        return t("days_ago", lang, count=-left)
    if left == 0:  # as the list row says it
        return t("row_today", lang)
    return t("value_days", lang, count=left)


def _facts(subscription: Subscription, today: date, lang: Lang) -> list[tuple[str, str]]:
    """State, start and end (with days left): catalogue text and dates only."""
    state = (
        "state_suspended" if subscription.state is SubscriptionState.SUSPENDED else "state_active"
    )
    start = subscription.start_date
    end = t("value_no_end", lang)
    if subscription.end_date is not None:
        days = _days_value(subscription.end_date, today, lang)
        end = t("fact_end_days", lang, date=subscription.end_date.isoformat(), days=days)
    return [
        (t("fact_state", lang), t(state, lang)),
        (t("fact_start", lang), start.isoformat() if start else t("value_unknown", lang)),
        (t("fact_end", lang), end),
    ]


def ordered(customer: Customer, today: date) -> list[Subscription]:
    """Most important subscription first, then the soonest end, then id."""
    return sorted(
        customer.subscriptions,
        key=lambda sub: (status_of(sub, today).rank, sub.end_date or date.max, sub.id),
    )


def _heading(subscription: Subscription, lang: Lang) -> str:
    key = (
        "detail_subscription_trial"
        if subscription.kind is SubscriptionKind.TRIAL
        else "detail_subscription_paid"
    )
    return t(key, lang, id=shorten(subscription.id, ID_CHARS))


def _subscription_block(subscription: Subscription, today: date, lang: Lang) -> Json:
    status = status_of(subscription, today)
    facts = _facts(subscription, today, lang)
    items: list[Json] = [
        {
            "type": "ColumnSet",
            "columns": [
                {
                    "type": "Column",
                    "width": "stretch",
                    "items": [text(_heading(subscription, lang), weight="bolder")],
                },
                {
                    "type": "Column",
                    "width": "auto",
                    "items": [rich(*status_runs(status, lang), align="right")],
                },
            ],
        },
        {
            "type": "FactSet",
            "spacing": "small",
            "facts": [{"title": title, "value": value} for title, value in facts],
        },
        text(
            t("services_heading", lang, count=len(subscription.services)),
            weight="bolder",
            size="small",
            spacing="small",
        ),
    ]
    for service in subscription.services[:MAX_SERVICES_SHOWN]:
        items.append(
            rich(
                text_run(shorten(service.name, SERVICE_CHARS) + "   ", size="small"),
                *status_runs(service.provisioning_status, lang),
                spacing="none",
            )
        )
    hidden = len(subscription.services) - MAX_SERVICES_SHOWN
    if hidden > 0:
        items.append(
            text(t("detail_more_services", lang, count=hidden), size="small", isSubtle=True)
        )
    return {"type": "Container", "separator": True, "spacing": "medium", "items": items}


Shown = ProvisioningStatus | SubscriptionStatus


def _meaning_order(status: Shown) -> tuple[int, int]:
    return (isinstance(status, ProvisioningStatus), status.rank)  # subscriptions first


def _meanings(statuses: set[Shown], lang: Lang) -> list[Json]:
    """Each status on the card, subscription and provisioning, once, with what it
    means (so "Suspended" beside "State: Active", a paid subscription past its end,
    is explained on the card itself)."""
    items: list[Json] = [text(t("detail_meanings", lang), weight="bolder", size="small")]
    for status in sorted(statuses, key=_meaning_order):
        items.append(
            rich(
                *status_runs(status, lang),
                text_run(": " + status.meaning(lang), size="small", isSubtle=True),
                spacing="none",
            )
        )
    return [{"type": "Container", "separator": True, "spacing": "medium", "items": items}]


def detail_reply(customer: Customer, today: date, lang: Lang) -> Reply:
    """The detail card and fallback for one whole customer."""
    subscriptions = ordered(customer, today)
    worst = status_of(subscriptions[0], today)
    head: list[Json] = [
        text(shorten(customer.name, 300), size="large", weight="bolder"),
        text(
            t("detail_id", lang, id=shorten(customer.id, ID_CHARS)),
            size="small",
            isSubtle=True,
            spacing="none",
        ),
        rich(
            *status_runs(customer.provisioning_status, lang),
            text_run("   "),
            *status_runs(worst, lang),
        ),
    ]
    actions = [submit(t("action_summary", lang), payload("summary"))]
    body = list(head)
    seen: set[Shown] = set()
    for subscription in subscriptions:
        block = _subscription_block(subscription, today, lang)
        statuses = seen | {s.provisioning_status for s in subscription.services}
        statuses.add(status_of(subscription, today))
        candidate = card([*body, block, *_meanings(statuses, lang)], actions, lang=lang)
        if card_size(candidate) > CARD_BUDGET - _RESERVE:
            break
        body.append(block)
        seen = statuses
    hidden = len(subscriptions) - (len(body) - len(head))
    if hidden:
        body.append(text(t("detail_more_subscriptions", lang, count=hidden), isSubtle=True))
    body += _meanings(seen, lang)
    markdown = _detail_markdown(customer, subscriptions, today, lang)
    return Reply(markdown=markdown, card=card(body, actions, lang=lang))


def _detail_markdown(
    customer: Customer, subscriptions: list[Subscription], today: date, lang: Lang
) -> str:
    lines = [
        f"**{escape_markdown(shorten(customer.name, 300))}**",
        md("detail_id", lang, id=shorten(customer.id, ID_CHARS)),
    ]
    for subscription in subscriptions:
        status = status_of(subscription, today)
        facts = " · ".join(
            f"{title}: {value}" for title, value in _facts(subscription, today, lang)
        )
        lines.append("")
        lines.append(
            f"**{escape_markdown(_heading(subscription, lang))}** — "
            f"{ICON[status_color(status)]} {status.label(lang)}: {status.meaning(lang)}"
        )
        lines.append(facts)  # catalogue text and dates only
        for service in subscription.services[:MAX_SERVICES_SHOWN]:
            provisioning = service.provisioning_status
            lines.append(
                f"- {ICON[status_color(provisioning)]} "
                f"{escape_markdown(shorten(service.name, SERVICE_CHARS))} — "
                f"{provisioning.label(lang)}: {provisioning.meaning(lang)}"
            )
        hidden = len(subscription.services) - MAX_SERVICES_SHOWN
        if hidden > 0:
            lines.append(md("detail_more_services", lang, count=hidden))
    return fit_markdown(lines, [], "…")


def pick_reply(page: CustomerPage, name: str, lang: Lang) -> Reply:
    """Several customers match ``name``: a short list to pick one from. With more
    than ``PICK_LIMIT``, "Show all" opens them as a list (which pages), and the
    markdown says what to type for the same."""
    title = t("pick_title", lang, count=page.total, name=shorten(name, 100))
    rows = page.rows[:PICK_LIMIT]
    more = page.total > len(rows)
    tail = (
        [text(t("pick_more", lang, shown=len(rows)), size="small", isSubtle=True)] if more else []
    )
    everyone = list_payload(Query(name=name))
    actions = [submit(t("pick_all", lang, count=page.total), everyone)] if more else []
    built = fit_rows([text(title, size="medium", weight="bolder")], rows, tail, actions, lang)
    lines = [f"**{md('pick_title', lang, count=page.total, name=shorten(name, 100))}**", ""]
    lines += [markdown_row(row, lang) for row in page.rows[:PICK_LIMIT]]
    shown = len(rows)
    hints = ["", md("pick_more_md", lang, shown=shown, name=name)] if more else []
    hints.append(md("md_details_hint", lang))
    return Reply(markdown=fit_markdown(lines, hints, "…"), card=built)
