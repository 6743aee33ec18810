"""The one ordered list of command kinds, and the answers everything reads from it.

``KINDS`` is the order the grammar tries the kinds' rules in (the first rule
that matches the whole text and validates wins), so a kind whose words could
also read as a list question comes before ``list``, whose catch-all is last.
The manifest accepts exactly these ids, help shows the manifest's entries,
card buttons are the kinds' payloads, and ``statusbot ask --json`` asks the
kind for its JSON. To add a command, see the README, "Adding a command".
"""

from __future__ import annotations

import json
from typing import Any

from handlers.command import Command, CommandKind, Payload, Rule, literal_value
from handlers.commands import (
    alerts,
    customer,
    export,
    language,
    send_now,
    sources,
    subscribe,
    subscriptions,
    summary,
    timezone,
    unknown,
    unsubscribe,
)
from handlers.commands import filter as filter_
from handlers.commands import help as help_
from handlers.commands import list as list_
from handlers.context import Context
from handlers.reply import Reply

#: Every command people can ask for, in the order the grammar tries them.
KINDS: tuple[CommandKind[Any], ...] = (
    help_.KIND,
    language.KIND,
    summary.KIND,
    sources.KIND,
    filter_.KIND,
    export.KIND,
    customer.KIND,
    alerts.KIND,
    subscribe.KIND,
    subscriptions.KIND,
    unsubscribe.KIND,
    send_now.KIND,
    timezone.KIND,
    list_.KIND,
)

_BY_MODEL: dict[type[Command], CommandKind[Any]] = {
    kind.model: kind for kind in (*KINDS, unknown.KIND)
}
_BY_ID: dict[str, CommandKind[Any]] = {kind.id: kind for kind in KINDS}

#: Every rule, in order: the kinds' order, then each kind's own.
RULES: tuple[Rule, ...] = tuple(rule for kind in KINDS for rule in kind.rules)

#: Every card button's payload model, by its ``action``.
PAYLOADS: dict[str, type[Payload]] = {
    literal_value(model, "action"): model for kind in KINDS for model in kind.payloads
}

#: Card input ids some payload reads (every other payload ignores them).
CARD_INPUTS: frozenset[str] = frozenset().union(*(model.inputs for model in PAYLOADS.values()))


def ids() -> tuple[str, ...]:
    """The command ids, in order (the manifest's ``commands[].id`` must be one)."""
    return tuple(_BY_ID)


def kind_of(command: Command) -> CommandKind[Any]:
    return _BY_MODEL[type(command)]


def handle(command: Command, context: Context) -> Reply:
    """The reply to ``command`` (a ``SetLanguage`` answers in the new language)."""
    return kind_of(command).handle(command, context)


def as_json(command: Command, context: Context) -> str:
    """``statusbot ask --json``: the kind's own JSON, or an empty list for kinds
    that list nothing (help, filter, language)."""
    kind = kind_of(command)
    if kind.as_json is not None:
        return kind.as_json(command, context)
    return json.dumps({"total": 0, "customers": [], "command": command.kind})
