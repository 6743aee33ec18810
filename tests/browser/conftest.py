"""Fixtures for the browser tests: Debian's Chromium driven by Playwright.

Locally the tests skip with a visible reason when Chromium, Playwright or the
card renderer (npm) is missing; under CI (``CI`` set) each of those is a
failure, so the browser tests can never silently stop running there.
Browsers come from Debian (``apt-get install -y chromium``), never from
``playwright install``.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

import pytest

from emulator.playground import ensure_renderer, install_command
from tests.browser.chromium import CHROMIUM, CHROMIUM_ARGS
from tests.prerequisites import missing

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@pytest.fixture(scope="session")
def renderer() -> bool:
    """The Adaptive Cards renderer, installed with ``npm ci`` once when missing."""
    if not ensure_renderer(quiet=True):
        missing(f"the Adaptive Cards renderer is not installed; run: {install_command()}")
    return True


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    if not CHROMIUM.exists():
        missing(f"{CHROMIUM} is missing (apt-get install -y chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing("playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            yield launched
        finally:
            launched.close()
