"""Which time zone names a space may choose, and the closest one to a wrong guess.

A zone is an IANA tz database name as ``zoneinfo`` knows it ("Europe/Stockholm",
"UTC"), matched without regard to case so "europe/stockholm" works. Names that
are not zones people live in ("Factory", "localtime", "posixrules", the
"posix/…" and "right/…" copies) are refused. A wrong name gets the closest valid
one as a suggestion ("Stockholm" → "Europe/Stockholm"), so the reply can name
a zone that works instead of only saying no.
"""

from __future__ import annotations

import difflib
from functools import lru_cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

__all__ = ["EXAMPLE_ZONE", "MAX_ZONE_LENGTH", "closest_zone", "resolve_zone", "zone_info"]

#: The zone replies name when they need an example.
EXAMPLE_ZONE = "Europe/Stockholm"
#: Longer than any tz name ("America/Argentina/ComodRivadavia" is 32).
MAX_ZONE_LENGTH = 64
_NOT_PLACES = frozenset({"Factory", "localtime", "posixrules"})


@lru_cache(maxsize=1)
def _zones() -> dict[str, str]:
    """Case-folded name → canonical name, for every zone a space may choose."""
    names = {
        name
        for name in available_timezones()
        if name not in _NOT_PLACES and not name.startswith(("posix/", "right/"))
    }
    return {name.casefold(): name for name in names}


def resolve_zone(text: str) -> str | None:
    """The canonical zone name ``text`` means, or None when it names no zone."""
    cleaned = text.strip().replace(" ", "_")
    if not cleaned or len(cleaned) > MAX_ZONE_LENGTH:
        return None
    return _zones().get(cleaned.casefold())


def closest_zone(text: str) -> str | None:
    """A valid zone close to a wrong one: a city alone, or a near spelling."""
    cleaned = text.strip().replace(" ", "_").casefold()[:MAX_ZONE_LENGTH]
    if not cleaned:
        return None
    zones = _zones()
    by_city = sorted(name for key, name in zones.items() if key.rsplit("/", 1)[-1] == cleaned)
    if by_city:
        return by_city[0]
    close = difflib.get_close_matches(cleaned, list(zones), n=1, cutoff=0.8)
    return zones[close[0]] if close else None


def zone_info(name: str) -> ZoneInfo | None:
    """The ZoneInfo for a stored zone name (None if the system no longer knows it)."""
    zone = resolve_zone(name)
    if zone is None:
        return None
    try:
        return ZoneInfo(zone)
    except (ZoneInfoNotFoundError, ValueError):  # pragma: no cover - tz data removed underneath us
        return None
