"""A digest: the card the typed question gets, headed with its subscription.

"Daily · Needing attention · 08:00 Europe/Stockholm" above the same list (or
summary) card that typing the question gives, so a digest's buttons (Next,
Export, Filter…, each row's details) work exactly like the list's. Nothing to
report means no post: ``digest_reply`` returns None when the list is empty, or
for a summary when there are no customers at all (a summary with nothing
needing attention still reports the counts).
"""

from __future__ import annotations

from datetime import date

from core.proactive import Digest
from core.statuses import Lang
from handlers.cards.common import Heading
from handlers.cards.list_card import PAGE_SIZE, list_reply, page_count
from handlers.cards.proactive_text import heading
from handlers.cards.summary_card import summary_reply
from handlers.context import CustomerStore
from handlers.reply import Reply

__all__ = ["digest_heading", "digest_reply"]


def digest_heading(digest: Digest, zone: str, lang: Lang) -> Heading:
    return Heading(
        text=heading(digest.schedule, digest.question, zone, lang),
        markdown=heading(digest.schedule, digest.question, zone, lang, markdown=True),
    )


def digest_reply(
    digest: Digest, store: CustomerStore, today: date, zone: str, lang: Lang, *, page: int = 0
) -> Reply | None:
    """The digest's post for ``today``, or None when there is nothing to report."""
    head = digest_heading(digest, zone, lang)
    if digest.question.kind == "summary":
        summary = store.summary(today)
        return summary_reply(summary, lang, heading=head) if summary.total else None
    query = digest.question.query
    found = store.query(query, today, offset=page * PAGE_SIZE, limit=PAGE_SIZE)
    if found.total == 0:
        return None
    if not found.rows:  # a page past the end: the last one
        page = page_count(found.total) - 1
        found = store.query(query, today, offset=page * PAGE_SIZE, limit=PAGE_SIZE)
    return list_reply(found, query, page, lang, heading=head)
