"""What every card shares: the envelope, status colours, button payloads.

Safe text is ``handlers.cards.safe_text``; Webex's size limits and cards that
degrade to fit them are ``handlers.cards.limits``.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from core.query import Query
from core.statuses import Lang, ProvisioningStatus, SubscriptionStatus
from handlers.cards.safe_text import Json, text, text_run

SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_VERSION = "1.3"
#: Version of the Action.Submit payload; a different one is a stale card.
PAYLOAD_VERSION = 1

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
