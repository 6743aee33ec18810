"""Whole customers from flat rows, one customer at a time.

The store and a staged snapshot both hold a customer as rows (one per service,
joined to its subscription and customer). Reading them back as models for
everyone at once would hold every row in memory; rows sorted by customer and
subscription can be grouped as they stream instead.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from itertools import groupby
from typing import Any

from core.models import Customer, Service, Subscription
from core.statuses import ProvisioningStatus, SubscriptionKind, SubscriptionState

#: (customer key, customer id, customer name, subscription id, kind, state,
#: start date, end date, service name, provisioning status), sorted by the
#: customer key, then the subscription.
ServiceRow = Sequence[Any]


def customers_from_rows(rows: Iterable[ServiceRow]) -> Iterator[Customer]:
    """Group sorted rows into customers; the rows come from the store, already valid."""
    for (_key, id_, name), of_customer in groupby(rows, key=lambda row: row[:3]):
        subscriptions = [
            Subscription.model_construct(
                id=sub_id,
                kind=SubscriptionKind(kind),
                state=SubscriptionState(state),
                start_date=_date(start),
                end_date=_date(end),
                services=[
                    Service.model_construct(
                        name=row[8], provisioning_status=ProvisioningStatus(row[9])
                    )
                    for row in of_subscription
                ],
            )
            for (sub_id, kind, state, start, end), of_subscription in groupby(
                of_customer, key=lambda row: row[3:8]
            )
        ]
        yield Customer.model_construct(id=id_, name=name, subscriptions=subscriptions)


def _date(value: Any) -> date | None:
    """Dates come back as text from the scratch database and as dates from the store."""
    return date.fromisoformat(value) if isinstance(value, str) else value
