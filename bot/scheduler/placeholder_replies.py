"""Stand-ins for ``alerts-ui``'s digest_reply and alert_reply, until theirs land.

TODO(alerts-ui): delete this module and import handlers' own functions in
``bot.scheduler.runtime`` when they are on main. Same signatures, so the
swap is one import.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from core.proactive.models import Digest, StatusChange
from core.statuses import Lang
from handlers.command import ListCustomers, ShowSummary
from handlers.commands import CustomerStore, handle
from handlers.reply import Reply

_HEAD = {"en": "{n} customers changed status", "sv": "{n} kunder har bytt status"}


def digest_reply(
    digest: Digest, store: CustomerStore, today: date, zone: str, lang: Lang, *, page: int = 0
) -> Reply | None:
    """The list (or summary) the typed question gets; None when the list is empty."""
    question = digest.question
    if question.kind == "summary":
        return handle(ShowSummary(), store=store, today=today, lang=lang)
    if not store.query(question.query, today, limit=1).total:
        return None
    command = ListCustomers(query=question.query, page=page)
    return handle(command, store=store, today=today, lang=lang)


def alert_reply(
    changes: Sequence[StatusChange], lang: Lang, *, page: int = 0, batch: str, zone: str = "UTC"
) -> Reply:
    lines = [_HEAD[lang].format(n=len({change.customer_id for change in changes}))]
    lines += [
        f"- {change.customer_name}: {change.old or '–'} → {change.new or '–'}" for change in changes
    ]
    return Reply(markdown="\n".join(lines))
