"""What the reliability suite runs: ``statusbot run`` in its own process group, and a
private, throwaway PostgreSQL cluster that the suite may restart.

The machine's shared PostgreSQL server serves every other test: the restart run never
touches it. It initialises its own cluster in a temporary folder (``initdb`` as the
``postgres`` user) on a free port and restarts that one.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import requests

from tests.e2e.conftest import BOT_TOKEN, SECRET, wait_until

PG_BIN = Path("/usr/lib/postgresql/15/bin")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class BotProcess:
    """``statusbot run`` against the emulator, with the suite's short settings."""

    def __init__(self, api_url: str, database_url: str, log: Path, **env: str) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.env = {
            **os.environ,
            "WEBEX_ACCESS_TOKEN": BOT_TOKEN,
            "STATUSBOT_DATABASE_URL": database_url,
            "STATUSBOT_WEBEX_API_URL": api_url,
            "STATUSBOT_PUBLIC_URL": self.url,
            "STATUSBOT_WEBHOOK_SECRET": SECRET,
            "STATUSBOT_ALLOWED": "@example.com",
            **env,
        }
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def webhook_url(self) -> str:
        return self.url + "/webhooks/webex"

    def start(self) -> None:
        command = [sys.executable, "-m", "bot.cli", "run", "--host", "127.0.0.1"]
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [*command, "--port", str(self.port)],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        wait_until(self._up, timeout=90, what="statusbot run to answer")

    def _up(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"statusbot run exited: {self.log.read_text()[-3000:]}")
        try:
            return requests.get(self.url + "/healthz", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def kill(self) -> None:
        """SIGKILL to the whole process group: master and workers die mid-work."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=30)


class PrivatePostgres:
    """A throwaway PostgreSQL 15 cluster owned by the suite (trust auth, loopback)."""

    def __init__(self) -> None:
        if not (PG_BIN / "initdb").exists() or os.geteuid() != 0:
            reason = "a private PostgreSQL cluster needs PostgreSQL 15's initdb and root"
            if os.environ.get("CI"):
                pytest.fail(reason)
            pytest.skip(reason)
        self.folder = Path(tempfile.mkdtemp(prefix="statusbot-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        shutil.chown(self.folder, "postgres", "postgres")
        self._as_postgres(PG_BIN / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        log = self.folder / "server.log"
        pg_ctl = PG_BIN / "pg_ctl"
        self._as_postgres(pg_ctl, "-D", self.data, "-o", options, "-l", log, "-w", "start")

    def stop(self) -> None:
        self._as_postgres(PG_BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # not running
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _as_postgres(self, *command: object) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *map(str, command)],
            check=True,
            capture_output=True,
            timeout=120,
        )
