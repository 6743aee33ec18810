"""Svenska meningar för proaktiva inlägg och deras kommandon (aviseringar, utskick, tidszon).

Nycklar och {parametrar} måste stämma med ``proactive_en.py`` (ett test kollar).
"""

from __future__ import annotations

from handlers.i18n.plural import Entry, Plural

CATALOGUE: dict[str, Entry] = {
    # -- scheman och frågor ---------------------------------------------------------------
    "schedule_daily": "Dagligen",
    "schedule_weekdays": "Vardagar",
    "schedule_weekly": "Varje {day}",
    "weekday_0": "måndag",
    "weekday_1": "tisdag",
    "weekday_2": "onsdag",
    "weekday_3": "torsdag",
    "weekday_4": "fredag",
    "weekday_5": "lördag",
    "weekday_6": "söndag",
    "question_summary": "Sammanfattning",
    "question_all": "Alla kunder",
    "digest_heading": "{schedule} · {question} · {time} {zone}",
    "moment": "{date} {time}",
    # -- aviseringskortet -----------------------------------------------------------------
    "alert_title": Plural("{count} kund har bytt status", "{count} kunder har bytt status"),
    "alert_zone": "Tider i {zone}.",
    "alert_change": "{dimension}: {old} → {new}",
    "alert_new": "Ny kund",
    "alert_gone": "Finns inte längre i datan",
    "alert_batch_gone": (
        "Den aviseringen sparas inte längre, eller så är aviseringar avstängda här. Skriv "
        "”prenumerationer” för att se vad utrymmet får."
    ),
    "alert_hint": (
        "Skriv ”aviseringar av” för att stänga av dem, eller ”prenumerationer” för att se dem."
    ),
    # -- prenumerationskortet -------------------------------------------------------------
    "subs_title": "Utskick och aviseringar i det här utrymmet",
    "subs_empty": (
        "Det här utrymmet har inga utskick eller aviseringar än. Prova ”prenumerera vardagar "
        "08:00 kunder som behöver åtgärdas” eller ”aviseringar på”."
    ),
    "subs_zone": "Tiderna är i {zone}. Skriv ”tidszon ZON” för att ändra.",
    "subs_digest": "{number}. {schedule} · {question} · {time}",
    "subs_alerts": "{number}. Aviseringar · {question}",
    "subs_next": "Nästa körning: {when}",
    "subs_last": "Senaste körning: {when}, {outcome}",
    "subs_never": "Inte körd än",
    "subs_md_hint": (
        "Skriv ”avsluta prenumeration N” för att stoppa en, eller ”skicka N nu” för att "
        "prova ett utskick direkt."
    ),
    "subs_left_out": Plural(
        "{count} till fick inte plats på kortet; textversionen listar dem.",
        "{count} till fick inte plats på kortet; textversionen listar dem.",
    ),
    "subscribe_full": (
        "Det här utrymmet har redan {count} utskick, så många det kan ha. Avsluta ett först "
        "(”avsluta prenumeration N”)."
    ),
    "action_unsubscribe": "Avsluta",
    "outcome_sent": "skickad",
    "outcome_nothing": "inget att rapportera",
    "outcome_withheld": "stoppad: någon i utrymmet får inte se kunddata",
    "outcome_failed": "misslyckades",
    "outcome_unknown": "kom kanske inte fram",
    "outcome_missed": "missad medan schemaläggaren låg nere",
    "outcome_other": "—",
    # -- svar på kommandon ----------------------------------------------------------------
    "proactive_needs_space": (
        "Utskick och aviseringar hör till ett Webex-utrymme: fråga mig där, så skriver jag där."
    ),
    "alerts_on": ("Aviseringar är på ({number}): jag skriver här när kunder hamnar i: {question}."),
    "alerts_off": "Aviseringar är avstängda i det här utrymmet.",
    "alerts_were_off": "Aviseringar var inte på i det här utrymmet.",
    "subscribed": "Prenumeration startad ({number}): {heading}. Första körningen: {when}.",
    "unsubscribed": "Avslutat: {what}.",
    "unsubscribe_usage": (
        "Skriv ”avsluta prenumeration N” med ett nummer från ”prenumerationer”, eller "
        "”avsluta alla prenumerationer”."
    ),
    "unsubscribe_missing": (
        "Det finns inget nummer {number} i det här utrymmet. Skriv ”prenumerationer” för att "
        "se vad som finns."
    ),
    "unsubscribed_all": Plural(
        "Avslutade {count} utskick eller avisering i det här utrymmet.",
        "Avslutade {count} utskick och aviseringar i det här utrymmet.",
    ),
    "unsubscribed_nothing": "Det fanns inga utskick eller aviseringar att avsluta här.",
    "send_not_digest": (
        "Nummer {number} är utrymmets aviseringar: de skickas när statusar ändras. "
        "Skriv ”prenumerationer” för att se utskicken."
    ),
    "send_nothing": "Utskick {number} har inget att rapportera just nu.",
    "timezone_is": (
        "Det här utrymmets tidszon är {zone}. Ändra den till exempel med ”tidszon {example}”."
    ),
    "timezone_set": "Det här utrymmets tidszon är nu {zone}: utskicken körs efter dess lokala tid.",
    "timezone_bad": (
        "”{zone}” är ingen tidszon jag känner till. Skriv ett namn ur tz-databasen, "
        "till exempel ”{example}”."
    ),
    "timezone_suggest": "”{zone}” är ingen tidszon jag känner till. Menade du ”{example}”?",
    "schedule_usage": (
        "Säg när och vad, till exempel ”prenumerera vardagar 08:00 kunder som behöver åtgärdas” "
        "eller ”prenumerera varje måndag 09:00 sammanfattning”."
    ),
    "schedule_bad_time": "”{time}” är ingen tid på dygnet. Skriv TT:MM, till exempel 08:00.",
    "schedule_bad_day": "”{day}” är ingen veckodag. Skriv till exempel ”varje måndag 09:00”.",
    "schedule_bad_question": (
        "Jag kan inte läsa ”{question}” som en fråga. Skriv efter tiden en listfråga som "
        "”kunder som behöver åtgärdas” eller ”går ut inom 30 dagar”, eller ”sammanfattning”."
    ),
    "schedule_relative": (
        "”{question}” beror på vilken dag frågan ställs, så den skulle bli inaktuell i ett "
        "utskick eller en avisering. Ange ett antal dagar, till exempel ”går ut inom 30 dagar”."
    ),
    "alerts_bad_filter": (
        "Jag kan inte läsa ”{question}” som ett filter. Prova ”aviseringar på”, ”aviseringar på "
        "misslyckad tillhandahållning” eller ”aviseringar på går ut inom 30 dagar”."
    ),
}
