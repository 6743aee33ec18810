"""``subscribe daily 08:00 needing attention`` · ``prenumerera dagligen 08:00 …``.

The schedule and question are read by ``handlers.grammar.schedule`` (both languages; a
question that depends on the day it is typed is refused there). The time is
the space's local time; the reply names the subscription the way its digest
will be headed and when it first runs. A space holds at most ``MAX_ITEMS``
digests, so the subscriptions card shows them all and one space cannot load the
scheduler with hundreds.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from core.proactive import Digest, DigestQuestion, Schedule
from handlers.cards.proactive_text import heading, moment
from handlers.cards.safe_text import md
from handlers.cards.subscriptions_card import MAX_ITEMS
from handlers.command import Command, CommandKind, rule
from handlers.context import Context
from handlers.grammar.schedule import ScheduleProblem, parse_schedule
from handlers.i18n import t
from handlers.proactive_space import Problem, problem_reply, space_of
from handlers.reply import Reply


class Subscribe(Command):
    """A new digest for the space (or the problem with what was typed)."""

    kind: Literal["subscribe"] = "subscribe"
    schedule: Schedule | None = None
    question: DigestQuestion | None = None
    problem: Problem | None = None


def _subscribe(match: re.Match[str], today: date) -> tuple[Command, str]:
    verb = match.group("verb")
    try:
        request = parse_schedule(match.group("rest") or "", today)
    except ScheduleProblem as problem:
        return Subscribe(problem=Problem.of(problem)), verb
    command = Subscribe(schedule=request.schedule, question=request.question)
    return command, " ".join([verb, *request.words])


def subscribe(command: Subscribe, context: Context) -> Reply:
    if command.problem is not None or command.schedule is None or command.question is None:
        return problem_reply(command.problem or Problem(key="schedule_usage"), context)
    space = space_of(context)
    if isinstance(space, Reply):
        return space
    digests = [item for item in space.store.items(space.room_id) if isinstance(item, Digest)]
    if len(digests) >= MAX_ITEMS:
        return Reply(markdown=md("subscribe_full", context.lang, count=MAX_ITEMS))
    digest = space.store.add_digest(
        space.room_id, command.schedule, command.question, created_by=context.asker_id
    )
    zone, lang = space.zone, context.lang
    first = moment(digest.next_run, zone, lang) if digest.next_run else t("subs_never", lang)
    shown = heading(digest.schedule, digest.question, zone, lang, markdown=True)
    return Reply(markdown=t("subscribed", lang, number=digest.number, heading=shown, when=first))


KIND = CommandKind(
    model=Subscribe,
    rules=(
        rule(
            "subscribe",
            r"(?P<verb>subscribe(?: to)?|prenumerera(?: på)?)(?: (?P<rest>.+))?",
            _subscribe,
        ),
    ),
    handle=subscribe,
    card=False,
)
