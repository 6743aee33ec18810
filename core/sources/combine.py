"""Several sources, one snapshot.

A snapshot is complete, so the customers of every source are joined into one
and applied together. An id may come from one source only: the same customer
(or subscription) from two would make one of them silently win, so it is an
error that names both sources, and nothing is applied.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

from core.ingest.staging import Snapshot
from core.ingest.staging_merge import merge
from core.sources.base import SourceError

MAX_LISTED = 50


def combine(parts: Sequence[tuple[str, Snapshot]]) -> Snapshot:
    """One snapshot from ``(source name, snapshot)`` pairs, or SourceError."""
    if len(parts) == 1:
        return parts[0][1]
    # Joined in the parts' scratch databases: memory stays flat (core.ingest.staging_merge).
    result, clashes = merge(parts, limit=MAX_LISTED)
    if clashes:
        result.close()
        names = " and ".join(dict.fromkeys(name for name, _ in parts))
        raise SourceError(
            names,
            f"not applied: {len(clashes)}{'+' if len(clashes) >= MAX_LISTED else ''} id(s) "
            "come from two sources",
            invalid=True,
            details=tuple(clashes[:MAX_LISTED]),
        )
    digests = "\n".join(f"{name}\t{snapshot.digest}" for name, snapshot in parts)
    result.digest = hashlib.sha256(digests.encode()).hexdigest()
    return result
