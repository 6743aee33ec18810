"""Command → Reply: what the bot answers, in the space's language.

``handle`` is pure in the sense the architecture asks for: no network, no
Flask, no globals; it reads the store it is given and returns a ``Reply``
(markdown always, a card when there is one, a file for exports). The cards
themselves are built in ``handlers.cards``.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from functools import lru_cache
from typing import Protocol

from pydantic import ValidationError

from core.models import Customer
from core.query import Query
from core.results import CustomerPage, Summary
from core.statuses import Lang
from handlers.cards.common import md, shorten
from handlers.cards.describe import describe
from handlers.cards.detail_card import PICK_LIMIT, detail_reply, pick_reply
from handlers.cards.filter_card import filter_reply
from handlers.cards.help_card import help_reply
from handlers.cards.list_card import PAGE_SIZE, list_reply, page_count
from handlers.cards.summary_card import summary_reply
from handlers.command import (
    Command,
    ExportCustomers,
    ListCustomers,
    SetLanguage,
    ShowCustomer,
    ShowFilter,
    ShowHelp,
    ShowSummary,
    Unknown,
)
from handlers.export import CONTENT_TYPE, export_csv, export_filename
from handlers.i18n import join_or, t
from handlers.manifest import Manifest, load_manifest
from handlers.reply import Reply, ReplyFile

__all__ = ["CustomerStore", "customer_by_id", "handle"]


class CustomerStore(Protocol):
    """The part of ``core.store.Store`` that replies read (tests pass fakes)."""

    def query(
        self, query: Query, today: date, *, offset: int = 0, limit: int | None = None
    ) -> CustomerPage: ...

    def customer(self, customer_id: str) -> Customer | None: ...

    def iter_customers(self, query: Query, today: date) -> Iterator[Customer]: ...

    def summary(self, today: date) -> Summary: ...


@lru_cache(maxsize=1)
def _manifest() -> Manifest:
    return load_manifest()


def handle(command: Command, *, store: CustomerStore, today: date, lang: Lang) -> Reply:
    """The reply to ``command``, in ``lang`` (SetLanguage answers in the new one)."""
    match command:
        case ListCustomers(query=query, page=page):
            return list_customers(store, query, page, today, lang)
        case ExportCustomers(query=query):
            return export_customers(store, query, today, lang)
        case ShowCustomer(name=name):
            return show_customer(store, name, today, lang)
        case ShowFilter():
            return filter_reply(lang)
        case ShowSummary():
            return summary_reply(store.summary(today), lang)
        case ShowHelp():
            return help_reply(_manifest(), lang)
        case SetLanguage(lang=new_lang):
            return Reply(markdown=md("language_set", new_lang), language=new_lang)
        case Unknown(text=text, suggestions=suggestions):
            return unknown(text, suggestions, lang)
    raise AssertionError(f"unhandled command {command!r}")  # pragma: no cover


def list_customers(
    store: CustomerStore, query: Query, page_index: int, today: date, lang: Lang
) -> Reply:
    """One page of the list; a page past the end (the data changed since the
    card was sent, or a tampered payload) shows the last page with a note."""
    page = store.query(query, today, offset=page_index * PAGE_SIZE, limit=PAGE_SIZE)
    notice = None
    if not page.rows and page_index > 0:
        last = page_count(page.total) - 1
        notice = t("list_page_gone", lang, asked=page_index + 1, page=last + 1)
        page_index = last
        page = store.query(query, today, offset=last * PAGE_SIZE, limit=PAGE_SIZE)
    return list_reply(page, query, page_index, lang, notice=notice)


def export_customers(store: CustomerStore, query: Query, today: date, lang: Lang) -> Reply:
    export = export_csv(store.iter_customers(query, today), today, lang)
    title = describe(query, export.customers, lang, markdown=True).title
    if export.customers == 0:
        return Reply(markdown=f"**{title}**\n\n{md('export_empty', lang)}")
    done = md("export_done", lang, count=export.customers, rows=export.rows)
    return Reply(
        markdown=f"**{title}**\n\n{done}",
        file=ReplyFile(
            filename=export_filename(today), content_type=CONTENT_TYPE, data=export.data
        ),
    )


def show_customer(store: CustomerStore, name: str, today: date, lang: Lang) -> Reply:
    """Details for an exact id, a single match, or a single exact name; otherwise
    a pick list (or "no customer matches")."""
    found = store.customer(name)
    if found is not None:
        return detail_reply(found, today, lang)
    not_found = Reply(markdown=md("detail_not_found", lang, name=shorten(name, 100)))
    try:
        query = Query(name=name)
    except ValidationError:
        return not_found
    page = store.query(query, today, limit=PICK_LIMIT)
    if page.total == 0 or not page.rows:
        return not_found
    exact = [row for row in page.rows if row.name.casefold() == name.strip().casefold()]
    if page.total == 1 or len(exact) == 1:
        return customer_by_id((exact or list(page.rows))[0].id, store=store, today=today, lang=lang)
    return pick_reply(page, name, lang)


def customer_by_id(customer_id: str, *, store: CustomerStore, today: date, lang: Lang) -> Reply:
    """The detail card for a customer picked on a card (it may be gone by now)."""
    found = store.customer(customer_id)
    if found is None:
        return Reply(markdown=md("customer_gone", lang))
    return detail_reply(found, today, lang)


def unknown(text: str, suggestions: tuple[str, ...], lang: Lang) -> Reply:
    lines = [md("unknown", lang, text=shorten(text, 100))]
    if suggestions:
        quote = "“{}”" if lang == "en" else "”{}”"
        shown = [quote.format(shorten(suggestion, 100)) for suggestion in suggestions[:3]]
        lines.append(md("unknown_suggestions", lang, suggestions=join_or(shown, lang)))
    lines.append(md("unknown_help", lang))
    return Reply(markdown="\n\n".join(lines))
