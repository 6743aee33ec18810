"""Exactly one scheduler at a time (security-and-reliability.md, "Scheduling"):
how each backend holds a lock for as long as a process lives.

APScheduler 3 cannot share a job store between processes, so whoever runs the
jobs must be alone:

* **PostgreSQL**: the leader holds ``pg_try_advisory_lock`` on a connection of
  its own, opened with psycopg directly (not from a pool, and never through a
  transaction-pooling proxy, which would hand the lock's session to others).
  The lock lives as long as that session: when the process dies, even by
  SIGKILL, PostgreSQL ends the session and frees the lock, and a waiting
  scheduler takes it on its next try (every ``RETRY_SECONDS``). The session
  asks the server for TCP keepalives, so a vanished host frees it too, within
  a minute. The leader checks its session every few seconds; when it is
  gone, so is the lock, and the scheduler stops at once.
* **SQLite**: one machine, one file. The scheduler takes an exclusive
  ``flock`` on ``<database>.scheduler.lock``; a second one refuses to start
  with one line saying who holds it. The kernel drops the lock with the
  process, so a crash never leaves it stale.
"""

from __future__ import annotations

import fcntl
import os
import threading
from pathlib import Path
from typing import IO, Any, Protocol

import psycopg
from sqlalchemy import Engine

from core.dialect.engines import is_postgres

#: The advisory lock's first key ("Stat"); the second is the schema's hash, so
#: deployments (and test schemas) sharing one database elect separately.
LOCK_CLASS = 0x5374_6174
RETRY_SECONDS = 5.0
SESSION = "statusbot scheduler"
#: Server-side keepalives for the lock's session: a host that vanished without
#: closing its connection is noticed within idle + interval × count seconds.
KEEPALIVE = {"tcp_keepalives_idle": 10, "tcp_keepalives_interval": 5, "tcp_keepalives_count": 4}


class SchedulerRefused(Exception):
    """Another scheduler holds the SQLite file; ``str()`` is the one line to print."""


class Leadership(Protocol):
    def acquire(self, stop: threading.Event) -> bool:
        """Block until leader (True) or ``stop`` is set (False)."""

    def still_held(self) -> bool: ...

    def release(self) -> None: ...


class PostgresLeadership:
    def __init__(self, engine: Engine, *, retry_seconds: float = RETRY_SECONDS) -> None:
        url = engine.url.set(drivername="postgresql")
        self._conninfo = url.render_as_string(hide_password=False)
        # the lock's session by a name of its own, unless the URL names every session
        self._named: dict[str, Any] = (
            {} if "application_name" in url.query else {"application_name": SESSION}
        )
        self._retry = retry_seconds
        self._connection: psycopg.Connection[Any] | None = None

    def acquire(self, stop: threading.Event) -> bool:
        while not stop.is_set():
            try:
                if self._try():
                    return True
            except psycopg.Error:
                self._close()  # the database is away: try again later
            stop.wait(self._retry)
        return False

    def _try(self) -> bool:
        if self._connection is None or self._connection.closed:
            self._connection = psycopg.connect(self._conninfo, autocommit=True, **self._named)
            for name, value in KEEPALIVE.items():
                self._connection.execute(f"SET {name} = {int(value)}")
        row = self._connection.execute(
            "SELECT pg_try_advisory_lock(%s, hashtext(current_schema()))", (LOCK_CLASS,)
        ).fetchone()
        return bool(row and row[0])

    def still_held(self) -> bool:
        connection = self._connection
        if connection is None or connection.closed:
            return False
        try:
            row = connection.execute(
                "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                "AND pid = pg_backend_pid() AND classid = %s AND granted",
                (LOCK_CLASS,),
            ).fetchone()
        except psycopg.Error:
            self._close()
            return False
        return bool(row and row[0])

    def release(self) -> None:
        self._close()  # ending the session frees the lock

    def _close(self) -> None:
        if self._connection is not None:
            try:
                self._connection.close()
            finally:
                self._connection = None


class SqliteLeadership:
    def __init__(self, engine: Engine) -> None:
        database = engine.url.database
        self._database = database or ""
        self._path = (
            Path(database + ".scheduler.lock") if database and database != ":memory:" else None
        )
        self._file: IO[str] | None = None

    def acquire(self, stop: threading.Event) -> bool:
        """Take the lock at once or refuse: on one machine there is nothing to wait for."""
        if self._path is None:
            return True  # an in-memory database: no other process can see it
        handle = self._path.open("a+")
        try:
            fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            handle.close()
            raise SchedulerRefused(
                f"another scheduler ({holder}) is already running on {self._database};"
                " only one may run per SQLite file (use PostgreSQL for a standby)"
            ) from None
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        self._file = handle
        return True

    def still_held(self) -> bool:
        return self._path is None or self._file is not None

    def release(self) -> None:
        if self._file is not None:
            self._file.close()  # closing drops the flock
            self._file = None


def leadership_for(engine: Engine) -> Leadership:
    if is_postgres(engine):
        return PostgresLeadership(engine)
    return SqliteLeadership(engine)
