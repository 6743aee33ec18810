"""``timezone Europe/Stockholm`` · ``tidszon Europe/Stockholm``: the space's time zone.

Digests run at the space's local time, and the subscriptions and alert cards
show times in it. Without a zone the reply says which zone applies. A name that
is no zone gets a reply naming a valid one: the closest ("Stockholm" →
"Europe/Stockholm"), else ``EXAMPLE_ZONE``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Annotated, Literal

from pydantic import StringConstraints

from handlers.cards.safe_text import md
from handlers.command import Command, CommandKind, rule
from handlers.context import Context
from handlers.proactive_space import space_of
from handlers.reply import Reply
from handlers.timezones import EXAMPLE_ZONE, closest_zone, resolve_zone

#: Longest zone text echoed back; longer text is no zone anyway.
MAX_ZONE_TEXT = 100


class SetTimezone(Command):
    """Set (``zone``) or show (None) the space's time zone; ``zone`` is as typed."""

    kind: Literal["timezone"] = "timezone"
    zone: Annotated[str, StringConstraints(min_length=1, max_length=MAX_ZONE_TEXT)] | None = None


def _set(match: re.Match[str], today: date) -> tuple[Command, str]:
    zone = match.group("zone")
    return SetTimezone(zone=zone), match.string[: match.start("zone")]


def set_timezone(command: SetTimezone, context: Context) -> Reply:
    space = space_of(context)
    if isinstance(space, Reply):
        return space
    lang = context.lang
    if command.zone is None:
        return Reply(markdown=md("timezone_is", lang, zone=space.zone, example=EXAMPLE_ZONE))
    zone = resolve_zone(command.zone)
    if zone is None:
        close = closest_zone(command.zone)
        key = "timezone_suggest" if close else "timezone_bad"
        return Reply(markdown=md(key, lang, zone=command.zone, example=close or EXAMPLE_ZONE))
    space.store.set_timezone(space.room_id, zone)
    return Reply(markdown=md("timezone_set", lang, zone=zone))


_WORD = r"(?:(?:set|change|byt|ändra|sätt) )?(?:the )?(?:time ?zone|tz|tidszon(?:en)?)"

KIND = CommandKind(
    model=SetTimezone,
    rules=(
        rule("timezone", rf"{_WORD}(?:\s*[:=]\s*|\s+(?:to|till)\s+|\s+)(?P<zone>.+)", _set),
        rule("timezone_show", _WORD, lambda match, today: (SetTimezone(), match.group(0))),
    ),
    handle=set_timezone,
    card=False,
)
