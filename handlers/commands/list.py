"""``show expiring in 30 days``: one page of the customers matching a question.

The question itself is read by ``handlers.grammar.phrases`` (the ordered phrase
table that export shares); this module is the command around it: its model,
its two rules (a name search, then the catch-all list question), its reply,
the Previous/Next buttons and the CLI's JSON.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StrictInt

from core.query import Query
from handlers.cards.data_lines import dated
from handlers.cards.list_card import PAGE_SIZE, list_reply, page_count
from handlers.command import MAX_PAGE, Command, CommandKind, Payload, rule
from handlers.context import Context
from handlers.grammar.phrases import scan
from handlers.grammar.rules import quoted_name
from handlers.i18n import t
from handlers.reply import Reply


class ListCustomers(Command):
    """Customers matching a query, one page of them."""

    kind: Literal["list"] = "list"
    query: Query = Query()
    page: Annotated[int, Field(ge=0, le=MAX_PAGE)] = 0


class ListAction(Payload):
    """Previous/Next, a summary row, "Needing attention", "All customers"."""

    action: Literal["list"]
    query: Query = Query()
    page: Annotated[StrictInt, Field(ge=0, le=MAX_PAGE)] = 0

    def command(self) -> Command:
        return ListCustomers(query=self.query, page=self.page)


def _search(match: re.Match[str], today: date) -> tuple[Command, str]:
    query = Query(name=quoted_name(match))
    return ListCustomers(query=query), match.string[: match.start("name")]


def _list(match: re.Match[str], today: date) -> tuple[Command, str]:
    scanned = scan(match.group(0), today)
    if scanned is None or not scanned[0].content:
        raise ValueError("not a list question")
    draft, words = scanned
    return ListCustomers(query=draft.to_query(), page=draft.page or 0), " ".join(words)


def list_customers(command: ListCustomers, context: Context) -> Reply:
    """One page of the list; a page past the end (the data changed since the
    card was sent, or a tampered payload) shows the last page with a note."""
    store, query, today, lang = context.store, command.query, context.today, context.lang
    page_index = command.page
    page = store.query(query, today, offset=page_index * PAGE_SIZE, limit=PAGE_SIZE)
    notice = None
    if not page.rows and page_index > 0:
        last = page_count(page.total) - 1
        notice = t("list_page_gone", lang, asked=page_index + 1, page=last + 1)
        page_index = last
        page = store.query(query, today, offset=last * PAGE_SIZE, limit=PAGE_SIZE)
    return list_reply(page, query, page_index, lang, notice=notice)


def customers_json(query: Query, context: Context) -> str:
    """Every match, no paging: ``{"total", "query", "customers"}``; the customers'
    JSON is built by the database."""
    total, customers = context.store.query_json(query, context.today)
    head = json.dumps({"total": total, "query": query.model_dump(mode="json")}, ensure_ascii=False)
    return f'{head[:-1]}, "customers": {customers}}}'


KIND = CommandKind(
    model=ListCustomers,
    rules=(
        rule(
            "search",
            r"(?:search(?: for)?|look up|lookup|sök(?: efter)?|slå upp) (?P<name>.+)",
            _search,
        ),
        rule("list", r".+", _list),
    ),
    handle=dated(list_customers),  # "Data as of …" under the card
    payloads=(ListAction,),
    as_json=lambda command, context: customers_json(command.query, context),
)
