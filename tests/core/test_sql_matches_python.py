"""The SQL form of the rules must agree with the plain Python form, always.

Random customers and random queries; the store (SQL) and
``core.query.customer_matches`` / ``core.classify`` (Python) must give the
same customers, the same list statuses and the same summary.
"""

from __future__ import annotations

import json
from datetime import date, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.classify import customer_status, row_end_date
from core.models import Customer
from core.query import Query, customer_matches
from core.statuses import ProvisioningStatus, SubscriptionKind, SubscriptionStatus
from core.store import Store
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
    store = Store.open("sqlite://")
    try:
        store.import_snapshot(snapshot(*data), today=TODAY, source="property")
        page = store.query(query, TODAY)
        expected = {c.id for c in data if customer_matches(query, c, TODAY)}
        assert {row.id for row in page.rows} == expected
        assert page.total == len(expected)
        by_id = {c.id: c for c in data}
        for row in page.rows:
            status = customer_status(by_id[row.id], TODAY)
            assert (row.provisioning_status, row.subscription_status) == (
                status.provisioning_status,
                status.subscription_status,
            )

        # the list order: importance, then the shown status's end date, then name
        def order(customer: Customer) -> tuple[object, ...]:
            status = customer_status(customer, TODAY)
            soonest = row_end_date(customer, TODAY) or date.max
            return (
                status.subscription_status.rank,
                status.provisioning_status.rank,
                soonest,
                customer.name.casefold(),
                customer.id,
            )

        expected_order = [c.id for c in sorted((by_id[i] for i in expected), key=order)]
        assert [row.id for row in page.rows] == expected_order
        for row in page.rows:
            assert row.soonest_end_date == row_end_date(by_id[row.id], TODAY)
        total, text = store.query_json(query, TODAY)
        assert total == len(expected)
        assert [item["id"] for item in json.loads(text)] == expected_order
        summary = store.summary(TODAY)
        for sub_status, count in summary.subscription.items():
            one = Query(subscription=frozenset({sub_status}))
            assert count == sum(customer_matches(one, c, TODAY) for c in data)
    finally:
        store.close()
