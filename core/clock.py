"""The time, as something a test can swap, and the partner's "today".

A ``Clock`` returns an aware datetime; code that needs the time takes one (a
test passes a fixed or stepping clock, never sleeps). Times are stored in UTC;
SQLite hands them back naive, so ``aware`` is how everything reads them back.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    """The system clock, aware, in UTC (the default ``Clock``)."""
    return datetime.now(UTC)


def aware(moment: datetime) -> datetime:
    """A stored time as an aware datetime (SQLite drops the zone; everything is UTC)."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def today_in(timezone: str = "UTC", clock: Clock | None = None) -> date:
    """Today's date in the partner's time zone (days left are counted from it)."""
    return (clock or utc_now)().astimezone(ZoneInfo(timezone)).date()
