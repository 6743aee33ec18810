"""Webex Wholesale in the emulator: the partner's wholesale customers and the
organizations that name them.

Tests and demos put customers in with ``PUT /_emulator/wholesale``; the API
serves them as Cisco's spec (wholesale.json) describes: ``GET
/v1/wholesale/customers`` paged with ``offset``/``max`` and filtered by
``status``, ``externalId`` and ``orgId``; ``GET /v1/wholesale/customers/{id}``;
and ``GET /v1/organizations/{orgId}`` for a customer's ``displayName``. Only a
person's token reads wholesale customers: a bot's cannot hold
``spark-admin:wholesale_customers_read``, so it gets 403 as on Webex.
"""

from __future__ import annotations

import threading
from typing import Any

JsonDict = dict[str, Any]

CUSTOMER_STATUSES = frozenset(
    {
        "provisioned",
        "provisioned_with_errors",
        "provisioning",
        "updating",
        "deleting",
        "error",
        "pending_rpl_review",
    }
)
PACKAGE_STATUSES = frozenset({"provisioned", "provisioning", "deleting", "error"})
CUSTOMER_FIELDS = frozenset(
    {"id", "orgId", "externalId", "address", "status", "packages", "resourceDetails", "errors"}
)


class WholesaleBook:
    """The customers (in order) and organizations, behind one lock."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.customers: list[JsonDict] = []
        self.organizations: dict[str, JsonDict] = {}

    def replace(self, body: JsonDict) -> tuple[int, int]:
        """Replace everything from ``{"customers": [...], "organizations": [...]}``;
        ValueError says what is wrong (nothing is changed then)."""
        customers = body.get("customers", [])
        organizations = body.get("organizations", [])
        if not isinstance(customers, list) or not isinstance(organizations, list):
            raise ValueError("'customers' and 'organizations' must be lists")
        for index, customer in enumerate(customers):
            _check_customer(index, customer)
        orgs: dict[str, JsonDict] = {}
        for index, org in enumerate(organizations):
            if not isinstance(org, dict) or not org.get("id") or not org.get("displayName"):
                raise ValueError(f"organizations[{index}]: 'id' and 'displayName' are required")
            orgs[str(org["id"])] = {
                "id": str(org["id"]),
                "displayName": str(org["displayName"]),
                "created": str(org.get("created") or "2024-01-01T00:00:00.000Z"),
            }
        with self.lock:
            self.customers = [dict(customer) for customer in customers]
            self.organizations = orgs
        return len(customers), len(orgs)

    def clear(self) -> None:
        with self.lock:
            self.customers = []
            self.organizations = {}

    def find(self, status: set[str], external_id: str | None, org_id: str | None) -> list[JsonDict]:
        with self.lock:
            found = list(self.customers)
        if status:
            found = [c for c in found if c["status"] in status]
        if external_id:
            found = [c for c in found if c.get("externalId") == external_id]
        if org_id:
            found = [c for c in found if c.get("orgId") == org_id]
        return found

    def customer(self, customer_id: str) -> JsonDict | None:
        with self.lock:
            return next((c for c in self.customers if c["id"] == customer_id), None)

    def organization(self, org_id: str) -> JsonDict | None:
        with self.lock:
            return self.organizations.get(org_id)


def _check_customer(index: int, customer: Any) -> None:
    where = f"customers[{index}]"
    if not isinstance(customer, dict) or not isinstance(customer.get("id"), str):
        raise ValueError(f"{where}: an object with a string 'id' is required")
    unknown = set(customer) - CUSTOMER_FIELDS
    if unknown:
        raise ValueError(f"{where}: fields not in Cisco's Customer: {', '.join(sorted(unknown))}")
    if customer.get("status") not in CUSTOMER_STATUSES:
        raise ValueError(f"{where}.status: one of {', '.join(sorted(CUSTOMER_STATUSES))}")
    details = customer.get("resourceDetails") or {}
    for number, package in enumerate(details.get("packages", [])):
        if package.get("status") not in PACKAGE_STATUSES:
            raise ValueError(f"{where}.resourceDetails.packages[{number}].status: not valid")
