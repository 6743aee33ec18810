from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from core.models import Customer, Subscription
from core.statuses import ProvisioningStatus, SubscriptionState


def subscription(**fields: Any) -> dict[str, Any]:
    base: dict[str, Any] = {
        "id": "s1",
        "kind": "paid",
        "services": [{"name": "Webex Calling", "provisioning_status": "provisioned"}],
    }
    return base | fields


def problems(error: ValidationError) -> list[tuple[str, str]]:
    return [(".".join(map(str, e["loc"])), e["msg"]) for e in error.errors()]


def test_labels_and_cancelled_are_accepted() -> None:
    sub = Subscription.model_validate(
        subscription(
            state="Cancelled",
            services=[
                {"name": "Webex Suite", "provisioning_status": "Inväntar etableringsuppgifter"}
            ],
        )
    )
    assert sub.state is SubscriptionState.SUSPENDED
    assert sub.provisioning_status is ProvisioningStatus.PENDING_DETAILS


def test_a_trial_needs_an_end_date() -> None:
    with pytest.raises(ValidationError) as caught:
        Subscription.model_validate(subscription(kind="trial"))
    assert "a trial needs an end date" in str(caught.value)


def test_end_before_start_is_refused_with_both_dates() -> None:
    with pytest.raises(ValidationError) as caught:
        Subscription.model_validate(subscription(start_date="2026-05-01", end_date="2026-04-01"))
    assert "2026-04-01 is before start_date 2026-05-01" in str(caught.value)


def test_errors_name_field_and_reason() -> None:
    with pytest.raises(ValidationError) as caught:
        Subscription.model_validate(
            subscription(
                kind="gratis",
                end_date="31/12/2026",
                services=[{"name": "", "provisioning_status": "done"}],
            )
        )
    found = dict(problems(caught.value))
    assert "expected paid or trial" in found["kind"]
    assert "expected YYYY-MM-DD" in found["end_date"]
    assert "services.0.name" in found
    assert "expected one of failed" in found["services.0.provisioning_status"]


def test_customer_refuses_duplicate_subscription_ids() -> None:
    with pytest.raises(ValidationError, match="appears twice"):
        Customer.model_validate(
            {"id": "c", "name": "Acme", "subscriptions": [subscription(), subscription()]}
        )


def test_customer_needs_a_subscription_and_a_name() -> None:
    with pytest.raises(ValidationError) as caught:
        Customer.model_validate({"id": "c", "name": "  ", "subscriptions": []})
    fields = {loc for loc, _ in problems(caught.value)}
    assert fields == {"name", "subscriptions"}
