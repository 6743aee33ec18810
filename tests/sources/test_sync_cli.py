"""``statusbot sync`` and ``statusbot doctor`` as a person runs them (real processes),
and the sync loop and /metrics in process."""

from __future__ import annotations

import logging
import os
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from prometheus_client import generate_latest
from werkzeug.wrappers import Response

from bot.settings import Settings, SettingsError
from bot.sync import build, source_checks, sync_loop, sync_once
from bot.web.metrics import Metrics
from bot.web.sync_metrics import SourcesCollector
from core.store import Store
from tests.bot.cli.test_cli import statusbot
from tests.sources.data import ACME, BETA, export, row
from tests.sources.http_support import LocalServer

TOKEN = "url-token-never-printed"


def settled(path: Path, text: str) -> Path:
    """Write ``text`` and date the file a minute back: an export copied in earlier."""
    path.write_text(text, encoding="utf-8")
    stamp = path.stat().st_mtime - 60
    os.utime(path, (stamp, stamp))
    return path


def test_sync_exit_codes_and_doctor(tmp_path: Path, server: LocalServer) -> None:
    export_file = settled(tmp_path / "customers.csv", export(ACME, BETA))
    env = {
        "STATUSBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "STATUSBOT_SOURCES": f"file://{export_file}",
    }
    applied = statusbot("sync", env=env)
    assert applied.returncode == 0, applied.stderr
    assert applied.stdout.startswith("applied: 2 customers")
    assert statusbot("sync", env=env).stdout.startswith("unchanged")
    settled(export_file, export(ACME, row("c-2", "Beta AB", end="someday")))
    bad = statusbot("sync", env=env)
    assert bad.returncode == 1
    assert f"file://{export_file}: line 3, column end_date: 'someday'" in bad.stderr
    server.routes["/x.csv"] = lambda request: Response(status=500)
    down = {
        **env,
        "STATUSBOT_SOURCES": server.url + "/x.csv",
        "STATUSBOT_SOURCES_ALLOW_PRIVATE": "true",
        "STATUSBOT_SOURCES_TOKEN": TOKEN,
    }
    failed = statusbot("sync", env=down)
    assert failed.returncode == 3 and "HTTP 500" in failed.stderr
    assert server.seen[0].headers["Authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in failed.stdout + failed.stderr
    settings = Settings(
        database_url=env["STATUSBOT_DATABASE_URL"],
        sources=(server.url + "/x.csv",),
        sources_allow_private=True,
        sources_token=TOKEN,  # type: ignore[arg-type]
    )
    doctor = {name: (ok, detail) for name, ok, detail in source_checks(settings)}
    assert doctor["data"][0] is False and "failing (2 in a row)" in doctor["data"][1]
    assert doctor[f"source {server.url}/x.csv"] == (
        False,
        f"last success never; failing (1 in a row): {server.url}/x.csv: HTTP 500",
    )
    assert TOKEN not in str(doctor)
    nothing = statusbot("sync", env={**env, "STATUSBOT_SOURCES": ""})
    assert nothing.returncode == 2 and "STATUSBOT_SOURCES is not set" in nothing.stderr
    wrong = statusbot("sync", env={**env, "STATUSBOT_SOURCES": "ftp://x/y"})
    assert wrong.returncode == 2 and "not a source" in wrong.stderr


def test_the_loop_syncs_again_at_the_next_run_and_stops(tmp_path: Path) -> None:
    path = settled(tmp_path / "customers.csv", export(ACME))
    settings = Settings(sources=(f"file://{path}",), database_url="sqlite://")
    store = Store.open("sqlite://")
    stop = threading.Event()
    clock = [datetime(2026, 11, 30, 8, 0, tzinfo=UTC)]
    lines: list[str] = []

    def write(line: str) -> None:
        lines.append(line)
        clock[0] += timedelta(minutes=5)  # the next run is then 5 minutes away: no wait
        if len(lines) == 1:
            settled(path, export(ACME, BETA))
        if len(lines) == 3:
            stop.set()

    code = sync_loop(
        settings,
        store,
        build(settings),
        every=timedelta(minutes=5),
        write=write,
        clock=lambda: clock[0],
        stop=stop,
    )
    assert code == 0
    assert [line.split(":")[0] for line in lines] == ["applied", "applied", "unchanged"]


def test_metrics_count_failures_from_the_store(tmp_path: Path, server: LocalServer) -> None:
    server.routes["/x"] = lambda request: Response(status=503)
    settings = Settings(sources=(server.url + "/x",), sources_allow_private=True)
    store = Store.open(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    for minute in (0, 1):
        sync_once(settings, store, build(settings), datetime(2026, 11, 30, 8, minute, tzinfo=UTC))
    metrics = Metrics()
    metrics.share(SourcesCollector(store.engine))
    text = generate_latest(metrics.registry).decode()
    assert f'statusbot_source_failures_total{{source="{server.url}/x"}} 2.0' in text
    assert 'statusbot_source_failures_in_a_row{source="(snapshot)"} 2.0' in text


def test_wholesale_needs_its_own_token() -> None:
    with pytest.raises(SettingsError, match="STATUSBOT_WHOLESALE_TOKEN"):
        build(Settings(sources=("wholesale",)))
    built = build(Settings(sources=("wholesale",), wholesale_token="ADMIN"))  # type: ignore[arg-type]
    assert [source.kind for source in built] == ["wholesale"]
    assert "ADMIN" not in built[0].name


def test_logs_name_the_source_and_reason_never_the_token_or_data(
    tmp_path: Path, server: LocalServer, caplog: pytest.LogCaptureFixture
) -> None:
    server.routes["/x"] = lambda request: Response(
        export(ACME, row("c-2", "Secret Customer AB", kind="gift"))
    )
    settings = Settings(
        sources=(server.url + "/x?key=hidden",),
        sources_allow_private=True,
        sources_token=TOKEN,  # type: ignore[arg-type]
    )
    store = Store.open(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    with caplog.at_level(logging.DEBUG, logger="statusbot"):  # what the bot's logs carry
        report = sync_once(settings, store, build(settings), datetime(2026, 11, 30, tzinfo=UTC))
    assert report.invalid and "'gift'" in report.errors[0].report()
    # the bot's logs are the statusbot.* loggers (bot.logs); libraries' debug lines are not kept
    logged = "\n".join(r.getMessage() for r in caplog.records if r.name.startswith("statusbot"))
    assert f"source {server.url}/x failed (1 in a row): not applied" in logged
    for secret in (TOKEN, "hidden", "Secret Customer AB", "gift"):
        assert secret not in logged
