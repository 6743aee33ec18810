"""Card submissions: valid payloads become the same replies as typed commands;
tampered or stale ones get a polite reply, never an exception."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.query import Query
from handlers.commands.filter import ShowFilter
from handlers.commands.list import ListCustomers
from handlers.registry import handle
from handlers.submissions import handle_submission, parse_submission
from tests.handlers import builders
from tests.handlers.builders import context

INVALID_EN = "I couldn't use that card action"
INVALID_SV = "Jag kunde inte använda kortets åtgärd"


def submit(inputs: Any, lang: str = "en", **store: Any) -> str:
    fake = builders.FakeStore(**store)
    return handle_submission(inputs, context(fake, lang)).markdown  # type: ignore[arg-type]


def test_filter_apply_is_the_same_query_as_typed() -> None:
    store = builders.FakeStore(total=30)
    inputs = {
        "statusbot": 1,
        "action": "filter_apply",
        "provisioning": "failed,manual_partner",
        "subscription": "expiring_30",
    }
    reply = handle_submission(inputs, context(store, "sv"))
    query = Query(provisioning={"failed", "manual_partner"}, subscription={"expiring_30"})
    assert store.queries[0][0] == query
    typed = handle(ListCustomers(query=query), context(builders.FakeStore(total=30), "sv"))
    assert reply == typed


def _apply_as_webex_sends_it(card: dict[str, Any], **changed: str) -> dict[str, Any]:
    """The Apply button's data with every input's current value merged in (as Webex does)."""
    values = {item["id"]: item.get("value", "") for item in card["body"] if "id" in item}
    return card["actions"][0]["data"] | values | changed


@pytest.mark.parametrize(
    "question",
    [
        Query(expiring_within_days=30),
        Query(expiring_by="2027-03-31", kind="paid"),
        Query(name="Acme", subscription={"suspended"}),
        Query(needing_attention=True, provisioning={"failed"}),
    ],
)
def test_filter_opens_on_its_question_and_apply_lists_it(question: Query) -> None:
    opened = handle(ShowFilter(query=question), context(builders.FakeStore(), "en"))
    assert opened.card is not None
    store = builders.FakeStore(total=3)
    handle_submission(_apply_as_webex_sends_it(opened.card), context(store, "en"))
    assert store.queries[0][0] == question


def test_filter_toggle_off_filters_all_customers() -> None:
    opened = handle(
        ShowFilter(query=Query(expiring_within_days=30)), context(builders.FakeStore(), "sv")
    )
    assert opened.card is not None
    assert "Går ut inom 30 dagar" in opened.markdown
    store = builders.FakeStore(total=3)
    inputs = _apply_as_webex_sends_it(opened.card, keep_question="false", subscription="active")
    handle_submission(inputs, context(store, "sv"))
    assert store.queries[0][0] == Query(subscription={"active"})


def test_list_payload_round_trips_from_a_card() -> None:
    store = builders.FakeStore(total=30)
    card = handle(
        ListCustomers(query=Query(expiring_within_days=30, kind="trial")), context(store)
    ).card
    assert card is not None
    following = card["actions"][0]["data"]
    # Webex merges the card's inputs (none here) into the action's data.
    reply = handle_submission(following, context(store))
    assert store.queries[-1] == (Query(expiring_within_days=30, kind="trial"), 10, 10)
    assert "Page 2 of 3" in reply.markdown


def test_filter_card_buttons_ignore_the_merged_inputs() -> None:
    store = builders.FakeStore(total=3)
    inputs = {"statusbot": 1, "action": "list", "query": {"needing_attention": True}, "page": 0}
    inputs |= {"provisioning": "failed", "subscription": ""}
    reply = handle_submission(inputs, context(store, "en"))
    assert "needing attention" in reply.markdown


def test_customer_action_and_a_customer_that_is_gone() -> None:
    customer = builders.customer(id_="c1")
    assert "Paid subscription" in submit(
        {"statusbot": 1, "action": "customer", "id": "c1"}, customers={"c1": customer}
    )
    assert "no longer in the data" in submit({"statusbot": 1, "action": "customer", "id": "c9"})


@pytest.mark.parametrize(
    "inputs",
    [
        None,
        [],
        "list",
        {},
        {"action": "list"},
        {"statusbot": "1", "action": "list"},
        {"statusbot": True, "action": "list"},
        {"statusbot": 1, "action": "drop_tables"},
        {"statusbot": 1, "action": "list", "page": "2"},
        {"statusbot": 1, "action": "list", "page": 2.5},
        {"statusbot": 1, "action": "list", "page": -1},
        {"statusbot": 1, "action": "list", "page": 10_001},
        {"statusbot": 1, "action": "list", "page": True},
        {"statusbot": 1, "action": "list", "admin": True},
        {"statusbot": 1, "action": "list", "query": {"sql": "1=1"}},
        {"statusbot": 1, "action": "list", "query": {"provisioning": ["nope"]}},
        {"statusbot": 1, "action": "list", "query": {"expiring_within_days": 10**9}},
        {"statusbot": 1, "action": "list", "query": "x"},
        {"statusbot": 1, "action": "customer"},
        {"statusbot": 1, "action": "customer", "id": ""},
        {"statusbot": 1, "action": "customer", "id": "x" * 201},
        {"statusbot": 1, "action": "customer", "id": 5},
        {"statusbot": 1, "action": "filter_apply", "provisioning": "failed,hacked"},
        {"statusbot": 1, "action": "filter_apply", "provisioning": ["failed"]},
        {"statusbot": 1, "action": "filter_apply", "subscription": "active," * 100},
        {"statusbot": 1, "action": "summary", "extra": 1},
        {"statusbot": 1, "action": "help"},  # no card has a help button
        {"statusbot": 1, "action": "list", "query": {"name": "x" * 10_000}},
    ],
)
def test_tampered_submissions_get_a_polite_reply(inputs: Any) -> None:
    assert submit(inputs).startswith(INVALID_EN)
    assert submit(inputs, "sv").startswith(INVALID_SV)


def test_a_card_from_another_version_is_stale() -> None:
    assert "older version" in submit({"statusbot": 2, "action": "list"})
    assert "äldre version" in submit({"statusbot": 0, "action": "summary"}, "sv")


def test_parse_submission_accepts_every_payload_the_cards_send() -> None:
    for payload in (
        {"statusbot": 1, "action": "summary"},
        {"statusbot": 1, "action": "filter", "query": {"provisioning": ["failed"]}},
        {"statusbot": 1, "action": "export", "query": {}},
        {"statusbot": 1, "action": "filter_apply"},
    ):
        assert parse_submission(payload).action == payload["action"]


json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(max_size=50),
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=10), children, max_size=4)
    ),
    max_leaves=20,
)


@settings(max_examples=200, deadline=None)
@given(
    action=st.sampled_from(
        ["list", "export", "customer", "filter", "filter_apply", "summary", "help", "x"]
    ),
    extra=st.dictionaries(
        st.sampled_from(["query", "page", "id", "provisioning", "subscription", "statusbot", "zz"]),
        json_values,
        max_size=4,
    ),
)
def test_no_submission_raises(action: str, extra: dict[str, Any]) -> None:
    inputs = {"statusbot": 1, "action": action, **extra}
    reply = handle_submission(inputs, context(builders.FakeStore(total=5)))
    assert reply.markdown
