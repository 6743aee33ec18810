"""Builders for handler and card tests: hostile names, pages, customers, a fake
store, and the context a handler answers in."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from pathlib import Path

from core.models import Customer, Service, Subscription
from core.proactive import DigestQuestion, ProactiveStore, Schedule
from core.query import Query
from core.results import CustomerPage, CustomerRow, Summary
from core.statuses import (
    Lang,
    ProvisioningStatus,
    SubscriptionKind,
    SubscriptionState,
    SubscriptionStatus,
)
from handlers.context import Context, CustomerStore

TODAY = date(2026, 11, 27)

HOSTILE_NAMES = (
    "Acme *Bold* [x](http://evil)",
    "Evil <@all> Corp",
    "<b>Bold</b> & <script>alert(1)</script>",
    "_under_ `code` ~~strike~~ # heading",
    "1. Not a list \\*escaped\\*",
    "Åre Skidskola AB – ä ö å",
    "🚀" * 300,
    "x" * 300,
    "Line\nbreak\r\ttab\u202eevil",
    '=HYPERLINK("http://evil")',
)


def row(index: int, name: str | None = None, **overrides: object) -> CustomerRow:
    provisioning = list(ProvisioningStatus)[index % len(ProvisioningStatus)]
    subscription = list(SubscriptionStatus)[index % len(SubscriptionStatus)]
    values: dict[str, object] = dict(
        id=f"cust-{index:06d}",
        name=name if name is not None else HOSTILE_NAMES[index % len(HOSTILE_NAMES)],
        provisioning_status=provisioning,
        subscription_status=subscription,
        soonest_end_date=TODAY + timedelta(days=index % 40),
        days_left=index % 40,
        subscription_count=1 + index % 3,
    )
    values.update(overrides)
    return CustomerRow(**values)  # type: ignore[arg-type]


def page(total: int, offset: int = 0, size: int = 10, name: str | None = None) -> CustomerPage:
    count = max(0, min(size, total - offset))
    return CustomerPage(
        total=total, offset=offset, rows=tuple(row(offset + i, name) for i in range(count))
    )


def customer(
    name: str = "Acme *Bold* [x](http://evil)",
    subscriptions: int = 2,
    services: int = 2,
    id_: str = "cust-1",
) -> Customer:
    subs = []
    for s in range(subscriptions):
        kind = SubscriptionKind.TRIAL if s % 2 else SubscriptionKind.PAID
        subs.append(
            Subscription(
                id=f"{id_}-sub-{s}-<@all>",
                kind=kind,
                state=SubscriptionState.SUSPENDED if s % 5 == 4 else SubscriptionState.ACTIVE,
                start_date=TODAY - timedelta(days=100),
                end_date=TODAY + timedelta(days=s * 17 - 20),
                services=[
                    Service(
                        name=f"Webex *Calling* {v} [x](y)",
                        provisioning_status=list(ProvisioningStatus)[(s + v) % 6],
                    )
                    for v in range(services)
                ],
            )
        )
    return Customer(id=id_, name=name, subscriptions=subs)


def summary(total: int = 60) -> Summary:
    return Summary(
        total=total,
        provisioning={status: total // (i + 2) for i, status in enumerate(ProvisioningStatus)},
        subscription={status: total // (i + 2) for i, status in enumerate(SubscriptionStatus)},
        needing_attention=total // 2,
    )


@dataclass
class FakeStore:
    """Answers like core.store.Store from fixed values (for size and unit tests)."""

    total: int = 0
    name: str | None = None
    customers: dict[str, Customer] = field(default_factory=dict)
    the_summary: Summary = field(default_factory=summary)
    queries: list[tuple[Query, int, int | None]] = field(default_factory=list)

    def query(
        self, query: Query, today: date, *, offset: int = 0, limit: int | None = None
    ) -> CustomerPage:
        self.queries.append((query, offset, limit))
        return page(self.total, offset, limit or 10, self.name)

    def customer(self, customer_id: str) -> Customer | None:
        return self.customers.get(customer_id)

    def iter_customers(self, query: Query, today: date) -> Iterator[Customer]:
        yield from self.customers.values()

    def summary(self, today: date) -> Summary:
        return self.the_summary


CSV_HEADER = (
    "customer_id,customer_name,subscription_id,subscription_kind,subscription_state,"
    "start_date,end_date,service,provisioning_status\n"
)


def write_csv(path: Path, rows: list[str]) -> Path:
    path.write_text(CSV_HEADER + "".join(line + "\n" for line in rows), encoding="utf-8")
    return path


def context(
    store: CustomerStore | None = None,
    lang: Lang = "en",
    today: date = TODAY,
    *,
    proactive: ProactiveStore | None = None,
    room_id: str = "",
) -> Context:
    """A handler's context at noon UTC on ``today`` (a FakeStore when none is given),
    in the space ``room_id`` when given."""
    return Context(
        store=FakeStore() if store is None else store,
        lang=lang,
        today=today,
        now=datetime.combine(today, time(12), UTC),
        room_id=room_id,
        proactive=proactive,
    )


def seeded_space(proactive: ProactiveStore) -> str:
    """A new space with alerts on (number 1) and a daily digest of the customers
    needing attention (number 2), the items the manifest's examples name; its id."""
    room_id = f"room-{uuid.uuid4()}"
    proactive.set_alerts(room_id, Query(needing_attention=True), created_by="tester")
    question = DigestQuestion("list", Query(needing_attention=True))
    proactive.add_digest(room_id, Schedule("daily", time(8)), question, created_by="tester")
    return room_id
