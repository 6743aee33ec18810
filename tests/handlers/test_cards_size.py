"""No reply exceeds Webex's limits, whatever the data (hypothesis)."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.query import Query
from core.results import CustomerPage, CustomerRow
from core.statuses import ProvisioningStatus, SubscriptionStatus
from handlers.cards.common import card, payload, submit
from handlers.cards.limits import (
    CARD_BUDGET,
    MAX_BUTTONS,
    TEXT_LIMIT,
    CardTooLarge,
    card_size,
    check_card,
    count_buttons,
    text_size,
)
from handlers.cards.safe_text import text
from handlers.commands.customer import ShowCustomer
from handlers.commands.list import ListCustomers
from handlers.registry import handle
from tests.handlers import builders
from tests.handlers.builders import TODAY, context

NAME_ALPHABET = st.sampled_from([*"🚀👩\u200dåäö&<>*_[]\\a ", "\n", "𝔘"])
names = st.text(alphabet=NAME_ALPHABET, min_size=1, max_size=300)
queries = st.builds(
    Query,
    provisioning=st.frozensets(st.sampled_from(list(ProvisioningStatus))),
    subscription=st.frozensets(st.sampled_from(list(SubscriptionStatus))),
    expiring_within_days=st.none() | st.integers(0, 3660),
    name=st.none() | st.text(alphabet=NAME_ALPHABET, min_size=1, max_size=100).filter(str.strip),
    needing_attention=st.booleans(),
)


def within_limits(reply_card: dict | None, markdown: str) -> None:  # type: ignore[type-arg]
    assert text_size(markdown) <= TEXT_LIMIT
    if reply_card is not None:
        assert card_size(reply_card) <= CARD_BUDGET
        assert count_buttons(reply_card) <= MAX_BUTTONS


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    total=st.integers(0, 100_000),
    page=st.integers(0, 10_000),
    rows=st.lists(names, min_size=10, max_size=10),
    query=queries,
    lang=st.sampled_from(["en", "sv"]),
)
def test_list_replies_stay_within_limits(
    total: int, page: int, rows: list[str], query: Query, lang: str
) -> None:
    class Store(builders.FakeStore):
        def query(self, query: Query, today, *, offset=0, limit=None) -> CustomerPage:  # type: ignore[no-untyped-def]
            count = max(0, min(limit or 10, total - offset))
            built = tuple(
                CustomerRow(
                    id=f"{'🚀' * 50}{i}",
                    name=rows[i],
                    provisioning_status=ProvisioningStatus.FAILED,
                    subscription_status=SubscriptionStatus.TRIAL_EXPIRING_30,
                    soonest_end_date=TODAY,
                    days_left=99999,
                    subscription_count=3,
                )
                for i in range(count)
            )
            return CustomerPage(total=total, offset=offset, rows=built)

    reply = handle(ListCustomers(query=query, page=page), context(Store(), lang))  # type: ignore[arg-type]
    within_limits(reply.card, reply.markdown)


@settings(max_examples=30, deadline=None)
@given(
    name=names,
    subscriptions=st.integers(1, 120),
    services=st.integers(1, 40),
    lang=st.sampled_from(["en", "sv"]),
)
def test_detail_replies_stay_within_limits(
    name: str, subscriptions: int, services: int, lang: str
) -> None:
    customer = builders.customer(
        name=name.strip() or "x", subscriptions=subscriptions, services=services
    )
    store = builders.FakeStore(customers={customer.id: customer})
    reply = handle(ShowCustomer(name=customer.id), context(store, lang))  # type: ignore[arg-type]
    within_limits(reply.card, reply.markdown)


@settings(max_examples=30, deadline=None)
@given(
    name=st.text(alphabet=NAME_ALPHABET, min_size=1, max_size=100).filter(str.strip),
    total=st.integers(2, 100_000),
)
def test_pick_lists_stay_within_limits(name: str, total: int) -> None:
    store = builders.FakeStore(total=total, name="🚀" * 300)
    reply = handle(ShowCustomer(name=name), context(store, "sv"))
    within_limits(reply.card, reply.markdown)


def test_a_card_of_catalogue_text_past_the_limits_is_refused() -> None:
    """Filter, help, summary and notices check their size instead of degrading:
    only a bug (a longer translation, many more commands) can grow them."""
    body = [text("x" * 2000) for _ in range(10)]
    with pytest.raises(CardTooLarge, match=r"budget 16000"):
        check_card(card(body, lang="en"))
    buttons = [submit(str(i), payload("summary")) for i in range(MAX_BUTTONS + 1)]
    with pytest.raises(CardTooLarge, match=r"6 buttons"):
        check_card(card([], buttons, lang="en"))
    fine = card([], buttons[:MAX_BUTTONS], lang="en")
    assert check_card(fine) is fine
