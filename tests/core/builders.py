"""Builders for snapshots in tests: a customer in one line, a CSV in a few."""

from __future__ import annotations

import io
from datetime import date, timedelta
from typing import Any

from core.ingest.snapshot import snapshot_from_customers
from core.ingest.staging import Snapshot
from core.models import Customer

TODAY = date(2026, 11, 27)


def customer(id_: str, name: str | None = None, *subscriptions: dict[str, Any]) -> Customer:
    subs = list(subscriptions) or [sub(f"{id_}-s1")]
    return Customer.model_validate({"id": id_, "name": name or id_.title(), "subscriptions": subs})


def sub(
    id_: str,
    kind: str = "paid",
    left: int | None = 400,
    *,
    state: str = "active",
    provisioning: str | tuple[str, ...] = "provisioned",
) -> dict[str, Any]:
    statuses = (provisioning,) if isinstance(provisioning, str) else provisioning
    return {
        "id": id_,
        "kind": kind,
        "state": state,
        "end_date": None if left is None else (TODAY + timedelta(days=left)).isoformat(),
        "services": [
            {"name": f"Webex Service {i}", "provisioning_status": status}
            for i, status in enumerate(statuses)
        ],
    }


def snapshot(*customers: Customer) -> Snapshot:
    return snapshot_from_customers(customers)


def as_csv(*customers: Customer) -> io.BytesIO:
    from core.ingest.columns import FIELDS

    lines = [",".join(FIELDS)]
    for c in customers:
        for s in c.subscriptions:
            for service in s.services:
                lines.append(
                    ",".join(
                        [
                            c.id,
                            c.name,
                            s.id,
                            s.kind.value,
                            s.state.value,
                            s.start_date.isoformat() if s.start_date else "",
                            s.end_date.isoformat() if s.end_date else "",
                            service.name,
                            service.provisioning_status.value,
                        ]
                    )
                )
    return io.BytesIO(("\n".join(lines) + "\n").encode())
