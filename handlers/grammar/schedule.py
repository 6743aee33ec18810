"""The words after ``subscribe`` and ``alerts on``: a schedule and a question, or a filter.

``subscribe weekdays 08:00 needing attention`` · ``prenumerera vardagar 08:00 kunder
som behöver åtgärdas``: a frequency (``daily``/``dagligen``, ``weekdays``/``vardagar``,
``weekly monday``/``every monday``/``varje måndag``), optionally ``at``/``kl``, a
24-hour time (``8:00``, ``08:00``, ``08.00``), then any question the grammar reads
as a customer list, or ``summary``/``sammanfattning``. The time is the space's
local time (the engine applies the zone).

Decisions:

* A question whose meaning depends on the day it is asked ("expiring this month",
  "before next week") is refused with a reason: in a digest it would silently keep
  the month it was typed in. It is found by reading the question for two far-apart
  days; a fixed date ("before 2027-03-31") or a number of days is fine.
* "page N" in a digest or an alert filter is refused: a digest always starts at page 1.
* Problems raise ``ScheduleProblem`` with a catalogue key and the offending text, so
  the command answers with a sentence that says what to write instead.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date, time, timedelta

from core.proactive import DigestQuestion, Frequency, Schedule
from core.query import Query

__all__ = ["ScheduleProblem", "ScheduleRequest", "parse_alert_filter", "parse_schedule"]

#: How far apart the two days are that tell a day-relative question apart.
_PROBE_DAYS = 400
#: The echo of bad text in a reply is cut at this many characters.
_ECHO = 80

_DAYS: dict[str, int] = {}
for _index, _names in enumerate(
    (
        "monday mon måndag mån",
        "tuesday tue tues tisdag tis",
        "wednesday wed onsdag ons",
        "thursday thu thur thurs torsdag tors",
        "friday fri fredag fre",
        "saturday sat lördag lör",
        "sunday sun söndag sön",
    )
):
    for _name in _names.split():
        _DAYS[_name] = _index
        if len(_name) > 4:
            _DAYS[_name + "s"] = _index  # mondays
            _DAYS[_name + "ar"] = _index  # måndagar

_FREQUENCY = re.compile(
    r"(?P<daily>daily|every day|each day|dagligen|varje dag|alla dagar)"
    r"|(?P<weekdays>weekdays|every weekday|on weekdays|vardagar|varje vardag|alla vardagar"
    r"|på vardagar)"
    r"|(?:weekly|every|each|on|varje vecka|veckovis|varje|på)(?: (?:on|på))? (?P<day>[^\W\d_]+)",
    re.IGNORECASE,
)
_AT = re.compile(r"\s*(?:(?:at|kl\.?|klockan) )?", re.IGNORECASE)
_TIME = re.compile(r"(?P<hour>\d{1,2})[:.](?P<minute>\d{2})(?=\s|$)")
_TIMEISH = re.compile(r"\S*\d\S*")


class ScheduleProblem(ValueError):
    """Why the words are no schedule: ``key`` names the catalogue sentence, ``value``
    is the text it quotes (user text: the caller escapes it)."""

    def __init__(self, key: str, value: str = "") -> None:
        super().__init__(key)
        self.key = key
        self.value = value[:_ECHO]


@dataclass(frozen=True)
class ScheduleRequest:
    """What ``subscribe …`` asked for, and the grammar words read (for the language vote)."""

    schedule: Schedule
    question: DigestQuestion
    words: tuple[str, ...] = field(default=())


def parse_schedule(text: str, today: date) -> ScheduleRequest:
    """The schedule and question in ``text`` (the words after ``subscribe``)."""
    text = text.strip()
    match = _FREQUENCY.match(text)
    if match is None:
        raise ScheduleProblem("schedule_usage")
    frequency: Frequency
    weekday = None
    if match.group("daily"):
        frequency = "daily"
    elif match.group("weekdays"):
        frequency = "weekdays"
    else:
        frequency = "weekly"
        weekday = _DAYS.get(match.group("day").casefold())
        if weekday is None:
            raise ScheduleProblem("schedule_bad_day", match.group("day"))
    position = _AT.match(text, match.end())
    rest = text[position.end() if position else match.end() :]
    at, rest = _read_time(rest)
    question, words = _read_question(rest, today, summary=True)
    return ScheduleRequest(
        schedule=Schedule(frequency=frequency, at=at, weekday=weekday),
        question=question,
        words=(match.group(0), *words),
    )


def parse_alert_filter(text: str, today: date) -> tuple[Query, tuple[str, ...]]:
    """The filter after ``alerts on``; nothing means "needing attention"."""
    if not text.strip():
        return Query(needing_attention=True), ()
    question, words = _read_question(text, today, summary=False)
    return question.query, words


def _read_time(text: str) -> tuple[time, str]:
    match = _TIME.match(text)
    if match is None:
        timeish = _TIMEISH.match(text)
        if timeish is not None:
            raise ScheduleProblem("schedule_bad_time", timeish.group(0))
        raise ScheduleProblem("schedule_usage")
    hour, minute = int(match.group("hour")), int(match.group("minute"))
    if hour > 23 or minute > 59:
        raise ScheduleProblem("schedule_bad_time", match.group(0))
    return time(hour, minute), text[match.end() :].strip()


def _read_question(
    text: str, today: date, *, summary: bool
) -> tuple[DigestQuestion, tuple[str, ...]]:
    """A list question (or the summary) as the typed grammar reads it."""
    # Imported here: the grammar's command table includes the commands that use this module.
    from handlers.commands.list import ListCustomers
    from handlers.commands.summary import ShowSummary
    from handlers.grammar.parser import parse

    if not text:
        raise ScheduleProblem("schedule_usage")
    failure = "schedule_bad_question" if summary else "alerts_bad_filter"
    now = parse(text, today=today).command
    later = parse(text, today=today + timedelta(days=_PROBE_DAYS)).command
    if isinstance(now, ShowSummary) and summary:
        return DigestQuestion(kind="summary"), (text,)
    if not isinstance(now, ListCustomers) or now.page != 0:
        raise ScheduleProblem(failure, text)
    if not isinstance(later, ListCustomers) or later.query != now.query:
        raise ScheduleProblem("schedule_relative", text)
    return DigestQuestion(kind="list", query=now.query), (text,)
