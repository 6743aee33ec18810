"""Reading a snapshot file (canonical CSV or JSON) into validated rows.

data-contract.md: a file is a complete snapshot; it is imported all or
nothing, and a bad file gets a report naming every bad row (line, column,
value, why). So reading never stops at the first error, and never writes:
``read_snapshot`` returns a ``Snapshot`` or raises ``SnapshotInvalid`` with
every problem found. Rows are kept once, in compact tuples (one copy of the
data), so 100,000 customers fit comfortably in memory.
"""

from __future__ import annotations

import csv
import hashlib
import io
import itertools
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import IO, Any, Literal

from pydantic import BaseModel, ConfigDict, ValidationError, model_validator

from core.columns import DEFAULT_MAPPING, FIELDS, ColumnMapping
from core.jsonstream import JsonArrayError, iter_json_array
from core.models import (
    Customer,
    Id,
    Kind,
    Name,
    OptionalDate,
    Provisioning,
    Service,
    State,
    Subscription,
)
from core.statuses import (
    ProvisioningStatus,
    SubscriptionKind,
    SubscriptionState,
)

#: Stop collecting after this many problems: the report stays readable.
MAX_REPORTED_ERRORS = 1000

CSV_COLUMNS = FIELDS  # the canonical columns, in their order (core.columns names them)
REQUIRED_COLUMNS = frozenset(CSV_COLUMNS) - {"subscription_state", "start_date", "end_date"}


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


@dataclass(slots=True)
class Snapshot:
    """A validated snapshot: customers, subscriptions and services by id.

    ``customers``: id -> name. ``subscriptions``: id -> (customer id, kind,
    state, start date, end date). ``services``: (subscription id, name,
    provisioning status) in file order.
    """

    customers: dict[str, str] = field(default_factory=dict)
    subscriptions: dict[
        str, tuple[str, SubscriptionKind, SubscriptionState, date | None, date | None]
    ] = field(default_factory=dict)
    services: list[tuple[str, str, ProvisioningStatus]] = field(default_factory=list)
    digest: str = ""

    def subscription_provisioning(self) -> dict[str, ProvisioningStatus]:
        """Each subscription's most important service status."""
        best: dict[str, ProvisioningStatus] = {}
        for subscription_id, _name, status in self.services:
            current = best.get(subscription_id)
            if current is None or status.rank < current.rank:
                best[subscription_id] = status
        return best

    def to_customers(self) -> Iterator[Customer]:
        """The snapshot as models (for small snapshots, sources and tests)."""
        services: dict[str, list[Service]] = {}
        for subscription_id, name, status in self.services:
            services.setdefault(subscription_id, []).append(
                Service(name=name, provisioning_status=status)
            )
        subscriptions: dict[str, list[Subscription]] = {}
        for sub_id, (customer_id, kind, state, start, end) in self.subscriptions.items():
            subscriptions.setdefault(customer_id, []).append(
                Subscription(
                    id=sub_id,
                    kind=kind,
                    state=state,
                    start_date=start,
                    end_date=end,
                    services=services[sub_id],
                )
            )
        for customer_id, name in self.customers.items():
            yield Customer(id=customer_id, name=name, subscriptions=subscriptions[customer_id])


class _CsvRow(BaseModel):
    """One CSV row: a service of a subscription of a customer."""

    model_config = ConfigDict(extra="ignore", frozen=True)

    customer_id: Id
    customer_name: Name
    subscription_id: Id
    subscription_kind: Kind
    subscription_state: State = SubscriptionState.ACTIVE
    start_date: OptionalDate = None
    end_date: OptionalDate = None
    service: Name
    provisioning_status: Provisioning

    @model_validator(mode="before")
    @classmethod
    def _missing_is_absent(cls, values: Any) -> Any:
        # A short row gives None: let pydantic say "Field required" or use the default.
        if isinstance(values, dict):
            return {key: value for key, value in values.items() if value not in (None, "")}
        return values


class _Collector:
    """Gathers rows into a Snapshot and every problem into a list."""

    def __init__(self) -> None:
        self.snapshot = Snapshot()
        self.errors: list[RowError] = []
        self._customer_line: dict[str, int] = {}

    @property
    def full(self) -> bool:
        return len(self.errors) >= MAX_REPORTED_ERRORS

    def error(self, line: int, column: str, value: object, reason: str) -> None:
        if not self.full:
            self.errors.append(RowError(line, column, "" if value is None else str(value), reason))

    def add_customer(self, line: int, customer_id: str, name: str, *, column: str) -> None:
        known = self.snapshot.customers.setdefault(customer_id, name)
        if known != name:
            first = self._customer_line.get(customer_id)
            self.error(
                line, column, name, f"customer {customer_id!r} is named {known!r} on line {first}"
            )
        self._customer_line.setdefault(customer_id, line)

    def add_subscription(
        self,
        line: int,
        subscription_id: str,
        values: tuple[str, SubscriptionKind, SubscriptionState, date | None, date | None],
    ) -> bool:
        known = self.snapshot.subscriptions.setdefault(subscription_id, values)
        if known == values:
            return True
        names = ("customer_id", "subscription_kind", "subscription_state", "start_date", "end_date")
        for name, old, new in zip(names, known, values, strict=True):
            if old != new:
                self.error(
                    line,
                    name,
                    _show(new),
                    f"subscription {subscription_id!r} has {name} {_show(old)!r} on an earlier row",
                )
                break
        return False


def _reason(message: str) -> str:
    return message.removeprefix("Value error, ")


def _show(value: object) -> str:
    if isinstance(value, date):
        return value.isoformat()
    return "" if value is None else str(value)


def _check_subscription(kind: SubscriptionKind, start: date | None, end: date | None) -> str | None:
    if kind is SubscriptionKind.TRIAL and end is None:
        return "a trial needs an end date"
    if start and end and end < start:
        return f"end_date is before start_date {start.isoformat()}"
    return None


def read_csv(stream: IO[str], collector: _Collector, columns: ColumnMapping | None = None) -> None:
    first_line = stream.readline()
    # Excel in Swedish locales writes ";": the header says which one the file uses.
    delimiter = ";" if first_line.count(";") > first_line.count(",") else ","
    reader = csv.DictReader(itertools.chain([first_line], stream), delimiter=delimiter)
    # Partner Hub's headings (English, Swedish, or a mapping file's) name our fields.
    mapping = columns or DEFAULT_MAPPING
    found = list(reader.fieldnames or [])
    header = mapping.header(found)
    reader.fieldnames = header
    missing = [column for column in CSV_COLUMNS if column in REQUIRED_COLUMNS - set(header)]
    if missing:
        collector.error(1, ", ".join(missing), "", mapping.explain(found, missing))
        return
    for record in reader:
        line = reader.line_num
        if collector.full:
            return
        if all(not (value or "").strip() for key, value in record.items() if key):
            continue  # blank line
        row = mapping.row({column: record.get(column) for column in CSV_COLUMNS})
        try:
            parsed = _CsvRow.model_validate(row)
        except ValidationError as error:
            for problem in error.errors():
                column = str(problem["loc"][0]) if problem["loc"] else "row"
                collector.error(line, column, row.get(column), _reason(problem["msg"]))
            continue
        problem_text = _check_subscription(
            parsed.subscription_kind, parsed.start_date, parsed.end_date
        )
        if problem_text:
            column = "end_date"
            collector.error(line, column, _show(parsed.end_date), problem_text)
            continue
        collector.add_customer(
            line, parsed.customer_id, parsed.customer_name, column="customer_name"
        )
        if collector.add_subscription(
            line,
            parsed.subscription_id,
            (
                parsed.customer_id,
                parsed.subscription_kind,
                parsed.subscription_state,
                parsed.start_date,
                parsed.end_date,
            ),
        ):
            collector.snapshot.services.append(
                (parsed.subscription_id, parsed.service, parsed.provisioning_status)
            )


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
            collector.error(line, f"[{index}].{column}", shown, _reason(problem["msg"]))
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
        if collector.add_subscription(line, subscription.id, values):
            for service in subscription.services:
                collector.snapshot.services.append(
                    (subscription.id, service.name, service.provisioning_status)
                )


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
    text = io.TextIOWrapper(hashing, encoding="utf-8-sig", newline="")
    collector = _Collector()
    try:
        if fmt == "json":
            read_json(text, collector)
        else:
            read_csv(text, collector, columns)
    except UnicodeDecodeError as error:
        collector.error(0, "(file)", "", f"not UTF-8 text ({error.reason})")
    if not collector.errors and not collector.snapshot.customers:
        collector.error(1, "(file)", "", "the snapshot has no customers")
    if collector.errors:
        raise SnapshotInvalid(collector.errors, truncated=collector.full)
    collector.snapshot.digest = hasher.hexdigest()
    return collector.snapshot


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
    """A Snapshot from models a source produced (sources, tests)."""
    collector = _Collector()
    payload = json.dumps([customer.model_dump(mode="json") for customer in customers])
    read_json(io.StringIO(payload), collector)
    if collector.errors:
        raise SnapshotInvalid(collector.errors, truncated=collector.full)
    collector.snapshot.digest = hashlib.sha256(payload.encode()).hexdigest()
    return collector.snapshot
