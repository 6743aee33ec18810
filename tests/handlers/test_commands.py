"""handle(): every command through a real Store on SQLite."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from core.ingest.snapshot import read_snapshot
from core.query import Query
from core.statuses import LANGS, Lang, ProvisioningStatus, SubscriptionStatus
from core.store.store import Store
from handlers.cards.limits import TEXT_LIMIT, card_size, text_size
from handlers.cards.safe_text import escape_markdown
from handlers.command import Command, Unknown
from handlers.commands.customer import ShowCustomer
from handlers.commands.export import ExportCustomers
from handlers.commands.filter import ShowFilter
from handlers.commands.help import ShowHelp
from handlers.commands.language import SetLanguage
from handlers.commands.list import ListCustomers
from handlers.commands.summary import ShowSummary
from handlers.grammar.parser import parse
from handlers.manifest import load_manifest
from handlers.registry import handle as answer
from handlers.reply import Reply
from tests.handlers.builders import TODAY, context, write_csv

SAMPLE = Path(__file__).resolve().parents[2] / "core" / "data" / "sample.csv"
ROWS = [
    "c1,Acme *Bold* [x](http://evil),s1,paid,active,2026-01-01,2026-12-10,Webex Calling,failed",
    "c1,Acme *Bold* [x](http://evil),s1,paid,active,2026-01-01,2026-12-10,"
    "Webex Meetings,provisioned",
    "c2,Globex,s2,trial,active,2026-11-01,2026-12-20,Webex Suite,provisioned",
    "c3,Globex Nordic,s3,paid,active,,,Webex Calling,provisioned",
    "c4,Evil <@all> Corp,s4,paid,suspended,,2027-06-01,Webex Calling,provisioning",
    "c5,Åre Skidskola AB,s5,trial,active,2026-10-01,2027-03-01,Webex Webinars,pending_details",
]


def handle(command: Command, *, store: Store, lang: str, today: date = TODAY) -> Reply:
    return answer(command, context(store, lang, today))  # type: ignore[arg-type]


@pytest.fixture
def store(tmp_path: Path) -> Store:
    opened = Store.open("sqlite:///" + str(tmp_path / "s.db"))
    snapshot = read_snapshot(write_csv(tmp_path / "in.csv", ROWS))
    opened.import_snapshot(snapshot, today=TODAY, source="test")
    return opened


@pytest.mark.parametrize(
    ("text", "lang", "heading"),
    [
        ("expiring before 2027-03-31", "en", "expiring before 2027\\-03\\-31"),
        ("går ut före 2027-03-31", "sv", "går ut före 2027\\-03\\-31"),
        ("show expiring in 0 days", "en", "expiring today"),
        ("visa går ut inom 0 dagar", "sv", "går ut i dag"),
        ("which trials end this month", "en", "trials ending by 2026\\-11\\-30"),
        ("vilka provperioder går ut före 2027-01-01", "sv", "provperiod som upphör före 2027"),
    ],
)
def test_a_list_is_headed_as_it_was_asked(store: Store, text: str, lang: str, heading: str) -> None:
    reply = handle(parse(text, today=TODAY).command, store=store, lang=lang)
    assert heading in reply.markdown.split("\n")[0]


def test_detail_says_today_as_the_list_does(store: Store) -> None:
    customer = store.customer("c2")
    assert customer is not None and customer.subscriptions[0].end_date is not None
    reply = handle(
        ShowCustomer(id="c2"), store=store, lang="en", today=customer.subscriptions[0].end_date
    )
    assert "(Today)" in reply.markdown and "(Today)" in json.dumps(reply.card)
    assert "0 days left" not in reply.markdown + json.dumps(reply.card)


def test_detail_explains_subscription_statuses_too(store: Store) -> None:
    reply = handle(ShowCustomer(id="c4"), store=store, lang="en")  # a suspended subscription
    meaning = SubscriptionStatus.SUSPENDED.meaning("en")
    assert meaning in reply.markdown and meaning in json.dumps(reply.card)
    sv = handle(ShowCustomer(id="c4"), store=store, lang="sv")
    assert SubscriptionStatus.SUSPENDED.meaning("sv") in json.dumps(sv.card, ensure_ascii=False)


def test_list_expiring_in_30_days(store: Store) -> None:
    reply = handle(ListCustomers(query=Query(expiring_within_days=30)), store=store, lang="en")
    assert reply.markdown.startswith("**2 customers with subscriptions expiring within 30 days**")
    assert reply.markdown.index("Acme") < reply.markdown.index("Globex")  # store order
    assert "Acme \\*Bold\\* \\[x\\]\\(http\\://evil\\)" in reply.markdown
    assert reply.card is not None


def test_page_past_the_end_shows_the_last_page(store: Store) -> None:
    reply = handle(ListCustomers(query=Query(), page=7), store=store, lang="sv")
    assert "sida 8 finns inte längre, så här är sida 1" in reply.markdown
    assert "Globex" in reply.markdown


def test_customer_by_exact_name_among_several(store: Store) -> None:
    reply = handle(ShowCustomer(name="globex"), store=store, lang="en")
    assert reply.markdown.startswith("**Globex**")
    assert "Trial s2" in reply.markdown


def test_customer_pick_list_and_not_found(store: Store) -> None:
    pick = handle(ShowCustomer(name="o"), store=store, lang="en")
    assert "customers match “o”. Which one?" in pick.markdown
    missing = handle(ShowCustomer(name="Initech"), store=store, lang="sv")
    assert (
        missing.markdown
        == "Ingen kund matchar ”Initech”. Prova en del av namnet, eller ”sammanfattning”."
    )
    assert missing.card is None


@pytest.mark.parametrize(
    ("typed", "lang", "closest"),
    [
        ("Globx", "en", "Did you mean “Globex” or “Globex Nordic”?"),
        ("Globx", "sv", "Menade du ”Globex” eller ”Globex Nordic”?"),
        ("Are Skidskolan", "sv", "Menade du ”Åre Skidskola AB”?"),
        ("Acme Bald", "en", "Did you mean “Acme \\*Bold\\* \\[x\\]\\(http\\://evil\\)”?"),
    ],
)
def test_not_found_offers_the_closest_names(
    store: Store, typed: str, lang: str, closest: str
) -> None:
    missing = handle(ShowCustomer(name=typed), store=store, lang=lang)
    assert missing.markdown.split("\n\n")[-1] == closest


@pytest.mark.parametrize(
    "delivered",
    ["Acme Bold", "acme bold x", "Acme *Bold*", "Acme *Bold* [x](http://evil)"],
)
def test_a_name_is_found_as_webex_delivers_it(store: Store, delivered: str) -> None:
    """Webex strips markdown before the bot sees a message: "customer Acme *Bold*"
    arrives as "customer Acme Bold". Typed raw (the CLI) it finds the same."""
    reply = handle(ShowCustomer(name=delivered), store=store, lang="en")
    assert reply.markdown.startswith("**Acme \\*Bold\\*"), reply.markdown


def test_customer_by_id_and_hostile_name(store: Store) -> None:
    reply = handle(ShowCustomer(name="c4"), store=store, lang="en")
    assert "&lt;@all&gt;" in reply.markdown and "<@all>" not in reply.markdown
    assert reply.card is not None
    assert "Suspended" in reply.markdown


def test_summary_counts_the_store(store: Store) -> None:
    summary = handle(ShowSummary(), store=store, lang="en")
    assert summary.markdown.startswith("**Summary of 5 customers**")
    assert "4 customers need attention" in summary.markdown


def test_filter_offers_every_status_in_the_spaces_language(store: Store) -> None:
    reply = handle(ShowFilter(), store=store, lang="sv")
    assert reply.card is not None
    choices = {
        element["id"]: [choice["value"] for choice in element["choices"]]
        for element in reply.card["body"]
        if element["type"] == "Input.ChoiceSet"
    }
    assert choices == {
        "provisioning": [status.value for status in ProvisioningStatus],
        "subscription": [status.value for status in SubscriptionStatus],
    }
    assert reply.card["actions"][0]["data"] == {"statusbot": 1, "action": "filter_apply"}
    assert "Välj ett filter" in reply.markdown


@pytest.mark.parametrize("lang", LANGS)
def test_help_lists_every_command_of_the_manifest(store: Store, lang: Lang) -> None:
    reply = handle(ShowHelp(), store=store, lang=lang)
    manifest = load_manifest()
    for command in manifest.commands:
        assert escape_markdown(getattr(command.help, lang)) in reply.markdown, command.id
        first_example = getattr(command.examples, lang)[0]
        assert first_example in json.dumps(reply.card, ensure_ascii=False), command.id


def test_set_language_answers_in_the_new_language(store: Store) -> None:
    reply = handle(SetLanguage(lang="sv"), store=store, lang="en")
    assert reply.language == "sv"
    assert reply.markdown.startswith("Från och med nu svarar jag på svenska")


def test_language_auto_hands_the_space_back_to_each_questions_language(store: Store) -> None:
    reply = handle(SetLanguage(lang="auto"), store=store, lang="sv")
    assert reply.language == "auto"
    assert "Från och med nu svarar jag på det språk frågan ställs på" in reply.markdown
    assert "in the language it is asked in" in reply.markdown


def test_a_language_not_spoken_is_answered_in_both_that_are(store: Store) -> None:
    reply = handle(SetLanguage(lang=None), store=store, lang="en")
    assert reply.language is None  # the space's language stays as it was
    assert "I speak English and Swedish" in reply.markdown
    assert "Jag talar svenska och engelska" in reply.markdown
    assert "didn't understand" not in reply.markdown


def test_unknown_escapes_what_was_typed(store: Store) -> None:
    reply = handle(
        Unknown(text="<@all> *hi*", suggestions=("summary", "filter")),
        store=store,
        lang="en",
    )
    assert "&lt;@all&gt; \\*hi\\*" in reply.markdown
    assert "Did you mean “summary” or “filter”?" in reply.markdown


def test_export_carries_a_file(store: Store) -> None:
    reply = handle(ExportCustomers(query=Query(expiring_within_days=30)), store=store, lang="en")
    assert reply.file is not None
    assert reply.file.filename == "statusbot-customers-2026-11-27.csv"
    assert reply.file.data.startswith(b"\xef\xbb\xbf")
    assert "2 customers as a CSV file (3 rows, one per service)" in reply.markdown
    empty = handle(ExportCustomers(query=Query(name="zzz")), store=store, lang="en")
    assert empty.file is None and "nothing to export" in empty.markdown


def test_sample_data_every_list_page_fits(tmp_path: Path) -> None:
    sample_store = Store.open("sqlite:///" + str(tmp_path / "sample.db"))
    sample_store.import_snapshot(read_snapshot(SAMPLE), today=TODAY, source="sample")
    for lang in ("en", "sv"):
        for page in range(7):
            reply = handle(ListCustomers(query=Query(), page=page), store=sample_store, lang=lang)
            assert reply.card is not None and card_size(reply.card) <= 16_000
            assert text_size(reply.markdown) <= TEXT_LIMIT
