"""``statusbot run`` as an operator starts it: a real process group on a free port.

The operations tests start, stop and kill whole instances and look at the files
they leave, so each instance here is its own process group with its own log.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import requests

from core.sample import SAMPLE_TODAY
from tests.e2e.conftest import BOT_TOKEN, SECRET, wait_until

__all__ = ["BOT_TOKEN", "SECRET", "StatusbotRun", "free_port", "wait_until"]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class StatusbotRun:
    """One instance: ``start()``, then ``stop()`` (SIGTERM) or ``kill()`` (SIGKILL)."""

    def __init__(
        self,
        api_url: str,
        database_url: str,
        log: Path,
        *,
        workers: int = 1,
        env: dict[str, str] | None = None,
        args: tuple[str, ...] = (),
    ) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log
        self.args = args
        self.env = {
            **os.environ,
            "WEBEX_ACCESS_TOKEN": BOT_TOKEN,
            "STATUSBOT_DATABASE_URL": database_url,
            "STATUSBOT_WEBEX_API_URL": api_url,
            "STATUSBOT_PUBLIC_URL": self.url,
            "STATUSBOT_WEBHOOK_SECRET": SECRET,
            "STATUSBOT_ALLOWED": "@example.com",
            "STATUSBOT_TODAY": SAMPLE_TODAY.isoformat(),
            "STATUSBOT_WEB_WORKERS": str(workers),
            "STATUSBOT_WORKER_THREADS": "1",
            **(env or {}),
        }
        self.env.pop("PROMETHEUS_MULTIPROC_DIR", None)
        self.process: subprocess.Popen[bytes] | None = None

    @classmethod
    def in_folder(cls, api_url: str, database_url: str, folder: Path) -> StatusbotRun:
        """One worker against ``api_url``, its log and metrics folder in ``folder``."""
        return cls(
            api_url,
            database_url,
            folder / "bot.log",
            env={"STATUSBOT_METRICS_DIR": str(folder / "metrics")},
        )

    def leading(self) -> bool:
        """Healthy, and the scheduler that ``run`` starts beside the workers leads."""
        return self.healthy() and ": leading" in self.log.read_text()

    def start(self, ready: Callable[[StatusbotRun], bool] | None = None) -> StatusbotRun:
        with self.log.open("ab") as out:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "bot.cli", "run", "--port", str(self.port), *self.args],
                env=self.env,
                stdout=out,
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
        check = ready or StatusbotRun.healthy
        wait_until(lambda: self._alive() and check(self), timeout=60, what="statusbot run")
        return self

    def _alive(self) -> bool:
        assert self.process is not None
        if self.process.poll() is not None:
            raise AssertionError(f"statusbot run exited: {self.log.read_text()[-3000:]}")
        return True

    def healthy(self) -> bool:
        try:
            return requests.get(self.url + "/healthz", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def ready(self) -> bool:
        """``/readyz`` says ready (the store takes writes, Webex answers)."""
        try:
            return requests.get(self.url + "/readyz", timeout=2).status_code == 200
        except requests.RequestException:
            return False

    def get(self, path: str, **options: Any) -> requests.Response:
        return requests.get(self.url + path, timeout=options.pop("timeout", 10), **options)

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def schedulers(self) -> set[int]:
        """The process ids of the scheduler that ``statusbot run`` starts (one, or none
        between a scheduler's end and its restart)."""
        return self._children() - self.workers()

    def _children(self) -> set[int]:
        children = Path(f"/proc/{self.pid}/task/{self.pid}/children")
        try:
            return {int(pid) for pid in children.read_text().split()}
        except OSError:  # run has exited
            return set()

    def workers(self) -> set[int]:
        """The gunicorn workers' process ids (the master's children, less the scheduler
        that ``statusbot run`` starts beside them)."""
        return {pid for pid in self._children() if b"scheduler" not in _cmdline(pid)}

    def stop(self, *, group: bool = True) -> int:
        """SIGTERM, as systemd stops a service (to the whole group; with ``group=False``
        to ``run`` alone, which stops its children itself); the exit status."""
        assert self.process is not None
        if self.process.poll() is None:
            if group:
                os.killpg(self.pid, signal.SIGTERM)
            else:
                os.kill(self.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.pid, signal.SIGKILL)
                self.process.wait(timeout=30)
                raise AssertionError("statusbot run ignored SIGTERM for 30 s") from None
        return int(self.process.returncode)

    def kill(self) -> None:
        """SIGKILL to the whole instance, master and workers: nothing can clean up."""
        assert self.process is not None
        os.killpg(self.pid, signal.SIGKILL)
        self.process.wait(timeout=30)

    def ensure_stopped(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.pid, signal.SIGKILL)
            self.process.wait(timeout=30)


def _cmdline(pid: int) -> bytes:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:  # it just exited
        return b""
