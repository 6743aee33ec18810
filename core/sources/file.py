"""A file source: an export dropped on disk (CSV or JSON), re-read when its
content changes.

An export is often copied in while we look, so a file is applied only when it
is stable: its last change is at least ``settle_seconds`` old, and it did not
change while it was read (size, mtime and content hash before and after).
Content hashes, not mtimes, decide "changed": a file touched but not edited
is not applied again.
"""

from __future__ import annotations

import hashlib
from datetime import datetime
from pathlib import Path

from core.ingest.columns import ColumnMapping
from core.ingest.problems import SnapshotInvalid
from core.ingest.snapshot import read_snapshot
from core.ingest.staging import Snapshot
from core.sources.base import Fetched, SourceError, SourceKind, SourceNotReady, sniff

DEFAULT_SETTLE_SECONDS = 5.0


class FileSource:
    """``file:///srv/statusbot/customers.csv`` (or a plain path)."""

    kind: SourceKind = "export"

    def __init__(
        self,
        path: Path,
        *,
        columns: ColumnMapping | None = None,
        settle_seconds: float = DEFAULT_SETTLE_SECONDS,
    ) -> None:
        self.path = path
        self.columns = columns
        self.settle_seconds = settle_seconds
        self._last: Snapshot | None = None

    @property
    def name(self) -> str:
        return f"file://{self.path}"

    def fetch(self, now: datetime) -> Fetched:
        before = self._stat()
        age = now.timestamp() - before[1] / 1e9
        # A change dated ahead of the clock (a writer's clock running fast, an export
        # copied with its times kept, a demo's fixed clock) cannot be dated: waiting
        # would last as long as the skew. The read itself still proves it stable
        # (size, time and content the same before and after).
        if 0 <= age < self.settle_seconds:
            raise SourceNotReady(
                self.name,
                f"still being written (changed {max(age, 0):.0f} s ago); tried again soon",
            )
        digest = self._hash()
        if self._last is not None and digest == self._last.digest:
            return Fetched(self._last, changed=False)
        try:
            with self.path.open("rb") as stream:
                fmt = sniff(stream.read(64), self.path.suffix)
            snapshot = read_snapshot(self.path, format=fmt, columns=self.columns)
        except SnapshotInvalid as invalid:
            if self._stat() != before:
                raise SourceNotReady(
                    self.name, "changed while it was read; tried again soon"
                ) from None
            lines = tuple(str(error) for error in invalid.errors)
            raise SourceError(
                self.name, f"not applied: {invalid}", invalid=True, details=lines
            ) from None
        except OSError as error:
            raise SourceError(self.name, f"cannot read it ({error.strerror})") from None
        if self._stat() != before or snapshot.digest != digest:
            raise SourceNotReady(self.name, "changed while it was read; tried again soon")
        self._last = snapshot
        return Fetched(snapshot)

    def _stat(self) -> tuple[int, int, int]:
        """Size, mtime (ns) and inode: what a writer or a rename changes (not atime)."""
        try:
            found = self.path.stat()
            return (found.st_size, found.st_mtime_ns, found.st_ino)
        except FileNotFoundError:
            raise SourceError(self.name, "no such file") from None
        except OSError as error:
            raise SourceError(self.name, f"cannot read it ({error.strerror})") from None

    def _hash(self) -> str:
        try:
            with self.path.open("rb") as stream:
                return hashlib.file_digest(stream, "sha256").hexdigest()
        except OSError as error:
            raise SourceError(self.name, f"cannot read it ({error.strerror})") from None
