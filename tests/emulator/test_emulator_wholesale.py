"""The emulator's Webex Wholesale endpoints, checked against Cisco's wholesale.json."""

from __future__ import annotations

import pytest
import requests

from emulator.server import ServerHandle
from tests.emulator.emulator_support import BOT_TOKEN, SchemaChecker
from tests.emulator.wholesale_support import (
    ADMIN_TOKEN,
    fill,
    load_wholesale_spec,
    wholesale_customer,
)


@pytest.fixture(scope="module")
def wholesale_schemas() -> SchemaChecker:
    return SchemaChecker(load_wholesale_spec())


def get(
    handle: ServerHandle, path: str, token: str = ADMIN_TOKEN, **params: str
) -> requests.Response:
    return requests.get(
        handle.api_url + path,
        params=params,
        headers={"Authorization": f"Bearer {token}"},
        timeout=10,
    )


def test_the_vendored_spec_declares_what_the_emulator_serves() -> None:
    spec = load_wholesale_spec()
    listing = spec["paths"]["/wholesale/customers"]["get"]
    assert {p["name"] for p in listing["parameters"]} >= {"offset", "max", "status", "orgId"}
    assert spec["components"]["schemas"]["Customer"]["properties"]["status"]["enum"] == [
        "provisioned",
        "provisioned_with_errors",
        "provisioning",
        "updating",
        "deleting",
        "error",
        "pending_rpl_review",
    ]


def test_customers_page_with_offset_and_max_and_match_the_schema(
    emulator: ServerHandle, wholesale_schemas: SchemaChecker
) -> None:
    fill(emulator, [wholesale_customer(n) for n in range(25)])
    seen: list[str] = []
    for offset in range(0, 30, 10):
        answer = get(emulator, "wholesale/customers", offset=str(offset), max="10")
        assert answer.status_code == 200 and answer.headers["TrackingID"]
        body = answer.json()
        wholesale_schemas.validate(body, "CustomerListResponse")
        seen.extend(item["id"] for item in body["items"])
    assert seen == [f"wc-{n:04d}" for n in range(25)]
    one = get(emulator, "wholesale/customers/wc-0003").json()
    wholesale_schemas.validate(one, "Customer")
    assert one["status"] == "updating"


def test_filters_by_status_external_id_and_org_id(emulator: ServerHandle) -> None:
    fill(emulator, [wholesale_customer(n) for n in range(14)])
    errors = get(emulator, "wholesale/customers", status="error").json()["items"]
    assert [c["id"] for c in errors] == ["wc-0005", "wc-0012"]
    assert [
        c["id"] for c in get(emulator, "wholesale/customers", externalId="ext-0002").json()["items"]
    ] == ["wc-0002"]
    assert [
        c["id"] for c in get(emulator, "wholesale/customers", orgId="org-0007").json()["items"]
    ] == ["wc-0007"]


def test_organizations_name_customers_and_unknown_ones_are_404(emulator: ServerHandle) -> None:
    fill(emulator, [wholesale_customer(0)])
    org = get(emulator, "organizations/org-0000").json()
    assert org == {"id": "org-0000", "displayName": "Kund 0000 AB", "created": org["created"]}
    missing = get(emulator, "organizations/nope")
    assert missing.status_code == 404 and missing.json()["message"] == "Organization not found."


def test_a_bot_token_cannot_read_wholesale_customers(emulator: ServerHandle) -> None:
    refused = get(emulator, "wholesale/customers", token=BOT_TOKEN)
    assert refused.status_code == 403
    assert "spark-admin:wholesale_customers_read" in refused.json()["message"]
    assert get(emulator, "wholesale/customers", token="WRONG").status_code == 401
    assert get(emulator, "wholesale/customers", max="0").status_code == 400


def test_a_fault_can_skip_the_first_pages(emulator: ServerHandle) -> None:
    fill(emulator, [wholesale_customer(n) for n in range(5)])
    requests.post(
        emulator.url + "/_emulator/faults",
        json={"path": "/v1/wholesale/customers", "status": 500, "skip": 1, "count": 1},
        timeout=10,
    )
    assert get(emulator, "wholesale/customers", max="2").status_code == 200
    assert get(emulator, "wholesale/customers", offset="2", max="2").status_code == 500
    assert get(emulator, "wholesale/customers", offset="2", max="2").status_code == 200


def test_bad_seed_data_is_refused(emulator: ServerHandle) -> None:
    answer = requests.put(
        emulator.url + "/_emulator/wholesale",
        json={"customers": [{"id": "x", "status": "lost"}]},
        timeout=10,
    )
    assert answer.status_code == 400 and "customers[0].status" in answer.json()["error"]
