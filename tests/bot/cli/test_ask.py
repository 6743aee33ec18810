"""``statusbot ask`` through the installed console script: plain text, files written."""

from __future__ import annotations

import csv
import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

CONSOLE_SCRIPT = Path(sys.executable).parent / "statusbot"


def ask(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(CONSOLE_SCRIPT), "ask", "--sample", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        timeout=120,
    )


def _rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as file:
        return list(csv.reader(file))


def test_export_writes_the_csv_where_asked_and_says_so(tmp_path: Path) -> None:
    target = tmp_path / "out" / "all.csv"
    target.parent.mkdir()
    answered = ask("export all", "--output", str(target), cwd=tmp_path)
    assert answered.returncode == 0, answered.stderr
    assert f"Wrote {target}" in answered.stdout
    rows = _rows(target)
    assert rows[0][:2] == ["customer_id", "customer_name"] and len(rows) > 10


def test_export_without_output_lands_in_the_current_folder_and_never_overwrites(
    tmp_path: Path,
) -> None:
    first = ask("export all", cwd=tmp_path)
    second = ask("exportera alla", cwd=tmp_path)
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    (plain,) = tmp_path.glob("statusbot-customers-????-??-??.csv")
    (numbered,) = tmp_path.glob("statusbot-customers-*-2.csv")
    assert f"Wrote {plain}" in first.stdout
    assert f"Wrote {numbered}" in second.stdout
    assert plain.read_bytes() != numbered.read_bytes()  # Swedish status labels


def test_the_terminal_gets_plain_text_not_escaped_markdown(tmp_path: Path) -> None:
    answered = ask("expiring before 2027-02-30", cwd=tmp_path)
    assert "“expiring before 2027-02-30”" in answered.stdout
    assert "\\" not in answered.stdout
    listed = ask("show suspended", cwd=tmp_path)
    assert listed.returncode == 0
    assert "\\" not in listed.stdout and "**" not in listed.stdout


def test_rows_show_the_status_that_matched_with_its_own_date(tmp_path: Path) -> None:
    """In "show active", a customer with a suspended or expired subscription beside
    an active one reads "Active" with the active one's date (issue 13 item 8)."""
    listed = ask("show active", cwd=tmp_path)
    assert listed.returncode == 0, listed.stderr
    rows = [line for line in listed.stdout.splitlines() if line.startswith("- ")]
    assert len(rows) == 10
    assert all(" · Active" in row and "Suspended" not in row for row in rows), rows
    answered = ask("show active", "--json", cwd=tmp_path)
    items = json.loads(answered.stdout)["customers"]
    assert {item["subscription_status"] for item in items} == {"active"}
    assert all(item["days_left"] is None or item["days_left"] > 60 for item in items)


def _loaded(*args: str) -> set[str]:
    """The modules ``statusbot ARGS`` imports (the console script under -X importtime)."""
    done = subprocess.run(
        [sys.executable, "-X", "importtime", str(CONSOLE_SCRIPT), *args],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    lines = [line for line in done.stderr.splitlines() if line.startswith("import time:")]
    return {line.rsplit("|", 1)[1].strip() for line in lines}


def test_ask_imports_only_what_it_needs() -> None:
    """No timing asserted: what ``statusbot ask`` loads is what it costs (issue 13
    item 2). --help needs argparse alone; an answer needs the store and the
    grammar, never the web server, the Webex SDK, the scheduler or PostgreSQL."""
    helped = _loaded("ask", "--help")
    assert not {name for name in helped if name.split(".")[0] in {"sqlalchemy", "pydantic"}}
    answered = _loaded("ask", "--sample", "--json", "show suspended")
    assert "sqlalchemy" in answered and "handlers.grammar.parser" in answered
    server_side = {"flask", "gunicorn", "werkzeug", "webexpythonsdk", "apscheduler", "requests"}
    assert not {name for name in answered if name.split(".")[0] in server_side}
    assert "sqlalchemy.dialects.postgresql" not in answered


def test_ask_reads_a_current_sqlite_store_without_sqlalchemy(tmp_path: Path) -> None:
    """A store ``statusbot import`` made is answered by ``core.store.reader`` with
    ``sqlite3`` alone (``import sqlalchemy`` is most of what a person would wait for),
    and answers as the full store does."""
    env = {**os.environ, "STATUSBOT_DATABASE_URL": f"sqlite:///{tmp_path / 's.sqlite3'}"}
    sample = subprocess.run(
        [str(CONSOLE_SCRIPT), "sample", "--customers", "300"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    (tmp_path / "c.csv").write_text(sample.stdout, encoding="utf-8")
    subprocess.run(
        [str(CONSOLE_SCRIPT), "import", str(tmp_path / "c.csv"), "--today", "2026-11-30"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=True,
    )
    question = ["ask", "--json", "--today", "2026-11-30", "show customers needing attention"]
    done = subprocess.run(
        [sys.executable, "-X", "importtime", str(CONSOLE_SCRIPT), *question],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    loaded = {
        line.rsplit("|", 1)[1].strip()
        for line in done.stderr.splitlines()
        if line.startswith("import time:")
    }
    assert "core.store.reader" in loaded
    assert not {name for name in loaded if name.split(".")[0] == "sqlalchemy"}
    from core.query import NEEDING_ATTENTION
    from core.store import Store

    store = Store.open(env["STATUSBOT_DATABASE_URL"])
    try:
        total, rows = store.query_json(NEEDING_ATTENTION, date(2026, 11, 30))
    finally:
        store.close()
    answer = json.loads(done.stdout)
    assert answer["total"] == total > 0
    assert answer["customers"] == json.loads(rows)


def test_an_answer_read_only_in_part_ends_quietly_and_whole_when_read() -> None:
    """``statusbot ask`` ends without the interpreter's teardown (``bot.cli.main.console``):
    its output must still arrive whole, and a reader that stops early (``| head``)
    must not turn into a traceback or a non-zero exit."""
    whole = subprocess.run(
        [str(CONSOLE_SCRIPT), "ask", "--sample", "--json", "show all"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert whole.returncode == 0, whole.stderr
    answer = json.loads(whole.stdout)  # the whole JSON arrived, flushed before the exit
    assert answer["total"] == len(answer["customers"]) > 0
    with subprocess.Popen(
        [str(CONSOLE_SCRIPT), "ask", "--sample", "--json", "show all"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.read(10).startswith(b'{"total"')
        process.stdout.close()
        errors = process.stderr.read().decode()
        assert process.wait(timeout=120) == 0
    assert "Traceback" not in errors and "BrokenPipeError" not in errors, errors


def test_a_reader_that_stops_early_gets_no_traceback() -> None:
    """``statusbot sample … | head -1``: the pipe closes under the writer."""
    with subprocess.Popen(
        [str(CONSOLE_SCRIPT), "sample", "--customers", "20000"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        assert process.stdout is not None and process.stderr is not None
        assert process.stdout.readline().startswith("customer_id,")
        process.stdout.close()
        errors = process.stderr.read()
        assert process.wait(timeout=120) == 0
    assert "Traceback" not in errors and "BrokenPipeError" not in errors, errors
