"""Argument types of the command line that answer a typo in words a person can act on.

``type=date.fromisoformat`` makes argparse say "invalid fromisoformat value",
which names a Python function rather than the mistake.
"""

from __future__ import annotations

import argparse
from datetime import date


def day(text: str) -> date:
    """A ``YYYY-MM-DD`` day, or an error saying what is wrong with ``text``."""
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        why = str(error)
        detail = "" if why.lower().startswith("invalid isoformat") else f": {why}"
        raise argparse.ArgumentTypeError(
            f"{text!r} is not a day{detail} (write YYYY-MM-DD, e.g. 2027-01-31)"
        ) from None
