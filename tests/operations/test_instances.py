"""Instances of ``statusbot run`` on one machine: each keeps its own files, and
none is left behind (issue 15; issue 11, item 7).

Every instance has a metrics folder (prometheus_client's multiprocess folder)
under STATUSBOT_METRICS_DIR: removed on a clean stop, removed by the next start
when the instance was killed, never removed while its instance runs.
"""

from __future__ import annotations

import os
import re
import signal
import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

from emulator.server import ServerHandle
from tests.operations.process import StatusbotRun, wait_until


@pytest.fixture
def instances() -> Iterator[list[StatusbotRun]]:
    started: list[StatusbotRun] = []
    yield started
    for instance in started:
        instance.ensure_stopped()


def folders(parent: Path) -> list[Path]:
    return sorted(parent.glob("run-*"))


def listening(port: int) -> set[str]:
    """The addresses something listens on at ``port`` (IPv4, from /proc/net/tcp)."""
    found = set()
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, hex_port = local.split(":")
        if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
            found.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
    return found


def web_processes(instance: StatusbotRun) -> float:
    text = instance.get("/metrics").text
    found = re.search(r"^statusbot_web_processes ([0-9.]+)$", text, re.MULTILINE)
    assert found, text[:2000]
    return float(found.group(1))


def make(
    instances: list[StatusbotRun],
    emulator: ServerHandle,
    sqlite_url: str,
    tmp_path: Path,
    name: str,
    *,
    env: dict[str, str] | None = None,
    workers: int = 1,
) -> StatusbotRun:
    env = {"STATUSBOT_METRICS_DIR": str(tmp_path / "metrics"), **(env or {})}
    instance = StatusbotRun(
        emulator.api_url, sqlite_url, tmp_path / f"{name}.log", env=env, workers=workers
    )
    instances.append(instance)
    return instance


def test_a_clean_stop_leaves_no_metrics_folder(
    emulator: ServerHandle, sqlite_url: str, tmp_path: Path, instances: list[StatusbotRun]
) -> None:
    bot = make(instances, emulator, sqlite_url, tmp_path, "bot").start()
    assert listening(bot.port) == {"127.0.0.1"}, "loopback unless told otherwise"
    (folder,) = folders(tmp_path / "metrics")
    assert web_processes(bot) == 1
    assert any(folder.glob("*.db")), "the workers keep their metrics in the instance's folder"
    assert bot.stop() == 0
    assert folders(tmp_path / "metrics") == []


def test_a_killed_instance_folder_is_removed_by_the_next_start(
    emulator: ServerHandle, sqlite_url: str, tmp_path: Path, instances: list[StatusbotRun]
) -> None:
    bot = make(instances, emulator, sqlite_url, tmp_path, "bot").start()
    (killed,) = folders(tmp_path / "metrics")
    bot.kill()
    assert folders(tmp_path / "metrics") == [killed], "SIGKILL leaves it: nothing can clean up"
    bot.start()
    (current,) = folders(tmp_path / "metrics")
    assert current != killed
    assert bot.stop() == 0
    assert folders(tmp_path / "metrics") == []


def test_two_instances_do_not_touch_each_others_files(
    emulator: ServerHandle, sqlite_url: str, tmp_path: Path, instances: list[StatusbotRun]
) -> None:
    # gunicorn's control socket would go to $XDG_RUNTIME_DIR (or ~/.gunicorn):
    # one per user, which a second instance takes over and deletes when it stops
    home, runtime = tmp_path / "home", tmp_path / "runtime"
    home.mkdir()
    runtime.mkdir()
    shared = {"HOME": str(home), "XDG_RUNTIME_DIR": str(runtime)}
    first = make(instances, emulator, sqlite_url, tmp_path, "first", env=shared).start()
    (first_folder,) = folders(tmp_path / "metrics")
    second = make(instances, emulator, sqlite_url, tmp_path, "second", env=shared).start()
    assert len(folders(tmp_path / "metrics")) == 2
    assert second.stop() == 0
    assert folders(tmp_path / "metrics") == [first_folder]
    assert first.healthy() and web_processes(first) == 1
    second.start()
    second.kill()
    (killed,) = set(folders(tmp_path / "metrics")) - {first_folder}
    second.start()  # cleans up what the killed instance left, not the live one's
    (third,) = set(folders(tmp_path / "metrics")) - {first_folder}
    assert killed != third and not killed.exists()
    assert first.healthy() and web_processes(first) == 1
    assert list(runtime.iterdir()) == [] and list(home.iterdir()) == []
    assert first.stop() == 0 and second.healthy()
    assert folders(tmp_path / "metrics") == [third]
    assert second.stop() == 0
    assert folders(tmp_path / "metrics") == []


def test_a_dead_worker_stops_counting(
    emulator: ServerHandle, sqlite_url: str, tmp_path: Path, instances: list[StatusbotRun]
) -> None:
    bot = make(instances, emulator, sqlite_url, tmp_path, "bot", workers=2).start()
    (folder,) = folders(tmp_path / "metrics")
    wait_until(lambda: len(bot.workers()) == 2, what="two workers")
    wait_until(lambda: web_processes(bot) == 2, what="two web processes counted")
    victim = min(bot.workers())
    assert (folder / f"gauge_livesum_{victim}.db").exists()
    os.kill(victim, signal.SIGKILL)
    wait_until(lambda: victim not in bot.workers() and len(bot.workers()) == 2, what="a new worker")
    # the master reaped the worker (child_exit) before it started the new one
    assert not (folder / f"gauge_livesum_{victim}.db").exists()
    wait_until(lambda: all(web_processes(bot) == 2 for _ in range(4)), what="two counted again")
    # a worker killed between creating its file and sizing it leaves it empty for
    # good (prometheus/client_python#1199): scrapes go on regardless
    (folder / f"counter_{victim}.db").touch()
    assert all(web_processes(bot) == 2 for _ in range(4))
    assert bot.stop() == 0
