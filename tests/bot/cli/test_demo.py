"""``statusbot demo`` through the installed console script: the bot's port is the
one asked for, and Ctrl-C leaves no temporary folder behind."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
from pathlib import Path

import pytest

CONSOLE_SCRIPT = Path(sys.executable).parent / "statusbot"

pytestmark = pytest.mark.slow


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_ctrl_c_removes_the_demo_folder_and_the_bot_port_is_settable(tmp_path: Path) -> None:
    bot_port = _free_port()
    demo = subprocess.Popen(
        [str(CONSOLE_SCRIPT), "demo", "--port", "0", "--bot-port", str(bot_port)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "TMPDIR": str(tmp_path)},  # where tempfile makes its folder
    )
    assert demo.stdout is not None
    lines: list[str] = []
    ready = threading.Event()

    def read() -> None:
        assert demo.stdout is not None
        for line in demo.stdout:
            lines.append(line)
            if "Press Ctrl-C" in line:
                ready.set()

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    try:
        assert ready.wait(120), "".join(lines) + (demo.stderr.read() if demo.poll() else "")
        printed = "".join(lines)
        assert f"Bot webhook:  http://127.0.0.1:{bot_port}/webhooks/webex" in printed
        (folder,) = tmp_path.glob("statusbot-demo-*")
        assert (folder / "statusbot-demo.sqlite3").is_file()
        assert f"Database:     {folder / 'statusbot-demo.sqlite3'}" in printed
    finally:
        demo.send_signal(signal.SIGINT)
        code = demo.wait(timeout=60)
        reader.join(timeout=10)
    assert code == 0
    assert "Statusbot demo stopped." in "".join(lines)
    assert not list(tmp_path.glob("statusbot-demo-*")), "the demo's folder was left behind"
