"""How old the data behind an answer is, for the line every list and detail
card carries ("Data as of 08:15, Partner Hub export") and its warning.

The time is the last successful sync (a sync that found nothing new still
proves the data current), or, where data only comes in by ``statusbot
import``, that import. Stale means a sync has been tried and its last success
is older than the limit (STATUSBOT_STALE_MINUTES), or it never succeeded:
data imported by hand, with no sources, is never called stale (nothing is
expected to refresh it).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import select

from core.clock import aware
from core.sources import state
from core.store import Store
from core.store.schema import imports

#: What the data came from, as cards name it (their words are in handlers' i18n).
Origin = Literal["export", "wholesale", "mixed", "import"]


@dataclass(frozen=True, slots=True)
class Freshness:
    as_of: datetime | None  # aware; None when a sync never succeeded and nothing was imported
    origin: Origin
    stale: bool
    last_success: datetime | None  # of the sync (None when never, or no sync at all)


def freshness(store: Store, now: datetime, limit: timedelta) -> Freshness | None:
    """The data's age and origin; None before any data or sync."""
    return _freshness(state.snapshot_state(store.engine), store.last_import(), now, limit)


def _freshness(
    synced: state.SourceState | None,
    last: Mapping[str, Any] | None,
    now: datetime,
    limit: timedelta,
) -> Freshness | None:
    imported = aware(last["imported_at"]) if last else None
    by_hand = last is not None and not str(last["source"]).startswith("sync: ")
    if synced is None:
        return Freshness(imported, "import", False, None) if imported else None
    as_of = synced.last_success
    origin = _origin(synced.kind)
    if by_hand and imported is not None and (as_of is None or imported > as_of):
        as_of, origin = imported, "import"
    return Freshness(as_of, origin, synced.is_stale(now, limit), synced.last_success)


def _origin(kinds: str) -> Origin:
    found = set(kinds.split(",")) - {"", "none"}
    if found == {"wholesale"}:
        return "wholesale"
    if found == {"export"}:
        return "export"
    return "mixed" if found else "import"


@dataclass(frozen=True, slots=True)
class DataStatus:
    """What replies say about the data: its freshness (cards' "Data as of" line),
    each source's state (the ``sources`` command), in the partner's time zone."""

    freshness: Freshness | None
    sources: tuple[state.SourceState, ...]
    zone: str
    stale_after: timedelta


def data_status(store: Store, now: datetime, *, stale_after: timedelta, zone: str) -> DataStatus:
    """Read on demand (a list, a detail, ``sources``): one connection, two small SELECTs."""
    states = state.read_all(store.engine)
    with store.engine.connect() as connection:
        last = (
            connection.execute(select(imports).order_by(imports.c.id.desc()).limit(1))
            .mappings()
            .first()
        )
    synced = next((row for row in states if row.name == state.SNAPSHOT), None)
    found = _freshness(synced, dict(last) if last else None, now, stale_after)
    return DataStatus(found, tuple(states), zone, stale_after)
