"""``statusbot sync``: the sources from the settings, fetched and applied.

The bot side of ``core.sources``: it reads the settings (tokens included,
never printed), builds the sources once (so a loop keeps their ETags and
content hashes), and runs ``core.sources.sync.sync_all`` once or every N
minutes, sleeping until the next run the report asks for (backoff after a
failure). The scheduler calls ``sync_once`` with sources from ``build``.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, timedelta
from pathlib import Path

from bot.settings import Settings, SettingsError
from core.ingest.columns import ColumnMapping, MappingInvalid, load_mapping
from core.sources import state
from core.sources.base import Source
from core.sources.config import SourceConfigError, SourceOptions, build_sources
from core.sources.sync import SyncReport, sync_all
from core.store import Store

log = logging.getLogger("statusbot.sync")

EXIT_OK, EXIT_BAD_DATA, EXIT_SETTINGS, EXIT_UNAVAILABLE = 0, 1, 2, 3


def columns_of(path: str | Path | None) -> ColumnMapping | None:
    """The column mapping file, or SettingsError naming what is wrong in it."""
    if not path:
        return None
    try:
        return load_mapping(Path(path))
    except MappingInvalid as error:
        raise SettingsError(f"STATUSBOT_COLUMNS is invalid: {error}") from None


def build(settings: Settings, columns: ColumnMapping | None = None) -> list[Source]:
    """The sources of STATUSBOT_SOURCES, or SettingsError saying which entry is wrong."""
    if not settings.sources:
        raise SettingsError(
            "STATUSBOT_SOURCES is not set: list file:///path, https://… URLs or wholesale"
        )
    token, wholesale = settings.sources_token, settings.wholesale_token
    options = SourceOptions(
        allow_private=settings.sources_allow_private,
        url_token=token.get_secret_value() if token else None,
        wholesale_token=wholesale.get_secret_value() if wholesale else None,
        webex_api_url=settings.webex_api_url,
        columns=columns or columns_of(settings.columns),
        max_bytes=settings.sources_max_mb * 1024 * 1024,
    )
    try:
        return build_sources(settings.sources, options)
    except SourceConfigError as error:
        raise SettingsError(f"STATUSBOT_SOURCES is invalid: {error}") from None


def sync_once(
    settings: Settings,
    store: Store,
    sources: Sequence[Source],
    now: datetime | None = None,
    *,
    interval: timedelta | None = None,
) -> SyncReport:
    """One sync as the scheduler runs it: classified in the partner's time zone,
    the next run STATUSBOT_SYNC_MINUTES (or ``interval``) after a success."""
    moment = now or datetime.now(UTC)
    return sync_all(
        store,
        sources,
        moment,
        today=settings.today_date(lambda: moment),
        interval=interval or timedelta(minutes=settings.sync_minutes),
    )


def exit_code(report: SyncReport) -> int:
    if report.ok:
        return EXIT_OK
    return EXIT_BAD_DATA if report.invalid else EXIT_UNAVAILABLE


def print_report(report: SyncReport, write: Callable[[str], None]) -> None:
    write(report.summary())
    for error in report.errors:
        for line in error.report().splitlines()[1:51]:
            write(f"  {line}")


def sync_loop(
    settings: Settings,
    store: Store,
    sources: Sequence[Source],
    *,
    every: timedelta,
    write: Callable[[str], None],
    clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    stop: threading.Event | None = None,
) -> int:
    """Sync, then wait until the next run (``every``, sooner after a failure),
    until ``stop`` is set. Returns the last sync's exit code."""
    stop = stop or threading.Event()
    code = EXIT_OK
    while not stop.is_set():
        report = sync_once(settings, store, sources, clock(), interval=every)
        print_report(report, write)
        code = exit_code(report)
        wait = max((report.next_run - clock()).total_seconds(), 0.0)
        stop.wait(wait)
    return code


def source_checks(settings: Settings, now: datetime | None = None) -> list[tuple[str, bool, str]]:
    """``statusbot doctor``'s lines about sources: (name, ok, detail) for each
    configured source and the snapshot; none when no sources are configured."""
    if not settings.sources:
        return []
    try:
        sources = build(settings)
    except SettingsError as error:
        return [("sources", False, str(error))]
    moment = now or datetime.now(UTC)
    limit = timedelta(minutes=settings.stale_minutes)
    try:
        store = Store.open(settings.database_url)
        try:
            states = {row.name: row for row in state.read_all(store.engine)}
        finally:
            store.close()
    except Exception as error:
        return [("sources", False, f"{type(error).__name__}: check STATUSBOT_DATABASE_URL")]
    checks = []
    for name in [state.SNAPSHOT, *(source.name for source in sources)]:
        row = states.get(name)
        label = "data" if name == state.SNAPSHOT else f"source {name}"
        if row is None:
            checks.append((label, False, "never synced: run `statusbot sync`"))
            continue
        success = f"{row.last_success:%Y-%m-%d %H:%M} UTC" if row.last_success else "never"
        detail = f"last success {success}"
        if row.failures:
            reason = (row.last_error or "").splitlines()[0]
            detail += f"; failing ({row.failures} in a row): {reason}"
        ok = row.failures == 0 and not (name == state.SNAPSHOT and row.is_stale(moment, limit))
        if name == state.SNAPSHOT and row.is_stale(moment, limit):
            detail += f"; older than STATUSBOT_STALE_MINUTES ({settings.stale_minutes})"
        checks.append((label, ok, detail))
    return checks
