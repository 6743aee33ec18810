"""The systemd unit in deploy/ stays a unit systemd accepts, starting the bot as it is."""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

from bot.cli.main import _parser
from bot.settings import HOW_TO_FIX
from tests.prerequisites import missing

UNIT = Path(__file__).resolve().parents[2] / "deploy" / "systemd" / "statusbot.service"
INSTALLED = "/opt/statusbot/.venv/bin/statusbot"


def entries(key: str) -> list[str]:
    prefix = key + "="
    return [
        line.removeprefix(prefix)
        for line in UNIT.read_text().splitlines()
        if line.startswith(prefix)
    ]


def test_the_unit_starts_statusbot_run_on_loopback_with_known_settings() -> None:
    (command,) = entries("ExecStart")
    program, *arguments = shlex.split(command)
    assert program == INSTALLED and arguments[0] == "run"
    parsed = _parser().parse_args(arguments)
    assert parsed.host == "127.0.0.1"
    for setting in entries("Environment"):
        assert setting.split("=", 1)[0] in HOW_TO_FIX, setting
    assert entries("KillSignal") == ["SIGTERM"]
    assert entries("RestartPreventExitStatus") == ["2"], "bad settings: no restart loop"


def test_systemd_accepts_the_unit(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        missing("systemd-analyze is missing: apt-get install -y systemd (.ci/run does)")
    here = Path(sys.executable).with_name("statusbot")
    assert here.exists(), "the statusbot console script is installed beside python"
    unit = tmp_path / UNIT.name
    unit.write_text(UNIT.read_text().replace(INSTALLED, str(here)))
    checked = subprocess.run(
        [analyze, "verify", str(unit)], capture_output=True, text=True, timeout=60
    )
    assert checked.returncode == 0 and checked.stderr == "", checked.stderr
