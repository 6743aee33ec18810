"""What every source shares: the interface, its errors, and reading a payload.

data-contract.md sketches ``fetch() -> iterable of Customer``; a source here
returns a validated ``Snapshot`` instead, because the reader that builds one
is also what names the bad line, field and reason, and a snapshot is one
compact copy of the data (a big export fits in memory once).
"""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from core.ingest.columns import ColumnMapping
from core.ingest.problems import SnapshotInvalid
from core.ingest.snapshot import read_snapshot
from core.ingest.staging import Snapshot

#: What a card says the data is: a Partner Hub export (file or URL) or Webex Wholesale.
SourceKind = Literal["export", "wholesale"]


class SourceError(Exception):
    """A source gave no usable snapshot. ``source`` is its safe name (no
    credentials), ``reason`` one line a person can act on, ``details`` every
    bad line or item (source, line/item, field, reason). ``invalid`` is bad
    data (fixed at the source), otherwise the source could not be reached."""

    def __init__(
        self,
        source: str,
        reason: str,
        *,
        invalid: bool = False,
        details: tuple[str, ...] = (),
        retry_after: float | None = None,
    ) -> None:
        self.source = source
        self.reason = reason
        self.invalid = invalid
        self.details = details
        self.retry_after = retry_after
        super().__init__(f"{source}: {reason}")

    def report(self) -> str:
        """The reason and every detail, one per line, each naming the source."""
        return "\n".join([str(self), *(f"{self.source}: {line}" for line in self.details)])


class SourceNotReady(SourceError):
    """The source is changing right now (a file still being written): try soon."""


@dataclass(frozen=True, slots=True)
class Fetched:
    """A source's snapshot; ``changed`` is False when the source said it is the
    one it gave last time (same content hash, HTTP 304)."""

    snapshot: Snapshot
    changed: bool = True


class Source(Protocol):
    """One place customer data comes from."""

    @property
    def name(self) -> str:
        """How logs, errors and the ``sources`` reply call it: never a credential."""
        ...

    @property
    def kind(self) -> SourceKind: ...

    def fetch(self, now: datetime) -> Fetched:
        """The whole snapshot, or SourceError; never a part of it."""
        ...


def sniff(head: bytes, hint: str = "") -> Literal["csv", "json"]:
    """JSON or CSV: by the name's extension or the content type in ``hint``, else
    by the first character (the JSON shape is an array)."""
    lowered = hint.lower()
    if "json" in lowered:
        return "json"
    if "csv" in lowered:
        return "csv"
    return "json" if head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"[" else "csv"


def parse_payload(
    source: str,
    data: bytes,
    *,
    hint: str = "",
    columns: ColumnMapping | None = None,
) -> Snapshot:
    """A snapshot from a whole CSV or JSON payload (by ``hint``'s extension or
    content type, else by its first character); SourceError names every bad row."""
    try:
        return read_snapshot(io.BytesIO(data), format=sniff(data[:64], hint), columns=columns)
    except SnapshotInvalid as invalid:
        lines = tuple(str(error) for error in invalid.errors)
        if invalid.truncated:
            lines += (f"... stopped after {len(invalid.errors)} problems",)
        raise SourceError(source, f"not applied: {invalid}", invalid=True, details=lines) from None
