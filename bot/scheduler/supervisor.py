"""The scheduler beside ``statusbot run``'s web workers, kept running.

``statusbot run`` starts ``statusbot scheduler`` as a child process (never in a
web worker). When that child ends while ``run`` is not stopping (it crashed,
the kernel's OOM killer or someone sent it SIGKILL), ``SchedulerChild.check``
starts it again after a backoff (``RESTART``: 1 s, 2 s, … at most 60 s apart;
back to 1 s once a child has run ``STEADY`` seconds), with one log line each
time. Two exits mean a restart cannot help, so it is not started again and
``run`` carries on without it (one log line; the scheduler's own line says why):

* exit 2, a setting to fix (a token Webex refuses, say);
* exit 1, another scheduler holds this SQLite file (that one posts).

Gunicorn's master reaps every child with ``waitpid(-1)``, which would take the
scheduler's exit status with it: ``bot.cli.run`` calls ``check`` before each of
those reaps (and on every turn of the master's loop, at least once a second),
so the scheduler is reaped here, by its own process id, first.
"""

from __future__ import annotations

import logging
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Sequence

from bot.scheduler.runtime import Backoff

log = logging.getLogger("statusbot.run")

#: Seconds before the first restart, doubling up to the second.
RESTART = (1.0, 60.0)
#: A child that ran this many seconds was steady: the next restart waits RESTART[0] again.
STEADY = 300.0
#: The scheduler's exit codes that a restart cannot mend (``bot.scheduler.process``).
EXIT_REFUSED, EXIT_SETTINGS = 1, 2
COMMAND = (sys.executable, "-m", "bot.cli", "scheduler")


class SchedulerChild:
    """``statusbot scheduler`` as a child process, started again after an unexpected end."""

    def __init__(
        self,
        command: Sequence[str] = COMMAND,
        *,
        restart: tuple[float, float] = RESTART,
        steady: float = STEADY,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.command = list(command)
        self.backoff = Backoff(*restart)
        self.steady = steady
        self.clock = clock
        self.process: subprocess.Popen[bytes] | None = None
        self.restarts = 0
        self.stopping = False
        self.given_up = False
        self._started = 0.0
        self._due: float | None = None
        self._owner = os.getpid()

    def start(self) -> None:
        self._owner = os.getpid()
        self.process = subprocess.Popen(self.command, preexec_fn=_die_with_parent)
        self._started = self.clock()
        self._due = None

    def check(self) -> None:
        """Reap the child if it ended, and start it again when its restart is due."""
        if not self._mine():
            return
        now = self.clock()
        if self.process is not None:
            code = self.process.poll()
            if code is None or self.stopping:
                return
            self.process = None
            self._ended(code, now)
        if self._due is not None and now >= self._due and not self.stopping:
            self.restarts += 1
            self.start()

    def _ended(self, code: int, now: float) -> None:
        if code in (EXIT_REFUSED, EXIT_SETTINGS):
            self.given_up = True
            reason = (
                "another scheduler holds this database and posts"
                if code == EXIT_REFUSED
                else "a setting to fix; no digests or alerts are posted"
            )
            log.error(
                "scheduler exited with code %d (%s): not started again until statusbot run"
                " restarts",
                code,
                reason,
            )
            return
        if now - self._started >= self.steady:
            self.backoff.reset()
        delay = self.backoff.next()
        self._due = now + delay
        log.error(
            "scheduler %s: no digests or alerts are posted; starting it again in %.0f s",
            _how(code),
            delay,
        )

    def terminate(self) -> None:
        """``run`` is stopping: SIGTERM to the child, and no restart from now on."""
        self.stopping = True
        if self._mine() and self.process is not None and self.process.poll() is None:
            self.process.terminate()

    def stop(self, timeout: float = 20.0) -> None:
        """Stop the child and wait for it (SIGKILL after ``timeout`` seconds)."""
        self.terminate()
        process = self.process
        if self._mine() and process is not None and process.poll() is None:
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout)

    def _mine(self) -> bool:
        """In the process that started the child (not a gunicorn worker forked from it,
        which leaves ``run``'s ``finally`` on its way out too)."""
        return os.getpid() == self._owner


def _how(code: int) -> str:
    if code < 0:
        try:
            return f"was killed ({signal.Signals(-code).name})"
        except ValueError:
            return f"was killed (signal {-code})"
    return f"exited with code {code}"


def _die_with_parent() -> None:
    """Linux: the child gets SIGTERM when ``statusbot run`` dies, even by SIGKILL, so no
    orphaned scheduler keeps the lock (elsewhere this is a no-op). The signal comes when
    the thread that started the child ends: ``run`` starts it from its main thread."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG
    except OSError:
        pass
