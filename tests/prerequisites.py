"""What the tests need from the machine, and what happens when it is missing.

Locally a test whose prerequisite (PostgreSQL's URL, Node, Chromium, the card
renderer) is missing skips with the reason and the fix; under CI (``CI`` set)
the same is a failure, so CI can never go green by silently running less.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def in_ci() -> bool:
    return os.environ.get("CI", "").lower() not in ("", "0", "false", "no")


def missing(reason: str) -> NoReturn:
    """Skip locally, fail under CI; ``reason`` says what is missing and how to fix it."""
    if in_ci():
        pytest.fail(f"{reason} (required in CI)", pytrace=False)
    pytest.skip(reason)
