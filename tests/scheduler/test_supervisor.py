"""``SchedulerChild``: which exits of the scheduler child ``statusbot run`` starts again,
and when (a real child process that exits with the code in a file; the clock is the
test's, so nothing waits for a backoff)."""

from __future__ import annotations

import logging
import sys
from pathlib import Path

import pytest

from bot.scheduler.supervisor import SchedulerChild


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def exit_code(tmp_path: Path) -> Path:
    return tmp_path / "exit-code"


def started(exit_code: Path, code: str) -> tuple[SchedulerChild, Clock]:
    """A child that exits with ``code`` (the file's), started; the supervisor's clock."""
    exit_code.write_text(code)
    command = [sys.executable, "-c", f"import sys; sys.exit(int(open({str(exit_code)!r}).read()))"]
    clock = Clock()
    scheduler = SchedulerChild(command, restart=(1.0, 4.0), steady=100.0, clock=clock)
    scheduler.start()
    return scheduler, clock


def ended(scheduler: SchedulerChild) -> None:
    """Wait for the child to exit, then let the supervisor see it."""
    assert scheduler.process is not None
    scheduler.process.wait(30)
    scheduler.check()


def test_an_unexpected_exit_is_started_again_on_a_backoff(
    exit_code: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, "statusbot.run")
    scheduler, clock = started(exit_code, "70")
    delays = []
    for _ in range(4):
        ended(scheduler)
        assert scheduler.process is None
        due = clock.now
        while scheduler.process is None:
            clock.now += 0.5
            scheduler.check()
        delays.append(clock.now - due)
    assert delays == [1.0, 2.0, 4.0, 4.0]  # doubling, at most the second
    assert scheduler.restarts == 4
    messages = [record.getMessage() for record in caplog.records]
    assert len(messages) == 4
    assert messages[0] == (
        "scheduler exited with code 70: no digests or alerts are posted; starting it again in 1 s"
    )
    clock.now += 100.0  # it ran a while: the next restart waits the first delay again
    ended(scheduler)
    assert "starting it again in 1 s" in caplog.records[-1].getMessage()
    scheduler.stop()


@pytest.mark.parametrize(
    ("code", "reason"),
    [("1", "another scheduler holds this database"), ("2", "a setting to fix")],
)
def test_an_exit_a_restart_cannot_mend_is_not_started_again(
    exit_code: Path, caplog: pytest.LogCaptureFixture, code: str, reason: str
) -> None:
    caplog.set_level(logging.ERROR, "statusbot.run")
    scheduler, clock = started(exit_code, code)
    ended(scheduler)
    for _ in range(10):
        clock.now += 60.0
        scheduler.check()
    assert scheduler.process is None and scheduler.restarts == 0 and scheduler.given_up
    (record,) = caplog.records
    assert reason in record.getMessage() and "not started again" in record.getMessage()


def test_a_child_that_ends_while_run_stops_is_not_started_again(
    exit_code: Path, caplog: pytest.LogCaptureFixture
) -> None:
    scheduler, clock = started(exit_code, "0")
    scheduler.terminate()
    scheduler.stop()
    clock.now += 60.0
    scheduler.check()
    assert scheduler.restarts == 0 and not caplog.records
