"""``alerts on [FILTER]`` · ``aviseringar på …``, ``alerts off`` · ``aviseringar av``.

A space with alerts on gets an alert card from the scheduler whenever customers
move into a status its filter watches (bare ``alerts on``: needing attention).
One rule per space: turning alerts on again replaces the filter. The alert
card's Previous/Next come back here too (``AlertPageAction``): the batch is read
again from the store for the asking space, never from the card.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import Field, StrictInt, StringConstraints

from core.query import Query
from handlers.cards.alert_card import MAX_BATCH_LENGTH, alert_reply
from handlers.cards.proactive_text import query_label
from handlers.cards.safe_text import md
from handlers.command import MAX_PAGE, Command, CommandKind, Payload, fixed, rule
from handlers.context import Context
from handlers.grammar.schedule import ScheduleProblem, parse_alert_filter
from handlers.i18n import t
from handlers.proactive_space import Problem, problem_reply, space_of
from handlers.reply import Reply

Batch = Annotated[str, StringConstraints(min_length=1, max_length=MAX_BATCH_LENGTH)]


class Alerts(Command):
    """Turn alerts on (with a filter) or off, or show one page of an alert batch."""

    kind: Literal["alerts"] = "alerts"
    action: Literal["on", "off", "page"] = "on"
    query: Query = Query(needing_attention=True)
    batch: Batch | None = None
    page: Annotated[int, Field(ge=0, le=MAX_PAGE)] = 0
    problem: Problem | None = None


class AlertPageAction(Payload):
    """An alert card's Previous/Next."""

    action: Literal["alert"]
    batch: Batch
    page: Annotated[StrictInt, Field(ge=0, le=MAX_PAGE)] = 0

    def command(self) -> Command:
        return Alerts(action="page", batch=self.batch, page=self.page)


def _on(match: re.Match[str], today: date) -> tuple[Command, str]:
    verb = match.group("verb")
    try:
        query, words = parse_alert_filter(match.group("filter") or "", today)
    except ScheduleProblem as problem:
        return Alerts(problem=Problem.of(problem)), verb
    return Alerts(query=query), " ".join([verb, *words])


def alerts(command: Alerts, context: Context) -> Reply:
    if command.problem is not None:
        return problem_reply(command.problem, context)
    space = space_of(context)
    if isinstance(space, Reply):
        return space
    lang = context.lang
    if command.action == "off":
        stopped = space.store.alerts_off(space.room_id)
        return Reply(markdown=md("alerts_off" if stopped else "alerts_were_off", lang))
    if command.action == "page" and command.batch is not None:
        changes = space.store.alert_changes(space.room_id, command.batch)
        if not changes:
            return Reply(markdown=md("alert_batch_gone", lang))
        return alert_reply(changes, lang, page=command.page, batch=command.batch, zone=space.zone)
    alert_rule = space.store.set_alerts(space.room_id, command.query, created_by=context.asker_id)
    label = query_label(alert_rule.query, lang, markdown=True)  # escaped where it holds text
    return Reply(markdown=t("alerts_on", lang, number=alert_rule.number, question=label))


KIND = CommandKind(
    model=Alerts,
    rules=(
        rule(
            "alerts_on",
            r"(?P<verb>alerts? on|(?:turn|switch) on alerts|aviseringar på|avisering på"
            r"|slå på aviseringar(?:na)?)(?: (?:for|för|om))?(?: (?P<filter>.+))?",
            _on,
        ),
        rule(
            "alerts_off",
            r"alerts? off|(?:turn|switch) off alerts|stop alerts|aviseringar av|avisering av"
            r"|(?:slå|stäng) av aviseringar(?:na)?",
            fixed(Alerts(action="off")),
        ),
    ),
    handle=alerts,
    card=False,  # typed "alerts on/off" answer in text; an alert page (a card) comes from a card
    payloads=(AlertPageAction,),
)
