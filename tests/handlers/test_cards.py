"""Card builders: structure, content, languages and safety of every card."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from core.query import Query
from core.results import CustomerPage
from core.sources.freshness import DataStatus, Freshness
from core.sources.state import SNAPSHOT, SourceState
from core.statuses import Lang, ProvisioningStatus, SubscriptionStatus
from handlers import notices
from handlers.cards.common import SCHEMA
from handlers.cards.data_lines import with_data_lines
from handlers.cards.detail_card import detail_reply, pick_reply
from handlers.cards.filter_card import filter_reply
from handlers.cards.help_card import help_reply
from handlers.cards.limits import (
    CARD_BUDGET,
    MAX_BUTTONS,
    TEXT_LIMIT,
    card_size,
    count_buttons,
    text_size,
)
from handlers.cards.list_card import PAGE_SIZE, list_reply
from handlers.cards.safe_text import escape_markdown
from handlers.cards.sources_card import sources_reply
from handlers.cards.summary_card import summary_reply
from handlers.manifest import load_manifest
from handlers.reply import Reply
from handlers.submissions import handle_submission
from tests.handlers import builders
from tests.handlers.builders import TODAY

LANGS: tuple[Lang, ...] = ("en", "sv")
FORBIDDEN_RAW = ("<@all>", "<b>", "[x](http", "*Bold*", "<script>", "`code`", "\u202e")


NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)


def data_status_sample(*, stale: bool) -> DataStatus:
    """Two sources, one failing, one with a hostile name (names are shown as data)."""
    ok = NOW - timedelta(hours=3)
    rows = tuple(
        SourceState(name, kind, NOW, ok, error, "unavailable" if error else None,
                    NOW if error else None, 4 if error else 0, 9 if error else 0, NOW)
        for name, kind, error in (
            (SNAPSHOT, "export,wholesale", "https://x.example/e.csv: HTTP 500"),
            ("https://x.example/<@all>.csv", "export", "https://x.example/<@all>.csv: HTTP 500"),
            ("wholesale (webexapis.com)", "wholesale", None),
        )
    )  # fmt: skip
    fresh = Freshness(ok, "mixed", stale, ok)
    return DataStatus(fresh, rows, "Europe/Stockholm", timedelta(minutes=60))


def _dated_page() -> CustomerPage:
    """A trial expired three days ago, and a suspended customer (no date: its end
    says nothing about the suspension)."""
    expired = builders.row(
        1,
        "Expired",
        subscription_status=SubscriptionStatus.TRIAL_EXPIRED,
        soonest_end_date=TODAY - timedelta(days=3),
        days_left=-3,
    )
    suspended = builders.row(
        2,
        "Suspended",
        subscription_status=SubscriptionStatus.SUSPENDED,
        soonest_end_date=None,
        days_left=None,
    )
    return CustomerPage(total=2, offset=0, rows=(expired, suspended))


def test_a_row_dates_the_status_it_shows() -> None:
    reply = list_reply(_dated_page(), Query(), 0, "en")
    ended = (TODAY - timedelta(days=3)).isoformat()
    shown = json.dumps(reply.card, ensure_ascii=False)
    assert f"Ended {ended}" in shown and "ended 3 days ago" in shown
    assert "days left" not in shown and "-3" not in shown
    assert f"Ended {ended}" in reply.markdown
    sv = list_reply(_dated_page(), Query(), 0, "sv")
    assert f"Slutade {ended}" in sv.markdown


def all_replies() -> dict[str, Reply]:
    """Every card template, for empty, one and many results, in both languages,
    with hostile names."""
    replies: dict[str, Reply] = {}
    query = Query(expiring_within_days=30)
    for lang in LANGS:
        for label, total in (("empty", 0), ("one", 1), ("many", 95)):
            replies[f"list-{label}-{lang}"] = list_reply(builders.page(total), query, 0, lang)
        replies[f"list-last-{lang}"] = list_reply(
            builders.page(95, offset=90), Query(name="<@all>"), 9, lang, notice="gone"
        )
        combined = Query(provisioning={"failed"}, subscription={"expiring_30", "suspended"})
        replies[f"list-filtered-{lang}"] = list_reply(builders.page(12), combined, 0, lang)
        replies[f"list-row-dates-{lang}"] = list_reply(_dated_page(), Query(), 0, lang)
        for index, name in enumerate(builders.HOSTILE_NAMES):
            one = builders.customer(name=name, subscriptions=1, services=1)
            replies[f"detail-{index}-{lang}"] = detail_reply(one, TODAY, lang)
        replies[f"detail-many-{lang}"] = detail_reply(
            builders.customer(subscriptions=60, services=20), TODAY, lang
        )
        replies[f"pick-{lang}"] = pick_reply(builders.page(40), "<@all>", lang)
        # the data's age under the biggest cards, and the sources reply (issue 9)
        stale = data_status_sample(stale=True)
        replies[f"list-dated-{lang}"] = with_data_lines(
            list_reply(builders.page(95), query, 0, lang), stale, NOW, lang
        )
        replies[f"detail-dated-{lang}"] = with_data_lines(
            replies[f"detail-many-{lang}"], stale, NOW, lang
        )
        replies[f"sources-{lang}"] = sources_reply(stale, NOW, lang)
        replies[f"sources-none-{lang}"] = sources_reply(None, NOW, lang)
        replies[f"filter-{lang}"] = filter_reply(lang)
        replies[f"filter-prefilled-{lang}"] = filter_reply(
            lang, Query(provisioning={"failed"}, subscription={"active", "suspended"})
        )
        replies[f"filter-from-question-{lang}"] = filter_reply(
            lang, Query(expiring_within_days=30, kind="trial", name="Acme *Bold*")
        )
        replies[f"summary-{lang}"] = summary_reply(builders.summary(), lang)
        replies[f"summary-empty-{lang}"] = summary_reply(builders.summary(0), lang)
        replies[f"help-{lang}"] = help_reply(load_manifest(), lang)
        replies[f"greeting-{lang}"] = notices.greeting(load_manifest(), lang)
        replies[f"refusal-asker-{lang}"] = notices.refusal(lang, space=False)
        replies[f"refusal-space-{lang}"] = notices.refusal(lang, space=True)
        replies[f"outsider-{lang}"] = notices.outsider_greeting(load_manifest(), lang, leaving=True)
        replies[f"failure-{lang}"] = notices.failure(lang)
        replies[f"maybe-unanswered-{lang}"] = notices.maybe_unanswered(lang)
    return replies


REPLIES = all_replies()


def strings_outside_text_runs(node: Any) -> list[str]:
    """Every string a renderer might read as markdown: all but TextRun text and
    submit payloads."""
    found: list[str] = []
    if isinstance(node, dict):
        for key, value in node.items():
            if key == "data" or (key == "text" and node.get("type") == "TextRun"):
                continue
            if isinstance(value, str):
                found.append(value)
            else:
                found += strings_outside_text_runs(value)
    elif isinstance(node, list):
        for item in node:
            found += strings_outside_text_runs(item)
    return found


@pytest.mark.parametrize("name", sorted(REPLIES))
def test_every_card_is_1_3_and_within_limits(name: str) -> None:
    reply = REPLIES[name]
    assert reply.card is not None
    assert reply.card["version"] == "1.3"
    assert reply.card["$schema"] == SCHEMA
    assert count_buttons(reply.card) <= MAX_BUTTONS
    assert card_size(reply.card) <= CARD_BUDGET
    assert 0 < text_size(reply.markdown) <= TEXT_LIMIT


@pytest.mark.parametrize("name", sorted(REPLIES))
def test_data_never_reaches_markup(name: str) -> None:
    reply = REPLIES[name]
    for value in strings_outside_text_runs(reply.card):
        for raw in FORBIDDEN_RAW:
            assert raw not in value, (raw, value)
    for raw in FORBIDDEN_RAW:
        assert raw not in reply.markdown
    # all text goes through RichTextBlock/TextRun, never a markdown TextBlock
    assert '"type": "TextBlock"' not in json.dumps(reply.card)


def test_escape_markdown_neutralises_every_construct() -> None:
    escaped = escape_markdown("Acme *Bold* [x](http://evil) <@all> <b> a&b _u_ `c` 1. # h\nnext")
    assert escaped == (
        "Acme \\*Bold\\* \\[x\\]\\(http\\://evil\\) &lt;@all&gt; &lt;b&gt; a&amp;b "
        "\\_u\\_ \\`c\\` 1\\. \\# h next"
    )


def test_list_card_shows_title_rows_and_paging() -> None:
    reply = list_reply(builders.page(25, offset=10), Query(expiring_within_days=30), 1, "en")
    assert reply.card is not None
    texts = [run["text"] for run in _runs(reply.card)]
    assert texts[0] == "25 customers with subscriptions expiring within 30 days"
    assert "Page 2 of 3 · customers 11–20 of 25" in texts
    titles = [action["title"] for action in reply.card["actions"]]
    assert titles == ["‹ Previous", "Next ›", "Export CSV", "Filter…"]
    previous, following = (action["data"] for action in reply.card["actions"][:2])
    assert previous == {
        "statusbot": 1,
        "action": "list",
        "query": {"expiring_within_days": 30},
        "page": 0,
    }
    assert following["page"] == 2
    rows = [item for item in reply.card["body"] if item.get("selectAction")]
    assert len(rows) == PAGE_SIZE
    assert rows[0]["selectAction"]["data"] == {
        "statusbot": 1,
        "action": "customer",
        "id": "cust-000010",
    }


def test_list_card_in_swedish_uses_swedish_plural_and_labels() -> None:
    one = list_reply(builders.page(1), Query(expiring_within_days=1), 0, "sv")
    assert one.markdown.startswith("**1 kund med en prenumeration som går ut inom 1 dag**")
    many = list_reply(builders.page(1234), Query(), 0, "sv")
    assert many.markdown.startswith("**1\u00a0234 kunder**")
    assert ProvisioningStatus.FAILED.label("sv") in many.markdown


def test_empty_list_says_so_and_offers_filter() -> None:
    reply = list_reply(builders.page(0), Query(needing_attention=True), 0, "en")
    assert reply.card is not None
    assert "0 customers needing attention" in reply.markdown
    assert "No customers match" in reply.markdown
    assert [a["title"] for a in reply.card["actions"]] == ["Filter…"]


def test_attention_statuses_stand_out() -> None:
    reply = list_reply(builders.page(1), Query(), 0, "en")
    runs = _runs(reply.card)
    failed = next(run for run in runs if run["text"] == "Unable to provision")
    assert failed["color"] == "attention" and failed["weight"] == "bolder"
    assert "🔴" in reply.markdown


def test_detail_card_lists_every_subscription_and_service() -> None:
    customer = builders.customer(subscriptions=3, services=2)
    reply = detail_reply(customer, TODAY, "en")
    texts = " ".join(run["text"] for run in _runs(reply.card))
    for subscription in customer.subscriptions:
        assert subscription.id in texts
        for service in subscription.services:
            assert service.name in texts
            assert service.provisioning_status.meaning("en") in texts
    assert "3 services" not in texts and "2 services" in texts


def test_detail_card_of_a_huge_customer_says_what_it_left_out() -> None:
    reply = detail_reply(builders.customer(subscriptions=200, services=30), TODAY, "sv")
    texts = " ".join(run["text"] for run in _runs(reply.card))
    assert "prenumerationer till som inte visas här" in texts
    assert "tjänster till" in texts
    assert card_size(reply.card) <= CARD_BUDGET


def test_a_long_pick_list_opens_as_a_list_that_pages() -> None:
    reply = pick_reply(builders.page(14, name="Globex"), "glo", "sv")
    assert reply.card is not None
    (show_all,) = reply.card["actions"]
    assert show_all["title"] == "Visa alla 14"
    assert "”sök glo”" in reply.markdown
    store = builders.FakeStore(total=14)
    listed = handle_submission(show_all["data"], builders.context(store, "sv"))
    assert store.queries[0][0] == Query(name="glo")
    assert "Sida 1 av 2" in listed.markdown


def test_clickable_rows_end_in_a_chevron() -> None:
    reply = list_reply(builders.page(3), Query(), 0, "en")
    assert reply.card is not None
    rows = [item for item in reply.card["body"] if "selectAction" in item]
    assert len(rows) == 3
    for row in rows:
        (column_set,) = row["items"]
        name_line = column_set["columns"][0]["items"][0]
        assert name_line["inlines"][-1]["text"].strip() == "›"


def test_pick_list_offers_each_match() -> None:
    reply = pick_reply(builders.page(3, name="Globex"), "glo", "en")
    assert reply.card is not None
    assert "3 customers match “glo”. Which one?" in reply.markdown
    picks = [
        item["selectAction"]["data"]["id"] for item in reply.card["body"] if "selectAction" in item
    ]
    assert picks == ["cust-000000", "cust-000001", "cust-000002"]


def test_filter_card_mirrors_partner_hub() -> None:
    reply = filter_reply("sv", Query(provisioning={"failed", "provisioned"}))
    assert reply.card is not None
    inputs = [item for item in reply.card["body"] if item["type"] == "Input.ChoiceSet"]
    assert [i["id"] for i in inputs] == ["provisioning", "subscription"]
    assert all(i["isMultiSelect"] and i["style"] == "expanded" for i in inputs)
    assert [c["value"] for c in inputs[0]["choices"]] == [s.value for s in ProvisioningStatus]
    assert [c["value"] for c in inputs[1]["choices"]] == [s.value for s in SubscriptionStatus]
    assert inputs[0]["choices"][0]["title"] == "Det gick inte att tillhandahålla"
    assert inputs[0]["value"] == "failed,provisioned"
    assert reply.card["actions"][0]["data"] == {"statusbot": 1, "action": "filter_apply"}


def test_summary_rows_list_their_customers() -> None:
    reply = summary_reply(builders.summary(60), "en")
    assert reply.card is not None
    selects = [
        item["selectAction"]["data"] for item in reply.card["body"] if "selectAction" in item
    ]
    assert selects[0] == {
        "statusbot": 1,
        "action": "list",
        "query": {"needing_attention": True},
        "page": 0,
    }
    assert {
        "statusbot": 1,
        "action": "list",
        "query": {"provisioning": ["failed"]},
        "page": 0,
    } in selects
    assert len(selects) == 1 + len(ProvisioningStatus) + len(SubscriptionStatus)
    assert "30 customers need attention" in reply.markdown


def test_help_comes_from_the_manifest() -> None:
    manifest = load_manifest()
    for lang in LANGS:
        reply = help_reply(manifest, lang)
        for command in manifest.commands:
            assert escape_markdown(getattr(command.help, lang)) in reply.markdown


def _runs(node: Any) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if node.get("type") == "TextRun":
            found.append(node)
        for value in node.values():
            found += _runs(value)
    elif isinstance(node, list):
        for item in node:
            found += _runs(item)
    return found
