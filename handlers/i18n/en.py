"""English sentences. Keys and {parameters} must match sv.py (a test checks)."""

from __future__ import annotations

from handlers.i18n.plural import Entry, Plural
from handlers.i18n.proactive_en import CATALOGUE as PROACTIVE
from handlers.i18n.sources_en import CATALOGUE as SOURCES

CATALOGUE: dict[str, Entry] = {
    # -- lists ------------------------------------------------------------------
    "list_title_all": Plural("{count} customer", "{count} customers"),
    "list_title_expiring": Plural(
        "{count} customer with a subscription expiring within {duration}",
        "{count} customers with subscriptions expiring within {duration}",
    ),
    "list_title_trial_expiring": Plural(
        "{count} customer with a trial expiring within {duration}",
        "{count} customers with trials expiring within {duration}",
    ),
    "list_title_paid_expiring": Plural(
        "{count} customer with a paid subscription expiring within {duration}",
        "{count} customers with paid subscriptions expiring within {duration}",
    ),
    "list_title_expiring_today": Plural(
        "{count} customer with a subscription expiring today",
        "{count} customers with subscriptions expiring today",
    ),
    "list_title_trial_expiring_today": Plural(
        "{count} customer with a trial expiring today",
        "{count} customers with trials expiring today",
    ),
    "list_title_paid_expiring_today": Plural(
        "{count} customer with a paid subscription expiring today",
        "{count} customers with paid subscriptions expiring today",
    ),
    "list_title_expiring_before": Plural(
        "{count} customer with a subscription expiring before {date}",
        "{count} customers with subscriptions expiring before {date}",
    ),
    "cond_today": "Expiring today",
    "cond_before": "Expiring before {date}",
    "list_title_trial_expiring_by": Plural(
        "{count} customer with a trial ending by {date}",
        "{count} customers with trials ending by {date}",
    ),
    "list_title_paid_expiring_by": Plural(
        "{count} customer with a paid subscription expiring by {date}",
        "{count} customers with paid subscriptions expiring by {date}",
    ),
    "list_title_trial_expiring_before": Plural(
        "{count} customer with a trial ending before {date}",
        "{count} customers with trials ending before {date}",
    ),
    "list_title_paid_expiring_before": Plural(
        "{count} customer with a paid subscription expiring before {date}",
        "{count} customers with paid subscriptions expiring before {date}",
    ),
    "list_title_expiring_by": Plural(
        "{count} customer with a subscription expiring by {date}",
        "{count} customers with subscriptions expiring by {date}",
    ),
    "list_title_attention": Plural(
        "{count} customer needing attention", "{count} customers needing attention"
    ),
    "list_title_name": Plural(
        "{count} customer matching “{name}”", "{count} customers matching “{name}”"
    ),
    "list_title_provisioning": Plural(
        "{count} customer with provisioning status “{status}”",
        "{count} customers with provisioning status “{status}”",
    ),
    "list_title_subscription": Plural(
        "{count} customer with subscription status “{status}”",
        "{count} customers with subscription status “{status}”",
    ),
    "list_title_filtered": Plural(
        "{count} customer matches this filter", "{count} customers match this filter"
    ),
    "cond_provisioning": "Provisioning status: {statuses}",
    "cond_subscription": "Subscription status: {statuses}",
    "cond_within": "Expiring within {duration}",
    "cond_by": "Expiring by {date}",
    "cond_trial": "Trials only",
    "cond_paid": "Paid subscriptions only",
    "cond_name": "Name contains “{name}”",
    "cond_attention": "Needing attention",
    "duration_days": Plural("{count} day", "{count} days"),
    "list_or": "{head} or {last}",
    "list_separator": ", ",
    "list_page": Plural(
        "Page {page} of {pages} · customer {first}–{last} of {total}",
        "Page {page} of {pages} · customers {first}–{last} of {total}",
        count="total",
    ),
    "list_empty": "No customers match. Try “filter” to choose statuses, or “summary”.",
    "list_page_gone": (
        "The list has changed since that card was sent: page {asked} no longer exists, "
        "so here is page {page}."
    ),
    "rows_left_out": Plural(
        "{count} more customer on this page did not fit on the card.",
        "{count} more customers on this page did not fit on the card.",
    ),
    "list_select_hint": "Select a customer for details.",
    "row_ends": "Ends {date} · {days_left}",
    "row_ends_today": "Ends today, {date}",
    "row_end_date": "Ends {date}",
    "row_ended": "Ended {date}",
    "row_today": "Today",
    "days_left": Plural("{count} day left", "{count} days left"),
    "days_ago": Plural("ended {count} day ago", "ended {count} days ago"),
    "md_details_hint": (
        "For details, type “customer NAME”. For the whole list as a file, type “export”."
    ),
    # -- actions ----------------------------------------------------------------
    "action_previous": "‹ Previous",
    "action_next": "Next ›",
    "action_export": "Export CSV",
    "action_filter": "Filter…",
    "action_summary": "Summary",
    "action_apply": "Apply filter",
    "action_attention": "Needing attention",
    "action_details": "Show details",
    "action_all": "All customers",
    # -- customer details -------------------------------------------------------
    "detail_id": "Customer id: {id}",
    "detail_overview": "Most important: {provisioning} · {subscription}",
    "detail_subscription_paid": "Paid subscription {id}",
    "detail_subscription_trial": "Trial {id}",
    "fact_state": "State",
    "fact_start": "Start date",
    "fact_end": "End date",
    "fact_end_days": "{date} ({days})",
    "detail_meanings": "What the statuses mean",
    "fact_status": "Subscription status",
    "fact_provisioning": "Provisioning status",
    "state_active": "Active",
    "state_suspended": "Suspended",
    "value_no_end": "No end date",
    "value_unknown": "—",
    "value_days": Plural("{count} day left", "{count} days left"),
    "services_heading": Plural("{count} service", "{count} services"),
    "detail_more_subscriptions": Plural(
        "…and {count} more subscription, not shown here.",
        "…and {count} more subscriptions, not shown here.",
    ),
    "detail_more_services": Plural("…and {count} more service.", "…and {count} more services."),
    "detail_not_found": "No customer matches “{name}”. Try part of the name, or “summary”.",
    "pick_title": Plural(
        "{count} customer matches “{name}”. Which one?",
        "{count} customers match “{name}”. Which one?",
    ),
    "pick_more": (
        "Showing the first {shown}. Show all to page through them, or type more of the name."
    ),
    "pick_more_md": (
        "Showing the first {shown}. Type “search {name}” to list them all,"
        " or more of the name to narrow it down."
    ),
    "pick_all": "Show all {count}",
    "customer_gone": (
        "That customer is no longer in the data; the latest import may have removed it."
    ),
    # -- filter -----------------------------------------------------------------
    "filter_title": "Select a filter…",
    "filter_intro": (
        "A customer is listed when at least one of its subscriptions has a status you select. "
        "Leave a group empty to accept any status in it."
    ),
    "filter_keep": "From your question",
    "filter_keep_toggle": "Keep these conditions",
    "filter_provisioning": "Provisioning status",
    "filter_subscription": "Subscription status",
    "filter_md": (
        "Choose statuses on the card, or type a question such as “show expiring in 30 days”, "
        "“show failed provisioning” or “show customers needing attention”."
    ),
    # -- summary ----------------------------------------------------------------
    "summary_title": Plural("Summary of {count} customer", "Summary of {count} customers"),
    "summary_attention": Plural(
        "{count} customer needs attention", "{count} customers need attention"
    ),
    "summary_hint": "Select a row to list those customers.",
    "summary_row": "{label}: {count}",
    "summary_empty": "There is no customer data yet. An administrator can import a CSV file.",
    # -- help, language, unknown ------------------------------------------------
    "help_title": "What {name} can do",
    "help_intro": "Ask me about your customers' provisioning and subscription status.",
    "help_examples": "Examples: {examples}",
    "help_language": (
        "Type “language sv” för svenska, “language en” for English,"
        " or “language auto” to follow each question."
    ),
    "language_set": "From now on I answer in English in this space.",
    "language_auto": (
        "From now on I answer each question in the language it is asked in, English or Swedish."
    ),
    "language_unsupported": (
        "I speak English and Swedish: type “language en” or “language sv”,"
        " or “language auto” to follow each question."
    ),
    "unknown": "Sorry, I didn't understand “{text}”.",
    "unknown_suggestions": "Did you mean {suggestions}?",
    "unknown_help": "Type “help” to see what I can do.",
    # -- export -----------------------------------------------------------------
    "export_done": Plural(
        "Here is the list of {count} customer as a CSV file ({rows} rows, one per service).",
        "Here is the list of {count} customers as a CSV file ({rows} rows, one per service).",
    ),
    "export_empty": "No customers match, so there is nothing to export.",
    # -- card submissions ---------------------------------------------------------
    "submit_invalid": (
        "I couldn't use that card action: it was changed or is no longer valid. "
        "Please ask again, for example “summary”."
    ),
    "submit_old_version": (
        "That card comes from an older version of me. Please ask again, for example “summary”."
    ),
    # -- the edge: access, greetings, failures -----------------------------------------
    "refused_asker": (
        "Sorry, I can only share customer information with people my operator has allowed. "
        "Please ask your partner administrator for access."
    ),
    "refused_space": (
        "Sorry, I can't share customer information in this space: everyone who can read it "
        "must be allowed to see it, and someone here is not. Ask me in a 1:1 space instead."
    ),
    "retracted": (
        "Someone who isn't allowed to see customer information joined this space, so I "
        "deleted my earlier answers here that contained it (notifications already shown "
        "on phones and computers can't be taken back). To get answers again, ask me in a "
        "1:1 space, or remove whoever isn't allowed from this space and ask again."
    ),
    "greeting": (
        "Hi, I'm {name}. I tell you the provisioning and subscription status of your "
        "customers, as Partner Hub does."
    ),
    "greeting_refused": (
        "Hi, I'm {name}. I was added here by someone I don't know, so I can't share customer "
        "information in this space."
    ),
    "leaving": "I'm leaving this space, because I was added by someone I don't know.",
    "maybe_unanswered": (
        "I may not have finished answering this. If you don't see my answer just above, "
        "please ask again."
    ),
    "failed": (
        "Sorry, something went wrong on my side and I couldn't answer. "
        "Please try again in a minute."
    ),
    # -- proactive posts and their commands (proactive_en.py) --------------------
    **PROACTIVE,
    **SOURCES,
}
