"""The statusbot command line, run as a person runs it: a real process."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from core.sample import SAMPLE_TODAY


def statusbot(
    *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3]), **(env or {})},
        cwd=cwd,
        timeout=120,
    )


@pytest.fixture
def database(tmp_path: Path) -> dict[str, str]:
    return {"STATUSBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'cli.sqlite3'}"}


def test_sample_import_ask_round_trip(tmp_path: Path, database: dict[str, str]) -> None:
    sample = statusbot("sample", "--customers", "200")
    assert sample.returncode == 0
    path = tmp_path / "customers.csv"
    path.write_text(sample.stdout, encoding="utf-8")
    imported = statusbot("import", str(path), "--today", SAMPLE_TODAY.isoformat(), env=database)
    assert imported.returncode == 0, imported.stderr
    assert imported.stdout.startswith("Imported 200 customers")
    again = statusbot("import", str(path), "--today", SAMPLE_TODAY.isoformat(), env=database)
    assert "same as the last import; nothing changed" in again.stdout
    asked = statusbot(
        "ask", "show suspended", "--json", "--today", SAMPLE_TODAY.isoformat(), env=database
    )
    answer = json.loads(asked.stdout)
    assert answer["total"] == len(answer["customers"]) > 0
    assert {c["subscription_status"] for c in answer["customers"]} == {"suspended"}
    assert set(answer["customers"][0]) >= {
        "id",
        "name",
        "provisioning_status",
        "subscription_status",
    }


def test_ask_prints_the_reply_a_person_reads_in_their_language() -> None:
    english = statusbot("ask", "--sample", "show expiring in 30 days")
    assert english.returncode == 0
    assert "customers with subscriptions expiring within 30 days" in english.stdout
    swedish = statusbot("ask", "--sample", "visa går ut inom 30 dagar")
    assert "30 dagar" in swedish.stdout
    forced = statusbot("ask", "--sample", "summary", "--lang", "sv")
    assert "Sammanfattning" in forced.stdout
    card = statusbot("ask", "--sample", "summary", "--card")
    assert json.loads(card.stdout)["version"] == "1.3"


def test_a_bad_file_is_reported_row_by_row_and_nothing_is_imported(
    tmp_path: Path, database: dict[str, str]
) -> None:
    good = statusbot("sample", "--customers", "20").stdout
    path = tmp_path / "good.csv"
    path.write_text(good, encoding="utf-8")
    assert statusbot("import", str(path), env=database).returncode == 0
    lines = good.splitlines()
    lines[3] = lines[3].replace(",paid,", ",gratis,").replace(",trial,", ",gratis,")
    bad = tmp_path / "bad.csv"
    bad.write_text("\n".join(lines) + "\n", encoding="utf-8")
    failed = statusbot("import", str(bad), env=database)
    assert failed.returncode == 1
    assert "not imported, nothing changed" in failed.stderr
    assert "line 4, column subscription_kind: 'gratis'" in failed.stderr
    assert "Traceback" not in failed.stderr
    still = statusbot("ask", "show all", "--json", env=database)
    assert json.loads(still.stdout)["total"] == 20


def test_problems_people_can_fix_are_one_line_not_a_traceback(tmp_path: Path) -> None:
    missing = statusbot("import", str(tmp_path / "nope.csv"))
    assert missing.returncode == 1 and "no such file" in missing.stderr
    bad_zone = statusbot("ask", "--sample", "help", env={"STATUSBOT_TIMEZONE": "Nowhere/Town"})
    assert bad_zone.returncode == 2
    assert bad_zone.stderr.strip().count("\n") == 0 and "STATUSBOT_TIMEZONE" in bad_zone.stderr
    run = statusbot("run", env={"WEBEX_ACCESS_TOKEN": "", "STATUSBOT_ALLOWED": ""})
    assert run.returncode == 2
    assert run.stderr.strip().startswith("statusbot: WEBEX_ACCESS_TOKEN is not set")
    empty = statusbot(
        "ask", "help", env={"STATUSBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'e.db'}"}
    )
    assert empty.returncode == 1 and "no customer data yet" in empty.stderr


def test_the_emulator_verb_serves_a_local_webex(tmp_path: Path) -> None:
    import socket
    import time

    import requests

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "bot.cli",
            "emulator",
            "--port",
            str(port),
            "--bot-token",
            "BOT",
            "--user",
            "carol@example.com=CAROL",
        ],
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[3])},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                me = requests.get(
                    f"http://127.0.0.1:{port}/v1/people/me",
                    headers={"Authorization": "Bearer CAROL"},
                    timeout=2,
                )
                break
            except requests.ConnectionError:
                assert time.monotonic() < deadline, "the emulator did not start"
                time.sleep(0.1)
        assert me.json()["emails"] == ["carol@example.com"]
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_database_that_needs_a_migration_is_one_line_not_a_traceback(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as db:  # a customers table without the required name
        db.execute("CREATE TABLE customers (pk INTEGER PRIMARY KEY, id VARCHAR(200) NOT NULL)")
    asked = statusbot("ask", "summary", env={"STATUSBOT_DATABASE_URL": f"sqlite:///{path}"})
    assert asked.returncode == 2
    assert asked.stderr.splitlines() == [
        "statusbot: customers.name is missing and cannot simply be added (a key, unique,"
        " or required without a default): this database needs a migration"
    ]


def test_a_replay_window_not_shorter_than_the_retention_is_refused_with_the_other_problems(
    tmp_path: Path,
) -> None:
    """The replay window must end before the inbox forgets a delivery; ``statusbot run``
    says so at once, beside every other problem, before it starts anything."""
    settings = {
        "WEBEX_ACCESS_TOKEN": "",
        "STATUSBOT_PUBLIC_URL": "https://bot.example.com",
        "STATUSBOT_WEBHOOK_SECRET": "s" * 24,
        "STATUSBOT_ALLOWED": "@example.com",
        "STATUSBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'run.sqlite3'}",
        "STATUSBOT_INBOX_RETENTION_DAYS": "2",
        "STATUSBOT_REPLAY_WINDOW_HOURS": "48",
        "STATUSBOT_TIMEZONE": "Nowhere/Town",
    }
    run = statusbot("run", "--port", "9", env=settings)
    assert run.returncode == 2, run.stderr
    lines = run.stderr.strip().splitlines()
    assert lines[0].startswith("statusbot: ")
    assert [line.removeprefix("statusbot: ").split(" ", 1)[0] for line in lines] == [
        "STATUSBOT_TIMEZONE",
        "STATUSBOT_REPLAY_WINDOW_HOURS",
        "WEBEX_ACCESS_TOKEN",
    ]
    assert "not shorter than the inbox retention" in lines[1]
    assert "Traceback" not in run.stderr and not (tmp_path / "run.sqlite3").exists()
    shorter = statusbot(
        "run", "--port", "9", env={**settings, "STATUSBOT_REPLAY_WINDOW_HOURS": "47"}
    )
    assert "STATUSBOT_REPLAY_WINDOW_HOURS" not in shorter.stderr and shorter.returncode == 2
