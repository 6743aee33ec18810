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

import threading
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Literal

from sqlalchemy import func, select

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
    states, last = _read(store)
    return _status(states, last, now, stale_after, zone)


def _read(store: Store) -> tuple[tuple[state.SourceState, ...], dict[str, Any] | None]:
    states = state.read_all(store.engine)
    with store.engine.connect() as connection:
        last = (
            connection.execute(select(imports).order_by(imports.c.id.desc()).limit(1))
            .mappings()
            .first()
        )
    return tuple(states), dict(last) if last else None


def _status(
    states: tuple[state.SourceState, ...],
    last: dict[str, Any] | None,
    now: datetime,
    stale_after: timedelta,
    zone: str,
) -> DataStatus:
    synced = next((row for row in states if row.name == state.SNAPSHOT), None)
    return DataStatus(_freshness(synced, last, now, stale_after), states, zone, stale_after)


class DataStatusCache:
    """:func:`data_status` for every reply, read again only when the data changed.

    What it reads changes only when an import lands (a new ``imports`` row) or a
    sync attempt is recorded (``source_state``), possibly in another process. So
    each call asks one small question, the newest import's id, the latest sync
    attempt and the number of sources, and reads the rows again only when that
    answer differs from last time. Staleness is worked out afresh from ``now`` on
    every call: time passing needs no read.
    """

    def __init__(self, store: Store) -> None:
        self.store = store
        self._lock = threading.Lock()
        self._generation: tuple[Any, ...] | None = None
        self._rows: tuple[tuple[state.SourceState, ...], dict[str, Any] | None] = ((), None)

    def __call__(self, now: datetime, *, stale_after: timedelta, zone: str) -> DataStatus:
        generation = self._current_generation()
        with self._lock:
            fresh = generation == self._generation
            rows = self._rows
        if not fresh:
            # read after the generation: rows at least as new as it (an import landing in
            # between is read now and read again next time, never missed)
            rows = _read(self.store)
            with self._lock:
                self._generation, self._rows = generation, rows
        return _status(*rows, now, stale_after, zone)

    def _current_generation(self) -> tuple[Any, ...]:
        state.ensure_table(self.store.engine)
        sources = state.source_state.c
        question = select(
            select(func.max(imports.c.id)).scalar_subquery(),
            select(func.max(sources.last_attempt)).scalar_subquery(),
            select(func.count()).select_from(state.source_state).scalar_subquery(),
        )
        with self.store.engine.connect() as connection:
            return tuple(connection.execute(question).one())
