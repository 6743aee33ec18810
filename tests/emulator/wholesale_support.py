"""Wholesale customers for the emulator (as Cisco's spec shapes them), and
Cisco's wholesale.json (vendored in tests/fixtures/openapi)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import requests

from emulator.server import ServerHandle

WHOLESALE_SPEC = Path(__file__).resolve().parents[1] / "fixtures" / "openapi" / "wholesale.json"
ADMIN_TOKEN = "ALICE_TOKEN"  # a person's token: a bot's cannot read wholesale customers

STATUSES = (
    "provisioned",
    "provisioned_with_errors",
    "provisioning",
    "updating",
    "deleting",
    "error",
    "pending_rpl_review",
)


def wholesale_customer(number: int, status: str | None = None) -> dict[str, Any]:
    """Customer ``number``: statuses in turn; provisioned ones have an orgId and
    detailed packages (``webex_calling`` failing when provisioned with errors)."""
    status = status or STATUSES[number % len(STATUSES)]
    customer: dict[str, Any] = {
        "id": f"wc-{number:04d}",
        "externalId": f"ext-{number:04d}",
        "address": {"addressLine1": f"{number} Main Street", "city": "Lund", "country": "SE"},
        "status": status,
        "packages": ["webex_calling", "webex_meetings"],
    }
    if status in ("provisioned", "provisioned_with_errors", "updating", "deleting"):
        customer["orgId"] = f"org-{number:04d}"
        calling = "error" if status == "provisioned_with_errors" else "provisioned"
        customer["resourceDetails"] = {
            "packages": [
                {"name": "webex_calling", "status": calling}
                | (
                    {"warnings": [{"errorCode": 2560, "description": "Calling unavailable."}]}
                    if calling == "error"
                    else {}
                ),
                {"name": "webex_meetings", "status": "provisioned"},
            ]
        }
    return customer


def fill(
    handle: ServerHandle, customers: list[dict[str, Any]], *, unnamed: frozenset[str] = frozenset()
) -> None:
    """Put ``customers`` and their organizations (but those in ``unnamed``) in the emulator."""
    organizations = [
        {"id": c["orgId"], "displayName": f"Kund {c['id'][3:]} AB"}
        for c in customers
        if c.get("orgId") and c["orgId"] not in unnamed
    ]
    answer = requests.put(
        handle.url + "/_emulator/wholesale",
        json={"customers": customers, "organizations": organizations},
        timeout=10,
    )
    assert answer.status_code == 200, answer.text


def load_wholesale_spec() -> dict[str, Any]:
    document: dict[str, Any] = json.loads(WHOLESALE_SPEC.read_text(encoding="utf-8"))
    return document
