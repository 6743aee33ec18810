"""The SQL form of the rules must agree with the plain Python form, always.

Random customers and random queries; the store (SQL) and
``core.query.customer_matches`` / ``core.classify`` (Python) must give the
same customers, the same list statuses and the same summary, and on SQLite the
light reader (``core.store.reader``, sqlite3 alone) the store's pages, JSON
and summary.
"""

from __future__ import annotations

import json
import tempfile
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.models import Customer
from core.query import Query, customer_matches, matched_row
from core.statuses import ProvisioningStatus, SubscriptionKind, SubscriptionStatus
from core.store import Store
from core.store.reader import open_for_reading
from core.store.sql import customer_level_filter
from tests.core.builders import TODAY, snapshot

LEFT = st.one_of(st.none(), st.sampled_from([-400, -2, -1, 0, 1, 29, 30, 31, 59, 60, 61, 365]))


@st.composite
def customers(draw: st.DrawFn) -> list[Customer]:
    result = []
    for c in range(draw(st.integers(1, 8))):
        subs = []
        for s in range(draw(st.integers(1, 3))):
            kind = draw(st.sampled_from(["paid", "trial"]))
            left = draw(LEFT)
            if kind == "trial" and left is None:
                left = 5
            services = draw(
                st.lists(st.sampled_from(list(ProvisioningStatus)), min_size=1, max_size=3)
            )
            subs.append(
                {
                    "id": f"c{c}-s{s}",
                    "kind": kind,
                    "state": draw(st.sampled_from(["active", "active", "active", "suspended"])),
                    "end_date": None
                    if left is None
                    else (TODAY + timedelta(days=left)).isoformat(),
                    "services": [
                        {"name": f"svc{i}", "provisioning_status": p}
                        for i, p in enumerate(services)
                    ],
                }
            )
        name = draw(st.sampled_from(["Acme", "Åre AB", "GLOBEX", "50%_off", "Beta"]))
        result.append(Customer.model_validate({"id": f"c{c}", "name": name, "subscriptions": subs}))
    return result


#: Queries that the store answers from the customers' list-order index alone.
CUSTOMER_LEVEL = [
    Query(needing_attention=True),
    Query(needing_attention=True, name="acme"),
    Query(provisioning=frozenset({ProvisioningStatus.FAILED})),
    Query(subscription=frozenset({SubscriptionStatus.SUSPENDED})),
    Query(subscription=frozenset(list(SubscriptionStatus)[:3])),
    Query(provisioning=frozenset(list(ProvisioningStatus)[:2])),
]

queries = st.sampled_from(CUSTOMER_LEVEL) | st.builds(
    Query,
    provisioning=st.frozensets(st.sampled_from(list(ProvisioningStatus)), max_size=3),
    subscription=st.frozensets(st.sampled_from(list(SubscriptionStatus)), max_size=3),
    expiring_within_days=st.one_of(st.none(), st.integers(0, 120)),
    expiring_by=st.one_of(st.none(), st.sampled_from([TODAY, TODAY + timedelta(days=45)])),
    kind=st.one_of(st.none(), st.sampled_from(list(SubscriptionKind))),
    name=st.one_of(st.none(), st.sampled_from(["acme", "åre", "%", "_", "c1", "BETA"])),
    needing_attention=st.booleans(),
)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=customers(), query=queries)
def test_store_agrees_with_the_python_rules(data: list[Customer], query: Query) -> None:
    """SQLite (a file): the store, and the light reader on the same file."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'store.sqlite3'}"
        store = Store.open(url)
        try:
            _agrees(store, data, query)
            reader = open_for_reading(url)
            try:
                assert reader.light
                assert reader.query_json(query, TODAY) == store.query_json(query, TODAY)
                assert reader.query(query, TODAY) == store.query(query, TODAY)
                second = {"offset": 1, "limit": 2}
                assert reader.query(query, TODAY, **second) == store.query(query, TODAY, **second)
                assert reader.summary(TODAY) == store.summary(TODAY)
                assert reader.light  # classified by the import: nothing written
            finally:
                reader.close()
        finally:
            store.close()


@pytest.mark.postgres
@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(data=customers(), query=queries)
def test_postgres_agrees_with_the_python_rules(
    postgres_url: str, data: list[Customer], query: Query
) -> None:
    """The same on PostgreSQL (its own date arithmetic and aggregates), fewer
    examples: each replaces the one store's snapshot."""
    store = Store.open(postgres_url)
    try:
        _agrees(store, data, query)
    finally:
        store.close()


def _agrees(store: Store, data: list[Customer], query: Query) -> None:
    store.import_snapshot(snapshot(*data), today=TODAY, source="property")
    page = store.query(query, TODAY)
    expected = {c.id for c in data if customer_matches(query, c, TODAY)}
    assert {row.id for row in page.rows} == expected
    assert page.total == len(expected)
    # counted, or told by a page short of its limit: the same number
    assert store.count(query, TODAY) == len(expected)
    for offset in (0, 2, len(expected)):
        assert store.query(query, TODAY, offset=offset, limit=2).total == len(expected)
    by_id = {c.id: c for c in data}
    # Questions on the most important statuses (answered from the customers'
    # own, which are what matched) show those; others the matched ones.
    everything = Query(name=query.name)
    mine = everything if customer_level_filter(query) is not None else query
    shown = {i: matched_row(mine, by_id[i], TODAY) for i in expected}
    for row in page.rows:
        assert shown[row.id] == (
            row.provisioning_status,
            row.subscription_status,
            row.soonest_end_date,
        )

    # the list order: the statuses shown, then their end date, then name
    def order(customer: Customer) -> tuple[object, ...]:
        row = shown[customer.id]
        assert row is not None
        provisioning, subscription, end = row
        return (
            subscription.rank,
            provisioning.rank,
            end or date.max,
            customer.name.casefold(),
            customer.id,
        )

    expected_order = [c.id for c in sorted((by_id[i] for i in expected), key=order)]
    assert [row.id for row in page.rows] == expected_order
    total, text = store.query_json(query, TODAY)
    assert total == len(expected)
    items = json.loads(text)
    assert [item["id"] for item in items] == expected_order
    for item in items:
        provisioning, subscription, end = shown[item["id"]] or (None, None, None)
        assert (item["provisioning_status"], item["subscription_status"]) == (
            getattr(provisioning, "value", None),
            getattr(subscription, "value", None),
        )
        assert item["soonest_end_date"] == (end.isoformat() if end else None)
    summary = store.summary(TODAY)
    for sub_status, count in summary.subscription.items():
        one = Query(subscription=frozenset({sub_status}))
        assert count == sum(customer_matches(one, c, TODAY) for c in data)
