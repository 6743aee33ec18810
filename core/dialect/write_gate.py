"""SQLite's one write lock, queued for instead of slept on (``WriteGate``).

A SQLite difference like the others in ``core.dialect``; PostgreSQL needs none
(``bot.inbox.store`` uses a null context there).
"""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path


class WriteGate:
    """Writers to one SQLite file on this host, one at a time (the inbox's use it).

    SQLite has one write lock per database, and a connection that finds it taken
    sleeps in its busy handler (1, 2, 5, 10 … ms) however soon it is free again:
    under load, receivers and workers spent most of their time asleep there. Here
    they queue instead (a thread lock within the process, ``flock`` on
    ``<database>-writers.lock`` between processes) and each is woken the moment the
    one before it is done. Writers that don't pass through here (the store, the
    scheduler) still meet the busy handler; correctness rests on SQLite's lock
    alone, this only orders who asks for it.
    """

    def __init__(self, database: Path | None) -> None:
        self._lock = threading.Lock()  # None: in memory, one process
        self._path = None if database is None else f"{database}-writers.lock"
        self._fd: int | None = None

    def __enter__(self) -> None:
        self._lock.acquire()
        if self._path is None:
            return
        try:
            if self._fd is None:
                self._fd = os.open(self._path, os.O_RDWR | os.O_CREAT, 0o600)
            fcntl.flock(self._fd, fcntl.LOCK_EX)
        except OSError:  # a folder we can't write in: SQLite's own lock still serializes
            self._path = None

    def __exit__(self, *_exc: object) -> None:
        try:
            if self._path is not None and self._fd is not None:
                fcntl.flock(self._fd, fcntl.LOCK_UN)
        finally:
            self._lock.release()
