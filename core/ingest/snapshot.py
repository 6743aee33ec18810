"""Reading a snapshot file (canonical CSV or JSON) into validated rows.

data-contract.md: a file is a complete snapshot; it is imported all or
nothing, and a bad file gets a report naming every bad row (line, column,
value, why). So reading never stops at the first error, and never writes:
``read_snapshot`` returns a ``Snapshot`` or raises ``SnapshotInvalid`` with
every problem found. Valid rows are staged on disk as they are read
(``core.ingest.staging``), so memory stays flat however large the file is.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any, Literal

from pydantic import ValidationError

from core.ingest.cells import unescape_cell
from core.ingest.columns import DEFAULT_MAPPING, FIELDS, ColumnMapping
from core.ingest.csvrow import reason_of, validate_row
from core.ingest.jsonstream import JsonArrayError, iter_json_array
from core.ingest.stager import Stager
from core.ingest.staging import Snapshot as Snapshot  # re-exported: callers read snapshots here
from core.models import (
    Customer,
)

#: Stop collecting after this many problems: the report stays readable.
MAX_REPORTED_ERRORS = 1000

CSV_COLUMNS = FIELDS  # the canonical columns, in their order (core.ingest.columns names them)
REQUIRED_COLUMNS = frozenset(CSV_COLUMNS) - {"subscription_state", "start_date", "end_date"}
#: Free-text columns, the ones export may have escaped (core.ingest.cells).
TEXT_COLUMNS = frozenset({"customer_id", "customer_name", "subscription_id", "service"})
#: What the csv module says, in words a person can act on (the rest is passed on).
_CSV_ERRORS = {
    "unexpected end of data": 'a quoted field is not closed (a " is missing)',
    "field larger than field limit": "a field is longer than 128 KiB",
    "expected after": 'a " inside a quoted field must be doubled ("")',
}


@dataclass(frozen=True, slots=True)
class RowError:
    line: int  # 1-based line in the file (the header is line 1 in a CSV)
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        value = self.value if len(self.value) <= 60 else self.value[:57] + "..."
        return f"line {self.line}, column {self.column}: {value!r}: {self.reason}"


class SnapshotInvalid(Exception):
    """The file cannot be imported; ``errors`` names every bad row."""

    def __init__(self, errors: list[RowError], *, truncated: bool = False) -> None:
        self.errors = errors
        self.truncated = truncated
        more = " (and more, not listed)" if truncated else ""
        super().__init__(f"{len(errors)} problem(s){more}")

    def report(self) -> str:
        lines = [str(error) for error in self.errors]
        if self.truncated:
            lines.append(f"... stopped after {len(self.errors)} problems")
        return "\n".join(lines)


class _Collector:
    """Stages valid rows into a Snapshot and gathers every problem in a list."""

    def __init__(self) -> None:
        self.snapshot = Snapshot()
        self.errors: list[RowError] = []
        self._stager = Stager(self.snapshot)
        self.add_customer = self._stager.add_customer
        self.add_subscription = self._stager.add_subscription
        self.add_service = self._stager.add_service

    @property
    def full(self) -> bool:
        return len(self.errors) >= MAX_REPORTED_ERRORS

    def error(self, line: int, column: str, value: object, reason: str) -> None:
        if not self.full:
            shown = "" if value is None else str(value)
            if _has_surrogates(shown):  # bytes that were not UTF-8, kept by surrogateescape
                shown = shown.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                reason = "not UTF-8 text (invalid bytes)"
            self.errors.append(RowError(line, column, shown, reason))

    def finish(self) -> Snapshot:
        """The staged snapshot, or SnapshotInvalid naming every problem in file order
        (the rows that disagree with earlier ones are found last, in SQL)."""
        disagreements = self._stager.finish(MAX_REPORTED_ERRORS)
        if disagreements:
            found = [*self.errors, *(RowError(*problem) for problem in disagreements)]
            self.errors = sorted(found, key=lambda error: error.line)[:MAX_REPORTED_ERRORS]
        if not self.errors and not self.snapshot.customers:
            self.error(1, "(file)", "", "the snapshot has no customers")
        if self.errors:
            self.snapshot.close()
            raise SnapshotInvalid(self.errors, truncated=self.full)
        return self.snapshot


def read_csv(stream: IO[str], collector: _Collector, columns: ColumnMapping | None = None) -> None:
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
    missing = [column for column in CSV_COLUMNS if column in REQUIRED_COLUMNS - set(header)]
    if missing:
        collector.error(1, ", ".join(missing), "", mapping.explain(found, missing))
        return
    for line, record in _records(reader, collector):
        if collector.full:
            return
        if all(not (value or "").strip() for key, value in record.items() if key):
            continue  # blank line
        cells = {column: record.get(column) for column in CSV_COLUMNS}
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
    reader: csv.DictReader[str], collector: _Collector
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


def _has_surrogates(text: str) -> bool:
    return any("\ud800" <= character <= "\udfff" for character in text)


def read_json(stream: IO[str], collector: _Collector) -> None:
    """Customers one at a time from a top-level JSON array (no full parse)."""
    try:
        for line, index, item in iter_json_array(stream):
            _add_json_customer(collector, line, index, item)
    except JsonArrayError as error:
        collector.error(error.line, "(file)", error.value, error.reason)


def _add_json_customer(collector: _Collector, line: int, index: int, item: Any) -> None:
    try:
        customer = Customer.model_validate(item)
    except ValidationError as error:
        for problem in error.errors():
            column = ".".join(str(part) for part in problem["loc"]) or f"[{index}]"
            value = problem.get("input")
            shown = value if isinstance(value, str | int | float) else ""
            collector.error(line, f"[{index}].{column}", shown, reason_of(problem["msg"]))
        return
    collector.add_customer(line, customer.id, customer.name, column=f"[{index}].name")
    for subscription in customer.subscriptions:
        values = (
            customer.id,
            subscription.kind,
            subscription.state,
            subscription.start_date,
            subscription.end_date,
        )
        collector.add_subscription(line, subscription.id, values)
        for service in subscription.services:
            collector.add_service(line, subscription.id, service.name, service.provisioning_status)


def read_snapshot(
    source: Path | IO[bytes],
    *,
    format: Literal["csv", "json"] | None = None,
    columns: ColumnMapping | None = None,
) -> Snapshot:
    """Read and validate a whole snapshot; raise SnapshotInvalid listing every problem."""
    if isinstance(source, Path):
        fmt = format or ("json" if source.suffix.lower() == ".json" else "csv")
        with source.open("rb") as binary:
            return _read(binary, fmt, columns)
    return _read(source, format or "csv", columns)


def _read(
    binary: IO[bytes], fmt: Literal["csv", "json"], columns: ColumnMapping | None = None
) -> Snapshot:
    hasher = hashlib.sha256()
    hashing = io.BufferedReader(_Hashing(binary, hasher))
    # Bytes that are not UTF-8 are kept as surrogates, so the field (and line) that holds
    # them is named in the report rather than a position in a decoding buffer.
    text = io.TextIOWrapper(hashing, encoding="utf-8-sig", errors="surrogateescape", newline="")
    collector = _Collector()
    if not hashing.peek(1):
        collector.error(1, "(file)", "", "the file is empty")
    elif fmt == "json":
        read_json(text, collector)
    else:
        read_csv(text, collector, columns)
    snapshot = collector.finish()
    snapshot.digest = hasher.hexdigest()
    return snapshot


class _Hashing(io.RawIOBase):
    """Hashes the bytes as they are read, so the digest costs no second pass."""

    def __init__(self, inner: IO[bytes], hasher: Any) -> None:
        self._inner = inner
        self._hasher = hasher

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._inner.read(len(buffer))
        self._hasher.update(data)
        buffer[: len(data)] = data
        return len(data)


def snapshot_from_customers(customers: Iterable[Customer]) -> Snapshot:
    """A Snapshot from models a source produced (sources, tests), one at a time.

    The digest is that of the JSON array of the customers, as ``json.dumps``
    writes it, hashed piece by piece.
    """
    collector = _Collector()
    hasher = hashlib.sha256(b"[")
    for index, customer in enumerate(customers):
        item = customer.model_dump(mode="json")
        hasher.update(((", " if index else "") + json.dumps(item)).encode())
        _add_json_customer(collector, 1, index, item)
    hasher.update(b"]")
    snapshot = collector.finish()
    snapshot.digest = hasher.hexdigest()
    return snapshot
