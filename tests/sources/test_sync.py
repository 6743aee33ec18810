"""sync_all: every source whole, one snapshot, or nothing; state remembered."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from werkzeug.wrappers import Response

from core.query import Query
from core.sources import state
from core.sources.file import FileSource
from core.sources.sync import backoff, sync_all
from core.sources.url import UrlSource
from core.store import Store
from tests.sources.data import ACME, BETA, GAMMA, export, row
from tests.sources.http_support import LocalServer

NOW = datetime(2026, 11, 30, 8, 15, tzinfo=UTC)
TODAY = date(2026, 11, 30)


def names(store: Store) -> list[str]:
    return sorted(r.name for r in store.query(Query(), TODAY).rows)


def file_source(tmp_path: Path, name: str, text: str) -> FileSource:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return FileSource(path, settle_seconds=0)


def test_two_sources_make_one_snapshot_and_an_unchanged_one_is_a_no_op(
    store: Store, tmp_path: Path, server: LocalServer
) -> None:
    server.routes["/x.csv"] = lambda request: Response(export(GAMMA), headers={"ETag": '"1"'})
    sources = [
        file_source(tmp_path, "a.csv", export(ACME, BETA)),
        UrlSource(server.url + "/x.csv", allow_private=True),
    ]
    first = sync_all(store, sources, NOW, today=TODAY)
    assert first.outcome == "applied" and first.result is not None
    assert names(store) == ["Acme AB", "Beta AB", "Gamma AB"]
    again = sync_all(store, sources, NOW + timedelta(minutes=15), today=TODAY)
    assert again.outcome == "unchanged" and again.ok
    snapshot = state.snapshot_state(store.engine)
    assert snapshot is not None and snapshot.last_success == NOW + timedelta(minutes=15)
    assert snapshot.kind == "export"


def test_the_same_customer_from_two_sources_names_both_and_applies_nothing(
    store: Store, tmp_path: Path
) -> None:
    a = file_source(tmp_path, "a.csv", export(ACME))
    sync_all(store, [a], NOW, today=TODAY)
    b = file_source(tmp_path, "b.csv", export(BETA, row("c-1", "Acme Again")))
    report = sync_all(store, [a, b], NOW, today=TODAY)
    assert report.outcome == "failed" and report.invalid
    text = report.errors[0].report()
    assert f"{a.name} and {b.name}" in text and "customer id 'c-1'" in text
    assert names(store) == ["Acme AB"]


def test_bad_data_keeps_the_previous_snapshot_answering(store: Store, tmp_path: Path) -> None:
    good = file_source(tmp_path, "a.csv", export(ACME, BETA))
    assert sync_all(store, [good], NOW, today=TODAY).outcome == "applied"
    good.path.write_text(export(ACME, row("c-2", "Beta AB", kind="gift")), encoding="utf-8")
    report = sync_all(store, [good], NOW + timedelta(minutes=15), today=TODAY)
    assert report.outcome == "failed" and not report.ok
    detail = report.errors[0].report()
    assert good.name in detail and "line 3, column subscription_kind: 'gift'" in detail
    assert "not a subscription kind" in detail
    assert names(store) == ["Acme AB", "Beta AB"]
    rows = {s.name: s for s in state.read_all(store.engine)}
    assert rows[good.name].failures == 1 and rows[good.name].last_error is not None
    assert rows[state.SNAPSHOT].last_success == NOW


def test_an_unreachable_source_applies_nothing_from_the_others(
    store: Store, tmp_path: Path, server: LocalServer
) -> None:
    a = file_source(tmp_path, "a.csv", export(ACME))
    server.routes["/x"] = lambda request: Response(status=500)
    url = UrlSource(server.url + "/x", allow_private=True)
    report = sync_all(store, [a, url], NOW, today=TODAY, interval=timedelta(minutes=15))
    assert report.outcome == "failed" and not report.invalid
    assert names(store) == []
    assert report.next_run == NOW + timedelta(seconds=30)
    second = sync_all(store, [a, url], report.next_run, today=TODAY)
    assert second.next_run == report.next_run + timedelta(minutes=1)
    states = {s.name: s for s in state.read_all(store.engine)}
    assert states[url.name].failures == 2 and states[url.name].failures_total == 2
    assert states[a.name].failures == 0


def test_backoff_doubles_within_the_interval() -> None:
    interval = timedelta(minutes=15)
    assert [backoff(n, interval).total_seconds() for n in (1, 2, 3, 6)] == [30, 60, 120, 900]
    assert backoff(1, interval, retry_after=300) == timedelta(minutes=5)


def test_no_sources_is_a_failure_not_an_empty_snapshot(store: Store) -> None:
    report = sync_all(store, [], NOW, today=TODAY)
    assert report.outcome == "failed" and "no sources" in report.summary()
