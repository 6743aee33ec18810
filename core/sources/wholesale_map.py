"""Webex Wholesale's customers as ours: the shape (Cisco's spec,
wholesale.json) and the mapping of its statuses onto the six provisioning
statuses. The whole table, with reasons, is in the README ("Webex Wholesale").

Wholesale bills monthly with no term, so each customer carries one evergreen
paid subscription; each package is a service.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from core.models import Customer, Service, Subscription
from core.statuses import ProvisioningStatus, SubscriptionKind, SubscriptionState

P = ProvisioningStatus
CustomerStatus = Literal[
    "provisioned",
    "provisioned_with_errors",
    "provisioning",
    "updating",
    "deleting",
    "error",
    "pending_rpl_review",
]
PackageStatus = Literal["provisioned", "provisioning", "deleting", "error"]

#: A package's own status, when the customer's does not override it.
PACKAGE_STATUS: dict[str, ProvisioningStatus] = {
    "provisioned": P.PROVISIONED,
    "provisioning": P.PROVISIONING,
    "deleting": P.PROVISIONING,  # a change under way that nobody has to act on
    "error": P.FAILED,  # "contact Cisco support", as Partner Hub's failed status says
}

#: The customer's status, for packages it lists without details of their own.
CUSTOMER_STATUS: dict[str, ProvisioningStatus] = {
    "provisioned": P.PROVISIONED,
    "provisioned_with_errors": P.PROVISIONED,  # the failing packages carry status "error"
    "provisioning": P.PROVISIONING,
    "updating": P.PROVISIONING,
    "deleting": P.PROVISIONING,
    "error": P.FAILED,
    "pending_rpl_review": P.MANUAL_CISCO,
}

#: Customer statuses that decide every package's status, whatever the package says:
#: Cisco's compliance team holds the whole customer until the review is done.
CUSTOMER_OVERRIDES: dict[str, ProvisioningStatus] = {"pending_rpl_review": P.MANUAL_CISCO}

#: Names from the spec's WholesalePackagesCustomer descriptions.
PACKAGE_NAMES = {
    "common_area_calling": "Webex Common Area Calling",
    "webex_calling": "Webex Calling",
    "webex_meetings": "Webex Meetings",
    "webex_suite": "Webex Suite",
    "webex_voice": "Webex Voice",
    "cx_essentials": "Customer Assist",
    "webex_calling_standard": "Webex Calling Standard",
    "cisco_calling_plan": "Cisco Calling Plan",
    "attendant_console": "Attendant Console",
    "cx_premium_agent": "Contact Center Premium Agent",
    "cx_standard_agent": "Contact Center Standard Agent",
    "cx_voice_ports": "Contact Center Voice Ports",
    "cx_ai_assistant": "Contact Center AI Assistant",
    "webex_ai_agent": "Webex AI Agent",
}
#: A customer with no package at all still has its status shown.
NO_PACKAGE = "Webex Wholesale"


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="ignore")


class WholesalePackage(_Model):
    name: str = Field(min_length=1)
    status: PackageStatus


class WholesaleDetails(_Model):
    packages: list[WholesalePackage] = Field(default_factory=list)


class WholesaleCustomer(_Model):
    """``GET /v1/wholesale/customers`` items: no name; ``orgId`` once provisioned."""

    id: str = Field(min_length=1, max_length=200)
    orgId: str | None = None
    externalId: str | None = None
    status: CustomerStatus
    packages: list[str] = Field(default_factory=list)
    resourceDetails: WholesaleDetails | None = None


def services_of(customer: WholesaleCustomer) -> list[Service]:
    """Each package as a service with its mapped status (see the tables above)."""
    override = CUSTOMER_OVERRIDES.get(customer.status)
    fallback = CUSTOMER_STATUS[customer.status]
    detailed = {p.name: p.status for p in (customer.resourceDetails or WholesaleDetails()).packages}
    names = list(dict.fromkeys([*customer.packages, *detailed]))
    if not names:
        return [Service(name=NO_PACKAGE, provisioning_status=override or fallback)]
    services = []
    for package in names:
        status = override or (
            PACKAGE_STATUS[detailed[package]] if package in detailed else fallback
        )
        services.append(
            Service(name=PACKAGE_NAMES.get(package, package), provisioning_status=status)
        )
    return services


def to_customer(customer: WholesaleCustomer, name: str | None) -> Customer:
    """Our customer: named by its organization (or its external id before it
    exists), one evergreen paid subscription holding its packages."""
    return Customer(
        id=customer.id,
        name=name or customer.externalId or customer.id,
        subscriptions=[
            Subscription(
                id=f"wholesale:{customer.id}",
                kind=SubscriptionKind.PAID,
                state=SubscriptionState.ACTIVE,
                services=services_of(customer),
            )
        ],
    )
