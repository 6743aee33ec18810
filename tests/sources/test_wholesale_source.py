"""The Webex Wholesale source against the emulator over HTTP: every page or
nothing, names from organizations, the status mapping."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
import requests

from core.query import Query
from core.sources.base import SourceError
from core.sources.sync import sync_all
from core.sources.wholesale import WholesaleSource
from core.statuses import ProvisioningStatus as P
from core.store import Store
from emulator.server import ServerHandle
from tests.emulator.emulator_support import BOT_TOKEN
from tests.emulator.wholesale_support import ADMIN_TOKEN, fill, wholesale_customer

NOW = datetime(2026, 11, 30, 8, 15, tzinfo=UTC)
TODAY = date(2026, 11, 30)


def source(handle: ServerHandle, waits: list[float] | None = None) -> WholesaleSource:
    return WholesaleSource(
        handle.api_url, ADMIN_TOKEN, page_size=10, sleep=(waits if waits is not None else []).append
    )


def fault(handle: ServerHandle, **rule: object) -> None:
    answer = requests.post(handle.url + "/_emulator/faults", json=rule, timeout=10)
    assert answer.status_code == 200, answer.text


def test_every_page_names_and_statuses(emulator: ServerHandle) -> None:
    customers = [wholesale_customer(n) for n in range(25)]
    fill(emulator, customers, unnamed=frozenset({"org-0001"}))  # its organization is not there
    snapshot = source(emulator).fetch(NOW).snapshot
    assert len(snapshot.customers) == 25
    assert snapshot.customers["wc-0000"] == "Kund 0000 AB"  # from the organization
    assert snapshot.customers["wc-0001"] == "ext-0001"  # organization unknown: externalId
    assert snapshot.customers["wc-0002"] == "ext-0002"  # not provisioned yet: no orgId
    subscription = snapshot.subscriptions["wholesale:wc-0000"]
    assert subscription[1:] == ("paid", "active", None, None)  # one evergreen paid subscription
    services: dict[str, dict[str, P]] = {}
    for sub_id, name, status in snapshot.services:
        services.setdefault(sub_id.removeprefix("wholesale:"), {})[name] = status
    assert services["wc-0000"] == {"Webex Calling": P.PROVISIONED, "Webex Meetings": P.PROVISIONED}
    # provisioned_with_errors: the failing package is "unable to provision", the other provisioned
    assert services["wc-0001"] == {"Webex Calling": P.FAILED, "Webex Meetings": P.PROVISIONED}
    assert set(services["wc-0002"].values()) == {P.PROVISIONING}  # provisioning
    assert set(services["wc-0003"].values()) == {P.PROVISIONED}  # updating, packages provisioned
    assert set(services["wc-0005"].values()) == {P.FAILED}  # error
    assert set(services["wc-0006"].values()) == {P.MANUAL_CISCO}  # pending_rpl_review


def test_a_429_mid_fetch_is_waited_out_and_the_whole_fetch_applies(
    emulator: ServerHandle, sqlite_store: Store
) -> None:
    fill(emulator, [wholesale_customer(n) for n in range(25)])
    fault(emulator, path="/v1/wholesale/customers", status=429, retry_after=2, skip=1, count=1)
    waits: list[float] = []
    report = sync_all(sqlite_store, [source(emulator, waits)], NOW, today=TODAY)
    assert report.outcome == "applied" and waits == [2.0]
    assert sqlite_store.count(Query(), TODAY) == 25


def test_a_500_mid_fetch_applies_nothing_until_a_whole_fetch_succeeds(
    emulator: ServerHandle, sqlite_store: Store
) -> None:
    fill(emulator, [wholesale_customer(n) for n in range(15)])
    wholesale = source(emulator)
    assert sync_all(sqlite_store, [wholesale], NOW, today=TODAY).outcome == "applied"
    fill(emulator, [wholesale_customer(n) for n in range(25)])
    fault(emulator, path="/v1/wholesale/customers", status=500, skip=2, count=1)
    later = NOW + timedelta(minutes=15)
    failed = sync_all(sqlite_store, [wholesale], later, today=TODAY)
    assert failed.outcome == "failed" and "offset 20: HTTP 500" in failed.summary()
    assert sqlite_store.count(Query(), TODAY) == 15  # the last good snapshot answers
    retried = sync_all(sqlite_store, [wholesale], failed.next_run, today=TODAY)
    assert retried.outcome == "applied" and sqlite_store.count(Query(), TODAY) == 25


def test_tokens_refused_say_which_setting(emulator: ServerHandle) -> None:
    for token in (BOT_TOKEN, "WRONG"):
        with pytest.raises(SourceError, match="check STATUSBOT_WHOLESALE_TOKEN") as raised:
            WholesaleSource(emulator.api_url, token).fetch(NOW)
        assert token not in raised.value.report()


def test_bad_items_name_the_item_the_field_and_the_reason(emulator: ServerHandle) -> None:
    customers = [wholesale_customer(n) for n in range(3)]
    customers[2]["id"] = "x" * 201
    fill(emulator, customers)
    with pytest.raises(SourceError) as raised:
        source(emulator).fetch(NOW)
    error = raised.value
    assert error.invalid and error.source.startswith("wholesale (127.0.0.1)")
    assert "customer 2 (id 'xxx" in error.report()
    assert "field id: String should have at most 200 characters" in error.report()
