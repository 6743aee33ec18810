"""``customer Acme``: one customer's subscriptions and services, or a pick list.

Typed, the customer is named (part of a name, or an id); from a card (a list
row, a pick list) it is an exact id, looked up again because it may be gone.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StringConstraints, ValidationError, model_validator

from core.models import MAX_ID_LENGTH
from core.names import fold
from core.query import Query
from core.statuses import Lang
from handlers.cards.data_lines import dated
from handlers.cards.detail_card import PICK_LIMIT, detail_reply, pick_reply
from handlers.cards.safe_text import md, shorten
from handlers.command import Command, CommandKind, Payload, rule
from handlers.commands.list import customers_json
from handlers.commands.unknown import did_you_mean
from handlers.context import Context
from handlers.grammar.rules import quoted_name
from handlers.reply import Reply


class ShowCustomer(Command):
    """One customer's details: by ``name`` (part of it, or an id) as typed, or by
    the exact ``id`` a card carries."""

    kind: Literal["customer"] = "customer"
    name: Annotated[str, Field(min_length=1, max_length=100)] | None = None
    id: Annotated[str, StringConstraints(min_length=1, max_length=MAX_ID_LENGTH)] | None = None

    @model_validator(mode="after")
    def _one_of_name_and_id(self) -> ShowCustomer:
        if (self.name is None) == (self.id is None):
            raise ValueError("give exactly one of name and id")
        return self


class CustomerAction(Payload):
    """A list row or a pick-list entry."""

    action: Literal["customer"]
    id: Annotated[str, StringConstraints(min_length=1, max_length=MAX_ID_LENGTH)]

    def command(self) -> Command:
        return ShowCustomer(id=self.id)


def _show_customer(match: re.Match[str], today: date) -> tuple[Command, str]:
    return ShowCustomer(name=quoted_name(match)), match.string[: match.start("name")]


def show_customer(command: ShowCustomer, context: Context) -> Reply:
    """Details for an exact id, a single match, or a single exact name; otherwise
    a pick list (or "no customer matches")."""
    store, today, lang = context.store, context.today, context.lang
    if command.id is not None:
        picked = store.customer(command.id)
        if picked is None:
            return Reply(markdown=md("customer_gone", lang))
        return detail_reply(picked, today, lang)
    name = command.name or ""
    found = store.customer(name)
    if found is not None:
        return detail_reply(found, today, lang)
    try:
        query = Query(name=name)
    except ValidationError:
        return _not_found(name, [], lang)
    page = store.query(query, today, limit=PICK_LIMIT)
    if page.total == 0 or not page.rows:
        return _not_found(name, store.closest_names(name), lang)
    exact = [row for row in page.rows if fold(row.name) == fold(name)]
    if page.total == 1 or len(exact) == 1:
        return show_customer(ShowCustomer(id=(exact or list(page.rows))[0].id), context)
    return pick_reply(page, name, lang)


def _not_found(name: str, closest: list[str], lang: Lang) -> Reply:
    """No customer holds ``name``: the closest names, when some are alike."""
    lines = [md("detail_not_found", lang, name=shorten(name, 100))]
    if closest:
        lines.append(did_you_mean(closest, lang))
    return Reply(markdown="\n\n".join(lines))


KIND = CommandKind(
    model=ShowCustomer,
    rules=(
        rule(
            "customer",
            r"(?:(?:show|visa|open|öppna) )?(?:customer|kund|kunden|details (?:for|of|on|about)"
            r"|detaljer (?:för|om)|information (?:on|about|for|om)|status (?:of|for|för|på))"
            r"(?: ?:| named| called| som heter)? (?P<name>.+)",
            _show_customer,
        ),
    ),
    handle=dated(show_customer),  # "Data as of …" under the card
    payloads=(CustomerAction,),
    as_json=lambda command, context: customers_json(
        Query(name=command.name or command.id), context
    ),
)
