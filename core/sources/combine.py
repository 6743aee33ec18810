"""Several sources, one snapshot.

A snapshot is complete, so the customers of every source are joined into one
and applied together. An id may come from one source only: the same customer
(or subscription) from two would make one of them silently win, so it is an
error that names both sources, and nothing is applied.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from core.snapshot import Snapshot
from core.sources.base import SourceError

MAX_LISTED = 50


def combine(parts: Sequence[tuple[str, Snapshot]]) -> Snapshot:
    """One snapshot from ``(source name, snapshot)`` pairs, or SourceError."""
    if len(parts) == 1:
        return parts[0][1]
    result = Snapshot()
    owner: dict[str, str] = {}
    sub_owner: dict[str, str] = {}
    clashes: list[str] = []
    for name, snapshot in parts:
        for customer_id, customer_name in snapshot.customers.items():
            if customer_id in owner:
                clashes.append(
                    f"customer id {customer_id!r} comes from {owner[customer_id]} and {name}"
                )
                continue
            owner[customer_id] = name
            result.customers[customer_id] = customer_name
        for subscription_id, values in snapshot.subscriptions.items():
            if subscription_id in sub_owner:
                if owner.get(values[0]) == name:  # else its customer's clash says it already
                    clashes.append(
                        f"subscription id {subscription_id!r} comes from "
                        f"{sub_owner[subscription_id]} and {name}"
                    )
                continue
            sub_owner[subscription_id] = name
            result.subscriptions[subscription_id] = values
        result.services.extend(snapshot.services)
    if clashes:
        names = " and ".join(dict.fromkeys(name for name, _ in parts))
        raise SourceError(
            names,
            f"not applied: {len(clashes)} id(s) come from two sources",
            invalid=True,
            details=tuple(clashes[:MAX_LISTED]),
        )
    digests = "\n".join(f"{name}\t{snapshot.digest}" for name, snapshot in parts)
    result.digest = hashlib.sha256(digests.encode()).hexdigest()
    return result
