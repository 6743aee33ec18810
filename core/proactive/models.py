"""What a space asked to be told without asking: digests and alert rules.

Plain frozen values, built by ``core.proactive.store`` and read by the
scheduler (``bot.scheduler``) and the replies (``handlers``). ``Schedule`` is
the one place that knows when a digest is due: the scheduler's trigger and the
``subscriptions`` card both ask it, so they can never disagree.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal
from zoneinfo import ZoneInfo

from core.query import Query

Frequency = Literal["daily", "weekdays", "weekly"]
FREQUENCIES: tuple[Frequency, ...] = ("daily", "weekdays", "weekly")

#: How a proactive post ended (the outcome labels shared with replies).
Outcome = Literal["sent", "nothing", "withheld", "failed", "unknown", "missed"]

#: A digest is due at most once a day, so a week is always enough to find the next one.
_SEARCH_DAYS = 8


@dataclass(frozen=True)
class Schedule:
    """When a digest is posted, in the space's local time.

    ``weekday`` (0 = Monday) is given for ``weekly`` and only for it.
    """

    frequency: Frequency
    at: time
    weekday: int | None = None

    def __post_init__(self) -> None:
        if self.frequency not in FREQUENCIES:
            raise ValueError(f"unknown frequency {self.frequency!r}")
        if (self.frequency == "weekly") != (self.weekday is not None):
            raise ValueError("a weekday is given for weekly schedules, and only for them")
        if self.weekday is not None and not 0 <= self.weekday <= 6:
            raise ValueError("weekday is 0 (Monday) to 6 (Sunday)")
        if self.at.tzinfo is not None or self.at.second or self.at.microsecond:
            raise ValueError("the time is a local wall-clock time in whole minutes")

    def runs_on(self, day: date) -> bool:
        if self.frequency == "weekdays":
            return day.weekday() < 5
        if self.frequency == "weekly":
            return day.weekday() == self.weekday
        return True

    def at_on(self, day: date, zone: ZoneInfo) -> datetime:
        """This schedule's moment on a local ``day``, in UTC.

        Across a DST change the wall clock decides: 08:00 stays 08:00 local.
        A time that does not exist that day (the hour skipped in spring) is
        taken as the same moment shifted by the gap (02:30 becomes 03:30); a
        time that happens twice (autumn) is taken the first time.
        """
        return datetime.combine(day, self.at, tzinfo=zone).astimezone(UTC)

    def next_run(self, after: datetime, zone: ZoneInfo) -> datetime:
        """The first run strictly after ``after`` (aware), in UTC."""
        start = after.astimezone(zone).date() - timedelta(days=1)
        for offset in range(_SEARCH_DAYS + 1):
            day = start + timedelta(days=offset)
            if self.runs_on(day):
                moment = self.at_on(day, zone)
                if moment > after:
                    return moment
        raise AssertionError("unreachable: every schedule runs at least weekly")

    def last_run(self, at_or_before: datetime, zone: ZoneInfo) -> datetime:
        """The latest run at or before ``at_or_before`` (aware), in UTC: the run a
        late job belongs to, so its post is keyed by the run it was scheduled for."""
        start = at_or_before.astimezone(zone).date() + timedelta(days=1)
        for offset in range(_SEARCH_DAYS + 1):
            day = start - timedelta(days=offset)
            if self.runs_on(day):
                moment = self.at_on(day, zone)
                if moment <= at_or_before:
                    return moment
        raise AssertionError("unreachable: every schedule runs at least weekly")


@dataclass(frozen=True)
class DigestQuestion:
    """What a digest answers: a list question or the summary."""

    kind: Literal["list", "summary"]
    query: Query = field(default_factory=Query)  # ignored for "summary"


@dataclass(frozen=True)
class Digest:
    number: int  # short id within the space, shared with its alert rule
    room_id: str
    schedule: Schedule
    question: DigestQuestion
    next_run: datetime | None
    last_run: datetime | None
    last_outcome: str | None


@dataclass(frozen=True)
class AlertRule:
    number: int
    room_id: str
    query: Query  # NEEDING_ATTENTION for a bare "alerts on"
    last_run: datetime | None
    last_outcome: str | None


@dataclass(frozen=True)
class StatusChange:
    """One recorded transition (a row of core.store's ``transitions``): a customer's
    list status in one dimension moved from ``old`` to ``new`` (None: new or gone)."""

    customer_id: str
    customer_name: str
    dimension: str  # "provisioning" or "subscription"
    old: str | None
    new: str | None
    at: datetime


@dataclass(frozen=True)
class DigestEntry:
    """A digest as the scheduler sees it: its stable row id (post keys and job ids
    use it, so they survive a room migration) and the zone it runs in."""

    item_id: int
    digest: Digest
    zone: str
    created_at: datetime  # a digest made after its time today waits for the next run


@dataclass(frozen=True)
class AlertEntry:
    item_id: int
    rule: AlertRule
    created_at: datetime
