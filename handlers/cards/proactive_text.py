"""Words for schedules, digest questions, moments and run outcomes.

The subscriptions card, the digest heading and the command replies all name a
subscription the same way ("Daily · Needing attention · 08:00 Europe/Stockholm"),
so the naming lives here once. Every function returns text for a TextRun
(unescaped); pass ``markdown=True`` where the text goes into the markdown
fallback, and every piece of user or customer text in it is escaped.
"""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from core.proactive import DigestQuestion, Schedule
from core.query import Query
from core.statuses import Lang
from handlers.cards.describe import conditions
from handlers.cards.safe_text import escape_markdown, md
from handlers.i18n import t
from handlers.timezones import zone_info

#: Outcomes the engine records (README "Shared decisions"); anything else shows as "—".
OUTCOMES = frozenset({"sent", "nothing", "withheld", "failed", "unknown", "missed"})


def weekday_name(weekday: int, lang: Lang) -> str:
    return t(f"weekday_{weekday}", lang)


def schedule_label(schedule: Schedule, lang: Lang) -> str:
    """ "Daily", "Weekdays" or "Every Monday" (catalogue text only)."""
    if schedule.frequency == "weekly":
        return t("schedule_weekly", lang, day=weekday_name(schedule.weekday or 0, lang))
    return t(f"schedule_{schedule.frequency}", lang)


def query_label(query: Query, lang: Lang, *, markdown: bool = False) -> str:
    """A question without its count: its conditions, or "All customers"."""
    lines = conditions(query, lang, md if markdown else t)
    return " · ".join(lines) if lines else t("question_all", lang)


def question_label(question: DigestQuestion, lang: Lang, *, markdown: bool = False) -> str:
    if question.kind == "summary":
        return t("question_summary", lang)
    return query_label(question.query, lang, markdown=markdown)


def heading(
    schedule: Schedule, question: DigestQuestion, zone: str, lang: Lang, *, markdown: bool = False
) -> str:
    """ "Daily · Needing attention · 08:00 Europe/Stockholm"."""
    shown_zone = escape_markdown(zone) if markdown else zone
    return t(
        "digest_heading",
        lang,
        schedule=schedule_label(schedule, lang),
        question=question_label(question, lang, markdown=markdown),
        time=schedule.at.strftime("%H:%M"),
        zone=shown_zone,
    )


def moment(when: datetime, zone: str, lang: Lang) -> str:
    """An aware moment as the space reads it: "2026-11-30 08:00" in ``zone``."""
    local = when.astimezone(zone_info(zone) or ZoneInfo("UTC"))
    return t("moment", lang, date=local.date().isoformat(), time=local.strftime("%H:%M"))


def outcome_label(outcome: str | None, lang: Lang) -> str:
    return t(f"outcome_{outcome}" if outcome in OUTCOMES else "outcome_other", lang)


def last_run_label(last_run: datetime | None, outcome: str | None, zone: str, lang: Lang) -> str:
    if last_run is None:
        return t("subs_never", lang)
    return t(
        "subs_last", lang, when=moment(last_run, zone, lang), outcome=outcome_label(outcome, lang)
    )
