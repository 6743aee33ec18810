"""Partner Hub exports as they are: Swedish headings, a mapping file, and the
error that says which mapping to write."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from bot.cli.main import main
from core.ingest.columns import MappingInvalid, load_mapping
from core.ingest.problems import SnapshotInvalid
from core.ingest.snapshot import read_snapshot
from core.sample import bundled_sample_path
from core.store import Store

SWEDISH = {
    "customer_id": "Organisation",  # not a common heading: the mapping names it
    "customer_name": "Kundnamn",
    "subscription_id": "Abonnemang",  # nor this
    "subscription_kind": "Prenumerationstyp",
    "subscription_state": "Tillstånd",
    "start_date": "Startdatum",
    "end_date": "Slutdatum",
    "service": "Tjänst",
    "provisioning_status": "Etableringsstatus",
}
KIND = {"paid": "Betald", "trial": "Provperiod"}
STATE = {"active": "Aktiv", "suspended": "Avbruten"}
LABEL_SV = {
    "provisioned": "Tillhandahållad",
    "provisioning": "Tillhandahållande",
    "failed": "Det gick inte att tillhandahålla",
    "manual_partner": "Manuell tillhandahållande (partner)",
    "manual_cisco": "Manuell tillhandahållande (Cisco)",
    "pending_details": "Inväntar etableringsuppgifter",
}
MAPPING = """
date_format = "%d.%m.%Y"

[columns]
"Organisation" = "customer_id"
"Abonnemang" = "subscription_id"
"""


def swedish_export(path: Path) -> Path:
    """The bundled canonical sample as Excel in Swedish writes a renamed export:
    other headings and order, ';', Swedish values, dd.mm.yyyy, an extra column."""
    rows = list(csv.DictReader(bundled_sample_path().open(encoding="utf-8-sig")))
    order = list(reversed(list(SWEDISH)))
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(["Anteckning", *(SWEDISH[field] for field in order)])
    for record in rows:
        record["subscription_kind"] = KIND[record["subscription_kind"]]
        record["subscription_state"] = STATE[record["subscription_state"]]
        record["provisioning_status"] = LABEL_SV[record["provisioning_status"]]
        for field in ("start_date", "end_date"):
            if record[field]:
                year, month, day = record[field].split("-")
                record[field] = f"{day}.{month}.{year}"
        writer.writerow(["—", *(record[field] for field in order)])
    path.write_text(out.getvalue(), encoding="utf-8-sig")
    return path


def test_swedish_headings_and_a_mapping_import_exactly_the_canonical_customers(
    tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    export = swedish_export(tmp_path / "kunder.csv")
    mapping_file = tmp_path / "mapping.toml"
    mapping_file.write_text(MAPPING, encoding="utf-8")
    canonical = read_snapshot(bundled_sample_path())
    mapped = read_snapshot(export, columns=load_mapping(mapping_file))
    assert mapped.customers == canonical.customers
    assert mapped.subscriptions == canonical.subscriptions
    assert mapped.services == canonical.services
    # and through the command line, into a store
    monkeypatch.setenv("STATUSBOT_DATABASE_URL", database_url)
    assert main(["import", str(export), "--columns", str(mapping_file)]) == 0
    store = Store.open(database_url)
    try:
        stored = sorted(store.all_customers(), key=lambda customer: customer.id)
        assert stored == sorted(canonical.to_customers(), key=lambda customer: customer.id)
    finally:
        store.close()


def test_common_swedish_and_english_headings_need_no_mapping(tmp_path: Path) -> None:
    path = tmp_path / "export.csv"
    path.write_text(
        "Kund-ID;Kundnamn;Prenumerations-ID;Prenumerationstyp;Slutdatum;Tjänst;Etableringsstatus\n"
        "c-1;Åre AB;s-1;Provperiod;2027-01-31;Webex Calling;Tillhandahållad\n",
        encoding="utf-8",
    )
    snapshot = read_snapshot(path)
    assert snapshot.customers == {"c-1": "Åre AB"}
    english = tmp_path / "english.csv"
    english.write_text(
        "Customer ID,Customer name,Subscription ID,Subscription type,End date,Service,"
        "Provisioning status\nc-2,Acme,s-2,Trial,2027-01-31,Webex Calling,Provisioned\n",
        encoding="utf-8",
    )
    assert read_snapshot(english).customers == {"c-2": "Acme"}


def test_an_unrecognised_file_lists_headings_missing_fields_and_the_mapping(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "odd.csv"
    path.write_text(
        "Org;Kundnamn;Abonnemang;Prenumerationstyp;Slutdatum;Tjänst;Etableringsstatus\n"
        "c-1;Åre AB;s-1;Betald;2027-01-31;Webex Calling;Tillhandahållad\n",
        encoding="utf-8",
    )
    with pytest.raises(SnapshotInvalid) as raised:
        read_snapshot(path)
    report = raised.value.report()
    assert "customer_id, subscription_id" in report
    assert "Headings found: 'Org', 'Kundnamn', 'Abonnemang'" in report
    assert '[columns]\n"Org" = "customer_id"\n"Abonnemang" = "subscription_id"' in report
    assert main(["import", str(path)]) == 1
    assert "--columns mapping.toml" in capsys.readouterr().err


def test_a_bad_mapping_file_says_what_to_fix(tmp_path: Path) -> None:
    path = tmp_path / "mapping.toml"
    path.write_text('[columns]\n"Kund" = "customer"\n', encoding="utf-8")
    with pytest.raises(MappingInvalid, match="'Kund' = 'customer': not a field"):
        load_mapping(path)
    path.write_text("[columns\n", encoding="utf-8")
    with pytest.raises(MappingInvalid, match="not TOML"):
        load_mapping(path)
