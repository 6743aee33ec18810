"""The time words of the list grammar: "in 3 months", "before 2027-03-31", "this week".

Pattern sources (to be compiled by ``handlers.grammar.phrases``) and the
functions that turn their captures into a horizon. A horizon always starts
today; "N days/weeks/months/years" is N × 1/7/30/365 days; "before DATE" is
exclusive, every other date word inclusive; weeks end on Sunday (ISO weeks).
"""

from __future__ import annotations

import calendar
import re
from collections.abc import Callable
from datetime import date, timedelta

NUMBER_WORDS: dict[str, int] = {
    "a": 1, "an": 1, "one": 1, "en": 1, "ett": 1,
    "two": 2, "två": 2, "three": 3, "tre": 3, "four": 4, "fyra": 4,
    "five": 5, "fem": 5, "six": 6, "sex": 6, "seven": 7, "sju": 7,
    "eight": 8, "åtta": 8, "nine": 9, "nio": 9, "ten": 10, "tio": 10,
    "eleven": 11, "elva": 11, "twelve": 12, "tolv": 12, "fourteen": 14, "fjorton": 14,
    "fifteen": 15, "femton": 15, "twenty": 20, "tjugo": 20, "thirty": 30, "trettio": 30,
    "forty": 40, "fyrtio": 40, "forty-five": 45, "forty five": 45, "fyrtiofem": 45,
    "sixty": 60, "sextio": 60, "ninety": 90, "nittio": 90,
}  # fmt: skip

_UNIT_DAYS: tuple[tuple[str, int], ...] = (
    (r"days?|d|dagar(?:na)?|dag(?:en)?|dygn(?:en)?", 1),
    (r"weeks?|wks?|w|veckor(?:na)?|veckan?|v", 7),
    (r"months?|mos?|månader(?:na)?|månad(?:en)?|mån", 30),
    (r"years?|yrs?|y|år(?:en|et)?", 365),
)
# Digits may touch their unit ("30d"); a number word is a word of its own ("en dag", not "end").
_NUMBER_WORDS = "|".join(
    re.escape(word).replace(r"\ ", " ") for word in sorted(NUMBER_WORDS, key=len, reverse=True)
)
_NUMBER = rf"(?P<n>[0-9]{{1,5}}) ?|(?P<word>{_NUMBER_WORDS}) "
_UNIT = "|".join(f"(?P<u{i}>{units})" for i, (units, _) in enumerate(_UNIT_DAYS))
_WITHIN_PREFIX = (
    r"(?:(?:in|within|over|during|for|inom|på|under|om|i)(?: the| de| den)?"
    r"(?: next| coming| närmaste| kommande)? "
    r"|(?:the |de |den )?(?:next|coming|närmaste|kommande) )?"
)

#: "in 30 days", "within the next 3 months", "inom de närmaste 2 veckorna", "a month".
WITHIN = (
    rf"{_WITHIN_PREFIX}(?:{_NUMBER})(?:{_UNIT})"
    r"(?: from (?:now|today)| framåt| från (?:nu|idag|i dag))?"
)


def within_days(match: re.Match[str]) -> int:
    digits = match.group("n")
    count = int(digits) if digits is not None else NUMBER_WORDS[match.group("word").casefold()]
    factor = next(days for i, (_, days) in enumerate(_UNIT_DAYS) if match.group(f"u{i}"))
    return count * factor


_DATE_PREPS = (
    "on or before|no later than|not later than|before|by|until|through|thru|till och med"
    r"|t\.?o\.?m\.?|fram till och med|fram till|till|före|innan|senast"
)
_EXCLUSIVE = frozenset({"before", "före", "innan"})

#: "before 2027-03-31" (exclusive), "by 2027-03-31", "senast 2027-03-31", "2027-03-31".
BY_DATE = rf"(?:(?P<prep>{_DATE_PREPS}) )?(?P<y>[0-9]{{4}})-(?P<m>[0-9]{{1,2}})-(?P<d>[0-9]{{1,2}})"


def is_exclusive(match: re.Match[str]) -> bool:
    """Whether a ``BY_DATE`` match says "before" (the date itself not covered)."""
    return (match.group("prep") or "").casefold() in _EXCLUSIVE


def last_day_by_date(match: re.Match[str]) -> date:
    """The last end date covered; ``ValueError`` for a day that does not exist."""
    last = date(int(match.group("y")), int(match.group("m")), int(match.group("d")))
    prep = (match.group("prep") or "").casefold()
    return last - timedelta(days=1) if prep in _EXCLUSIVE else last


def _end_of_month(day: date, months_ahead: int) -> date:
    index = day.month - 1 + months_ahead
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, calendar.monthrange(year, month)[1])


_PERIODS: tuple[tuple[str, str, Callable[[date], date]], ...] = (
    ("today", r"today|idag|i dag", lambda d: d),
    ("tomorrow", r"tomorrow|imorgon|i morgon", lambda d: d + timedelta(days=1)),
    ("next_week", r"next week|nästa vecka", lambda d: d + timedelta(days=13 - d.weekday())),
    (
        "this_week",
        r"(?:this|the|current) week|week|denna vecka|den här veckan|i veckan|veckan",
        lambda d: d + timedelta(days=6 - d.weekday()),
    ),
    ("next_month", r"next month|nästa månad", lambda d: _end_of_month(d, 1)),
    (
        "this_month",
        r"(?:this|the|current) month|month end|month|denna månad|den här månaden"
        r"|i månaden|månaden|månadsskiftet",
        lambda d: _end_of_month(d, 0),
    ),
    ("next_year", r"next year|nästa år", lambda d: date(d.year + 1, 12, 31)),
    (
        "this_year",
        r"(?:this|the|current) year|year end|year|detta år|det här året|i år|året|årsskiftet",
        lambda d: date(d.year, 12, 31),
    ),
)
_PERIOD_WORDS = "|".join(f"(?P<{key}>{words})" for key, words, _ in _PERIODS)
_PERIOD_PREFIX = (
    r"(?:(?:(?:by|until|before|at|within|in|during|inom|under|före|innan|senast|till|i) )?"
    r"(?:the )?(?:end of (?:the )?|slutet (?:av|på) )"
    r"|(?:by|until|within|in|during|inom|under|senast|till) (?:the )?)?"
)

#: "this month", "by the end of next month", "nästa vecka", "i år", "today".
BY_PERIOD = rf"{_PERIOD_PREFIX}(?:{_PERIOD_WORDS})"


def last_day_of_period(match: re.Match[str], today: date) -> date:
    """The period's last day; ``ValueError``/``OverflowError`` past ``date.max``."""
    last_day = next(end for key, _, end in _PERIODS if match.group(key))
    return last_day(today)
