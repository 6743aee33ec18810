"""How a phrase of a list question is made, and what each kind of phrase does.

A ``Phrase`` is a name, a pattern anchored at a position that ends at a word
boundary (``compile_phrase``) and an ``Action``: what the match adds to the
``Draft``. ``handlers.grammar.phrases`` holds the ordered table built from these.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from core.statuses import ProvisioningStatus as Prov
from core.statuses import SubscriptionKind as Kind
from core.statuses import SubscriptionStatus as Sub
from handlers.grammar.draft import Draft
from handlers.grammar.time_words import (
    is_exclusive,
    last_day_by_date,
    last_day_of_period,
    within_days,
)

#: "expiring soon" / "går ut snart".
SOON_DAYS = 30


Action = Callable[[re.Match[str], Draft, date], None]


@dataclass(frozen=True, slots=True)
class Phrase:
    name: str
    pattern: re.Pattern[str]
    action: Action
    content: bool = True


def compile_phrase(*alternatives: str) -> re.Pattern[str]:
    """Alternatives in order, to be matched at a position, ending at a word boundary."""
    return re.compile(rf"(?:{'|'.join(alternatives)})(?=[\s,;&]|$)", re.IGNORECASE)


def statuses(name: str, members: Iterable[Prov | Sub], *alternatives: str) -> Phrase:
    """A phrase that adds ``members`` to the draft's statuses."""
    chosen = tuple(members)

    def add(match: re.Match[str], draft: Draft, today: date) -> None:
        for status in chosen:
            if isinstance(status, Prov):
                draft.provisioning.add(status)
            else:
                draft.subscription.add(status)

    return Phrase(name, compile_phrase(*alternatives), add)


def of_kind(chosen: Kind, *alternatives: str) -> Phrase:
    """A phrase that sets the draft's subscription kind."""

    def add(match: re.Match[str], draft: Draft, today: date) -> None:
        draft.set_kind(chosen)

    return Phrase(f"kind {chosen.value}", compile_phrase(*alternatives), add)


def words(name: str, *alternatives: str, content: bool) -> Phrase:
    """A phrase that only says the question is a list question (or nothing: fillers)."""

    def nothing(match: re.Match[str], draft: Draft, today: date) -> None:
        return None

    return Phrase(name, compile_phrase(*alternatives), nothing, content=content)


# --- actions: what a matched phrase does to the draft --------------------------


def within(match: re.Match[str], draft: Draft, today: date) -> None:
    draft.set_within(within_days(match))


def soon(match: re.Match[str], draft: Draft, today: date) -> None:
    draft.set_within(SOON_DAYS)


def by_date(match: re.Match[str], draft: Draft, today: date) -> None:
    last_day = last_day_by_date(match)
    if is_exclusive(match):  # kept as typed, so the reply heads it with the same date
        draft.set_before(last_day + timedelta(days=1))
    else:
        draft.set_by(last_day)


def by_period(match: re.Match[str], draft: Draft, today: date) -> None:
    draft.set_by(last_day_of_period(match, today))


def attention(match: re.Match[str], draft: Draft, today: date) -> None:
    draft.needing_attention = True


def expiring(match: re.Match[str], draft: Draft, today: date) -> None:
    draft.expiring = True


def named(match: re.Match[str], draft: Draft, today: date) -> None:
    if draft.name is not None:
        raise ValueError("two names")
    draft.name = match.group("name")


def paged(match: re.Match[str], draft: Draft, today: date) -> None:
    if draft.page is not None:
        raise ValueError("two pages")
    draft.page = int(match.group("page")) - 1  # people count pages from 1


def status_key(match: re.Match[str], draft: Draft, today: date) -> None:
    key = match.group(0).casefold()
    if key in _PROVISIONING_KEYS:
        draft.provisioning.add(Prov(key))
    else:
        draft.subscription.add(Sub(key))


_PROVISIONING_KEYS = frozenset(status.value for status in Prov)
