"""What a command is, whatever way it arrives, and what a command kind declares.

Typed text (``handlers.grammar.parser``) and card submissions (``handlers.submissions``)
both become a ``Command``: a frozen pydantic model whose ``kind`` names it and
whose fields are its validated parameters. Each kind lives in one module of
``handlers.commands`` and declares itself with a ``CommandKind``: its model,
its grammar rules, its handler, its card buttons' payloads and its JSON
answer. ``handlers.registry`` lists the kinds in order; the grammar, the
manifest, help, the CLI and submissions all read that list, so a new command
is one module plus one line there (see the README, "Adding a command").
"""

from __future__ import annotations

import re
import typing
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import ClassVar, Generic, Literal, TypeVar

from pydantic import BaseModel, ConfigDict

from core.statuses import Lang
from handlers.context import Context
from handlers.reply import Reply

MAX_PAGE = 10_000


class Command(BaseModel):
    """The base of every command model; subclasses add ``kind: Literal[...]`` and parameters."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    kind: str


class Unknown(Command):
    """Text the grammar could not read; ``suggestions`` are the closest examples."""

    kind: Literal["unknown"] = "unknown"
    text: str
    suggestions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Parsed:
    """A command and the language it was asked in (replies follow it)."""

    command: Command
    lang: Lang


Build = Callable[[re.Match[str], date], tuple[Command, str]]


@dataclass(frozen=True, slots=True)
class Rule:
    """One typed form of a command: a pattern matched against the *whole* text.

    ``build(match, today)`` returns the command and the grammar words that
    decide the language (names and chosen values left out); it raises
    ``ValueError`` (pydantic's ``ValidationError`` is one) when the captures do
    not make a valid command, and the grammar then tries the next rule.
    """

    name: str
    pattern: re.Pattern[str]
    build: Build


def rule(name: str, pattern: str, build: Build) -> Rule:
    """A rule whose pattern is compiled case-insensitively (matched with ``fullmatch``)."""
    return Rule(name, re.compile(pattern, re.IGNORECASE), build)


def fixed(command: Command) -> Build:
    """A builder for a command without parameters: every word of the match votes."""

    def build(match: re.Match[str], today: date) -> tuple[Command, str]:
        return command, match.group(0)

    return build


class Payload(BaseModel):
    """The ``data`` of a card button, as it comes back (re-validated: the caller may lie).

    Subclasses add ``action: Literal[...]`` and their fields, and say which
    command they stand for. ``inputs`` are the card input ids the payload
    reads: Webex merges every input of a card into each button's data, so the
    other buttons must ignore them.
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    statusbot: Literal[1]
    inputs: ClassVar[frozenset[str]] = frozenset()

    def command(self) -> Command:
        raise NotImplementedError


C = TypeVar("C", bound=Command)


@dataclass(frozen=True, slots=True)
class CommandKind(Generic[C]):
    """Everything one command kind is, declared once, in its own module.

    * ``model``: the parameters (its ``kind`` default is the id the manifest uses);
    * ``rules``: its typed forms, English and Swedish, tried in this order;
    * ``handle``: the reply, read from the context;
    * ``card``: whether the reply has a card (it always has a markdown fallback);
    * ``payloads``: the card buttons that come back as this command;
    * ``as_json``: ``statusbot ask --json``'s answer (None: nothing to list).
    """

    model: type[C]
    rules: tuple[Rule, ...]
    handle: Callable[[C, Context], Reply]
    card: bool = True
    payloads: tuple[type[Payload], ...] = ()
    as_json: Callable[[C, Context], str] | None = None

    @property
    def id(self) -> str:
        return literal_value(self.model, "kind")


def literal_value(model: type[BaseModel], field: str) -> str:
    """The one value of a ``Literal[...]`` field (a kind or an action name)."""
    (value,) = typing.get_args(model.model_fields[field].annotation)
    return str(value)
