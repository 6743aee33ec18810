"""One sync: fetch every source, combine, apply as one snapshot, remember.

``sync_all`` is what ``statusbot sync`` and the scheduler call. Every source
is fetched whole before anything is written; any failure (timeout, HTTP
error, refused address, bad data, a file still being written) keeps the last
good snapshot answering, is written to the source's state (last error, failures
in a row, next run with backoff) and logged without credentials or customer
data. The snapshot is applied with the import rules: one transaction,
transitions recorded, identical data a no-op.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Literal

from sqlalchemy.engine import Connection

from core.ingest.staging import Snapshot
from core.results import ImportResult
from core.sources import state
from core.sources.base import Source, SourceError, SourceNotReady
from core.sources.combine import combine
from core.store import Store

log = logging.getLogger("statusbot.sources")

DEFAULT_INTERVAL = timedelta(minutes=15)
FIRST_RETRY = timedelta(seconds=30)

Outcome = Literal["applied", "unchanged", "failed", "waiting"]


@dataclass(frozen=True, slots=True)
class SyncReport:
    """What one sync did. ``errors`` hold every failed source (or the combination);
    ``result`` the import's counts and transitions when it was applied."""

    outcome: Outcome
    next_run: datetime
    result: ImportResult | None = None
    errors: tuple[SourceError, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.outcome in ("applied", "unchanged")

    @property
    def invalid(self) -> bool:
        """Bad data (fix it at the source) rather than an unreachable source."""
        return any(error.invalid for error in self.errors)

    def summary(self) -> str:
        """One line for a person or a log: counts and reasons, no customer data."""
        if self.outcome == "applied" and self.result is not None:
            r = self.result
            return (
                f"applied: {r.customers} customers, {r.subscriptions} subscriptions, "
                f"{r.services} services ({r.added} added, {r.removed} removed, "
                f"{len(r.transitions)} status changes)"
            )
        if self.outcome == "unchanged":
            return "unchanged: the sources hold the data already applied"
        reasons = "; ".join(str(error) for error in self.errors)
        return f"not applied, the last good snapshot still answers: {reasons}"


def backoff(failures: int, interval: timedelta, retry_after: float | None = None) -> timedelta:
    """30 s, 1 min, 2 min, … after failures in a row, never longer than the interval;
    a server's Retry-After is honoured within the same bound."""
    delay = FIRST_RETRY * (1 << min(max(failures - 1, 0), 20))
    if retry_after is not None:
        delay = max(delay, timedelta(seconds=retry_after))
    return min(delay, interval)


def sync_all(
    store: Store,
    sources: Sequence[Source],
    now: datetime,
    *,
    today: date | None = None,
    interval: timedelta = DEFAULT_INTERVAL,
) -> SyncReport:
    """Fetch every source, and apply them as one snapshot or not at all.

    ``now`` is an aware datetime (the clock is the caller's: tests inject it);
    ``today`` classifies the import (default ``now``'s date); ``interval`` is
    the time to the next run after a success (STATUSBOT_SYNC_MINUTES).
    """
    state.ensure_table(store.engine)
    parts: list[tuple[str, Snapshot]] = []
    errors: list[SourceError] = []
    with store.engine.begin() as connection:
        for source in sources:
            try:
                fetched = source.fetch(now)
            except SourceError as error:
                errors.append(error)
                _failed(connection, source.name, source.kind, now, error, interval)
                continue
            except Exception as error:  # a bug must not stop the other sources' reports
                log.exception("source %s: unexpected error", source.name)
                wrapped = SourceError(source.name, f"unexpected error ({type(error).__name__})")
                errors.append(wrapped)
                _failed(connection, source.name, source.kind, now, wrapped, interval)
                continue
            parts.append((source.name, fetched.snapshot))
            state.record(
                connection, source.name, source.kind, now, error=None, next_run=now + interval
            )
    kinds = ",".join(sorted({source.kind for source in sources}))
    if not sources:
        errors.append(SourceError("STATUSBOT_SOURCES", "no sources are configured"))
    if not errors:
        try:
            combined = combine(parts)
        except SourceError as error:
            errors.append(error)
    if errors:
        return _not_applied(store, kinds, now, errors, interval)
    try:
        result = store.import_snapshot(
            combined,
            today=today or now.date(),
            source="sync: " + ", ".join(name for name, _ in parts),
            now=now,
        )
    except Exception as error:  # the store refused: nothing was written (one transaction)
        log.exception("sync: the store refused the snapshot")
        wrapped = SourceError("store", f"not applied ({type(error).__name__})")
        return _not_applied(store, kinds, now, [wrapped], interval)
    with store.engine.begin() as connection:
        state.record(connection, state.SNAPSHOT, kinds, now, error=None, next_run=now + interval)
    outcome: Outcome = "unchanged" if result.unchanged else "applied"
    report = SyncReport(outcome, now + interval, result=result)
    log.info("sync %s", report.summary())
    return report


def _failed(
    connection: Connection,
    name: str,
    kind: str,
    now: datetime,
    error: SourceError,
    interval: timedelta,
) -> None:
    previous = state.read_one(connection, name)
    failures = (previous.failures if previous else 0) + 1
    next_run = now + backoff(failures, interval, error.retry_after)
    state.record(
        connection,
        name,
        kind,
        now,
        error=error.report(),
        next_run=next_run,
        error_kind=state.error_kind(error),
    )
    # the reason only: details name customers' rows and values
    log.warning("source %s failed (%d in a row): %s", name, failures, error.reason)


def _not_applied(
    store: Store, kinds: str, now: datetime, errors: list[SourceError], interval: timedelta
) -> SyncReport:
    with store.engine.begin() as connection:
        previous = state.read_one(connection, state.SNAPSHOT)
        failures = (previous.failures if previous else 0) + 1
        hints = [error.retry_after for error in errors if error.retry_after is not None]
        next_run = now + backoff(failures, interval, max(hints) if hints else None)
        reasons = "\n".join(error.report() for error in errors)
        invalid = [error for error in errors if error.invalid]  # bad data says the most
        state.record(
            connection,
            state.SNAPSHOT,
            kinds or "none",
            now,
            error=reasons,
            next_run=next_run,
            error_kind=state.error_kind((invalid or errors)[0]),
        )
    waiting = all(isinstance(error, SourceNotReady) for error in errors)
    report = SyncReport("waiting" if waiting else "failed", next_run, errors=tuple(errors))
    log.warning("sync not applied (%d in a row): %s", failures, "; ".join(e.reason for e in errors))
    return report
