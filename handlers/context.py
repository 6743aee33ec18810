"""What a command handler may read about the question it answers.

Handlers take one ``Context`` instead of a growing list of arguments, so a
command that needs something new (the space's subscriptions, a source's
freshness) gets it by adding one field here and one line where the edge builds
the context (``bot.answering.worker``), without touching every other command.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Protocol

from core.models import Customer
from core.query import Query
from core.results import CustomerPage, Summary
from core.statuses import Lang

if TYPE_CHECKING:  # the database layer: only the edges that build a Context load it
    from core.proactive import ProactiveStore
    from core.sources.freshness import DataStatus


class CustomerStore(Protocol):
    """The part of ``core.store.Store`` that replies read (tests pass fakes)."""

    def query(
        self, query: Query, today: date, *, offset: int = 0, limit: int | None = None
    ) -> CustomerPage: ...

    def customer(self, customer_id: str) -> Customer | None: ...

    def closest_names(self, name: str, limit: int = 3) -> list[str]: ...

    def iter_customers(self, query: Query, today: date) -> Iterator[Customer]: ...

    def summary(self, today: date) -> Summary: ...

    def query_json(self, query: Query, today: date) -> tuple[int, str]: ...


@dataclass(frozen=True, slots=True, kw_only=True)
class Context:
    """One question being answered: where, for whom, when, in which language, from what.

    ``lang`` is the reply language (the space's choice, else the question's).
    ``today`` is the partner's date (the one classification uses); ``now`` is
    the aware moment the question is answered (for times shown or recorded).
    ``room_id`` and the asker are empty when nobody asked in a space (the CLI).
    ``proactive`` holds the spaces' digests and alerts (None in the CLI).
    """

    store: CustomerStore
    lang: Lang
    today: date
    now: datetime
    room_id: str = ""
    asker_id: str = ""
    asker_email: str | None = None
    proactive: ProactiveStore | None = None
    #: Reads the data's age and each source's state (``handlers.cards.data_lines``,
    #: ``sources``), on demand: most questions never need it. None where no edge
    #: gives it (the CLI, tests); replies then leave the lines out.
    data: Callable[[], DataStatus] | None = None

    def data_status(self) -> DataStatus | None:
        return self.data() if self.data is not None else None

    def __post_init__(self) -> None:
        if self.now.tzinfo is None:
            raise ValueError("Context.now must be timezone-aware")
