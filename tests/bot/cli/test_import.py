"""``statusbot import`` through the installed console script: every refusal names
the line and says what is wrong, in one style, and nothing is imported."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

CONSOLE_SCRIPT = Path(sys.executable).parent / "statusbot"
HEADER = (
    "customer_id,customer_name,subscription_id,subscription_kind,subscription_state,"
    "start_date,end_date,service,provisioning_status"
)
CALLING = (
    "cust-1,Åre Skidskola AB,sub-1,paid,active,2026-01-28,2027-01-27,Webex Calling,provisioned"
)
Statusbot = Callable[..., subprocess.CompletedProcess[str]]
MEETINGS = "cust-1,Åre Skidskola AB,sub-1,paid,active,2026-01-28,2027-01-27,Webex Meetings,failed"


@pytest.fixture
def run(tmp_path: Path) -> Statusbot:
    def statusbot(*args: str) -> subprocess.CompletedProcess[str]:
        database = f"sqlite:///{tmp_path / 'import.sqlite3'}"
        return subprocess.run(
            [str(CONSOLE_SCRIPT), *args],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env={"PATH": "/usr/bin:/bin", "STATUSBOT_DATABASE_URL": database},
            timeout=120,
        )

    return statusbot


def _file(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_a_repeated_row_is_refused_with_its_line_and_the_first(
    run: Statusbot, tmp_path: Path
) -> None:
    repeated = _file(tmp_path, "repeated.csv", "\n".join([HEADER, CALLING, MEETINGS, CALLING]))
    refused = run("import", repeated)
    assert refused.returncode == 1
    assert "line 4, column service: 'Webex Calling': already on line 2" in refused.stderr
    assert "not imported, nothing changed" in refused.stderr
    ok = run("import", _file(tmp_path, "ok.csv", "\n".join([HEADER, CALLING, MEETINGS])))
    assert ok.returncode == 0, ok.stderr
    assert "1 customers, 1 subscriptions, 2 services" in ok.stdout


def test_an_empty_file_is_called_empty(run: Statusbot, tmp_path: Path) -> None:
    for name in ("empty.csv", "empty.json"):
        refused = run("import", _file(tmp_path, name, ""))
        assert refused.returncode == 1
        assert "the file is empty" in refused.stderr
        assert "does not say which column" not in refused.stderr


def test_a_day_that_does_not_exist_is_named(run: Statusbot, tmp_path: Path) -> None:
    ok = _file(tmp_path, "ok.csv", "\n".join([HEADER, CALLING]))
    refused = run("import", ok, "--today", "2027-13-01")
    assert refused.returncode == 2
    assert "'2027-13-01' is not a day: month must be in 1..12 (write YYYY-MM-DD" in refused.stderr
    assert "fromisoformat" not in refused.stderr
    asked = run("ask", "--sample", "show suspended", "--today", "tomorrow")
    assert "'tomorrow' is not a day (write YYYY-MM-DD" in asked.stderr


def test_missing_values_read_like_every_other_reason(run: Statusbot, tmp_path: Path) -> None:
    empty_name = CALLING.replace("Åre Skidskola AB", "")
    csv_refused = run("import", _file(tmp_path, "bad.csv", "\n".join([HEADER, empty_name])))
    assert "line 2, column customer_name: '': empty, but required" in csv_refused.stderr
    json_refused = run("import", _file(tmp_path, "bad.json", '[{"id": "cust-1"}]'))
    assert "line 1, column [0].name: '': missing, but required" in json_refused.stderr
    assert "Field required" not in csv_refused.stderr + json_refused.stderr
