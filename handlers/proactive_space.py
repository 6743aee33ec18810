"""What the proactive commands share: the space's subscriptions store, and problems said clearly.

Digests and alerts belong to a space, so these commands need the space's room
id and the ``ProactiveStore`` (``Context.proactive``); asked without them
(``statusbot ask``), they say so instead of failing. A phrase that could not
be read (a bad time, an unknown zone) becomes a ``Problem`` inside the command,
so the reply names what to write instead of the generic "didn't understand".
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, ConfigDict, StringConstraints

from handlers.cards.safe_text import md
from handlers.context import Context
from handlers.grammar.schedule import ScheduleProblem
from handlers.reply import Reply

if TYPE_CHECKING:
    from core.proactive import ProactiveStore

__all__ = ["Problem", "Space", "problem_reply", "space_of"]


class Problem(BaseModel):
    """A catalogue sentence key and the user text it quotes (escaped when shown)."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    key: Annotated[str, StringConstraints(pattern=r"^[a-z_]{1,40}$")]
    value: Annotated[str, StringConstraints(max_length=200)] = ""

    @classmethod
    def of(cls, problem: ScheduleProblem) -> Problem:
        return cls(key=problem.key, value=problem.value)


def problem_reply(problem: Problem, context: Context) -> Reply:
    """Every problem sentence takes the quoted text under the names its template uses."""
    return Reply(
        markdown=md(
            problem.key, context.lang, question=problem.value, time=problem.value, day=problem.value
        )
    )


class Space:
    """A space's proactive settings, as one command reads and changes them."""

    def __init__(self, store: ProactiveStore, room_id: str) -> None:
        self.store = store
        self.room_id = room_id

    @property
    def zone(self) -> str:
        return self.store.zone_of(self.room_id)


def space_of(context: Context) -> Space | Reply:
    """The asking space, or the reply that these commands only work in one."""
    if context.proactive is None or not context.room_id:
        return Reply(markdown=md("proactive_needs_space", context.lang))
    return Space(context.proactive, context.room_id)
