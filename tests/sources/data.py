"""Small snapshots for the sources suite, in the canonical CSV."""

from __future__ import annotations

HEADER = (
    "customer_id,customer_name,subscription_id,subscription_kind,subscription_state,"
    "start_date,end_date,service,provisioning_status\n"
)


def row(
    customer: str,
    name: str,
    *,
    kind: str = "paid",
    end: str = "2027-06-30",
    status: str = "provisioned",
    service: str = "Webex Calling",
) -> str:
    return f"{customer},{name},sub-{customer},{kind},active,2026-01-01,{end},{service},{status}\n"


def export(*rows: str) -> str:
    return HEADER + "".join(rows)


ACME = row("c-1", "Acme AB")
BETA = row("c-2", "Beta AB", kind="trial", end="2026-12-10")
GAMMA = row("c-3", "Gamma AB", status="failed")
