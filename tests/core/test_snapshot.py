from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from core.ingest.problems import RowError, SnapshotInvalid
from core.ingest.snapshot import read_snapshot
from core.statuses import ProvisioningStatus, SubscriptionState

HEADER = (
    "customer_id,customer_name,subscription_id,subscription_kind,subscription_state,"
    "start_date,end_date,service,provisioning_status"
)
GOOD = [
    "c1,Åre Skidskola AB,s1,paid,,2025-01-01,2026-12-10,Webex Calling,provisioned",
    "c1,Åre Skidskola AB,s1,paid,,2025-01-01,2026-12-10,Webex Meetings,Unable to provision",
    'c2,"Acme *Bold* [x](http://evil), Inc",s2,trial,active,,2027-01-20,Webex Suite,manual_cisco',
    "c3,Globex,s3,paid,cancelled,,,Webex Calling,Tillhandahållad",
]


def csv_bytes(lines: list[str], *, delimiter: str = ",", newline: str = "\n", bom: bool = False):
    text = newline.join([HEADER, *lines]) + newline
    if delimiter != ",":
        text = text.replace(",", delimiter)
    return io.BytesIO(("\ufeff" if bom else "").encode() + text.encode())


def errors_of(lines: list[str]) -> list[RowError]:
    with pytest.raises(SnapshotInvalid) as caught:
        read_snapshot(csv_bytes(lines))
    return caught.value.errors


def test_reads_services_subscriptions_and_customers() -> None:
    snapshot = read_snapshot(csv_bytes(GOOD))
    assert snapshot.customers == {
        "c1": "Åre Skidskola AB",
        "c2": "Acme *Bold* [x](http://evil), Inc",
        "c3": "Globex",
    }
    assert len(snapshot.subscriptions) == 3 and len(snapshot.services) == 4
    assert snapshot.subscriptions["s3"][2] is SubscriptionState.SUSPENDED
    assert snapshot.subscription_provisioning()["s1"] is ProvisioningStatus.FAILED
    assert len(snapshot.digest) == 64


@pytest.mark.parametrize(
    "variant",
    [
        {"bom": True},
        {"newline": "\r\n"},
        {"delimiter": ";", "bom": True, "newline": "\r\n"},
    ],
)
def test_excel_variants_read_the_same(variant: dict[str, object]) -> None:
    plain = read_snapshot(csv_bytes(GOOD))
    if variant.get("delimiter") == ";":
        lines = [line.replace('"Acme *Bold* [x](http://evil), Inc"', "Acme") for line in GOOD]
        plain = read_snapshot(csv_bytes(lines))
    else:
        lines = GOOD
    other = read_snapshot(csv_bytes(lines, **variant))  # type: ignore[arg-type]
    assert other.customers == plain.customers
    assert other.subscriptions == plain.subscriptions
    assert other.services == plain.services


def test_column_order_is_free_and_extra_columns_are_ignored() -> None:
    text = (
        "provisioning_status,service,notes,end_date,subscription_kind,subscription_id,"
        "customer_name,customer_id\n"
        "provisioned,Webex Calling,secret note,2027-01-01,trial,s1,Acme,c1\n"
    )
    snapshot = read_snapshot(io.BytesIO(text.encode()))
    assert snapshot.customers == {"c1": "Acme"}


def test_every_bad_row_is_named_by_line_column_value_and_reason() -> None:
    errors = errors_of(
        [
            GOOD[0],
            "c2,Beta,s2,gratis,,,2027-01-01,Webex Calling,provisioned",  # line 3
            "c3,Gamma,s3,trial,,,,Webex Calling,provisioned",  # line 4: trial w/o end
            "c4,Delta,s4,paid,,,31/12/2026,Webex Calling,provisioned",  # line 5
            "c5,Eps,s5,paid,,,,Webex Calling,done",  # line 6
            "c1,Other name,s6,paid,,,,Webex Calling,provisioned",  # line 7
            "c6,Zeta,s1,paid,,,,Webex Calling,provisioned",  # line 8: s1 belongs to c1
            ",Eta,s7,paid,,,,Webex Calling,provisioned",  # line 9
        ]
    )
    found = {(e.line, e.column): e for e in errors}
    assert found[(3, "subscription_kind")].value == "gratis"
    assert "paid or trial" in found[(3, "subscription_kind")].reason
    assert "trial needs an end date" in found[(4, "end_date")].reason
    assert found[(5, "end_date")].value == "31/12/2026"
    assert "expected one of failed" in found[(6, "provisioning_status")].reason
    assert "'Åre Skidskola AB' on line 2" in found[(7, "customer_name")].reason
    assert "customer_id 'c1' on an earlier row" in found[(8, "customer_id")].reason
    assert (9, "customer_id") in found
    assert len(errors) == 7
    assert str(found[(3, "subscription_kind")]).startswith("line 3, column subscription_kind:")


def test_subscription_rows_must_agree_on_dates() -> None:
    errors = errors_of([GOOD[0], GOOD[1].replace("2026-12-10", "2026-12-11")])
    assert [(e.line, e.column, e.value) for e in errors] == [(3, "end_date", "2026-12-11")]


def test_missing_required_columns_are_named() -> None:
    with pytest.raises(SnapshotInvalid) as caught:
        read_snapshot(io.BytesIO(b"customer_id,customer_name\nc1,Acme\n"))
    (error,) = caught.value.errors
    assert error.line == 1 and "provisioning_status" in error.column


def test_an_empty_file_and_a_file_that_is_not_utf8() -> None:
    with pytest.raises(SnapshotInvalid, match="1 problem"):
        read_snapshot(io.BytesIO(HEADER.encode() + b"\n"))
    with pytest.raises(SnapshotInvalid) as caught:
        read_snapshot(
            csv_bytes([GOOD[0].replace("Å", "\xc5")]).getvalue()
            and io.BytesIO(HEADER.encode() + b"\nc1,\xc5re,s1,paid,,,,x,provisioned\n")
        )
    assert "not UTF-8" in caught.value.errors[0].reason


def _json_customers() -> list[dict[str, object]]:
    return [
        {
            "id": "c1",
            "name": "Åre",
            "subscriptions": [
                {
                    "id": "s1",
                    "kind": "trial",
                    "end_date": "2027-01-01",
                    "services": [{"name": "Webex Calling", "provisioning_status": "failed"}],
                }
            ],
        },
        {
            "id": "c2",
            "name": "Globex",
            "subscriptions": [
                {
                    "id": "s2",
                    "kind": "paid",
                    "state": "cancelled",
                    "services": [{"name": "Webex Suite", "provisioning_status": "Provisioned"}],
                }
            ],
        },
    ]


def test_json_snapshot(tmp_path: Path) -> None:
    path = tmp_path / "snapshot.json"
    path.write_text(json.dumps(_json_customers(), indent=2), encoding="utf-8")
    snapshot = read_snapshot(path)
    assert snapshot.customers == {"c1": "Åre", "c2": "Globex"}
    assert [customer.id for customer in snapshot.to_customers()] == ["c1", "c2"]


def test_json_errors_name_the_customer_and_field(tmp_path: Path) -> None:
    customers = _json_customers()
    customers[1]["subscriptions"][0]["kind"] = "free"  # type: ignore[index]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(customers, indent=2), encoding="utf-8")
    with pytest.raises(SnapshotInvalid) as caught:
        read_snapshot(path)
    (error,) = caught.value.errors
    assert error.column == "[1].subscriptions.0.kind"
    assert error.line > 1


@pytest.mark.parametrize("text", ["{}", "[1, 2", '[{"id": "c"} {"id": "d"}]', "nonsense"])
def test_broken_json_is_reported(tmp_path: Path, text: str) -> None:
    path = tmp_path / "broken.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SnapshotInvalid):
        read_snapshot(path)


def test_json_streams_across_read_chunks(tmp_path: Path) -> None:
    customers = [
        {
            **_json_customers()[0],
            "id": f"c{i}",
            "name": "x" * 250 + str(i),
            "subscriptions": [{**_json_customers()[0]["subscriptions"][0], "id": f"s{i}"}],
        }  # type: ignore[index]
        for i in range(5000)
    ]
    path = tmp_path / "big.json"
    path.write_text(json.dumps(customers), encoding="utf-8")
    assert path.stat().st_size > 2 << 20
    assert len(read_snapshot(path).customers) == 5000
