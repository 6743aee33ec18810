"""The customer data model: Customer 1..n Subscription 1..n Service.

These pydantic models are the shape every source produces and the JSON import
format validates against (data-contract.md). Validation errors name the field,
the value and why, so an import report can repeat them to a person.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Any

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StringConstraints,
    model_validator,
)

from core.statuses import (
    ProvisioningStatus,
    SubscriptionKind,
    SubscriptionState,
    most_important,
    parse_provisioning_status,
    parse_subscription_kind,
    parse_subscription_state,
)

MAX_ID_LENGTH = 200
MAX_NAME_LENGTH = 300


def _provisioning(value: Any) -> Any:
    return parse_provisioning_status(value) if isinstance(value, str) else value


def _state(value: Any) -> Any:
    if value is None:
        return SubscriptionState.ACTIVE
    return parse_subscription_state(value) if isinstance(value, str) else value


def _kind(value: Any) -> Any:
    return parse_subscription_kind(value) if isinstance(value, str) else value


def _optional_date(value: Any) -> Any:
    if isinstance(value, str) and not value.strip():
        return None
    if isinstance(value, str):
        try:
            return date.fromisoformat(value.strip())
        except ValueError:
            raise ValueError("not a date (expected YYYY-MM-DD)") from None
    return value


#: Characters no customer text holds: NUL (PostgreSQL refuses it in text, after
#: SQLite took it) and lone surrogates (bytes that were not UTF-8, or a ``\ud800``
#: escape in JSON), refused here so a bad file fails validation on every backend.
_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def _text(value: Any) -> Any:
    if not isinstance(value, str):
        return value
    bad = None if value.isascii() and "\x00" not in value else _UNSTORABLE.search(value)
    if bad is not None:
        raise ValueError("contains a NUL character" if bad.group() == "\x00" else "not UTF-8 text")
    return value.strip()


Text = Annotated[str, BeforeValidator(_text)]
Id = Annotated[Text, StringConstraints(min_length=1, max_length=MAX_ID_LENGTH)]
Name = Annotated[Text, StringConstraints(min_length=1, max_length=MAX_NAME_LENGTH)]
OptionalDate = Annotated[date | None, BeforeValidator(_optional_date)]
Provisioning = Annotated[ProvisioningStatus, BeforeValidator(_provisioning)]
Kind = Annotated[SubscriptionKind, BeforeValidator(_kind)]
State = Annotated[SubscriptionState, BeforeValidator(_state)]


def date_problem(kind: SubscriptionKind, start: date | None, end: date | None) -> str | None:
    """What is wrong with a subscription's dates, if anything (the model and the fast
    CSV path, ``core.ingest.csvrow``, both ask this)."""
    if kind is SubscriptionKind.TRIAL and end is None:
        return "a trial needs an end date"
    if start and end and end < start:
        return f"{end.isoformat()} is before start_date {start.isoformat()}"
    return None


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore", str_strip_whitespace=True)


class Service(_Model):
    """One offer inside a subscription, with its own provisioning status."""

    name: Name
    provisioning_status: Provisioning


class Subscription(_Model):
    id: Id
    kind: Kind
    state: State = SubscriptionState.ACTIVE
    start_date: OptionalDate = None
    end_date: OptionalDate = None
    services: list[Service] = Field(min_length=1)

    @model_validator(mode="after")
    def _dates_make_sense(self) -> Subscription:
        problem = date_problem(self.kind, self.start_date, self.end_date)
        if problem:
            raise ValueError(f"end_date: {problem}")
        return self

    @property
    def provisioning_status(self) -> ProvisioningStatus:
        """The status of the most important service (status-reference.md)."""
        status = most_important(service.provisioning_status for service in self.services)
        assert status is not None  # services has at least one item
        return status


class Customer(_Model):
    id: Id
    name: Name
    subscriptions: list[Subscription] = Field(min_length=1)

    @model_validator(mode="after")
    def _unique_subscriptions(self) -> Customer:
        seen: set[str] = set()
        for subscription in self.subscriptions:
            if subscription.id in seen:
                raise ValueError(f"subscriptions: id {subscription.id!r} appears twice")
            seen.add(subscription.id)
        return self

    @property
    def provisioning_status(self) -> ProvisioningStatus:
        status = most_important(sub.provisioning_status for sub in self.subscriptions)
        assert status is not None
        return status
