"""``filter``: Partner Hub's "Select a filter…" card, and its Apply button.

Opened from a list ("Filter…"), the card starts from that list's question:
its statuses selected, the rest (horizon, kind, name) kept in Apply's payload
behind a ticked toggle. Apply comes back with the card's inputs merged into its
data (comma-separated status keys, the toggle's "true"/"false") and lists the
customers they select, so Apply unchanged lists the question it came from.
"""

from __future__ import annotations

from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator

from core.query import Query
from core.statuses import ProvisioningStatus, SubscriptionStatus
from handlers.cards.filter_card import (
    KEEP_INPUT,
    PROVISIONING_INPUT,
    SUBSCRIPTION_INPUT,
    filter_reply,
    question_rest,
)
from handlers.command import Command, CommandKind, Payload, fixed, rule
from handlers.commands.list import ListCustomers
from handlers.context import Context
from handlers.reply import Reply

_MAX_KEYS_TEXT = 400


class ShowFilter(Command):
    """The filter card, with ``query``'s statuses already ticked."""

    kind: Literal["filter"] = "filter"
    query: Query = Query()


class FilterAction(Payload):
    """A list card's "Filter…" button (carries the list's query)."""

    action: Literal["filter"]
    query: Query = Query()

    def command(self) -> Command:
        return ShowFilter(query=self.query)


def _split_keys(value: Any) -> Any:
    """``"failed,provisioned"`` (how Webex sends a multi-select) → a list of keys."""
    if not isinstance(value, str):
        raise ValueError("expected comma-separated status keys")
    if len(value) > _MAX_KEYS_TEXT:
        raise ValueError("too long")
    return [key.strip() for key in value.split(",") if key.strip()]


class FilterApply(Payload):
    """The filter card's Apply: its inputs arrive as comma-separated keys."""

    action: Literal["filter_apply"]
    inputs: ClassVar[frozenset[str]] = frozenset(
        {PROVISIONING_INPUT, SUBSCRIPTION_INPUT, KEEP_INPUT}
    )
    #: the question's conditions beyond statuses, and whether the toggle kept them
    keep: Query = Query()
    keep_question: bool = False
    provisioning: Annotated[frozenset[ProvisioningStatus], BeforeValidator(_split_keys)] = (
        frozenset()
    )
    subscription: Annotated[frozenset[SubscriptionStatus], BeforeValidator(_split_keys)] = (
        frozenset()
    )

    def command(self) -> Command:
        base = question_rest(self.keep) if self.keep_question else Query()
        statuses = {"provisioning": self.provisioning, "subscription": self.subscription}
        return ListCustomers(query=base.model_copy(update=statuses))


def show_filter(command: ShowFilter, context: Context) -> Reply:
    return filter_reply(context.lang, command.query)


KIND = CommandKind(
    model=ShowFilter,
    rules=(
        rule(
            "filter",
            r"(?:(?:show|open|choose|select|visa|öppna|välj)(?: a| an| the| ett)? )?"
            r"(?:filters?|filter card|filtret|filtren|filterkortet)",
            fixed(ShowFilter()),
        ),
    ),
    handle=show_filter,
    payloads=(FilterAction, FilterApply),
)
