"""The words after ``subscribe`` and ``alerts on``, and time zone names."""

from __future__ import annotations

from datetime import date, time

import pytest

from core.proactive import DigestQuestion, Schedule
from core.query import Query
from core.statuses import ProvisioningStatus, SubscriptionStatus
from handlers.grammar.lang import detect_lang
from handlers.grammar.schedule import ScheduleProblem, parse_alert_filter, parse_schedule
from handlers.timezones import closest_zone, resolve_zone

TODAY = date(2026, 11, 30)
ATTENTION = DigestQuestion("list", Query(needing_attention=True))
FAILED = Query(provisioning=frozenset({ProvisioningStatus.FAILED}))


@pytest.mark.parametrize(
    ("text", "schedule", "question"),
    [
        ("daily 08:00 needing attention", Schedule("daily", time(8, 0)), ATTENTION),
        ("dagligen 08:00 kunder som behöver åtgärdas", Schedule("daily", time(8, 0)), ATTENTION),
        ("every day at 7:05 needing attention", Schedule("daily", time(7, 5)), ATTENTION),
        (
            "weekdays 08:00 show failed provisioning",
            Schedule("weekdays", time(8)),
            DigestQuestion("list", FAILED),
        ),
        (
            "vardagar kl 08.00 visa misslyckad tillhandahållning",
            Schedule("weekdays", time(8)),
            DigestQuestion("list", FAILED),
        ),
        ("weekly monday 09:00 summary", Schedule("weekly", time(9), 0), DigestQuestion("summary")),
        (
            "varje måndag 09:00 sammanfattning",
            Schedule("weekly", time(9), 0),
            DigestQuestion("summary"),
        ),
        (
            "every Friday 17:30 summary",
            Schedule("weekly", time(17, 30), 4),
            DigestQuestion("summary"),
        ),
        (
            "weekly on sundays 23:59 summary",
            Schedule("weekly", time(23, 59), 6),
            DigestQuestion("summary"),
        ),
        (
            "varje vecka på fredag 00:00 sammanfattning",
            Schedule("weekly", time(0), 4),
            DigestQuestion("summary"),
        ),
        (
            "daily 08:00 expiring in 30 days",
            Schedule("daily", time(8)),
            DigestQuestion("list", Query(expiring_within_days=30)),
        ),
        (
            "daily 08:00 trials expiring before 2027-03-31",
            Schedule("daily", time(8)),
            DigestQuestion("list", Query(expiring_before=date(2027, 3, 31), kind="trial")),
        ),
        (
            "DAILY 08:00 SHOW SUSPENDED",
            Schedule("daily", time(8)),
            DigestQuestion("list", Query(subscription=frozenset({SubscriptionStatus.SUSPENDED}))),
        ),
    ],
)
def test_schedules_and_questions_both_languages(
    text: str, schedule: Schedule, question: DigestQuestion
) -> None:
    request = parse_schedule(text, TODAY)
    assert request.schedule == schedule
    assert request.question == question


@pytest.mark.parametrize(
    ("text", "lang"),
    [
        ("weekly monday 09:00 summary", "en"),
        ("varje måndag 09:00 sammanfattning", "sv"),
        ("vardagar 08:00 kunder som behöver åtgärdas", "sv"),
        ("daily 08:00 needing attention", "en"),
    ],
)
def test_words_read_decide_the_language(text: str, lang: str) -> None:
    assert (
        detect_lang(" ".join(parse_schedule(text, TODAY).words), "en" if lang == "sv" else "sv")
        == lang
    )


@pytest.mark.parametrize(
    ("text", "key", "value"),
    [
        ("", "schedule_usage", ""),
        ("sometimes 08:00 summary", "schedule_usage", ""),
        ("daily needing attention", "schedule_usage", ""),
        ("daily 08:00", "schedule_usage", ""),
        ("daily 24:00 summary", "schedule_bad_time", "24:00"),
        ("daily 8am summary", "schedule_bad_time", "8am"),
        ("varje 12:61 sammanfattning", "schedule_usage", ""),
        ("weekly funday 09:00 summary", "schedule_bad_day", "funday"),
        ("daily 08:00 what is the weather", "schedule_bad_question", "what is the weather"),
        ("daily 08:00 help", "schedule_bad_question", "help"),
        ("daily 08:00 customer Acme", "schedule_bad_question", "customer Acme"),
        ("daily 08:00 show suspended page 2", "schedule_bad_question", "show suspended page 2"),
        ("daily 08:00 expiring this month", "schedule_relative", "expiring this month"),
        ("dagligen 08:00 går ut nästa vecka", "schedule_relative", "går ut nästa vecka"),
    ],
)
def test_problems_name_a_catalogue_sentence(text: str, key: str, value: str) -> None:
    with pytest.raises(ScheduleProblem) as raised:
        parse_schedule(text, TODAY)
    assert (raised.value.key, raised.value.value) == (key, value)


def test_a_problem_echo_is_short() -> None:
    with pytest.raises(ScheduleProblem) as raised:
        parse_schedule("daily 08:00 " + "zz " * 100, TODAY)
    assert len(raised.value.value) == 80


def test_alert_filters() -> None:
    assert parse_alert_filter("", TODAY)[0] == Query(needing_attention=True)
    assert parse_alert_filter("failed provisioning", TODAY)[0] == FAILED
    assert parse_alert_filter("misslyckad tillhandahållning", TODAY)[0] == FAILED
    for text, key in (
        ("summary", "alerts_bad_filter"),
        ("expiring this week", "schedule_relative"),
    ):
        with pytest.raises(ScheduleProblem) as raised:
            parse_alert_filter(text, TODAY)
        assert raised.value.key == key


@pytest.mark.parametrize(
    ("text", "zone"),
    [
        ("Europe/Stockholm", "Europe/Stockholm"),
        ("europe/stockholm", "Europe/Stockholm"),
        (" UTC ", "UTC"),
        ("America/New York", "America/New_York"),
        ("America/Argentina/Buenos_Aires", "America/Argentina/Buenos_Aires"),
        ("Stockholm", None),
        ("Mars/Olympus_Mons", None),
        ("localtime", None),
        ("Factory", None),
        ("posix/Europe/Stockholm", None),
        ("../../etc/passwd", None),
        ("x" * 500, None),
        ("", None),
    ],
)
def test_zone_names(text: str, zone: str | None) -> None:
    assert resolve_zone(text) == zone


def test_a_wrong_zone_gets_a_close_valid_one() -> None:
    assert closest_zone("Stockholm") == "Europe/Stockholm"
    assert closest_zone("new york") == "America/New_York"
    assert closest_zone("Europe/Stokholm") == "Europe/Stockholm"
    assert closest_zone("Mars/Olympus_Mons") is None
    assert closest_zone("") is None
