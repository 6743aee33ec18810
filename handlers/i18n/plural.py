"""The catalogue entry types (kept apart so the catalogues can import them)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Plural:
    """A sentence with a form for ``count == 1`` and one for everything else
    (English and Swedish both have exactly these two forms)."""

    one: str
    other: str
    count: str = "count"


Entry = str | Plural
