"""One Prometheus multiprocess folder per running ``statusbot run``, none left behind.

prometheus_client adds up gunicorn's processes through files in the folder named
by ``PROMETHEUS_MULTIPROC_DIR``, read when the library is first imported; its
documentation asks for that folder to be emptied when the server starts, since
files of earlier processes would otherwise be summed in. A fixed folder would be
shared by every instance on a machine, and a fresh temporary folder per start
(as before) piles up, one per restart, each holding dead workers' files.

So every instance gets its own empty folder ``run-XXXXXXXX`` under one parent
(``STATUSBOT_METRICS_DIR``; by default ``statusbot-metrics-<uid>`` in the
temporary directory) and holds an exclusive ``flock`` on ``instance.lock`` inside
it for as long as any of its processes lives (the forked workers share the open
file; the kernel drops the lock when the last one is gone, however it died). A
clean stop removes the folder; a start removes every folder whose lock it can
take, i.e. those of instances that were killed, and never one whose instance is
still running. Starts hold ``<parent>/.lock`` while they look and create, so two
instances starting at once cannot take each other's new folder for abandoned.
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import shutil
import stat
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from bot.settings import SettingsError

log = logging.getLogger("statusbot.metrics")

ENV = "PROMETHEUS_MULTIPROC_DIR"
LOCK_NAME = "instance.lock"
PREFIX = "run-"


class MetricsFolderError(SettingsError):
    """The parent folder is unusable; ``str()`` says what to do (the CLI exits 2)."""


def default_parent() -> Path:
    """Per user, so that two users of one machine never share (or block) a folder."""
    return Path(tempfile.gettempdir()) / f"statusbot-metrics-{os.geteuid()}"


@dataclass
class MetricsFolder:
    """This instance's folder; ``release()`` removes it, in the process that made it only."""

    path: Path
    removed: list[Path]
    _lock_fd: int
    _owner_pid: int = field(default_factory=os.getpid)

    def release(self) -> None:
        # gunicorn's forked workers leave through the same stack (sys.exit in the
        # child): only the process that claimed the folder may remove it.
        if os.getpid() != self._owner_pid or self._lock_fd < 0:
            return
        shutil.rmtree(self.path, ignore_errors=True)
        os.close(self._lock_fd)
        self._lock_fd = -1


def claim(parent: Path | None = None) -> MetricsFolder:
    """Remove abandoned instance folders under ``parent`` and make this instance's own."""
    parent = parent or default_parent()
    try:
        parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        _check_owned(parent)
        with _locked(parent / ".lock"):
            removed = [folder for folder in sorted(parent.glob(PREFIX + "*")) if _abandoned(folder)]
            for folder in removed:
                shutil.rmtree(folder, ignore_errors=True)
            path = Path(tempfile.mkdtemp(prefix=PREFIX, dir=parent))
            fd = os.open(path / LOCK_NAME, os.O_CREAT | os.O_RDWR | os.O_CLOEXEC, 0o600)
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        raise MetricsFolderError(
            f"STATUSBOT_METRICS_DIR {parent} is not usable ({error.strerror or error}): "
            "set it to a folder this user owns, e.g. /run/statusbot/metrics"
        ) from None
    if removed:
        log.info("removed %d metrics folder(s) of stopped instances", len(removed))
    return MetricsFolder(path, removed, fd)


@contextlib.contextmanager
def instance_folder(parent: Path | None = None) -> Iterator[MetricsFolder]:
    """This instance's folder as ``PROMETHEUS_MULTIPROC_DIR`` while the block runs.

    Enter it before anything imports prometheus_client (it reads the variable
    once, at import).
    """
    folder = claim(parent)
    os.environ[ENV] = str(folder.path)
    try:
        yield folder
    finally:
        folder.release()


def _check_owned(parent: Path) -> None:
    """A folder in a shared temporary directory could be another user's trap."""
    info = parent.lstat()
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.geteuid():
        raise MetricsFolderError(
            f"STATUSBOT_METRICS_DIR {parent} is not a folder of this user: "
            "remove it or set STATUSBOT_METRICS_DIR to a folder this user owns"
        )


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    fd = os.open(path, os.O_CREAT | os.O_RDWR | os.O_CLOEXEC, 0o600)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)


def _abandoned(folder: Path) -> bool:
    """True when no process of the folder's instance is alive.

    A folder without a lock file is one whose start died before it wrote one
    (starts create folders under the parent's lock, so none is half made now).
    """
    if folder.is_symlink() or not folder.is_dir():
        return False
    try:
        fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CLOEXEC)
    except FileNotFoundError:
        return True
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    finally:
        os.close(fd)
    return True
