"""The summary counts ``classification.classify`` stores with each day's statuses
(JSON in ``classification.summary``), read back as ``Summary``: by the store and
by the light reader alike."""

from __future__ import annotations

import json

from core.results import Summary
from core.statuses import ProvisioningStatus, SubscriptionStatus
from core.store.sql import Run

#: One row: the counts the last classification stored.
SUMMARY = "SELECT classification.summary FROM classification"


def summary(run: Run) -> Summary:
    """The counts stored by the last classification (all zero before any)."""
    found = run(SUMMARY, {})
    counts = json.loads((found[0][0] if found else None) or "{}")
    return Summary(
        total=counts.get("total", 0),
        provisioning={
            status: counts.get("provisioning", {}).get(str(status.rank), 0)
            for status in ProvisioningStatus
        },
        subscription={
            status: counts.get("subscription", {}).get(str(status.rank), 0)
            for status in SubscriptionStatus
        },
        needing_attention=counts.get("needing_attention", 0),
    )
