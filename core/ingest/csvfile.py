"""Reading a snapshot in CSV: the header (Partner Hub's headings, in English or
Swedish, or a mapping file's), then each record validated (``core.ingest.csvrow``)
and handed to the collector, every problem reported where it is.
"""

from __future__ import annotations

import csv
import itertools
from collections.abc import Iterator
from typing import IO, Any

from core.ingest.cells import unescape_cell
from core.ingest.columns import DEFAULT_MAPPING, FIELDS, ColumnMapping
from core.ingest.csvrow import validate_row
from core.ingest.problems import Collector

REQUIRED_COLUMNS = frozenset(FIELDS) - {"subscription_state", "start_date", "end_date"}
#: Free-text columns, the ones export may have escaped (core.ingest.cells).
TEXT_COLUMNS = frozenset({"customer_id", "customer_name", "subscription_id", "service"})
#: What the csv module says, in words a person can act on (the rest is passed on).
_CSV_ERRORS = {
    "unexpected end of data": 'a quoted field is not closed (a " is missing)',
    "field larger than field limit": "a field is longer than 128 KiB",
    "expected after": 'a " inside a quoted field must be doubled ("")',
}


def read_csv(stream: IO[str], collector: Collector, columns: ColumnMapping | None = None) -> None:
    first_line = stream.readline()
    # Excel in Swedish locales writes ";": the header says which one the file uses.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    if not first_line.strip():
        collector.error(1, "(file)", "", "the file is empty: expected a header line")
        return
    # strict: a stray or missing quote is an error to report, not a row to guess at
    reader = csv.DictReader(itertools.chain([first_line], stream), delimiter=delimiter, strict=True)
    # Partner Hub's headings (English, Swedish, or a mapping file's) name our fields.
    mapping = columns or DEFAULT_MAPPING
    found = list(reader.fieldnames or [])
    header = mapping.header(found)
    reader.fieldnames = header
    missing = [column for column in FIELDS if column in REQUIRED_COLUMNS - set(header)]
    if missing:
        collector.error(1, ", ".join(missing), "", mapping.explain(found, missing))
        return
    for line, record in _records(reader, collector):
        if collector.full:
            return
        if all(not (value or "").strip() for key, value in record.items() if key):
            continue  # blank line
        cells = {column: record.get(column) for column in FIELDS}
        row = mapping.row({c: _unescaped(c, v) for c, v in cells.items()})
        parsed = validate_row(row)
        if isinstance(parsed, list):
            for column, value, reason in parsed:
                collector.error(line, column, value, reason)
            continue
        collector.add_customer(
            line, parsed.customer_id, parsed.customer_name, column="customer_name"
        )
        collector.add_subscription(
            line,
            parsed.subscription_id,
            (
                parsed.customer_id,
                parsed.subscription_kind,
                parsed.subscription_state,
                parsed.start_date,
                parsed.end_date,
            ),
        )
        collector.add_service(
            line, parsed.subscription_id, parsed.service, parsed.provisioning_status
        )


def _records(
    reader: csv.DictReader[str], collector: Collector
) -> Iterator[tuple[int, dict[str, Any]]]:
    """``(line, record)`` for each record, its line where it starts; a malformed
    record (bad quoting, a huge field) is reported where it starts and ends the file:
    after it, where a row begins is a guess."""
    while True:
        start = reader.line_num + 1
        try:
            record = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            text = str(error)
            why = next((w for key, w in _CSV_ERRORS.items() if key in text), f"bad CSV ({text})")
            collector.error(start, "(row)", "", f"{why}; nothing after this line was read")
            return
        yield start, record


def _unescaped(column: str, value: str | None) -> str | None:
    """Undo export's formula guard on free-text cells (core.ingest.cells)."""
    return unescape_cell(value) if value and column in TEXT_COLUMNS else value
