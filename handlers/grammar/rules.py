"""Pieces the command modules' grammar rules share."""

from __future__ import annotations

import re

_QUOTES = {'"': '"', "'": "'", "“": "”", "”": "”", "‘": "’", "«": "»", "`": "`"}


def quoted_name(match: re.Match[str]) -> str:
    """The ``name`` capture, without one pair of surrounding quotes (``customer "Acme AB"``)."""
    name = match.group("name")
    if len(name) >= 2 and _QUOTES.get(name[0]) == name[-1]:
        name = name[1:-1].strip()
    return name
