"""``statusbot scheduler``: the one scheduler, as its own process, until SIGTERM.

Exit codes follow the other verbs: 0 after a clean stop, 1 when another
scheduler holds the SQLite file (one line says so), 2 for settings (a token
Webex refuses among them), 70 when it failed unexpectedly (one log line: what
failed, no secrets): ``statusbot run`` (``bot.scheduler.supervisor``) starts it
again after 70, never after 1 or 2.

Building it touches the database (its tables) and Webex (who the bot is); when
either is away, the build is tried again on the scheduler's start backoff
(``bot.scheduler.runtime.START_RETRY``), one log line each time, until it
works or the process is stopped: a scheduler that gave up would leave digests
and alerts stopped for at least the restart's backoff.
"""

from __future__ import annotations

import logging
import signal
import sys
import threading
from collections.abc import Callable
from types import FrameType

from bot.logs import configure_logging
from bot.scheduler.build import Built, build_scheduler
from bot.scheduler.runtime import START_RETRY, Backoff, why
from bot.settings import SCHEDULER_NEEDS, Settings, SettingsError, load_settings
from bot.webex.check import token_check_failed
from bot.webex.errors import WebexError
from core.dialect import SchemaError
from core.dialect.leadership import SchedulerRefused

log = logging.getLogger("statusbot.scheduler")

EXIT_OK, EXIT_REFUSED, EXIT_CRASHED = 0, 1, 70


def run_scheduler(stop: threading.Event | None = None) -> int:
    settings = load_settings(needs=SCHEDULER_NEEDS)
    configure_logging(settings.log_format)
    stopping = stop or threading.Event()

    def _stop(_signal: int, _frame: FrameType | None) -> None:
        stopping.set()

    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _stop)
        signal.signal(signal.SIGINT, _stop)
    try:
        return serve_scheduler(settings, stopping)
    except (SettingsError, SchemaError):
        raise  # exit 2, as every verb
    except Exception as error:  # not 1: that says another scheduler holds the file
        log.critical("scheduler failed (%s); exiting", why(error))
        return EXIT_CRASHED


def serve_scheduler(
    settings: Settings,
    stop: threading.Event,
    *,
    build: Callable[[Settings], Built] = build_scheduler,
    start_retry: tuple[float, float] = START_RETRY,
) -> int:
    """Build the scheduler (again and again while the database or Webex is away) and
    serve until ``stop``; the exit code."""
    built = _build_when_possible(settings, stop, build, Backoff(*start_retry))
    if built is None:
        return EXIT_OK  # stopped before it could start
    built.scheduler.start_retry = start_retry
    try:
        built.scheduler.serve(stop)
    except SchedulerRefused as refused:
        print(f"statusbot scheduler: {refused}", file=sys.stderr)
        return EXIT_REFUSED
    finally:
        built.close()
    log.info("scheduler stopped")
    return EXIT_OK


def _build_when_possible(
    settings: Settings, stop: threading.Event, build: Callable[[Settings], Built], delays: Backoff
) -> Built | None:
    while not stop.is_set():
        try:
            return build(settings)
        except (SettingsError, SchemaError):
            raise  # not for waiting to mend
        except WebexError as error:
            failed = token_check_failed(error, settings.webex_api_url)
            if isinstance(failed, SettingsError):
                raise failed from None  # the token or the URL is wrong
            reason = why(error)
        except Exception as error:
            reason = why(error)
        delay = delays.next()
        log.error(
            "scheduler could not start (%s): no digests or alerts are posted;"
            " trying again in %.0f s",
            reason,
            delay,
        )
        stop.wait(delay)
    return None
