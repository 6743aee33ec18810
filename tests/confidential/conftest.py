"""The end-to-end stack (emulator, bot, store over real HTTP) is the e2e suite's;
``stack_with`` starts one with settings of a test's own and stops it afterwards."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from tests.e2e.conftest import Stack, stack, start_stack

__all__ = ["stack", "stack_with"]


@pytest.fixture
def stack_with(database_url: str) -> Iterator[Callable[..., Stack]]:
    started: list[Stack] = []

    def start(**settings: Any) -> Stack:
        started.append(start_stack(database_url, **settings))
        return started[-1]

    try:
        yield start
    finally:
        for running in started:
            running.bot.stop()
            running.emulator.stop()
