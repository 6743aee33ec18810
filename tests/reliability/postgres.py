"""A private, throwaway PostgreSQL cluster that the reliability suite may stop and start.

The machine's shared PostgreSQL server serves every other test: the suite never
touches it. It initialises its own cluster in a temporary folder (``initdb`` as the
``postgres`` user, trust authentication, loopback only) on a free port, and stops
and starts that one. ``statusbot run`` itself is ``tests.operations.process.StatusbotRun``.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

from tests.operations.process import free_port
from tests.prerequisites import missing

PG_BIN = Path("/usr/lib/postgresql/15/bin")


class PrivatePostgres:
    """A throwaway PostgreSQL 15 cluster owned by the suite: ``start()``, ``stop()``,
    ``destroy()``."""

    def __init__(self) -> None:
        if not (PG_BIN / "initdb").exists() or os.geteuid() != 0:
            missing(
                "the PostgreSQL restart run needs root and PostgreSQL 15's initdb"
                f" ({PG_BIN}; apt-get install -y postgresql-15)"
            )
        self.folder = Path(tempfile.mkdtemp(prefix="statusbot-pg-"))
        self.data = self.folder / "data"
        self.port = free_port()
        shutil.chown(self.folder, "postgres", "postgres")
        self._as_postgres(PG_BIN / "initdb", "-D", self.data, "-A", "trust", "-U", "postgres")

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def start(self) -> None:
        options = f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1"
        log = self.folder / "server.log"
        pg_ctl = PG_BIN / "pg_ctl"
        self._as_postgres(pg_ctl, "-D", self.data, "-o", options, "-l", log, "-w", "start")

    def stop(self) -> None:
        """A fast shutdown: connections are cut, as in a restart for an upgrade."""
        self._as_postgres(PG_BIN / "pg_ctl", "-D", self.data, "-m", "fast", "-w", "stop")

    def destroy(self) -> None:
        with contextlib.suppress(subprocess.CalledProcessError):  # not running
            self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)

    def _as_postgres(self, *command: object) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *map(str, command)],
            check=True,
            capture_output=True,
            timeout=120,
        )
