"""``statusbot scheduler``: the one scheduler, as its own process, until SIGTERM.

Exit codes follow the other verbs: 0 after a clean stop, 1 when another
scheduler holds the SQLite file (one line says so), 2 for settings.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
from types import FrameType

from bot.logs import configure_logging
from bot.scheduler.build import build_scheduler
from bot.settings import SCHEDULER_NEEDS, load_settings
from core.dialect.leadership import SchedulerRefused

log = logging.getLogger("statusbot.scheduler")

EXIT_OK, EXIT_REFUSED = 0, 1


def run_scheduler(stop: threading.Event | None = None) -> int:
    settings = load_settings(needs=SCHEDULER_NEEDS)
    configure_logging(settings.log_format)
    stopping = stop or threading.Event()

    def _stop(_signal: int, _frame: FrameType | None) -> None:
        stopping.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
    built = build_scheduler(settings)
    try:
        built.scheduler.serve(stopping)
    except SchedulerRefused as refused:
        print(f"statusbot scheduler: {refused}", file=sys.stderr)
        return EXIT_REFUSED
    finally:
        built.close()
    log.info("scheduler stopped")
    return EXIT_OK


def spawn_scheduler() -> subprocess.Popen[bytes]:
    """``statusbot scheduler`` as a child process with this process's settings (what
    ``statusbot run`` starts beside gunicorn: a process of its own, never a web worker)."""
    return subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "scheduler"], preexec_fn=_die_with_parent
    )


def _die_with_parent() -> None:
    """Linux: the child gets SIGTERM when ``statusbot run`` dies, even by SIGKILL, so no
    orphaned scheduler keeps the lock (elsewhere this is a no-op)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def stop_scheduler(process: subprocess.Popen[bytes], timeout: float = 20.0) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout)
