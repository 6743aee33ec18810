"""When digests are due: local wall-clock times, across DST, weekdays and weeks."""

from __future__ import annotations

from datetime import UTC, datetime, time
from zoneinfo import ZoneInfo

import pytest

from core.proactive.models import Schedule

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def utc(*args: int) -> datetime:
    return datetime(*args, tzinfo=UTC)


def test_daily_at_eight_stays_eight_local_across_both_dst_changes() -> None:
    daily = Schedule("daily", time(8, 0))
    # spring: CET (UTC+1) until Sunday 29 March 2026, then CEST (UTC+2)
    assert daily.next_run(utc(2026, 3, 28, 7, 0), STOCKHOLM) == utc(2026, 3, 29, 6, 0)
    assert daily.next_run(utc(2026, 3, 27, 7, 1), STOCKHOLM) == utc(2026, 3, 28, 7, 0)
    # autumn: back to CET on Sunday 25 October 2026
    assert daily.next_run(utc(2026, 10, 24, 6, 0), STOCKHOLM) == utc(2026, 10, 25, 7, 0)
    for moment in (utc(2026, 3, 29, 6, 0), utc(2026, 10, 25, 7, 0)):
        assert moment.astimezone(STOCKHOLM).time() == time(8, 0)


def test_a_time_skipped_in_spring_runs_once_an_hour_later_and_a_repeated_one_once() -> None:
    skipped = Schedule("daily", time(2, 30))
    run = skipped.next_run(utc(2026, 3, 28, 23, 0), STOCKHOLM)
    assert run == utc(2026, 3, 29, 1, 30)  # 03:30 CEST: the wall clock jumped 02:00 → 03:00
    assert skipped.next_run(run, STOCKHOLM) == utc(2026, 3, 30, 0, 30)  # 02:30 CEST
    repeated = Schedule("daily", time(2, 30))
    first = repeated.next_run(utc(2026, 10, 24, 23, 0), STOCKHOLM)
    assert first == utc(2026, 10, 25, 0, 30)  # the first 02:30 (CEST)
    assert repeated.next_run(first, STOCKHOLM) == utc(2026, 10, 26, 1, 30)  # not again that night


def test_weekdays_skip_saturday_and_sunday() -> None:
    weekdays = Schedule("weekdays", time(8, 0))
    friday_after = utc(2026, 11, 27, 8, 0)  # Friday 09:00 Stockholm
    monday = weekdays.next_run(friday_after, STOCKHOLM)
    assert monday == utc(2026, 11, 30, 7, 0)
    assert monday.astimezone(STOCKHOLM).strftime("%A") == "Monday"
    assert weekdays.last_run(utc(2026, 11, 29, 12, 0), STOCKHOLM) == utc(2026, 11, 27, 7, 0)


def test_weekly_runs_on_its_day_only() -> None:
    monday = Schedule("weekly", time(9, 0), weekday=0)
    assert monday.next_run(utc(2026, 11, 30, 8, 0), STOCKHOLM) == utc(2026, 12, 7, 8, 0)
    assert monday.next_run(utc(2026, 11, 30, 7, 59), STOCKHOLM) == utc(2026, 11, 30, 8, 0)
    assert monday.last_run(utc(2026, 12, 6, 0, 0), STOCKHOLM) == utc(2026, 11, 30, 8, 0)


def test_last_run_is_the_run_a_late_job_belongs_to() -> None:
    daily = Schedule("daily", time(8, 0))
    assert daily.last_run(utc(2026, 11, 30, 7, 0), STOCKHOLM) == utc(2026, 11, 30, 7, 0)
    assert daily.last_run(utc(2026, 11, 30, 6, 59), STOCKHOLM) == utc(2026, 11, 29, 7, 0)


def test_zones_other_than_stockholm() -> None:
    daily = Schedule("daily", time(8, 0))
    new_york = ZoneInfo("America/New_York")
    assert daily.next_run(utc(2026, 11, 30, 0, 0), new_york) == utc(2026, 11, 30, 13, 0)


@pytest.mark.parametrize(
    ("frequency", "weekday"), [("weekly", None), ("daily", 1), ("weekly", 7), ("hourly", None)]
)
def test_inconsistent_schedules_are_refused(frequency: str, weekday: int | None) -> None:
    with pytest.raises(ValueError):
        Schedule(frequency, time(8, 0), weekday)  # type: ignore[arg-type]
