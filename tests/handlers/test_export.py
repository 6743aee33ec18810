"""Export: a CSV a spreadsheet opens and the importer reads back."""

from __future__ import annotations

import csv
import io
from pathlib import Path

from core.ingest.columns import FIELDS
from core.ingest.snapshot import read_snapshot
from handlers.export import COLUMNS, export_csv, safe_cell
from tests.handlers import builders
from tests.handlers.builders import TODAY


def test_canonical_columns_first_bom_and_labels() -> None:
    export = export_csv(
        [builders.customer(name="Åre <b>", subscriptions=2, services=3)], TODAY, "sv"
    )
    assert export.data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(export.data.decode("utf-8-sig"))))
    assert tuple(rows[0]) == COLUMNS and COLUMNS[: len(FIELDS)] == FIELDS
    assert export.customers == 1 and export.rows == len(rows) == 6
    assert rows[0]["customer_name"] == "Åre <b>"
    assert rows[0]["days_left"] == "-20"
    assert rows[0]["subscription_status_label"] == "Har avbrutits"
    assert rows[0]["provisioning_status_label"] == "Det gick inte att tillhandahålla"


def test_export_re_imports(tmp_path: Path) -> None:
    customers = [
        builders.customer(id_=f"c{i}", name=f"Kund {i} *x*", subscriptions=3) for i in range(4)
    ]
    export = export_csv(customers, TODAY, "en")
    path = tmp_path / "export.csv"
    path.write_bytes(export.data)
    snapshot = read_snapshot(path)
    assert set(snapshot.customers) == {"c0", "c1", "c2", "c3"}
    assert len(snapshot.services) == export.rows


def test_formulas_are_not_run_by_spreadsheets() -> None:
    assert safe_cell('=HYPERLINK("http://evil")') == '\'=HYPERLINK("http://evil")'
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("Acme") == "Acme"
