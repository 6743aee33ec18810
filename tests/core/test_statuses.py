from __future__ import annotations

import pytest

from core.statuses import (
    ATTENTION_PROVISIONING,
    ATTENTION_SUBSCRIPTION,
    ProvisioningStatus,
    SubscriptionState,
    SubscriptionStatus,
    most_important,
    parse_provisioning_status,
    parse_subscription_state,
)


def test_provisioning_order_is_the_reference_order() -> None:
    assert [status.value for status in ProvisioningStatus] == [
        "failed",
        "manual_partner",
        "pending_details",
        "manual_cisco",
        "provisioning",
        "provisioned",
    ]
    assert [status.rank for status in ProvisioningStatus] == list(range(6))


def test_subscription_order_is_the_reference_order() -> None:
    assert [status.value for status in SubscriptionStatus] == [
        "suspended",
        "trial_expired",
        "expiring_30",
        "trial_expiring_30",
        "expiring_60",
        "trial_expiring_60",
        "trial_active",
        "active",
    ]


@pytest.mark.parametrize(
    ("status", "english", "swedish"),
    [
        (ProvisioningStatus.FAILED, "Unable to provision", "Det gick inte att tillhandahålla"),
        (
            ProvisioningStatus.PENDING_DETAILS,
            "Awaiting provisioning details",
            "Inväntar etableringsuppgifter",
        ),
        (
            ProvisioningStatus.MANUAL_PARTNER,
            "Manual provisioning (Partner)",
            "Manuell tillhandahållande (partner)",
        ),
        (SubscriptionStatus.SUSPENDED, "Suspended", "Har avbrutits"),
        (SubscriptionStatus.TRIAL_EXPIRED, "Trial expired", "Provperioden har gått ut"),
        (SubscriptionStatus.TRIAL_ACTIVE, "Trial active", "Provperiod aktiv"),
        (SubscriptionStatus.EXPIRING_60, "Expiring within 60 days", "Går ut inom 60 dagar"),
    ],
)
def test_labels_in_both_languages(
    status: ProvisioningStatus | SubscriptionStatus, english: str, swedish: str
) -> None:
    assert status.label("en") == english
    assert status.label("sv") == swedish


def test_every_status_has_text_in_both_languages() -> None:
    for status in [*ProvisioningStatus, *SubscriptionStatus]:
        for lang in ("en", "sv"):
            assert status.label(lang) and status.meaning(lang)
        assert status.meaning("en") != status.meaning("sv")


def test_most_important() -> None:
    assert most_important([ProvisioningStatus.PROVISIONED, ProvisioningStatus.MANUAL_CISCO]) is (
        ProvisioningStatus.MANUAL_CISCO
    )
    assert most_important([SubscriptionStatus.ACTIVE, SubscriptionStatus.SUSPENDED]) is (
        SubscriptionStatus.SUSPENDED
    )
    assert most_important([]) is None


def test_attention_sets() -> None:
    assert {s.value for s in ATTENTION_PROVISIONING} == {
        "failed",
        "manual_partner",
        "pending_details",
    }
    assert {s.value for s in ATTENTION_SUBSCRIPTION} == {
        "suspended",
        "trial_expired",
        "expiring_30",
        "trial_expiring_30",
    }
    assert ProvisioningStatus.FAILED.needs_attention
    assert not SubscriptionStatus.EXPIRING_60.needs_attention


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("failed", ProvisioningStatus.FAILED),
        ("UNABLE TO PROVISION", ProvisioningStatus.FAILED),
        ("det gick inte att tillhandahålla", ProvisioningStatus.FAILED),
        ("Inväntar etablerings uppgifter", ProvisioningStatus.PENDING_DETAILS),
        ("  Manual  provisioning (Cisco) ", ProvisioningStatus.MANUAL_CISCO),
        ("Tillhandahållad", ProvisioningStatus.PROVISIONED),
    ],
)
def test_parse_provisioning_status_accepts_keys_and_labels(
    text: str, expected: ProvisioningStatus
) -> None:
    assert parse_provisioning_status(text) is expected


def test_parse_provisioning_status_names_the_choices() -> None:
    with pytest.raises(ValueError, match="expected one of failed, manual_partner"):
        parse_provisioning_status("done")


@pytest.mark.parametrize("text", ["cancelled", "Canceled", "SUSPENDED"])
def test_cancelled_means_suspended(text: str) -> None:
    assert parse_subscription_state(text) is SubscriptionState.SUSPENDED
