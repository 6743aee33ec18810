"""The file source against real files: changes, a slow writer, a bad file."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from core.sources.base import SourceError, SourceNotReady
from core.sources.file import FileSource
from tests.sources.data import ACME, BETA, GAMMA, export


def later(path: Path, seconds: float = 60) -> datetime:
    """A clock well after the file's last change (the settle time has passed)."""
    return datetime.fromtimestamp(path.stat().st_mtime, UTC) + timedelta(seconds=seconds)


def test_a_file_is_read_and_reread_only_when_its_content_changes(tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    path.write_text(export(ACME, BETA), encoding="utf-8")
    source = FileSource(path)
    first = source.fetch(later(path))
    assert first.changed and sorted(first.snapshot.customers) == ["c-1", "c-2"]
    path.write_text(export(ACME, BETA), encoding="utf-8")  # touched, same content
    assert source.fetch(later(path)).changed is False
    path.write_text(export(ACME, GAMMA), encoding="utf-8")
    third = source.fetch(later(path))
    assert third.changed and sorted(third.snapshot.customers) == ["c-1", "c-3"]


def test_a_file_written_slowly_is_not_applied_until_it_is_stable(tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    text = export(ACME, BETA, GAMMA)
    half = len(text) // 2
    written, finish = threading.Event(), threading.Event()

    def writer() -> None:  # an export being copied in: half now, the rest later
        with path.open("w", encoding="utf-8") as stream:
            stream.write(text[:half])
            stream.flush()
            written.set()
            finish.wait(10)
            stream.write(text[half:])

    thread = threading.Thread(target=writer)
    thread.start()
    assert written.wait(10)
    source = FileSource(path, settle_seconds=5)
    just_now = datetime.fromtimestamp(path.stat().st_mtime, UTC) + timedelta(seconds=1)
    with pytest.raises(SourceNotReady, match="still being written"):
        source.fetch(just_now)
    finish.set()
    thread.join(10)
    fetched = source.fetch(later(path))
    assert sorted(fetched.snapshot.customers) == ["c-1", "c-2", "c-3"]


def test_a_bad_file_is_refused_whole_naming_line_field_and_reason(tmp_path: Path) -> None:
    path = tmp_path / "customers.csv"
    path.write_text(export(ACME, BETA.replace("2026-12-10", "2026-13-45")), encoding="utf-8")
    with pytest.raises(SourceError) as raised:
        FileSource(path).fetch(later(path))
    error = raised.value
    assert error.invalid and error.source == f"file://{path}"
    assert "line 3, column end_date: '2026-13-45': not a date" in error.report()


def test_a_missing_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(SourceError, match="no such file"):
        FileSource(tmp_path / "nope.csv").fetch(datetime.now(UTC))


def test_json_is_recognised_by_content(tmp_path: Path) -> None:
    path = tmp_path / "export.dat"
    path.write_text(
        '[{"id": "c-9", "name": "Nio AB", "subscriptions": [{"id": "s-9", "kind": "paid",'
        ' "services": [{"name": "Webex Calling", "provisioning_status": "provisioned"}]}]}]',
        encoding="utf-8",
    )
    assert list(FileSource(path).fetch(later(path)).snapshot.customers) == ["c-9"]


def test_a_file_dated_ahead_of_the_clock_is_read_not_waited_for(tmp_path: Path) -> None:
    """An export copied from a host whose clock runs fast (or read under a fixed demo
    clock) has a change time in our future: it cannot be dated, so it is read (the
    before-and-after comparison still guards the read) instead of "still being
    written" until the clock catches up."""
    path = tmp_path / "customers.csv"
    path.write_text(export(ACME, BETA), encoding="utf-8")
    an_hour_before = datetime.fromtimestamp(path.stat().st_mtime, UTC) - timedelta(hours=1)
    fetched = FileSource(path, settle_seconds=5).fetch(an_hour_before)
    assert sorted(fetched.snapshot.customers) == ["c-1", "c-2"]
