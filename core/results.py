"""What the store answers: plain, frozen values that replies are built from."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import NamedTuple

from core.statuses import ProvisioningStatus, SubscriptionStatus


class CustomerRow(NamedTuple):
    """One customer in a list: its most important statuses and soonest end date.

    ``soonest_end_date`` is the earliest end date of the subscriptions whose
    status the row shows (``subscription_status``), so the two read true
    together: a trial expired's past end (``days_left`` < 0), None for
    suspended or evergreen; ``days_left`` counts to it. A named tuple:
    a list can hold 100,000 of them, and they are made in a tight loop.
    """

    id: str
    name: str
    provisioning_status: ProvisioningStatus
    subscription_status: SubscriptionStatus
    soonest_end_date: date | None
    days_left: int | None
    subscription_count: int

    @property
    def needs_attention(self) -> bool:
        return self.provisioning_status.needs_attention or (
            self.subscription_status.needs_attention
        )


@dataclass(frozen=True, slots=True)
class CustomerPage:
    """A window (offset, limit) of every match, in the stable list order."""

    total: int
    offset: int
    rows: tuple[CustomerRow, ...]


@dataclass(frozen=True, slots=True)
class Summary:
    """How many customers match each status (filter semantics: at least one
    subscription with it), and how many need attention, out of ``total``."""

    total: int
    provisioning: dict[ProvisioningStatus, int]
    subscription: dict[SubscriptionStatus, int]
    needing_attention: int


@dataclass(frozen=True, slots=True)
class Transition:
    """A change of a customer's list statuses between two snapshots."""

    customer_id: str
    customer_name: str
    dimension: str  # "provisioning" or "subscription"
    old: str | None  # status key; None when the customer is new
    new: str | None  # status key; None when the customer is gone
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class ImportResult:
    customers: int
    subscriptions: int
    services: int
    added: int
    removed: int
    transitions: tuple[Transition, ...] = field(default=())
    unchanged: bool = False
