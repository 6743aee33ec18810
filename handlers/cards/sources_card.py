"""The ``sources`` · ``källor`` reply: each source, its last successful sync, its
last error and the next run.

Names are the sources' safe names (a URL without user, password or query; a
file path; ``wholesale (host)``): never a token. An error shows its kind in
words of the reply's language and the first line of its technical detail,
which names the source and the reason but no row or value of customer data.
"""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from core.statuses import Lang
from handlers.cards.common import card
from handlers.cards.data_lines import local_time
from handlers.cards.limits import fit_markdown
from handlers.cards.safe_text import Json, escape_markdown, text
from handlers.i18n import t
from handlers.reply import Reply

if TYPE_CHECKING:  # the database layer: the edges that read it load it
    from core.sources.freshness import DataStatus
    from core.sources.state import SourceState

DETAIL_CHARS = 200


def _lines(row: SourceState, now: datetime, zone: str, lang: Lang) -> list[tuple[str, bool]]:
    """``(sentence, is_warning)`` for one source."""
    never = t("sources_never", lang)
    success = local_time(row.last_success, now, zone) if row.last_success else never
    lines = [(t("sources_last_success", lang, time=success), False)]
    if row.failures and row.last_error_at is not None:
        kind = row.last_error_kind or "unavailable"
        when = local_time(row.last_error_at, now, zone)
        lines.append((t(f"sources_error_{kind}", lang, time=when), True))
        lines.append((t("sources_failing", lang, count=row.failures), True))
        detail = (row.last_error or "").splitlines()[0][:DETAIL_CHARS] if row.last_error else ""
        if detail:
            lines.append((t("sources_error_detail", lang, detail=detail), False))
    else:
        lines.append((t("sources_ok", lang), False))
    if row.next_run is not None:
        lines.append((t("sources_next_run", lang, time=local_time(row.next_run, now, zone)), False))
    return lines


def _name(row: SourceState, lang: Lang) -> str:
    from core.sources.state import SNAPSHOT  # loaded by then: the edge read the rows from it

    if row.name == SNAPSHOT:
        return t("sources_all", lang)
    kind = t(f"sources_kind_{row.kind}", lang) if row.kind in ("export", "wholesale") else ""
    return f"{kind}: {row.name}" if kind else row.name


def sources_reply(status: DataStatus | None, now: datetime, lang: Lang) -> Reply:
    title = t("sources_title", lang)
    rows = status.sources if status else ()
    if not rows:
        empty = t("sources_none", lang)
        return Reply(
            markdown=f"**{escape_markdown(title)}**\n\n{escape_markdown(empty)}",
            card=card([text(title, size="large", weight="bolder"), text(empty)], lang=lang),
        )
    assert status is not None
    body: list[Json] = [text(title, size="large", weight="bolder")]
    markdown: list[str] = [f"**{escape_markdown(title)}**"]
    for row in rows:
        lines = _lines(row, now, status.zone, lang)
        items = [text(_name(row, lang), weight="bolder")]
        items += [
            text(line, size="small", **({"color": "attention"} if warn else {"isSubtle": True}))
            for line, warn in lines
        ]
        body.append({"type": "Container", "spacing": "medium", "separator": True, "items": items})
        markdown.append("")
        markdown.append(f"**{escape_markdown(_name(row, lang))}**")
        markdown += [f"- {escape_markdown(line)}" for line, _warn in lines]
    zone = t("sources_zone", lang, zone=status.zone)
    body.append(text(zone, size="small", isSubtle=True, spacing="medium"))
    return Reply(
        markdown=fit_markdown(markdown, ["", escape_markdown(zone)], "…"),
        card=card(body, lang=lang),
    )
