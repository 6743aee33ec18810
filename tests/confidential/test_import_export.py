"""Issue 11 items 8 and 9: export → import is lossless, and every malformed file gets
a row-or-position report and exit 1, never a traceback, on SQLite and PostgreSQL."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from pathlib import Path

import pytest

from bot.cli.main import main
from core.ingest.cells import escape_cell, unescape_cell
from core.ingest.snapshot import read_snapshot, snapshot_from_customers
from core.models import Customer, Service, Subscription
from core.query import Query
from core.statuses import ProvisioningStatus, SubscriptionKind
from core.store import Store
from handlers.export import export_csv

TODAY = date(2026, 11, 30)
HOSTILE = (
    "-42",
    "=cmd",
    "+x",
    "@y",
    "-",
    "'",
    "''",
    "'=x",
    "'hello",
    '"quoted"',
    'say "hi", then; go',
    '=HYPERLINK("http://evil.example")',
    "@SUM(A1)",
    "line\nbreak",
    "tab\tinside",
    "Åre ''=kommun",
)


def hostile_customers() -> list[Customer]:
    customers = []
    for number, text in enumerate(HOSTILE):
        service = Service(name=text, provisioning_status=ProvisioningStatus.PROVISIONED)
        subscription = Subscription(
            id=f"{text}#{number}" if number % 2 else text,
            kind=SubscriptionKind.PAID,
            end_date=TODAY + timedelta(days=number + 1),
            services=[service],
        )
        customers.append(Customer(id=text, name=text, subscriptions=[subscription]))
    return customers


@pytest.mark.parametrize("text", [*HOSTILE, "", "a", "\r=x", "\t", "''-1"])
def test_unescape_undoes_escape(text: str) -> None:
    assert unescape_cell(escape_cell(text)) == text


def export(store: Store) -> bytes:
    return export_csv(store.iter_customers(Query(), TODAY), TODAY, "en").data


def test_hostile_ids_and_names_survive_two_round_trips(database_url: str) -> None:
    original = sorted(hostile_customers(), key=lambda c: c.id)
    store = Store.open(database_url)
    try:
        store.import_snapshot(snapshot_from_customers(original), today=TODAY, source="t")
        first = export(store)
        for _ in range(2):
            snapshot = read_snapshot(io.BytesIO(first))
            assert sorted(snapshot.to_customers(), key=lambda c: c.id) == original
            result = store.import_snapshot(snapshot, today=TODAY, source="export")
            assert (result.added, result.removed, len(result.transitions)) == (0, 0, 0)
            assert export(store) == first
    finally:
        store.close()


def statusbot_import(
    path: Path,
    database_url: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> tuple[int, str]:
    monkeypatch.setenv("STATUSBOT_DATABASE_URL", database_url)
    code = main(["import", str(path), "--today", TODAY.isoformat()])
    captured = capsys.readouterr()
    return code, captured.out + captured.err


HEADER = (
    "customer_id,customer_name,subscription_id,subscription_kind,subscription_state,"
    "start_date,end_date,service,provisioning_status\n"
)
GOOD_ROW = "c1,Acme,s1,paid,active,,2027-01-31,Calling,provisioned\n"
DEEP = '[{"id": "c1", "name": "Acme", "subscriptions": ' + "[" * 50_000 + "]" * 50_000 + "}]"
MALFORMED: dict[str, tuple[str, bytes, str]] = {
    "unterminated quote": (
        "csv",
        (HEADER + GOOD_ROW + 'c2,"Beta,s2,paid,active,,2027-01-31,Calling,provisioned\n').encode(),
        "line 3, column (row): '': a quoted field is not closed (a \" is missing)",
    ),
    "stray quote": (
        "csv",
        (HEADER + GOOD_ROW + 'c2,"Be"ta,s2,paid,active,,2027-01-31,Calling,provisioned\n').encode(),
        "line 3, column (row)",
    ),
    "field over 128 KiB": (
        "csv",
        (
            HEADER + GOOD_ROW + "c2," + "B" * 140_000 + ",s2,paid,active,,,Calling,provisioned\n"
        ).encode(),
        "line 3, column (row): '': a field is longer than 128 KiB",
    ),
    "deeply nested JSON": ("json", DEEP.encode(), "line 1, column (file): '': nested too deeply"),
    "NUL byte in CSV": (
        "csv",
        (
            HEADER + GOOD_ROW + "c2,Be\x00ta,s2,paid,active,,2027-01-31,Calling,provisioned\n"
        ).encode(),
        "line 3, column customer_name: 'Be\\x00ta': contains a NUL character",
    ),
    "NUL in JSON": (
        "json",
        json.dumps(
            [
                {
                    "id": "c1",
                    "name": "Ac\u0000me",
                    "subscriptions": [
                        {
                            "id": "s1",
                            "kind": "paid",
                            "services": [{"name": "Calling", "provisioning_status": "provisioned"}],
                        }
                    ],
                }
            ]
        ).encode(),
        "line 1, column [0].name: 'Ac\\x00me': contains a NUL character",
    ),
    "invalid UTF-8": (
        "csv",
        HEADER.encode()
        + GOOD_ROW.encode()
        + b"c2,Be\xfft\xe4,s2,paid,active,,2027-01-31,Calling,provisioned\n",
        "line 3, column customer_name: 'Be\ufffdt\ufffd': not UTF-8 text",
    ),
    "invalid UTF-8 in JSON": (
        "json",
        b'[{"id": "c\xff1", "name": "Acme", "subscriptions": []}]',
        "line 1, column [0].id: 'c\ufffd1': not UTF-8 text",
    ),
    "empty CSV": ("csv", b"", "line 1, column (file): '': the file is empty"),
    "empty JSON": ("json", b"", "line 1, column (file): '': the file is empty"),
    "blank CSV": ("csv", b"\xef\xbb\xbf\n\n", "the file is empty: expected a header line"),
}


@pytest.mark.parametrize("case", sorted(MALFORMED))
def test_malformed_files_get_a_report_not_a_traceback(
    case: str,
    database_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    suffix, data, report = MALFORMED[case]
    good = tmp_path / "good.csv"
    good.write_text(HEADER + GOOD_ROW, encoding="utf-8")
    assert statusbot_import(good, database_url, monkeypatch, capsys)[0] == 0
    bad = tmp_path / f"bad.{suffix}"
    bad.write_bytes(data)
    code, output = statusbot_import(bad, database_url, monkeypatch, capsys)
    assert code == 1, output
    assert "not imported, nothing changed" in output
    assert report in output, output
    assert "Traceback" not in output
    store = Store.open(database_url)
    try:
        assert store.last_import() is not None and store.last_import()["customers"] == 1
    finally:
        store.close()
