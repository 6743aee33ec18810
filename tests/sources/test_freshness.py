"""How old the data is: the last successful sync, or the last import by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from sqlalchemy import event

from core.ingest.snapshot import read_snapshot
from core.sources.file import FileSource
from core.sources.freshness import DataStatusCache, Freshness, freshness
from core.sources.sync import sync_all
from core.store import Store
from tests.sources.data import ACME, BETA, export

NOW = datetime(2026, 11, 30, 8, 15, tzinfo=UTC)
TODAY = date(2026, 11, 30)
HOUR = timedelta(hours=1)


def test_no_data_no_freshness(sqlite_store: Store) -> None:
    assert freshness(sqlite_store, NOW, HOUR) is None


def test_an_import_by_hand_is_never_stale(sqlite_store: Store, tmp_path: Path) -> None:
    path = tmp_path / "c.csv"
    path.write_text(export(ACME), encoding="utf-8")
    sqlite_store.import_snapshot(read_snapshot(path), today=TODAY, source=str(path), now=NOW)
    found = freshness(sqlite_store, NOW + 30 * HOUR, HOUR)
    assert found is not None and (found.as_of, found.origin, found.stale) == (NOW, "import", False)


def test_the_last_successful_sync_dates_the_data_and_turns_stale(
    sqlite_store: Store, tmp_path: Path
) -> None:
    path = tmp_path / "c.csv"
    path.write_text(export(ACME), encoding="utf-8")
    source = FileSource(path, settle_seconds=0)
    sync_all(sqlite_store, [source], NOW, today=TODAY)
    unchanged = NOW + timedelta(minutes=15)
    assert sync_all(sqlite_store, [source], unchanged, today=TODAY).outcome == "unchanged"
    found = freshness(sqlite_store, unchanged, HOUR)
    assert found is not None and (found.as_of, found.origin, found.stale) == (
        unchanged,
        "export",
        False,
    )
    path.write_text(export(ACME, BETA.replace("trial", "gift")), encoding="utf-8")
    failing = unchanged + 2 * HOUR
    assert sync_all(sqlite_store, [source], failing, today=TODAY).outcome == "failed"
    stale = freshness(sqlite_store, failing, HOUR)
    assert stale is not None and stale.stale and stale.as_of == unchanged


def test_replies_read_the_data_status_again_only_when_an_import_or_a_sync_landed(
    store: Store, database_url: str, tmp_path: Path
) -> None:
    cached = DataStatusCache(store)
    statements: list[str] = []
    event.listen(store.engine, "before_cursor_execute", lambda *a: statements.append(a[2]))

    def status(now: datetime) -> Freshness | None:
        return cached(now, stale_after=HOUR, zone="UTC").freshness

    assert status(NOW) is None
    other = Store.open(database_url)  # another process: the scheduler, `statusbot import`
    try:
        path = tmp_path / "c.csv"
        path.write_text(export(ACME), encoding="utf-8")
        other.import_snapshot(read_snapshot(path), today=TODAY, source=str(path), now=NOW)
        found = status(NOW)
        assert found is not None and (found.as_of, found.origin) == (NOW, "import")
        statements.clear()
        assert status(NOW + HOUR) == found  # nothing landed: one small SELECT, no rows read
        assert len(statements) == 1
        synced = NOW + timedelta(minutes=15)  # a sync of the same data: no new import row
        sync_all(other, [FileSource(path, settle_seconds=0)], synced, today=TODAY)
        found = status(synced)
        assert found is not None and (found.as_of, found.origin) == (synced, "export")
        assert found.stale is False
        found = status(synced + 2 * HOUR)  # time passing alone makes it stale, unread
        assert found is not None and found.stale is True
        path.write_text(export(ACME, BETA), encoding="utf-8")
        other.import_snapshot(
            read_snapshot(path), today=TODAY, source=str(path), now=synced + 3 * HOUR
        )
        found = status(synced + 3 * HOUR)
        assert found is not None and (found.as_of, found.origin) == (synced + 3 * HOUR, "import")
    finally:
        other.close()
