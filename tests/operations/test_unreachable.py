"""Webex out of reach is a network problem, not a refused token (issue 13, item 4).

Both ``statusbot run`` and ``statusbot doctor`` check the token first; an
operator sent to regenerate a good token during an outage loses an hour.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from emulator.server import ServerHandle
from tests.operations.process import BOT_TOKEN, SECRET, free_port


def statusbot(
    *args: str, api_url: str, token: str, tmp_path: Path
) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "WEBEX_ACCESS_TOKEN": token,
        "STATUSBOT_WEBEX_API_URL": api_url,
        "STATUSBOT_DATABASE_URL": f"sqlite:///{tmp_path / 'statusbot.sqlite3'}",
        "STATUSBOT_PUBLIC_URL": f"http://127.0.0.1:{free_port()}",
        "STATUSBOT_WEBHOOK_SECRET": SECRET,
        "STATUSBOT_ALLOWED": "@example.com",
        "STATUSBOT_METRICS_DIR": str(tmp_path / "metrics"),
    }
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )


@pytest.fixture
def closed_port() -> Iterator[int]:
    """A port that refuses connections: bound (so nobody else takes it), never listening."""
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        yield int(held.getsockname()[1])


def test_run_and_doctor_say_webex_is_out_of_reach(tmp_path: Path, closed_port: int) -> None:
    closed = f"http://127.0.0.1:{closed_port}/v1/"
    run = statusbot("run", "--port", "0", api_url=closed, token=BOT_TOKEN, tmp_path=tmp_path)
    assert run.returncode == 3, run.stderr  # out of reach for now: worth restarting
    (said,) = [line for line in run.stderr.splitlines() if line.startswith("statusbot:")]
    assert "network problem, not the token" in said and closed in said
    assert "refused" not in said
    doctor = statusbot("doctor", api_url=closed, token=BOT_TOKEN, tmp_path=tmp_path)
    assert doctor.returncode == 1
    (token_line,) = [line for line in doctor.stdout.splitlines() if " token " in line]
    assert token_line.startswith("FIX") and "network problem, not the token" in token_line
    for output in (run.stdout, run.stderr, doctor.stdout, doctor.stderr):
        assert "tracking id None" not in output and BOT_TOKEN not in output
    assert list((tmp_path / "metrics").glob("run-*")) == []


def test_a_refused_token_is_still_called_refused(emulator: ServerHandle, tmp_path: Path) -> None:
    run = statusbot(
        "run", "--port", "0", api_url=emulator.api_url, token="not-the-bot", tmp_path=tmp_path
    )
    assert run.returncode == 2  # a setting to fix: restarting would not help
    assert "WEBEX_ACCESS_TOKEN was refused" in run.stderr and "HTTP 401" in run.stderr
    doctor = statusbot("doctor", api_url=emulator.api_url, token="not-the-bot", tmp_path=tmp_path)
    (token_line,) = [line for line in doctor.stdout.splitlines() if " token " in line]
    assert "WEBEX_ACCESS_TOKEN was refused" in token_line


def test_a_webex_outage_at_start_is_not_blamed_on_the_token(
    emulator: ServerHandle, tmp_path: Path
) -> None:
    fault = {"path": "/v1/people/me", "status": 503, "token": BOT_TOKEN}
    requests.post(emulator.url + "/_emulator/faults", json=fault, timeout=10).raise_for_status()
    run = statusbot(
        "run", "--port", "0", api_url=emulator.api_url, token=BOT_TOKEN, tmp_path=tmp_path
    )
    assert run.returncode == 3, run.stderr
    assert "is not answering (HTTP 503" in run.stderr and "refused" not in run.stderr
