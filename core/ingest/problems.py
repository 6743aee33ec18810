"""What is wrong with a snapshot file: every bad row, named, in file order.

data-contract.md: a bad file gets a report naming every bad row (line, column,
value, why), so reading never stops at the first error. The readers hand each
valid row to a ``Collector``, which stages it (``core.ingest.stager``), and each
problem to ``Collector.error``; ``Collector.finish`` returns the staged
``Snapshot`` or raises ``SnapshotInvalid`` with every problem found (at most
``MAX_REPORTED_ERRORS``).
"""

from __future__ import annotations

from dataclasses import dataclass

from core.ingest.stager import Stager
from core.ingest.staging import Snapshot

#: Stop collecting after this many problems: the report stays readable.
MAX_REPORTED_ERRORS = 1000


@dataclass(frozen=True, slots=True)
class RowError:
    line: int  # 1-based line in the file (the header is line 1 in a CSV)
    column: str
    value: str
    reason: str

    def __str__(self) -> str:
        value = self.value if len(self.value) <= 60 else self.value[:57] + "..."
        return f"line {self.line}, column {self.column}: {value!r}: {self.reason}"


class SnapshotInvalid(Exception):
    """The file cannot be imported; ``errors`` names every bad row."""

    def __init__(self, errors: list[RowError], *, truncated: bool = False) -> None:
        self.errors = errors
        self.truncated = truncated
        more = " (and more, not listed)" if truncated else ""
        super().__init__(f"{len(errors)} problem(s){more}")

    def report(self) -> str:
        lines = [str(error) for error in self.errors]
        if self.truncated:
            lines.append(f"... stopped after {len(self.errors)} problems")
        return "\n".join(lines)


class Collector:
    """Stages valid rows into a Snapshot and gathers every problem in a list."""

    def __init__(self) -> None:
        self.snapshot = Snapshot()
        self.errors: list[RowError] = []
        self._stager = Stager(self.snapshot)
        self.add_customer = self._stager.add_customer
        self.add_subscription = self._stager.add_subscription
        self.add_service = self._stager.add_service

    @property
    def full(self) -> bool:
        return len(self.errors) >= MAX_REPORTED_ERRORS

    def error(self, line: int, column: str, value: object, reason: str) -> None:
        if not self.full:
            shown = "" if value is None else str(value)
            if _has_surrogates(shown):  # bytes that were not UTF-8, kept by surrogateescape
                shown = shown.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
                reason = "not UTF-8 text (invalid bytes)"
            self.errors.append(RowError(line, column, shown, reason))

    def finish(self) -> Snapshot:
        """The staged snapshot, or SnapshotInvalid naming every problem in file order
        (the rows that disagree with earlier ones are found last, in SQL)."""
        disagreements = self._stager.finish(MAX_REPORTED_ERRORS)
        if disagreements:
            found = [*self.errors, *(RowError(*problem) for problem in disagreements)]
            self.errors = sorted(found, key=lambda error: error.line)[:MAX_REPORTED_ERRORS]
        if not self.errors and not self.snapshot.customers:
            self.error(1, "(file)", "", "the snapshot has no customers")
        if self.errors:
            self.snapshot.close()
            raise SnapshotInvalid(self.errors, truncated=self.full)
        return self.snapshot


def _has_surrogates(text: str) -> bool:
    return any("\ud800" <= character <= "\udfff" for character in text)
