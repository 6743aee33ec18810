"""Starting the servers a benchmark measures, each in its own processes, and
counting their CPU.

* ``bare``: ``benchmarks/bare_app.py`` under gunicorn.
* ``statusbot``: ``statusbot run`` (gunicorn too, the same worker settings),
  against the Webex emulator, itself a separate process so that its CPU is
  not counted as the bot's.

CPU is read from /proc for the server's whole process tree (gunicorn's
master and workers): user + system seconds, before and after a run.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parent.parent
SECRET = "bench-webhook-secret-0123456789"
BOT_TOKEN = "BENCH_BOT_TOKEN"
BOT_EMAIL = "statusbot@webex.bot"
WORKERS, THREADS = 2, 16  # statusbot run's defaults (bot.cli.run), used for both
_TICK = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Server:
    name: str
    url: str  # the webhook endpoint
    process: subprocess.Popen[bytes]
    database_url: str | None = None  # statusbot run's: the benchmark reads its backlog

    def cpu_seconds(self) -> float:
        """User + system CPU of the process and every descendant still running."""
        return sum(_cpu(pid) for pid in _tree(self.process.pid))


def _tree(root: int) -> list[int]:
    children: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            children.setdefault(int(fields[1]), []).append(int(entry.name))
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        found.append(pid)
        todo.extend(children.get(pid, []))
    return found


def _cpu(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / _TICK  # utime, stime


def _wait_http(url: str, process: subprocess.Popen[bytes], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"{url}: the server exited ({process.returncode})")
        try:
            requests.get(url, timeout=1)
            return
        except requests.RequestException:
            time.sleep(0.2)
    raise RuntimeError(f"{url}: not up after {seconds} s")


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _gunicorn_args(port: int) -> list[str]:
    return [
        "--bind",
        f"127.0.0.1:{port}",
        "--workers",
        str(WORKERS),
        "--worker-class",
        "gthread",
        "--threads",
        str(THREADS),
        "--log-level",
        "warning",
    ]


@contextmanager
def bare_server() -> Iterator[Server]:
    port = free_port()
    env = {**os.environ, "BENCH_SECRET": SECRET, "PYTHONPATH": str(ROOT)}
    command = [sys.executable, "-m", "gunicorn", *_gunicorn_args(port), "benchmarks.bare_app:app"]
    process = subprocess.Popen(command, env=env, cwd=ROOT)
    try:
        _wait_http(f"http://127.0.0.1:{port}/", process)
        yield Server("bare Flask", f"http://127.0.0.1:{port}/webhooks/webex", process)
    finally:
        _stop(process)


@contextmanager
def emulator(users: int = 0) -> Iterator[str]:
    """The Webex emulator in its own process; yields its base URL."""
    port = free_port()
    command = [sys.executable, "-m", "emulator.server", "--host", "127.0.0.1"]
    command += ["--port", str(port), "--bot-token", BOT_TOKEN, "--bot-email", BOT_EMAIL]
    for number in range(users):
        command += ["--user", f"{user_email(number)}={user_token(number)}"]
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    process = subprocess.Popen(command, env=env, cwd=ROOT, stderr=subprocess.DEVNULL)
    try:
        _wait_http(f"http://127.0.0.1:{port}/v1/people/me", process)
        yield f"http://127.0.0.1:{port}"
    finally:
        _stop(process)


def user_email(number: int) -> str:
    return f"asker{number}@example.com"


def user_token(number: int) -> str:
    return f"ASKER_TOKEN_{number}"


def bot_environment(database_url: str, emulator_url: str, port: int) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "WEBEX_ACCESS_TOKEN": BOT_TOKEN,
        "STATUSBOT_WEBEX_API_URL": emulator_url + "/v1",
        "STATUSBOT_PUBLIC_URL": f"http://127.0.0.1:{port}",
        "STATUSBOT_WEBHOOK_SECRET": SECRET,
        "STATUSBOT_DATABASE_URL": database_url,
        "STATUSBOT_ALLOW_HTTP": "true",
        "STATUSBOT_ALLOWED": "@example.com",  # the askers; the ack load's sender too
        "STATUSBOT_LOG_FORMAT": "text",
        "STATUSBOT_WEB_WORKERS": str(WORKERS),
    }


@contextmanager
def statusbot_server(
    database_url: str, emulator_url: str, root: Path = ROOT, **extra: str
) -> Iterator[Server]:
    """``statusbot run`` against the emulator; its log goes to a file beside nothing
    (DEVNULL): at thousands of events a second, logging to a terminal is a cost.
    ``root``: the checkout whose bot runs (``--compare-with``: an earlier one)."""
    port = free_port()
    env = {**bot_environment(database_url, emulator_url, port), "PYTHONPATH": str(root), **extra}
    command = [sys.executable, "-m", "bot.cli", "run", "--host", "127.0.0.1", "--port", str(port)]
    process = subprocess.Popen(
        command, env=env, cwd=root, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        _wait_http(f"http://127.0.0.1:{port}/healthz", process, seconds=120)
        url = f"http://127.0.0.1:{port}/webhooks/webex"
        yield Server("statusbot run", url, process, database_url)
    finally:
        _stop(process)
