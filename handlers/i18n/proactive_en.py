"""English sentences of proactive posts and their commands (alerts, digests, time zone).

Kept beside ``en.py`` (which includes them) so the catalogue stays one screen per
concern; keys and {parameters} must match ``proactive_sv.py`` (a test checks).
"""

from __future__ import annotations

from handlers.i18n.plural import Entry, Plural

CATALOGUE: dict[str, Entry] = {
    # -- schedules and questions ------------------------------------------------------
    "schedule_daily": "Daily",
    "schedule_weekdays": "Weekdays",
    "schedule_weekly": "Every {day}",
    "weekday_0": "Monday",
    "weekday_1": "Tuesday",
    "weekday_2": "Wednesday",
    "weekday_3": "Thursday",
    "weekday_4": "Friday",
    "weekday_5": "Saturday",
    "weekday_6": "Sunday",
    "question_summary": "Summary",
    "question_all": "All customers",
    "digest_heading": "{schedule} · {question} · {time} {zone}",
    "moment": "{date} {time}",
    # -- alert card ---------------------------------------------------------------------
    "alert_title": Plural("{count} customer changed status", "{count} customers changed status"),
    "alert_zone": "Times in {zone}.",
    "alert_change": "{dimension}: {old} → {new}",
    "alert_new": "New customer",
    "alert_gone": "No longer in the data",
    "alert_batch_gone": (
        "That alert is no longer kept, or alerts are off here. Type “subscriptions” to see "
        "what this space gets."
    ),
    "alert_hint": "Type “alerts off” to stop alerts, or “subscriptions” to see them.",
    # -- subscriptions card ---------------------------------------------------------------
    "subs_title": "Digests and alerts in this space",
    "subs_empty": (
        "This space has no digests or alerts yet. Try “subscribe weekdays 08:00 "
        "needing attention” or “alerts on”."
    ),
    "subs_zone": "Times are in {zone}. Type “timezone ZONE” to change it.",
    "subs_digest": "{number}. {schedule} · {question} · {time}",
    "subs_alerts": "{number}. Alerts · {question}",
    "subs_next": "Next run: {when}",
    "subs_last": "Last run: {when}, {outcome}",
    "subs_never": "Not run yet",
    "subs_md_hint": "To stop one, type “unsubscribe N”; to try a digest now, “send N now”.",
    "subs_left_out": Plural(
        "{count} more did not fit on this card; the text version lists them.",
        "{count} more did not fit on this card; the text version lists them.",
    ),
    "subscribe_full": (
        "This space already has {count} digests, the most it can have. Stop one first "
        "(“unsubscribe N”)."
    ),
    "action_unsubscribe": "Unsubscribe",
    "outcome_sent": "sent",
    "outcome_nothing": "nothing to report",
    "outcome_withheld": "withheld: someone in this space may not see customer data",
    "outcome_failed": "failed",
    "outcome_unknown": "may not have arrived",
    "outcome_missed": "missed while the scheduler was down",
    "outcome_other": "—",
    # -- command replies -------------------------------------------------------------------
    "proactive_needs_space": (
        "Digests and alerts belong to a Webex space: ask me there, and I post in that space."
    ),
    "alerts_on": "Alerts are on ({number}): I post here when customers move into: {question}.",
    "alerts_off": "Alerts are off in this space.",
    "alerts_were_off": "Alerts were not on in this space.",
    "subscribed": "Subscribed ({number}): {heading}. First run: {when}.",
    "unsubscribed": "Stopped: {what}.",
    "unsubscribe_usage": (
        "Type “unsubscribe N” with a number from “subscriptions”, or “unsubscribe all”."
    ),
    "unsubscribe_missing": (
        "There is no number {number} in this space. Type “subscriptions” to see what there is."
    ),
    "unsubscribed_all": Plural(
        "Stopped {count} digest or alert in this space.",
        "Stopped {count} digests and alerts in this space.",
    ),
    "unsubscribed_nothing": "This space had no digests or alerts to stop.",
    "send_not_digest": (
        "Number {number} is this space's alerts: they are posted when statuses change. "
        "Type “subscriptions” to see the digests."
    ),
    "send_nothing": "Digest {number} has nothing to report right now.",
    "timezone_is": (
        "This space's time zone is {zone}. Change it with, for example, “timezone {example}”."
    ),
    "timezone_set": "This space's time zone is now {zone}: digests run at its local time.",
    "timezone_bad": (
        "“{zone}” is not a time zone I know. Write a name from the tz database, "
        "for example “{example}”."
    ),
    "timezone_suggest": "“{zone}” is not a time zone I know. Did you mean “{example}”?",
    "schedule_usage": (
        "Say when and what, for example “subscribe weekdays 08:00 needing attention” or "
        "“subscribe weekly monday 09:00 summary”."
    ),
    "schedule_bad_time": "“{time}” is not a time of day. Write 24-hour HH:MM, for example 08:00.",
    "schedule_bad_day": (
        "“{day}” is not a day of the week. Write, for example, “weekly monday 09:00”."
    ),
    "schedule_bad_question": (
        "I can't read “{question}” as a question. After the time, write a list question such as "
        "“needing attention” or “expiring in 30 days”, or “summary”."
    ),
    "schedule_relative": (
        "“{question}” depends on the day it is asked, so it would go stale in a digest or an "
        "alert. Use a number of days, for example “expiring in 30 days”."
    ),
    "alerts_bad_filter": (
        "I can't read “{question}” as a filter. Try “alerts on”, “alerts on failed provisioning” "
        "or “alerts on expiring in 30 days”."
    ),
}
