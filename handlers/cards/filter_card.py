"""The filter card: Partner Hub's "Select a filter…" as two multi-selects.

Choices carry status keys as values and labels in the space's language; the
Apply button's payload is ``{"statusbot": 1, "action": "filter_apply"}`` and
Webex merges the inputs (``provisioning``, ``subscription``: comma-separated
keys) into it. ``handlers.submissions`` turns that into the same Query that
typed commands produce. Opened from a list, the card starts with that list's
statuses selected.
"""

from __future__ import annotations

from core.query import NEEDING_ATTENTION, Query
from core.statuses import Lang, ProvisioningStatus, SubscriptionStatus
from handlers.cards.common import (
    Json,
    card,
    check_card,
    escape_markdown,
    list_payload,
    md,
    payload,
    submit,
    text,
)
from handlers.i18n import t
from handlers.reply import Reply

PROVISIONING_INPUT = "provisioning"
SUBSCRIPTION_INPUT = "subscription"


def _choice_set(
    input_id: str,
    label: str,
    statuses: list[ProvisioningStatus] | list[SubscriptionStatus],
    selected: list[str],
    lang: Lang,
) -> Json:
    choice_set: Json = {
        "type": "Input.ChoiceSet",
        "id": input_id,
        "label": label,
        "isMultiSelect": True,
        "style": "expanded",
        "choices": [{"title": status.label(lang), "value": status.value} for status in statuses],
    }
    if selected:
        choice_set["value"] = ",".join(selected)
    return choice_set


def filter_reply(lang: Lang, query: Query | None = None) -> Reply:
    current = query or Query()
    provisioning = [s.value for s in ProvisioningStatus if s in current.provisioning]
    subscription = [s.value for s in SubscriptionStatus if s in current.subscription]
    body: list[Json] = [
        text(t("filter_title", lang), size="large", weight="bolder"),
        text(t("filter_intro", lang), size="small", isSubtle=True, spacing="none"),
        _choice_set(
            PROVISIONING_INPUT,
            t("filter_provisioning", lang),
            list(ProvisioningStatus),
            provisioning,
            lang,
        ),
        _choice_set(
            SUBSCRIPTION_INPUT,
            t("filter_subscription", lang),
            list(SubscriptionStatus),
            subscription,
            lang,
        ),
    ]
    actions = [
        submit(t("action_apply", lang), payload("filter_apply"), style="positive"),
        submit(t("action_attention", lang), list_payload(NEEDING_ATTENTION)),
        submit(t("action_all", lang), list_payload(Query())),
    ]
    lines = [
        f"**{md('filter_title', lang)}**",
        md("filter_intro", lang),
    ]
    for heading, statuses in (
        (t("filter_provisioning", lang), list(ProvisioningStatus)),
        (t("filter_subscription", lang), list(SubscriptionStatus)),
    ):
        lines += ["", f"**{escape_markdown(heading)}**"]
        lines += [f"- {escape_markdown(status.label(lang))}" for status in statuses]
    lines += ["", md("filter_md", lang)]
    return Reply(markdown="\n".join(lines), card=check_card(card(body, actions, lang=lang)))
