"""The grammar: typed text (en, sv) to one Command, with the language it was asked in."""

from __future__ import annotations

from datetime import date, time

import pytest

from core.proactive import DigestQuestion, Schedule
from core.query import Query
from core.statuses import (
    PROVISIONING_TEXT,
    SUBSCRIPTION_TEXT,
    ProvisioningStatus,
    SubscriptionKind,
    SubscriptionStatus,
)
from handlers.command import Command, Unknown
from handlers.commands.alerts import Alerts
from handlers.commands.customer import ShowCustomer
from handlers.commands.export import ExportCustomers
from handlers.commands.filter import ShowFilter
from handlers.commands.help import ShowHelp
from handlers.commands.language import SetLanguage
from handlers.commands.list import ListCustomers
from handlers.commands.send_now import SendNow
from handlers.commands.subscribe import Subscribe
from handlers.commands.subscriptions import ShowSubscriptions
from handlers.commands.summary import ShowSummary
from handlers.commands.timezone import SetTimezone
from handlers.commands.unsubscribe import Unsubscribe
from handlers.grammar.lang import ENGLISH_WORDS, SWEDISH_WORDS
from handlers.grammar.parser import RULES, clean, parse
from handlers.grammar.phrases import PHRASES

TODAY = date(2026, 11, 27)  # a Friday
P = ProvisioningStatus
S = SubscriptionStatus
TRIAL = SubscriptionKind.TRIAL
PAID = SubscriptionKind.PAID


def listing(**fields: object) -> ListCustomers:
    return ListCustomers(query=Query.model_validate(fields))


EVERYTHING = ListCustomers(query=Query())
ATTENTION = Query(needing_attention=True)

# (text, command, lang): status-reference.md's examples first, then what people type.
CASES: list[tuple[str, Command, str]] = [
    ("show expiring in 30 days", listing(expiring_within_days=30), "en"),
    ("visa går ut inom 30 dagar", listing(expiring_within_days=30), "sv"),
    ("show trials expiring in 60 days", listing(kind=TRIAL, expiring_within_days=60), "en"),
    (
        "visa provperioder som upphör inom 60 dagar",
        listing(kind=TRIAL, expiring_within_days=60),
        "sv",
    ),
    ("show failed provisioning", listing(provisioning={P.FAILED}), "en"),
    ("visa misslyckad tillhandahållning", listing(provisioning={P.FAILED}), "sv"),
    ("show unable to provision", listing(provisioning={P.FAILED}), "en"),
    ("visa kunder som inte kunde tillhandahållas", listing(provisioning={P.FAILED}), "sv"),
    ("show customers needing attention", listing(needing_attention=True), "en"),
    ("visa kunder som behöver åtgärdas", listing(needing_attention=True), "sv"),
    ("show suspended", listing(subscription={S.SUSPENDED}), "en"),
    ("visa avbrutna", listing(subscription={S.SUSPENDED}), "sv"),
    ("show cancelled", listing(subscription={S.SUSPENDED}), "en"),
    ("visa har avbrutits", listing(subscription={S.SUSPENDED}), "sv"),
    ("avbrutits", listing(subscription={S.SUSPENDED}), "sv"),
    ("customer Acme", ShowCustomer(name="Acme"), "en"),
    ("kund Acme", ShowCustomer(name="Acme"), "sv"),
    ("filter", ShowFilter(), "en"),
    ("summary", ShowSummary(), "en"),
    ("sammanfattning", ShowSummary(), "sv"),
    ("help", ShowHelp(), "en"),
    ("hjälp", ShowHelp(), "sv"),
    # horizons
    ("which trials end this month", listing(kind=TRIAL, expiring_by=date(2026, 11, 30)), "en"),
    (
        "vilka provperioder går ut denna månad",
        listing(kind=TRIAL, expiring_by=date(2026, 11, 30)),
        "sv",
    ),
    ("expiring next 45 days", listing(expiring_within_days=45), "en"),
    ("expiring within 90 days", listing(expiring_within_days=90), "en"),
    ("expiring within the next 3 months", listing(expiring_within_days=90), "en"),
    ("går ut inom de närmaste 3 månaderna", listing(expiring_within_days=90), "sv"),
    ("expiring in 1 month", listing(expiring_within_days=30), "en"),
    ("går ut inom en månad", listing(expiring_within_days=30), "sv"),
    ("expiring in 3 months", listing(expiring_within_days=90), "en"),
    ("går ut inom 3 månader", listing(expiring_within_days=90), "sv"),
    ("expiring in 2 weeks", listing(expiring_within_days=14), "en"),
    ("expiring in thirty days", listing(expiring_within_days=30), "en"),
    ("går ut inom trettio dagar", listing(expiring_within_days=30), "sv"),
    ("expiring in 30d", listing(expiring_within_days=30), "en"),
    ("expiring before 2027-03-31", listing(expiring_before=date(2027, 3, 31)), "en"),
    ("expiring by 2027-03-31", listing(expiring_by=date(2027, 3, 31)), "en"),
    ("går ut senast 2027-03-31", listing(expiring_by=date(2027, 3, 31)), "sv"),
    ("går ut före 2027-03-31", listing(expiring_before=date(2027, 3, 31)), "sv"),
    ("expiring this week", listing(expiring_by=date(2026, 11, 29)), "en"),
    ("expiring next week", listing(expiring_by=date(2026, 12, 6)), "en"),
    ("expiring next month", listing(expiring_by=date(2026, 12, 31)), "en"),
    ("går ut nästa månad", listing(expiring_by=date(2026, 12, 31)), "sv"),
    ("expiring by the end of the year", listing(expiring_by=date(2026, 12, 31)), "en"),
    ("expiring today", listing(expiring_by=TODAY), "en"),
    ("show expiring", listing(expiring_within_days=60), "en"),
    ("expiring soon", listing(expiring_within_days=30), "en"),
    ("what's expiring this month", listing(expiring_by=date(2026, 11, 30)), "en"),
    ("renewals due this month", listing(expiring_by=date(2026, 11, 30)), "en"),
    (
        "show me trials that expire within 2 weeks",
        listing(kind=TRIAL, expiring_within_days=14),
        "en",
    ),
    (
        "vilka kunder har provperioder som går ut inom 30 dagar",
        listing(kind=TRIAL, expiring_within_days=30),
        "sv",
    ),
    ("paid expiring in 30 days", listing(kind=PAID, expiring_within_days=30), "en"),
    ("visa betalda som går ut inom 30 dagar", listing(kind=PAID, expiring_within_days=30), "sv"),
    # provisioning statuses
    ("show manual provisioning", listing(provisioning={P.MANUAL_PARTNER, P.MANUAL_CISCO}), "en"),
    (
        "visa manuell tillhandahållande",
        listing(provisioning={P.MANUAL_PARTNER, P.MANUAL_CISCO}),
        "sv",
    ),
    ("manual provisioning partner", listing(provisioning={P.MANUAL_PARTNER}), "en"),
    ("manual provisioning cisco", listing(provisioning={P.MANUAL_CISCO}), "en"),
    ("awaiting details", listing(provisioning={P.PENDING_DETAILS}), "en"),
    ("inväntar etableringsuppgifter", listing(provisioning={P.PENDING_DETAILS}), "sv"),
    ("provisioning", listing(provisioning={P.PROVISIONING}), "en"),
    ("provisioned", listing(provisioning={P.PROVISIONED}), "en"),
    ("provisioning failed", listing(provisioning={P.FAILED}), "en"),
    # subscription statuses and kinds
    ("trial expired", listing(subscription={S.TRIAL_EXPIRED}), "en"),
    ("expired trials", listing(subscription={S.TRIAL_EXPIRED}), "en"),
    ("provperioden har gått ut", listing(subscription={S.TRIAL_EXPIRED}), "sv"),
    ("active trials", listing(subscription={S.TRIAL_ACTIVE}), "en"),
    ("aktiva provperioder", listing(subscription={S.TRIAL_ACTIVE}), "sv"),
    ("show active", listing(subscription={S.ACTIVE}), "en"),
    ("visa aktiva", listing(subscription={S.ACTIVE}), "sv"),
    ("show trials", listing(kind=TRIAL), "en"),
    ("visa provperioder", listing(kind=TRIAL), "sv"),
    ("show expired", listing(subscription={S.SUSPENDED, S.TRIAL_EXPIRED}), "en"),
    ("show expiring_60", listing(subscription={S.EXPIRING_60}), "en"),
    ("suspended or trial expired", listing(subscription={S.SUSPENDED, S.TRIAL_EXPIRED}), "en"),
    # everything
    ("show all", EVERYTHING, "en"),
    ("list customers", EVERYTHING, "en"),
    ("show", EVERYTHING, "en"),
    ("visa alla kunder", EVERYTHING, "sv"),
    ("lista kunder", EVERYTHING, "sv"),
    ("customers", EVERYTHING, "en"),
    (
        "show me all customers with suspended subscriptions",
        listing(subscription={S.SUSPENDED}),
        "en",
    ),
    # combinations
    (
        "failed provisioning expiring in 30 days",
        listing(provisioning={P.FAILED}, expiring_within_days=30),
        "en",
    ),
    (
        "trials needing attention expiring this month",
        listing(kind=TRIAL, needing_attention=True, expiring_by=date(2026, 11, 30)),
        "en",
    ),
    ("show suspended page 2", ListCustomers(query=Query(subscription={S.SUSPENDED}), page=1), "en"),
    ("visa avbrutna sida 3", ListCustomers(query=Query(subscription={S.SUSPENDED}), page=2), "sv"),
    ("customers named Acme Corp", listing(name="Acme Corp"), "en"),
    ("search Åre", listing(name="Åre"), "en"),
    ("sök efter Åre", listing(name="Åre"), "sv"),
    # one customer
    ("customer globex", ShowCustomer(name="globex"), "en"),
    ("kund åre", ShowCustomer(name="åre"), "sv"),
    ("details for X", ShowCustomer(name="X"), "en"),
    ("detaljer för Acme", ShowCustomer(name="Acme"), "sv"),
    ('customer "Acme AB"', ShowCustomer(name="Acme AB"), "en"),
    ("customer: Acme", ShowCustomer(name="Acme"), "en"),
    ("kund: Åre Kommun", ShowCustomer(name="Åre Kommun"), "sv"),
    ("status of acme", ShowCustomer(name="acme"), "en"),
    ("customer *Ünïcødé_ Co* [x]", ShowCustomer(name="*Ünïcødé_ Co* [x]"), "en"),
    ("customer شركة", ShowCustomer(name="شركة"), "en"),
    ("customer Acme 🚀", ShowCustomer(name="Acme 🚀"), "en"),
    # export
    ("export expiring in 30 days", ExportCustomers(query=Query(expiring_within_days=30)), "en"),
    ("exportera avbrutna", ExportCustomers(query=Query(subscription={S.SUSPENDED})), "sv"),
    ("export all as csv", ExportCustomers(), "en"),
    ("export", ExportCustomers(), "en"),
    ("exportera alla", ExportCustomers(), "sv"),
    # language
    ("language sv", SetLanguage(lang="sv"), "en"),
    ("language english", SetLanguage(lang="en"), "en"),
    ("language: svenska", SetLanguage(lang="sv"), "en"),
    ("språk engelska", SetLanguage(lang="en"), "sv"),
    ("språk svenska", SetLanguage(lang="sv"), "sv"),
    ("byt språk till engelska", SetLanguage(lang="en"), "sv"),
    ("language auto", SetLanguage(lang="auto"), "en"),
    ("språk auto", SetLanguage(lang="auto"), "sv"),
    ("language de", SetLanguage(lang=None), "en"),
    ("språk franska", SetLanguage(lang=None), "sv"),
    # proactive posts (their phrases in detail: tests/handlers/grammar/test_schedule.py)
    ("alerts on", Alerts(), "en"),
    ("aviseringar på", Alerts(), "sv"),
    ("alerts on failed provisioning", Alerts(query=Query(provisioning={P.FAILED})), "en"),
    (
        "aviseringar på misslyckad tillhandahållning",
        Alerts(query=Query(provisioning={P.FAILED})),
        "sv",
    ),
    ("alerts off", Alerts(action="off"), "en"),
    ("aviseringar av", Alerts(action="off"), "sv"),
    (
        "subscribe daily 08:00 needing attention",
        Subscribe(schedule=Schedule("daily", time(8)), question=DigestQuestion("list", ATTENTION)),
        "en",
    ),
    (
        "prenumerera dagligen 08:00 kunder som behöver åtgärdas",
        Subscribe(schedule=Schedule("daily", time(8)), question=DigestQuestion("list", ATTENTION)),
        "sv",
    ),
    (
        "subscribe weekdays 7:30 summary",
        Subscribe(schedule=Schedule("weekdays", time(7, 30)), question=DigestQuestion("summary")),
        "en",
    ),
    (
        "prenumerera varje måndag 09:00 sammanfattning",
        Subscribe(schedule=Schedule("weekly", time(9), 0), question=DigestQuestion("summary")),
        "sv",
    ),
    (
        "subscribe weekly monday 09:00 summary",
        Subscribe(schedule=Schedule("weekly", time(9), 0), question=DigestQuestion("summary")),
        "en",
    ),
    ("subscriptions", ShowSubscriptions(), "en"),
    ("prenumerationer", ShowSubscriptions(), "sv"),
    ("unsubscribe 2", Unsubscribe(number=2), "en"),
    ("avsluta prenumeration 2", Unsubscribe(number=2), "sv"),
    ("unsubscribe all", Unsubscribe(every=True), "en"),
    ("avsluta alla prenumerationer", Unsubscribe(every=True), "sv"),
    ("send 2 now", SendNow(number=2), "en"),
    ("skicka 2 nu", SendNow(number=2), "sv"),
    ("timezone Europe/Stockholm", SetTimezone(zone="Europe/Stockholm"), "en"),
    ("tidszon Europe/Stockholm", SetTimezone(zone="Europe/Stockholm"), "sv"),
    ("tidszon", SetTimezone(), "sv"),
    # other forms
    ("show filters", ShowFilter(), "en"),
    ("visa filter", ShowFilter(), "sv"),
    ("overview", ShowSummary(), "en"),
    ("hi", ShowHelp(), "en"),
    ("hej", ShowHelp(), "sv"),
]


@pytest.mark.parametrize(("text", "command", "lang"), CASES, ids=[case[0] for case in CASES])
def test_examples(text: str, command: Command, lang: str) -> None:
    parsed = parse(text, today=TODAY)
    assert parsed.command == command
    assert parsed.lang == lang


@pytest.mark.parametrize(
    "variant",
    [
        "Statusbot show suspended",
        "@Statusbot show suspended",
        "@statusbot, show suspended?",
        "STATUSBOT: SHOW SUSPENDED!",
        "show suspended @Statusbot",
        "  show   suspended  ",
        "Show Suspended.",
        "¿show suspended?",
        "show\tsuspended\n",
        "Statusbot show suspended Statusbot",
        "show\u200b suspended\u200f",
        "show\x00suspended",
        "show suspended 🎉",
        "show suspended!! 👍🏽",
        "🙏 show suspended, please 🙂",
        "show suspended 👨\u200d👩\u200d👧 🇸🇪",
        "Statusbot show suspended ❤️",
    ],
)
def test_mentions_punctuation_case_and_spaces(variant: str) -> None:
    parsed = parse(variant, today=TODAY, bot_names=["Statusbot"])
    assert parsed.command == listing(subscription={S.SUSPENDED})


def test_several_bot_names_and_multiword_names() -> None:
    for text in ("Status Bot help", "@status bot help", "Stat help"):
        assert parse(text, today=TODAY, bot_names=["Stat", "Status Bot"]).command == ShowHelp()


def test_a_bare_mention_is_help() -> None:
    assert parse("@Statusbot", today=TODAY, bot_names=["Statusbot"]).command == ShowHelp()
    assert parse("", today=TODAY).command == ShowHelp()
    assert parse(" ?! ", today=TODAY, default_lang="sv") == parse(
        "", today=TODAY, default_lang="sv"
    )


def test_the_bot_name_inside_a_customer_name_stays() -> None:
    parsed = parse("Statusbot customer Statusbot Partners AB", today=TODAY, bot_names=["Statusbot"])
    assert parsed.command == ShowCustomer(name="Statusbot Partners AB")


def test_without_bot_names_a_mention_is_not_stripped() -> None:
    assert isinstance(parse("Statusbot help", today=TODAY).command, Unknown)


@pytest.mark.parametrize(
    "text",
    ["delhi", "this is not help", "helpful", "ghi", "summary of everything", "filtered",
     "me", "which", "som", "customer", "customerAcme", "export garbage", "trials trials2"],
)  # fmt: skip
def test_words_inside_other_words_or_sentences_are_not_commands(text: str) -> None:
    assert isinstance(parse(text, today=TODAY).command, Unknown)


def test_unknown_text_gets_close_examples_in_its_language() -> None:
    english = parse("show expring in 30 dayz", today=TODAY)
    assert isinstance(english.command, Unknown)
    assert english.command.text == "show expring in 30 dayz"
    assert english.command.suggestions[0] == "show expiring in 30 days"
    assert 1 <= len(english.command.suggestions) <= 3

    swedish = parse("visa kunder som gar ut inom 30 dgar", today=TODAY)
    assert swedish.lang == "sv"
    assert isinstance(swedish.command, Unknown)
    assert "visa går ut inom 30 dagar" in swedish.command.suggestions


def test_unknown_far_from_everything_has_no_suggestions() -> None:
    parsed = parse("zzzzzzzzzzzzzzzzzzzzzz", today=TODAY)
    assert parsed.command == Unknown(text="zzzzzzzzzzzzzzzzzzzzzz")


@pytest.mark.parametrize(
    "text",
    [
        "customer " + "x" * 101,  # name longer than 100: Unknown, not truncated
        "expiring in 20 years",  # beyond core.query.MAX_HORIZON_DAYS
        "expiring before 2027-02-30",  # no such day
        "paid trials",  # contradiction
        "expiring in 30 days in 60 days",  # two horizons in days
        "show suspended page 0",  # pages are counted from 1
        "export suspended page 2",  # an export has no pages
    ],
)
def test_captures_that_do_not_validate_are_unknown(text: str) -> None:
    assert isinstance(parse(text, today=TODAY).command, Unknown)


def test_a_name_of_exactly_100_characters_is_kept() -> None:
    name = "Å" * 100
    assert parse(f"kund {name}", today=TODAY).command == ShowCustomer(name=name)


def test_long_input_is_unknown_and_echo_is_cut() -> None:
    parsed = parse("show suspended " * 100, today=TODAY)
    assert isinstance(parsed.command, Unknown)
    assert len(parsed.command.text) <= 201


def test_horizons_follow_today() -> None:
    leap = parse("expiring this month", today=date(2028, 2, 10)).command
    assert leap == listing(expiring_by=date(2028, 2, 29))
    december = parse("expiring next month", today=date(2026, 12, 31)).command
    assert december == listing(expiring_by=date(2027, 1, 31))
    sunday = parse("expiring this week", today=date(2026, 11, 29)).command
    assert sunday == listing(expiring_by=date(2026, 11, 29))


def test_a_horizon_past_the_last_date_is_unknown_not_a_crash() -> None:
    assert isinstance(parse("expiring next year", today=date.max).command, Unknown)
    assert isinstance(parse("expiring tomorrow", today=date.max).command, Unknown)


def test_neutral_words_follow_the_default_language() -> None:
    assert parse("filter", today=TODAY, default_lang="sv").lang == "sv"
    assert parse("filter", today=TODAY).lang == "en"
    assert parse("expiring_30", today=TODAY, default_lang="sv").lang == "en"  # "expiring" votes


def test_names_do_not_vote_for_a_language() -> None:
    assert parse("customer Åre Sjukhus och Vård", today=TODAY, default_lang="sv").lang == "en"
    assert parse("kund Show Me The Money", today=TODAY).lang == "sv"


# Every label of core.statuses, in both languages, is understood as a list filter. The
# expiring labels are questions about a horizon (status-reference.md, "Words users type").
HORIZON_LABELS = {
    S.EXPIRING_30: Query(expiring_within_days=30),
    S.EXPIRING_60: Query(expiring_within_days=60),
    S.TRIAL_EXPIRING_30: Query(kind=TRIAL, expiring_within_days=30),
    S.TRIAL_EXPIRING_60: Query(kind=TRIAL, expiring_within_days=60),
}
LABELS = [
    *((text, Query(provisioning={status})) for status, t in PROVISIONING_TEXT.items()
      for text in (t.label_en, t.label_sv, status.value)),
    *((text, HORIZON_LABELS.get(status, Query(subscription={status})))
      for status, t in SUBSCRIPTION_TEXT.items() for text in (t.label_en, t.label_sv)),
    *((status.value, Query(subscription={status})) for status in SubscriptionStatus),
]  # fmt: skip


@pytest.mark.parametrize(("label", "query"), LABELS, ids=[label for label, _ in LABELS])
def test_every_status_label_is_a_list_filter(label: str, query: Query) -> None:
    for text in (label, f"show {label}", f"visa {label.lower()}"):
        assert parse(text, today=TODAY).command == ListCustomers(query=query), text


def test_a_trailing_emoji_is_decoration_not_words() -> None:
    parsed = parse("show expiring in 30 days 🎉", today=TODAY)
    assert parsed.command == listing(expiring_within_days=30)
    assert parse("visa avbrutna tack 😊", today=TODAY).lang == "sv"
    assert parse("customer Acme 🚀", today=TODAY).command == ShowCustomer(name="Acme 🚀")
    assert parse("🎉", today=TODAY).command != listing()  # an emoji alone is not a question


def test_clean() -> None:
    assert clean("  @Bot ,  Show\u00a0 trials?!  ", ["Bot"]) == "Show trials"
    assert clean("kund A\u030a", []) == "kund Å"  # NFC
    assert clean("\ud800 x", []) == "\ufffd x"  # a lone surrogate cannot reach pydantic


def test_vocabularies_do_not_overlap() -> None:
    assert ENGLISH_WORDS.isdisjoint(SWEDISH_WORDS)


def test_rules_and_phrases_are_ordered_tables() -> None:
    assert [rule.name for rule in RULES][-1] == "list"  # the catch-all is last
    names = [phrase.name for phrase in PHRASES]
    assert names.index("failed") < names.index("provisioning")
    assert names.index("trial active") < names.index("active")
    assert names.index("by period") < names.index("expiring")
    assert names[-1] == "filler"


@pytest.mark.parametrize("text", ["show failing", "what is failing", "failing customers"])
def test_failing_means_unable_to_provision(text: str) -> None:
    parsed = parse(text, today=TODAY)
    failed = frozenset({ProvisioningStatus.FAILED})
    assert parsed.command == ListCustomers(query=Query(provisioning=failed))
