"""The commands the bot understands, whatever way they arrive.

Typed text (``handlers.grammar``) and card submissions (``handlers.submissions``)
both become one of these; ``handlers.commands`` turns a command into a reply.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field

from core.query import Query
from core.statuses import Lang

MAX_PAGE = 10_000


class _Command(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class ListCustomers(_Command):
    """Customers matching a query, one page of them."""

    kind: Literal["list"] = "list"
    query: Query = Query()
    page: Annotated[int, Field(ge=0, le=MAX_PAGE)] = 0


class ExportCustomers(_Command):
    """Every customer matching a query, as a CSV file."""

    kind: Literal["export"] = "export"
    query: Query = Query()


class ShowCustomer(_Command):
    """One customer's details, by name (part of it) or id."""

    kind: Literal["customer"] = "customer"
    name: Annotated[str, Field(min_length=1, max_length=100)]


class ShowFilter(_Command):
    kind: Literal["filter"] = "filter"


class ShowSummary(_Command):
    kind: Literal["summary"] = "summary"


class ShowHelp(_Command):
    kind: Literal["help"] = "help"


class SetLanguage(_Command):
    """Set the language a space is answered in ("language sv")."""

    kind: Literal["language"] = "language"
    lang: Lang


class Unknown(_Command):
    """Text the grammar could not read; ``suggestions`` are the closest examples."""

    kind: Literal["unknown"] = "unknown"
    text: str
    suggestions: tuple[str, ...] = ()


Command = Annotated[
    ListCustomers
    | ExportCustomers
    | ShowCustomer
    | ShowFilter
    | ShowSummary
    | ShowHelp
    | SetLanguage
    | Unknown,
    Field(discriminator="kind"),
]


class Parsed(BaseModel):
    """A command and the language it was asked in (replies follow it)."""

    model_config = ConfigDict(frozen=True)

    command: Command
    lang: Lang
