"""Validating one row of the canonical CSV, at the speed a million customers need.

A row is a service of a subscription of a customer, so most cells repeat: kind,
state, dates, service and status take a few thousand distinct values in a
whole file, and the ids and name stay the same over the consecutive rows of
one subscription. Each cell is validated by pydantic with its field's type
(``core.models``), and the outcome, the value or the problem, is remembered
per column, so pydantic runs about once per distinct value instead of nine
times per row, and says the same things.
"""

from __future__ import annotations

from datetime import date
from typing import Any, NamedTuple

from pydantic import TypeAdapter, ValidationError

from core.models import Id, Kind, Name, OptionalDate, Provisioning, State, date_problem
from core.statuses import (
    ProvisioningStatus,
    SubscriptionKind,
    SubscriptionState,
)

#: (column, the value as written, why it is wrong)
Problem = tuple[str, str | None, str]


class CsvRow(NamedTuple):
    customer_id: str
    customer_name: str
    subscription_id: str
    subscription_kind: SubscriptionKind
    subscription_state: SubscriptionState
    start_date: date | None
    end_date: date | None
    service: str
    provisioning_status: ProvisioningStatus


_TYPES: dict[str, Any] = {
    "customer_id": Id,
    "customer_name": Name,
    "subscription_id": Id,
    "subscription_kind": Kind,
    "subscription_state": State,
    "start_date": OptionalDate,
    "end_date": OptionalDate,
    "service": Name,
    "provisioning_status": Provisioning,
}
#: What an empty optional cell means; an empty required cell is a problem.
_DEFAULTS: dict[str, Any] = {
    "subscription_state": SubscriptionState.ACTIVE,
    "start_date": None,
    "end_date": None,
}
_ADAPTERS = {column: TypeAdapter(kind) for column, kind in _TYPES.items()}
#: Remembered outcomes per column; a full cache starts over, so memory stays flat.
_CACHE_SIZE = 4096
_caches: dict[str, dict[str | None, tuple[bool, Any]]] = {column: {} for column in _TYPES}


def validate_row(row: dict[str, str | None]) -> CsvRow | list[Problem]:
    """The row's values, or every problem with it (column, value, reason), in
    column order, with pydantic's messages."""
    values = []
    problems: list[Problem] = []
    for column, cache in _caches.items():
        raw = row.get(column)
        outcome = cache.get(raw)
        if outcome is None:
            outcome = _validate(column, raw)
            if len(cache) >= _CACHE_SIZE:
                cache.clear()
            cache[raw] = outcome
        ok, value = outcome
        if ok:
            values.append(value)
        else:
            problems.append((column, raw, value))
    if problems:
        return problems
    parsed = CsvRow(*values)
    problem = date_problem(parsed.subscription_kind, parsed.start_date, parsed.end_date)
    if problem:
        return [("end_date", _show(parsed.end_date), problem)]
    return parsed


def _validate(column: str, raw: str | None) -> tuple[bool, Any]:
    """(True, the value) or (False, why): one cell, as the model's field would."""
    if raw is None or raw == "":
        if column in _DEFAULTS:
            return True, _DEFAULTS[column]
        return False, "empty, but required"
    try:
        return True, _ADAPTERS[column].validate_python(raw)
    except ValidationError as error:
        return False, reason_of(error.errors()[0]["msg"])


def reason_of(message: str) -> str:
    """A pydantic message as a person reads it, in the style of the import's own
    reasons (lower case, no "Value error" prefix, "missing" for a field left out)."""
    message = message.removeprefix("Value error, ")
    if message == "Field required":
        return "missing, but required"
    return message[:1].lower() + message[1:] if message[1:2].islower() else message


def _show(value: date | None) -> str:
    return "" if value is None else value.isoformat()
