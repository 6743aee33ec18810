"""Reading a snapshot file (canonical CSV or JSON) into validated rows.

data-contract.md: a file is a complete snapshot; it is imported all or
nothing, and a bad file gets a report naming every bad row (line, column,
value, why). So reading never stops at the first error, and never writes:
``read_snapshot`` returns a ``Snapshot`` or raises ``SnapshotInvalid`` with
every problem found. Valid rows are staged on disk as they are read
(``core.ingest.staging``), so memory stays flat however large the file is.

The CSV reader is ``core.ingest.csvfile``; the problems and the report are
``core.ingest.problems``; JSON is read here, one customer at a time.
"""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any, Literal

from pydantic import ValidationError

from core.ingest.columns import ColumnMapping
from core.ingest.csvfile import read_csv
from core.ingest.csvrow import reason_of
from core.ingest.jsonstream import JsonArrayError, iter_json_array
from core.ingest.problems import Collector
from core.ingest.staging import Snapshot
from core.models import Customer


def read_json(stream: IO[str], collector: Collector) -> None:
    """Customers one at a time from a top-level JSON array (no full parse)."""
    try:
        for line, index, item in iter_json_array(stream):
            _add_json_customer(collector, line, index, item)
    except JsonArrayError as error:
        collector.error(error.line, "(file)", error.value, error.reason)


def _add_json_customer(collector: Collector, line: int, index: int, item: Any) -> None:
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
    collector = Collector()
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
    collector = Collector()
    hasher = hashlib.sha256(b"[")
    for index, customer in enumerate(customers):
        item = customer.model_dump(mode="json")
        hasher.update(((", " if index else "") + json.dumps(item)).encode())
        _add_json_customer(collector, 1, index, item)
    hasher.update(b"]")
    snapshot = collector.finish()
    snapshot.digest = hasher.hexdigest()
    return snapshot
