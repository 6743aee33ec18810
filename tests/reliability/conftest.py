"""Fixtures for the reliability cases: the in-thread bot with short leases and retries,
and a clock that the test moves forward instead of sleeping through minutes."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.e2e.conftest import Stack, start_stack
from tests.reliability.traffic import RESULTS, table


class ShiftedClock:
    """The real time plus an offset the test moves: ``Retry-After: 61`` is waited out
    by moving the bot's clock, never by sleeping."""

    def __init__(self) -> None:
        self.offset = timedelta(0)

    def __call__(self) -> datetime:
        return datetime.now(UTC) + self.offset

    def advance(self, seconds: float) -> None:
        self.offset += timedelta(seconds=seconds)


StackFactory = Callable[..., Stack]


@pytest.fixture
def clock() -> ShiftedClock:
    return ShiftedClock()


@pytest.fixture
def make_stack(database_url: str, clock: ShiftedClock) -> Iterator[StackFactory]:
    """Start the bot with settings of the test's choosing (a lease of 2 s by default)."""
    started: list[Stack] = []

    def make(**settings: Any) -> Stack:
        stack = start_stack(database_url, **{"inbox_lease_seconds": 2, **settings})
        stack.bot.service.inbox.clock = clock
        started.append(stack)
        return stack

    yield make
    for stack in started:
        stack.bot.stop()
        stack.emulator.stop()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """The reliability suite's table, one row per run, after the session (README,
    "Reliability suite", says what each column means)."""
    if RESULTS:
        terminalreporter.write_sep("=", "reliability suite")
        terminalreporter.write_line(table(RESULTS))
