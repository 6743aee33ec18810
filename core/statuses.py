"""The provisioning and subscription statuses of Partner Hub's Customers tab.

This module is the one place that knows the statuses: their stable keys, their
English and Swedish labels, their one-line meanings and their importance order
(status-reference.md, copied to tests/fixtures/). Everything else reads it.

Enum members are declared most important first; ``rank`` is the position in
that order (0 = most important), so ``min(statuses, key=rank)`` picks the one
that stands for a group.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum
from typing import Literal, TypeVar

Lang = Literal["en", "sv"]
LANGS: tuple[Lang, ...] = ("en", "sv")


@dataclass(frozen=True, slots=True)
class StatusText:
    label_en: str
    label_sv: str
    meaning_en: str
    meaning_sv: str


class ProvisioningStatus(StrEnum):
    """Provisioning status of a service, most important first."""

    FAILED = "failed"
    MANUAL_PARTNER = "manual_partner"
    PENDING_DETAILS = "pending_details"
    MANUAL_CISCO = "manual_cisco"
    PROVISIONING = "provisioning"
    PROVISIONED = "provisioned"

    @property
    def rank(self) -> int:
        return _PROVISIONING_ORDER[self]

    def label(self, lang: Lang = "en") -> str:
        return _label(PROVISIONING_TEXT[self], lang)

    def meaning(self, lang: Lang = "en") -> str:
        return _meaning(PROVISIONING_TEXT[self], lang)

    @property
    def needs_attention(self) -> bool:
        return self in ATTENTION_PROVISIONING


class SubscriptionStatus(StrEnum):
    """Subscription status, most important first."""

    SUSPENDED = "suspended"
    TRIAL_EXPIRED = "trial_expired"
    EXPIRING_30 = "expiring_30"
    TRIAL_EXPIRING_30 = "trial_expiring_30"
    EXPIRING_60 = "expiring_60"
    TRIAL_EXPIRING_60 = "trial_expiring_60"
    TRIAL_ACTIVE = "trial_active"
    ACTIVE = "active"

    @property
    def rank(self) -> int:
        return _SUBSCRIPTION_ORDER[self]

    def label(self, lang: Lang = "en") -> str:
        return _label(SUBSCRIPTION_TEXT[self], lang)

    def meaning(self, lang: Lang = "en") -> str:
        return _meaning(SUBSCRIPTION_TEXT[self], lang)

    @property
    def needs_attention(self) -> bool:
        return self in ATTENTION_SUBSCRIPTION


class SubscriptionKind(StrEnum):
    PAID = "paid"
    TRIAL = "trial"


class SubscriptionState(StrEnum):
    ACTIVE = "active"
    SUSPENDED = "suspended"


PROVISIONING_TEXT: dict[ProvisioningStatus, StatusText] = {
    ProvisioningStatus.FAILED: StatusText(
        "Unable to provision",
        "Det gick inte att tillhandahålla",
        "Configuration hit an error; contact Cisco support.",
        "Tjänsten upptäckte ett fel under konfigurationen; kontakta Cisco support.",
    ),
    ProvisioningStatus.MANUAL_PARTNER: StatusText(
        "Manual provisioning (Partner)",
        "Manuell tillhandahållande (partner)",
        "Waiting for the partner (service provider) to finish the service.",
        "Tjänsten väntar på att tjänsteleverantören ska avsluta tjänsten.",
    ),
    ProvisioningStatus.PENDING_DETAILS: StatusText(
        "Awaiting provisioning details",
        "Inväntar etableringsuppgifter",
        "An administrator of the customer must finish setup in Control Hub.",
        "En administratör hos kunden måste avsluta konfigurationen i Control Hub.",
    ),
    ProvisioningStatus.MANUAL_CISCO: StatusText(
        "Manual provisioning (Cisco)",
        "Manuell tillhandahållande (Cisco)",
        "Waiting for Cisco to finish the service.",
        "Tjänsten väntar på att Cisco ska avsluta tjänsten.",
    ),
    ProvisioningStatus.PROVISIONING: StatusText(
        "Provisioning",
        "Tillhandahållande",
        "The service is being configured.",
        "Tjänsten konfigureras för organisationen.",
    ),
    ProvisioningStatus.PROVISIONED: StatusText(
        "Provisioned",
        "Tillhandahållad",
        "Configured; licenses can now be assigned to users.",
        "Tjänsten är konfigurerad och licenser kan tilldelas användarna.",
    ),
}

SUBSCRIPTION_TEXT: dict[SubscriptionStatus, StatusText] = {
    SubscriptionStatus.SUSPENDED: StatusText(
        "Suspended",
        "Har avbrutits",
        "The customer has not paid for or renewed the subscription.",
        "Kunden har inte betalat för eller förnyat prenumerationen.",
    ),
    SubscriptionStatus.TRIAL_EXPIRED: StatusText(
        "Trial expired",
        "Provperioden har gått ut",
        "The customer's trial has ended.",
        "Kundens utvärdering har upphört att gälla.",
    ),
    SubscriptionStatus.EXPIRING_30: StatusText(
        "Expiring within 30 days",
        "Går ut inom 30 dagar",
        "The subscription ends within 30 days.",
        "Kundens prenumeration upphör att gälla inom 30 dagar.",
    ),
    SubscriptionStatus.TRIAL_EXPIRING_30: StatusText(
        "Trial expiring within 30 days",
        "Provperioden upphör inom 30 dagar",
        "The trial ends within 30 days.",
        "Kundens provprenumeration upphör att gälla inom 30 dagar.",
    ),
    SubscriptionStatus.EXPIRING_60: StatusText(
        "Expiring within 60 days",
        "Går ut inom 60 dagar",
        "The subscription ends within 31 to 60 days.",
        "Kundens prenumeration upphör inom 31 till 60 dagar.",
    ),
    SubscriptionStatus.TRIAL_EXPIRING_60: StatusText(
        "Trial expiring within 60 days",
        "Provperioden upphör inom 60 dagar",
        "The trial ends within 31 to 60 days.",
        "Kundens provprenumeration upphör att gälla inom 31 till 60 dagar.",
    ),
    SubscriptionStatus.TRIAL_ACTIVE: StatusText(
        "Trial active",
        "Provperiod aktiv",
        "The customer has an active trial.",
        "Kunden har en aktiv provperiod.",
    ),
    SubscriptionStatus.ACTIVE: StatusText(
        "Active",
        "Aktiv",
        "The customer has an active subscription.",
        "Kunden har en aktiv prenumeration.",
    ),
}

_PROVISIONING_ORDER = {status: i for i, status in enumerate(ProvisioningStatus)}
_SUBSCRIPTION_ORDER = {status: i for i, status in enumerate(SubscriptionStatus)}
#: Each status at the index of its rank: the store keeps ranks in indexed columns
#: and reads statuses back with these.
PROVISIONING_BY_RANK: tuple[ProvisioningStatus, ...] = tuple(ProvisioningStatus)
SUBSCRIPTION_BY_RANK: tuple[SubscriptionStatus, ...] = tuple(SubscriptionStatus)

#: The named filter "needing attention" (status-reference.md, Filters).
ATTENTION_PROVISIONING: frozenset[ProvisioningStatus] = frozenset(
    {
        ProvisioningStatus.FAILED,
        ProvisioningStatus.MANUAL_PARTNER,
        ProvisioningStatus.PENDING_DETAILS,
    }
)
ATTENTION_SUBSCRIPTION: frozenset[SubscriptionStatus] = frozenset(
    {
        SubscriptionStatus.SUSPENDED,
        SubscriptionStatus.TRIAL_EXPIRED,
        SubscriptionStatus.EXPIRING_30,
        SubscriptionStatus.TRIAL_EXPIRING_30,
    }
)

AnyStatus = TypeVar("AnyStatus", ProvisioningStatus, SubscriptionStatus)


def most_important(statuses: Iterable[AnyStatus]) -> AnyStatus | None:
    """The status that stands for a group: the first in importance order."""
    return min(statuses, key=lambda status: status.rank, default=None)


def _label(text: StatusText, lang: Lang) -> str:
    return text.label_sv if lang == "sv" else text.label_en


def _meaning(text: StatusText, lang: Lang) -> str:
    return text.meaning_sv if lang == "sv" else text.meaning_en


def _fold(text: str) -> str:
    return " ".join(text.casefold().split())


_PROVISIONING_BY_NAME: dict[str, ProvisioningStatus] = {}
for _status, _text in PROVISIONING_TEXT.items():
    for _name in (_status.value, _text.label_en, _text.label_sv):
        _PROVISIONING_BY_NAME[_fold(_name)] = _status
# The seed writes the compound word apart; accept what people copy from it.
_PROVISIONING_BY_NAME[_fold("Inväntar etablerings uppgifter")] = ProvisioningStatus.PENDING_DETAILS


def parse_provisioning_status(value: str) -> ProvisioningStatus:
    """A provisioning status from its key or its English or Swedish label, any case.

    Raises ``ValueError`` with the accepted keys when the value is none of them.
    """
    try:
        return _PROVISIONING_BY_NAME[_fold(value)]
    except KeyError:
        keys = ", ".join(status.value for status in ProvisioningStatus)
        raise ValueError(f"not a provisioning status (expected one of {keys})") from None


def parse_subscription_state(value: str) -> SubscriptionState:
    """``active`` or ``suspended``; ``cancelled``/``canceled`` mean suspended."""
    folded = _fold(value)
    if folded in ("", "active"):
        return SubscriptionState.ACTIVE
    if folded in ("suspended", "cancelled", "canceled"):
        return SubscriptionState.SUSPENDED
    raise ValueError("not a subscription state (expected active, suspended or cancelled)")


def parse_subscription_kind(value: str) -> SubscriptionKind:
    folded = _fold(value)
    try:
        return SubscriptionKind(folded)
    except ValueError:
        raise ValueError("not a subscription kind (expected paid or trial)") from None
