"""The lines under every list and detail card that say how old the data is.

"Data as of 08:15, Partner Hub export" on each, and a warning in plain words
when the last successful sync is older than STATUSBOT_STALE_MINUTES (or no sync
ever succeeded): an answer from stale data must not look current. Added to a
finished reply, so the cards themselves stay about customers. Times are in the
partner's time zone; a day other than today is written out.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import datetime
from typing import TYPE_CHECKING, TypeVar
from zoneinfo import ZoneInfo

from core.statuses import Lang
from handlers.cards.limits import TEXT_LIMIT, text_size
from handlers.cards.safe_text import md, text
from handlers.command import Command
from handlers.context import Context
from handlers.i18n import t
from handlers.reply import Reply

if TYPE_CHECKING:  # the database layer: the edges that read it load it
    from core.sources.freshness import DataStatus


def local_time(moment: datetime, now: datetime, zone: str) -> str:
    """``08:15`` today, ``2026-11-29 08:15`` another day, in ``zone``."""
    tz = ZoneInfo(zone)
    local = moment.astimezone(tz)
    if local.date() == now.astimezone(tz).date():
        return f"{local:%H:%M}"
    return f"{local:%Y-%m-%d %H:%M}"


def data_lines(
    status: DataStatus | None, now: datetime, lang: Lang
) -> list[tuple[str, dict[str, str | int]]]:
    """``(key, params)`` of each line to show: none without data or status."""
    if status is None or status.freshness is None:
        return []
    fresh = status.freshness
    lines: list[tuple[str, dict[str, str | int]]] = []
    if fresh.as_of is not None:
        origin = t(f"data_origin_{fresh.origin}", lang)
        lines.append(
            ("data_as_of", {"time": local_time(fresh.as_of, now, status.zone), "origin": origin})
        )
    if fresh.stale and fresh.last_success is not None:
        minutes = int(status.stale_after.total_seconds() // 60)
        when = local_time(fresh.last_success, now, status.zone)
        lines.append(("data_stale", {"time": when, "count": minutes}))
    elif fresh.stale:
        lines.append(("data_never_synced", {}))
    return lines


def with_data_lines(reply: Reply, status: DataStatus | None, now: datetime, lang: Lang) -> Reply:
    """``reply`` with the data's age under its card and its markdown."""
    lines = data_lines(status, now, lang)
    if not lines:
        return reply
    blocks = [
        text(
            t(key, lang, **params),
            spacing="Medium" if index == 0 else None,
            isSubtle=key == "data_as_of",
            size="Small",
            **({"color": "Warning", "weight": "Bolder"} if key != "data_as_of" else {}),
        )
        for index, (key, params) in enumerate(lines)
    ]
    card = None
    if reply.card is not None:
        card = {**reply.card, "body": [*reply.card.get("body", []), *blocks]}
    written = [md(key, lang, **params) for key, params in lines]
    markdown = (
        reply.markdown
        + "\n\n"
        + "\n".join(
            f"_{line}_" if key == "data_as_of" else f"**{line}**"
            for line, (key, _params) in zip(written, lines, strict=True)
        )
    )
    if text_size(markdown) > TEXT_LIMIT:  # a full list: the card still says it
        markdown = reply.markdown
    return replace(reply, card=card, markdown=markdown)


C = TypeVar("C", bound=Command)


def dated(handle: Callable[[C, Context], Reply]) -> Callable[[C, Context], Reply]:
    """A command handler whose replies carry the data lines (list and detail kinds)."""

    def answer(command: C, context: Context) -> Reply:
        reply = handle(command, context)
        return with_data_lines(reply, context.data_status(), context.now, context.lang)

    return answer
