"""Svenska meningar. Nycklar och {parametrar} måste stämma med en.py (ett test kollar)."""

from __future__ import annotations

from handlers.i18n.plural import Entry, Plural
from handlers.i18n.proactive_sv import CATALOGUE as PROACTIVE
from handlers.i18n.sources_sv import CATALOGUE as SOURCES

CATALOGUE: dict[str, Entry] = {
    # -- lists ------------------------------------------------------------------
    "list_title_all": Plural("{count} kund", "{count} kunder"),
    "list_title_expiring": Plural(
        "{count} kund med en prenumeration som går ut inom {duration}",
        "{count} kunder med prenumerationer som går ut inom {duration}",
    ),
    "list_title_trial_expiring": Plural(
        "{count} kund med en provperiod som upphör inom {duration}",
        "{count} kunder med provperioder som upphör inom {duration}",
    ),
    "list_title_paid_expiring": Plural(
        "{count} kund med en betald prenumeration som går ut inom {duration}",
        "{count} kunder med betalda prenumerationer som går ut inom {duration}",
    ),
    "list_title_expiring_today": Plural(
        "{count} kund med en prenumeration som går ut i dag",
        "{count} kunder med prenumerationer som går ut i dag",
    ),
    "list_title_trial_expiring_today": Plural(
        "{count} kund med en provperiod som upphör i dag",
        "{count} kunder med provperioder som upphör i dag",
    ),
    "list_title_paid_expiring_today": Plural(
        "{count} kund med en betald prenumeration som går ut i dag",
        "{count} kunder med betalda prenumerationer som går ut i dag",
    ),
    "list_title_expiring_before": Plural(
        "{count} kund med en prenumeration som går ut före {date}",
        "{count} kunder med prenumerationer som går ut före {date}",
    ),
    "cond_today": "Går ut i dag",
    "cond_before": "Går ut före {date}",
    "list_title_trial_expiring_by": Plural(
        "{count} kund med en provperiod som upphör senast {date}",
        "{count} kunder med provperioder som upphör senast {date}",
    ),
    "list_title_paid_expiring_by": Plural(
        "{count} kund med en betald prenumeration som går ut senast {date}",
        "{count} kunder med betalda prenumerationer som går ut senast {date}",
    ),
    "list_title_trial_expiring_before": Plural(
        "{count} kund med en provperiod som upphör före {date}",
        "{count} kunder med provperioder som upphör före {date}",
    ),
    "list_title_paid_expiring_before": Plural(
        "{count} kund med en betald prenumeration som går ut före {date}",
        "{count} kunder med betalda prenumerationer som går ut före {date}",
    ),
    "list_title_expiring_by": Plural(
        "{count} kund med en prenumeration som går ut senast {date}",
        "{count} kunder med prenumerationer som går ut senast {date}",
    ),
    "list_title_attention": Plural(
        "{count} kund som behöver åtgärdas", "{count} kunder som behöver åtgärdas"
    ),
    "list_title_name": Plural(
        "{count} kund som matchar ”{name}”", "{count} kunder som matchar ”{name}”"
    ),
    "list_title_provisioning": Plural(
        "{count} kund med tillhandahållandestatus ”{status}”",
        "{count} kunder med tillhandahållandestatus ”{status}”",
    ),
    "list_title_subscription": Plural(
        "{count} kund med prenumerationsstatus ”{status}”",
        "{count} kunder med prenumerationsstatus ”{status}”",
    ),
    "list_title_filtered": Plural("{count} kund matchar filtret", "{count} kunder matchar filtret"),
    "cond_provisioning": "Tillhandahållandestatus: {statuses}",
    "cond_subscription": "Prenumerationsstatus: {statuses}",
    "cond_within": "Går ut inom {duration}",
    "cond_by": "Går ut senast {date}",
    "cond_trial": "Endast provperioder",
    "cond_paid": "Endast betalda prenumerationer",
    "cond_name": "Namnet innehåller ”{name}”",
    "cond_attention": "Behöver åtgärdas",
    "duration_days": Plural("{count} dag", "{count} dagar"),
    "list_or": "{head} eller {last}",
    "list_separator": ", ",
    "list_page": Plural(
        "Sida {page} av {pages} · kund {first}–{last} av {total}",
        "Sida {page} av {pages} · kunder {first}–{last} av {total}",
        count="total",
    ),
    "list_empty": (
        "Inga kunder matchar. Prova ”filter” för att välja statusar, eller ”sammanfattning”."
    ),
    "list_page_gone": (
        "Listan har ändrats sedan kortet skickades: sida {asked} finns inte längre, "
        "så här är sida {page}."
    ),
    "rows_left_out": Plural(
        "{count} kund till på den här sidan fick inte plats på kortet.",
        "{count} kunder till på den här sidan fick inte plats på kortet.",
    ),
    "list_select_hint": "Välj en kund för att se detaljer.",
    "row_ends": "Slutar {date} · {days_left}",
    "row_ends_today": "Slutar i dag, {date}",
    "row_end_date": "Slutar {date}",
    "row_ended": "Slutade {date}",
    "row_today": "I dag",
    "days_left": Plural("{count} dag kvar", "{count} dagar kvar"),
    "days_ago": Plural("slutade för {count} dag sedan", "slutade för {count} dagar sedan"),
    "md_details_hint": "Skriv ”kund NAMN” för detaljer, eller ”exportera” för hela listan som fil.",
    # -- actions ----------------------------------------------------------------
    "action_previous": "‹ Föregående",
    "action_next": "Nästa ›",
    "action_export": "Exportera CSV",
    "action_filter": "Filter…",
    "action_summary": "Sammanfattning",
    "action_apply": "Använd filtret",
    "action_attention": "Behöver åtgärdas",
    "action_details": "Visa detaljer",
    "action_all": "Alla kunder",
    # -- customer details -------------------------------------------------------
    "detail_id": "Kund-id: {id}",
    "detail_overview": "Viktigast: {provisioning} · {subscription}",
    "detail_subscription_paid": "Betald prenumeration {id}",
    "detail_subscription_trial": "Provperiod {id}",
    "fact_state": "Tillstånd",
    "fact_start": "Startdatum",
    "fact_end": "Slutdatum",
    "fact_end_days": "{date} ({days})",
    "detail_meanings": "Vad statusarna betyder",
    "fact_status": "Prenumerationsstatus",
    "fact_provisioning": "Tillhandahållandestatus",
    "state_active": "Aktiv",
    "state_suspended": "Avbruten",
    "value_no_end": "Inget slutdatum",
    "value_unknown": "—",
    "value_days": Plural("{count} dag kvar", "{count} dagar kvar"),
    "services_heading": Plural("{count} tjänst", "{count} tjänster"),
    "detail_more_subscriptions": Plural(
        "…och {count} prenumeration till som inte visas här.",
        "…och {count} prenumerationer till som inte visas här.",
    ),
    "detail_more_services": Plural("…och {count} tjänst till.", "…och {count} tjänster till."),
    "detail_not_found": (
        "Ingen kund matchar ”{name}”. Prova en del av namnet, eller ”sammanfattning”."
    ),
    "pick_title": Plural(
        "{count} kund matchar ”{name}”. Vilken menar du?",
        "{count} kunder matchar ”{name}”. Vilken menar du?",
    ),
    "pick_more": ("Visar de {shown} första. Visa alla för att bläddra, eller skriv mer av namnet."),
    "pick_more_md": (
        "Visar de {shown} första. Skriv ”sök {name}” för att lista alla,"
        " eller mer av namnet för att begränsa urvalet."
    ),
    "pick_all": "Visa alla {count}",
    "customer_gone": (
        "Den kunden finns inte längre i datan; den senaste importen kan ha tagit bort den."
    ),
    # -- filter -----------------------------------------------------------------
    "filter_title": "Välj ett filter…",
    "filter_intro": (
        "En kund visas när minst en av dess prenumerationer har en status som du väljer. "
        "Lämna en grupp tom för att godta alla statusar i den."
    ),
    "filter_keep": "Från din fråga",
    "filter_keep_toggle": "Behåll de här villkoren",
    "filter_provisioning": "Tillhandahållandestatus",
    "filter_subscription": "Prenumerationsstatus",
    "filter_md": (
        "Välj statusar på kortet, eller skriv en fråga som ”visa går ut inom 30 dagar”, "
        "”visa misslyckad tillhandahållning” eller ”visa kunder som behöver åtgärdas”."
    ),
    # -- summary ----------------------------------------------------------------
    "summary_title": Plural("Sammanfattning av {count} kund", "Sammanfattning av {count} kunder"),
    "summary_attention": Plural("{count} kund behöver åtgärdas", "{count} kunder behöver åtgärdas"),
    "summary_hint": "Välj en rad för att lista de kunderna.",
    "summary_row": "{label}: {count}",
    "summary_empty": "Det finns inga kunddata än. En administratör kan importera en CSV-fil.",
    # -- help, language, unknown ------------------------------------------------
    "help_title": "Det här kan {name} göra",
    "help_intro": "Fråga mig om dina kunders tillhandahållande- och prenumerationsstatus.",
    "help_examples": "Exempel: {examples}",
    "help_language": (
        "Skriv ”language en” for English, ”language sv” för svenska,"
        " eller ”språk auto” för att följa varje fråga."
    ),
    "language_set": "Från och med nu svarar jag på svenska i det här utrymmet.",
    "language_auto": (
        "Från och med nu svarar jag på det språk frågan ställs på, svenska eller engelska."
    ),
    "language_unsupported": (
        "Jag talar svenska och engelska: skriv ”språk sv” eller ”språk en”,"
        " eller ”språk auto” för att följa varje fråga."
    ),
    "unknown": "Förlåt, jag förstod inte ”{text}”.",
    "unknown_suggestions": "Menade du {suggestions}?",
    "unknown_help": "Skriv ”hjälp” för att se vad jag kan göra.",
    # -- export -----------------------------------------------------------------
    "export_done": Plural(
        "Här är listan med {count} kund som CSV-fil ({rows} rader, en per tjänst).",
        "Här är listan med {count} kunder som CSV-fil ({rows} rader, en per tjänst).",
    ),
    "export_empty": "Inga kunder matchar, så det finns inget att exportera.",
    # -- card submissions ---------------------------------------------------------
    "submit_invalid": (
        "Jag kunde inte använda kortets åtgärd: den har ändrats eller gäller inte längre. "
        "Fråga igen, till exempel ”sammanfattning”."
    ),
    "submit_old_version": (
        "Kortet kommer från en äldre version av mig. Fråga igen, till exempel ”sammanfattning”."
    ),
    # -- the edge: access, greetings, failures -----------------------------------------
    "refused_asker": (
        "Tyvärr kan jag bara dela kundinformation med personer som min operatör har godkänt. "
        "Be din partneradministratör om åtkomst."
    ),
    "refused_space": (
        "Tyvärr kan jag inte dela kundinformation i det här utrymmet: alla som kan läsa det "
        "måste ha behörighet, och någon här har inte det. Fråga mig i ett 1:1-utrymme i stället."
    ),
    "retracted": (
        "Någon som inte har behörighet att se kundinformation har gått med i det här "
        "utrymmet, så jag har tagit bort mina tidigare svar här som innehöll sådan "
        "information (aviseringar som redan visats på telefoner och datorer går inte att "
        "ta tillbaka). Fråga mig i ett 1:1-utrymme för att få svar igen, eller ta bort den "
        "som saknar behörighet från utrymmet och fråga sedan igen."
    ),
    "greeting": (
        "Hej, jag heter {name}. Jag berättar om dina kunders tillhandahållande- och "
        "prenumerationsstatus, precis som Partner Hub."
    ),
    "greeting_refused": (
        "Hej, jag heter {name}. Jag lades till här av någon jag inte känner, så jag kan inte "
        "dela kundinformation i det här utrymmet."
    ),
    "leaving": "Jag lämnar det här utrymmet, eftersom jag lades till av någon jag inte känner.",
    "maybe_unanswered": (
        "Jag kanske inte blev klar med svaret på det här. Om du inte ser mitt svar precis "
        "ovanför, fråga gärna igen."
    ),
    "failed": "Tyvärr gick något fel hos mig och jag kunde inte svara. Försök igen om en minut.",
    # -- proactive posts and their commands (proactive_sv.py) --------------------
    **PROACTIVE,
    **SOURCES,
}
