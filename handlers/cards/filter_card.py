"""The filter card: Partner Hub's "Select a filter…" as two multi-selects.

Choices carry status keys as values and labels in the space's language; the
Apply button's payload is ``{"statusbot": 1, "action": "filter_apply"}`` and
Webex merges the inputs (``provisioning``, ``subscription``: comma-separated
keys) into it. ``handlers.submissions`` turns that into the same Query that
typed commands produce. Opened from a list, the card starts from that list's
question: its statuses ticked, and the rest of it (a horizon, a kind, a name,
"needing attention": what two status lists cannot show) as one ticked toggle
whose conditions ride in Apply's payload as ``keep``. So "Filter…" under
"show expiring in 30 days" opens on that question, and Apply unchanged lists it
again; untick the toggle to filter all customers.
"""

from __future__ import annotations

from core.query import NEEDING_ATTENTION, Query
from core.statuses import Lang, ProvisioningStatus, SubscriptionStatus
from handlers.cards.common import card, list_payload, payload, query_json, submit
from handlers.cards.describe import conditions
from handlers.cards.limits import check_card
from handlers.cards.safe_text import Json, escape_markdown, md, text
from handlers.i18n import t
from handlers.reply import Reply

PROVISIONING_INPUT = "provisioning"
SUBSCRIPTION_INPUT = "subscription"
KEEP_INPUT = "keep_question"


def question_rest(query: Query) -> Query:
    """``query`` without its statuses: the part of a question the two lists cannot tick."""
    return query.model_copy(update={"provisioning": frozenset(), "subscription": frozenset()})


def _keep_items(rest: Query, lang: Lang) -> list[Json]:
    """The rest of the question, one safe line per condition (a name is data), then
    one ticked toggle to keep it; the toggle's own title is catalogue text only."""
    lines = [text(line, size="small", spacing="none") for line in conditions(rest, lang)]
    return [
        text(t("filter_keep", lang), weight="bolder"),
        *lines,
        {
            "type": "Input.Toggle",
            "id": KEEP_INPUT,
            "title": t("filter_keep_toggle", lang),
            "value": "true",
            "valueOn": "true",
            "valueOff": "false",
            "wrap": True,
        },
    ]


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
    rest = question_rest(current)
    apply = payload("filter_apply")
    if rest != Query():
        body[2:2] = _keep_items(rest, lang)
        apply["keep"] = query_json(rest)
    actions = [
        submit(t("action_apply", lang), apply, style="positive"),
        submit(t("action_attention", lang), list_payload(NEEDING_ATTENTION)),
        submit(t("action_all", lang), list_payload(Query())),
    ]
    lines = [
        f"**{md('filter_title', lang)}**",
        md("filter_intro", lang),
    ]
    if rest != Query():
        lines += ["", f"**{md('filter_keep', lang)}**"]
        lines += [f"- {line}" for line in conditions(rest, lang, md)]
    for heading, statuses in (
        (t("filter_provisioning", lang), list(ProvisioningStatus)),
        (t("filter_subscription", lang), list(SubscriptionStatus)),
    ):
        lines += ["", f"**{escape_markdown(heading)}**"]
        lines += [f"- {escape_markdown(status.label(lang))}" for status in statuses]
    lines += ["", md("filter_md", lang)]
    return Reply(markdown="\n".join(lines), card=check_card(card(body, actions, lang=lang)))
