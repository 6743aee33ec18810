"""The sample data: deterministic, complete (every status and boundary), valid.

Statuses are computed with ``core.classify`` rather than trusted from the
generator, so the guarantees hold for the rules the bot actually applies.
The CSV is read back through the ``csv`` module and the pydantic models, so a
file the generator writes is one the importer can take.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterable
from datetime import date
from typing import Any

import pytest
from pydantic import TypeAdapter

from core.classify import days_left, status_of
from core.ingest.columns import FIELDS
from core.models import Customer, Subscription
from core.query import NEEDING_ATTENTION, customer_matches
from core.sample import (
    BUNDLED_SAMPLE_CUSTOMERS,
    SAMPLE_TODAY,
    bundled_sample_path,
    bundled_sample_text,
    generate,
    write_csv,
    write_json,
)
from core.sample_showcase import SERVICES, SHOWCASE
from core.statuses import (
    ProvisioningStatus,
    SubscriptionKind,
    SubscriptionState,
    SubscriptionStatus,
)
from tests.hostile_data import HOSTILE_NAMES

TODAY = date(2026, 11, 27)
EXPECTED_HEADER = [
    "customer_id",
    "customer_name",
    "subscription_id",
    "subscription_kind",
    "subscription_state",
    "start_date",
    "end_date",
    "service",
    "provisioning_status",
]


def csv_text(customers: Iterable[Customer]) -> str:
    out = io.StringIO()
    write_csv(customers, out)
    return out.getvalue()


def json_text(customers: Iterable[Customer]) -> str:
    out = io.StringIO()
    write_json(customers, out)
    return out.getvalue()


def customers_from_csv(text: str) -> list[Customer]:
    """Rebuild customers from canonical CSV rows, validating every value."""
    reader = csv.DictReader(io.StringIO(text, newline=""))
    customers: dict[str, dict[str, Any]] = {}
    subscriptions: dict[str, dict[str, Any]] = {}
    for row in reader:
        customer = customers.setdefault(
            row["customer_id"],
            {"id": row["customer_id"], "name": row["customer_name"], "subscriptions": []},
        )
        subscription = subscriptions.get(row["subscription_id"])
        if subscription is None:
            subscription = subscriptions[row["subscription_id"]] = {
                "id": row["subscription_id"],
                "kind": row["subscription_kind"],
                "state": row["subscription_state"],
                "start_date": row["start_date"],
                "end_date": row["end_date"],
                "services": [],
            }
            customer["subscriptions"].append(subscription)
        subscription["services"].append(
            {"name": row["service"], "provisioning_status": row["provisioning_status"]}
        )
    return [Customer.model_validate(customer) for customer in customers.values()]


def all_subscriptions(customers: Iterable[Customer]) -> list[Subscription]:
    return [sub for customer in customers for sub in customer.subscriptions]


def assert_complete(customers: list[Customer], today: date) -> None:
    """Every status and every boundary of status-reference.md is present."""
    subscriptions = all_subscriptions(customers)
    assert {status_of(sub, today) for sub in subscriptions} == set(SubscriptionStatus)
    assert {
        service.provisioning_status for sub in subscriptions for service in sub.services
    } == set(ProvisioningStatus)
    assert {sub.provisioning_status for sub in subscriptions} == set(ProvisioningStatus)

    active = [sub for sub in subscriptions if sub.state is SubscriptionState.ACTIVE]
    seen = {(sub.kind, days_left(sub.end_date, today)) for sub in active}
    for kind in SubscriptionKind:
        for boundary in (-1, 0, 30, 31, 60, 61):
            assert (kind, boundary) in seen, (kind, boundary)
    assert (SubscriptionKind.PAID, None) in seen, "an evergreen paid subscription"
    assert any(
        sub.state is SubscriptionState.SUSPENDED and sub.end_date and sub.end_date > today
        for sub in subscriptions
    ), "a suspended subscription with a future end date"
    past_paid = [
        sub
        for sub in active
        if sub.kind is SubscriptionKind.PAID and sub.end_date and sub.end_date < today
    ]
    assert past_paid, "a paid subscription past its end date"
    assert all(status_of(sub, today) is SubscriptionStatus.SUSPENDED for sub in past_paid)


def test_same_arguments_give_identical_bytes() -> None:
    assert csv_text(generate(300, today=TODAY)) == csv_text(generate(300, today=TODAY))
    assert json_text(generate(300, today=TODAY)) == json_text(generate(300, today=TODAY))


def test_the_seed_changes_the_random_part_only() -> None:
    one = list(generate(100, today=TODAY, seed=1))
    two = list(generate(100, today=TODAY, seed=2))
    showcase = len(SHOWCASE)
    assert one[:showcase] == two[:showcase]
    assert one[showcase:] != two[showcase:]


def test_a_small_sample_is_a_prefix_of_a_big_one() -> None:
    assert list(generate(30, today=TODAY)) == list(generate(60, today=TODAY))[:30]


def test_today_moves_dates_not_statuses() -> None:
    later = date(2030, 2, 1)
    now = list(generate(200, today=TODAY))
    then = list(generate(200, today=later))
    assert [status_of(sub, TODAY) for sub in all_subscriptions(now)] == [
        status_of(sub, later) for sub in all_subscriptions(then)
    ]


def test_zero_customers_and_negative_counts() -> None:
    assert list(generate(0, today=TODAY)) == []
    assert csv_text([]) == ",".join(EXPECTED_HEADER) + "\n"
    assert json.loads(json_text([])) == []
    with pytest.raises(ValueError):
        list(generate(-1, today=TODAY))


def test_thirty_customers_hold_every_status_and_boundary() -> None:
    assert_complete(list(generate(30, today=TODAY)), TODAY)


def test_the_showcase_alone_holds_every_status_and_boundary() -> None:
    assert_complete(list(generate(len(SHOWCASE), today=TODAY)), TODAY)


@pytest.mark.parametrize("today", [date(2024, 2, 29), date(2026, 12, 31), date(2031, 1, 1)])
def test_completeness_holds_for_any_today(today: date) -> None:
    assert_complete(list(generate(30, today=today)), today)


#: What a real company name never holds: markdown, HTML, mentions, code spans.
MARKUP = re.compile(r"[*_`\[\]<>@#~|\\]")


def test_names_read_like_a_real_partners_list() -> None:
    """The demo and the README's pictures show the sample: no test names in it
    (those are tests/hostile_data.py's, for the tests that need them)."""
    names = [customer.name for customer in generate(5000, today=TODAY)]
    assert [name for name in names if MARKUP.search(name)] == []
    assert not set(HOSTILE_NAMES) & set(names)


def test_names_are_realistic_and_mostly_distinct() -> None:
    customers = list(generate(5000, today=TODAY))
    names = [customer.name for customer in customers]
    assert len(set(names)) >= 0.99 * len(names)
    non_ascii = [name for name in names if not name.isascii()]
    assert len(non_ascii) > len(names) // 3
    for expected in ("Åre Skidskola AB", "Malmö Stad", "Øresund Logistik A/S", "東京商事株式会社"):
        assert expected in names


def test_ids_are_unique() -> None:
    customers = list(generate(1000, today=TODAY))
    assert len({customer.id for customer in customers}) == 1000
    sub_ids = [sub.id for sub in all_subscriptions(customers)]
    assert len(set(sub_ids)) == len(sub_ids)
    assert customers[0].id == "cust-000001"


def test_every_model_is_valid() -> None:
    for customer in generate(500, today=TODAY):
        assert Customer.model_validate(customer.model_dump()) == customer
        for sub in customer.subscriptions:
            assert {service.name for service in sub.services} <= set(SERVICES)
            assert len({service.name for service in sub.services}) == len(sub.services)
            if sub.kind is SubscriptionKind.TRIAL:
                assert sub.end_date is not None
            assert sub.start_date is not None and sub.start_date <= TODAY


def test_csv_round_trips_with_the_exact_header() -> None:
    customers = list(generate(200, today=TODAY))
    out = io.StringIO()
    rows = write_csv(customers, out)
    text = out.getvalue()
    assert "\r" not in text
    assert text.endswith("\n")
    parsed = list(csv.reader(io.StringIO(text, newline="")))
    assert parsed[0] == EXPECTED_HEADER == list(FIELDS)
    assert len(parsed) - 1 == rows == sum(len(sub.services) for sub in all_subscriptions(customers))
    assert all(len(row) == len(EXPECTED_HEADER) for row in parsed)
    assert customers_from_csv(text) == customers


def test_csv_quotes_what_needs_quoting() -> None:
    tricky = Customer.model_validate(
        {
            "id": "c1",
            "name": 'Komma, "Citat" AB',
            "subscriptions": [
                {
                    "id": "s1",
                    "kind": "paid",
                    "services": [{"name": "Webex Calling", "provisioning_status": "failed"}],
                }
            ],
        }
    )
    text = csv_text([tricky])
    assert '"Komma, ""Citat"" AB"' in text
    assert customers_from_csv(text) == [tricky]


def test_json_validates_back_into_customers() -> None:
    customers = list(generate(200, today=TODAY))
    text = json_text(customers)
    data = json.loads(text)
    assert data == [customer.model_dump(mode="json") for customer in customers]
    assert TypeAdapter(list[Customer]).validate_python(data) == customers
    assert set(data[0]) == {"id", "name", "subscriptions"}
    assert set(data[0]["subscriptions"][0]) == {
        "id",
        "kind",
        "state",
        "start_date",
        "end_date",
        "services",
    }
    assert set(data[0]["subscriptions"][0]["services"][0]) == {"name", "provisioning_status"}


def test_json_is_written_in_pieces() -> None:
    class Recorder(io.StringIO):
        writes = 0

        def write(self, text: str) -> int:
            self.writes += 1
            return super().write(text)

    out = Recorder()
    assert write_json(generate(50, today=TODAY), out) == 50
    assert out.writes > 50


def test_thousand_customers_match_the_target_averages() -> None:
    customers = list(generate(1000, today=TODAY))
    subscriptions = all_subscriptions(customers)
    services = sum(len(sub.services) for sub in subscriptions)
    assert 2.3 <= len(subscriptions) / len(customers) <= 2.7
    assert 1.85 <= services / len(subscriptions) <= 2.15

    def share(predicate: Callable[[Subscription], bool]) -> float:
        return sum(1 for sub in subscriptions if predicate(sub)) / len(subscriptions)

    healthy = share(
        lambda sub: (
            sub.kind is SubscriptionKind.PAID
            and status_of(sub, TODAY) is SubscriptionStatus.ACTIVE
            and sub.provisioning_status is ProvisioningStatus.PROVISIONED
        )
    )
    assert healthy > 0.5, "most subscriptions are paid, active and provisioned"
    assert 0.02 <= share(lambda sub: sub.kind is SubscriptionKind.TRIAL) <= 0.08
    assert 0.005 <= share(lambda sub: sub.state is SubscriptionState.SUSPENDED) <= 0.03
    assert 0.1 <= share(lambda sub: sub.end_date is None) <= 0.25
    assert share(lambda sub: status_of(sub, TODAY) is SubscriptionStatus.EXPIRING_30) >= 0.01
    not_provisioned = share(
        lambda sub: sub.provisioning_status is not ProvisioningStatus.PROVISIONED
    )
    assert 0.005 <= not_provisioned <= 0.05


def test_bundled_sample_is_what_generate_produces() -> None:
    """Fails when the generator changes: run ``core.sample.regenerate_bundled_sample()``."""
    committed = bundled_sample_path().read_bytes()
    assert committed == bundled_sample_text().encode("utf-8")
    assert committed == csv_text(generate(BUNDLED_SAMPLE_CUSTOMERS, today=SAMPLE_TODAY)).encode(
        "utf-8"
    )
    assert date(2026, 11, 27) == SAMPLE_TODAY


def test_bundled_sample_is_complete() -> None:
    customers = customers_from_csv(bundled_sample_path().read_text(encoding="utf-8"))
    assert len(customers) == BUNDLED_SAMPLE_CUSTOMERS == 60
    assert_complete(customers, SAMPLE_TODAY)
    assert [c.name for c in customers if MARKUP.search(c.name)] == []
    # A real partner's proportions: mostly healthy, a tail needing attention.
    attention = [c for c in customers if customer_matches(NEEDING_ATTENTION, c, SAMPLE_TODAY)]
    assert 0.05 <= len(attention) / len(customers) <= 0.2
