"""``summary``: customers per provisioning and subscription status, each count a button."""

from __future__ import annotations

import json
from typing import Literal

from handlers.cards.summary_card import summary_reply
from handlers.command import Command, CommandKind, Payload, fixed, rule
from handlers.context import Context
from handlers.reply import Reply


class ShowSummary(Command):
    kind: Literal["summary"] = "summary"


class SummaryAction(Payload):
    """The help card's "Summary" button."""

    action: Literal["summary"]

    def command(self) -> Command:
        return ShowSummary()


def show_summary(command: ShowSummary, context: Context) -> Reply:
    return summary_reply(context.store.summary(context.today), context.lang)


def summary_json(command: ShowSummary, context: Context) -> str:
    """The counts, keyed by status (the same numbers the card shows)."""
    summary = context.store.summary(context.today)
    return json.dumps(
        {
            "total": summary.total,
            "needing_attention": summary.needing_attention,
            "provisioning": {status.value: n for status, n in summary.provisioning.items()},
            "subscription": {status.value: n for status, n in summary.subscription.items()},
        },
        ensure_ascii=False,
    )


KIND = CommandKind(
    model=ShowSummary,
    rules=(
        rule(
            "summary",
            r"(?:(?:show|give me|get|visa|ge mig)(?: a| an| the| en| ett)? )?"
            r"(?:summary|overview|stats|statistics|status|sammanfattning(?:en)?|översikt(?:en)?"
            r"|statistik(?:en)?|sammandrag(?:et)?)",
            fixed(ShowSummary()),
        ),
    ),
    handle=show_summary,
    payloads=(SummaryAction,),
    as_json=summary_json,
)
