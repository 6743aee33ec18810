"""``statusbot scheduler``: the one scheduler, as its own process, until SIGTERM.

Exit codes follow the other verbs: 0 after a clean stop, 1 when another
scheduler holds the SQLite file (one line says so), 2 for settings.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from types import FrameType

from bot.logs import configure_logging
from bot.scheduler.build import build_scheduler
from bot.scheduler.election import SchedulerRefused
from bot.settings import SCHEDULER_NEEDS, load_settings

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
