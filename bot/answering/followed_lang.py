"""The language each space's questions were last asked in, for words that do not say.

"filter" or a card button reads the same in English and Swedish. A space that
has not chosen a language (``language sv``) is answered in the language of its
questions, so such a tie should go to the language the space was just speaking,
not to the bot's default.

It is kept in the database, in the inbox's ``spaces`` table beside the chosen
language (column ``followed``), because a conversation is not held by one
process: under ``statusbot run`` each question goes to whichever worker process
(or host) claims it, so a Swedish question answered by one and "filter" by
another must still agree. The reply path reads both languages in one query
(``read``) and writes only when the space switched language, or once a day to
show the space is still speaking (``REFRESH``), so a conversation that keeps
its language costs no write. A space that has not chosen a language and has
been silent for the inbox's retention (``STATUSBOT_INBOX_RETENTION_DAYS``) is
forgotten when the inbox is pruned (``bot.inbox.store.Inbox.prune``): one row
per space that spoke recently, at most.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select

from bot.inbox.schema import spaces
from bot.inbox.store import Inbox
from core.clock import aware
from core.dialect.statements import upsert
from core.statuses import Lang

#: How often an unchanged followed language is written again (its row's age is
#: what pruning reads, so a space that keeps speaking is never forgotten).
REFRESH = timedelta(days=1)


def _lang(value: str | None) -> Lang | None:
    return "sv" if value == "sv" else "en" if value == "en" else None


@dataclass(frozen=True)
class SpaceLangs:
    """A space's languages as read at the start of an attempt."""

    chosen: Lang | None  # ``language sv``: wins over everything
    followed: Lang | None  # the language of its last worded question
    written_at: datetime | None  # when its row was last written

    def reply_lang(self, default: Lang) -> Lang:
        """The space's chosen language, else the one it last spoke in, else the default."""
        return self.chosen or self.followed or default


class FollowedLanguages:
    """The spaces' followed languages, shared by every process on the database."""

    def __init__(self, inbox: Inbox) -> None:
        self._inbox = inbox
        self._engine = inbox.engine
        self._clock = inbox.clock

    def read(self, room_id: str) -> SpaceLangs:
        with self._engine.connect() as connection:
            row = connection.execute(
                select(spaces.c.language, spaces.c.followed, spaces.c.updated_at).where(
                    spaces.c.room_id == room_id
                )
            ).first()
        if row is None:
            return SpaceLangs(None, None, None)
        return SpaceLangs(_lang(row.language), _lang(row.followed), aware(row.updated_at))

    def remember(self, room_id: str, lang: Lang, seen: SpaceLangs) -> None:
        """The space just spoke ``lang``; ``seen`` is what ``read`` gave this attempt."""
        now = self._clock()
        if seen.followed == lang and seen.written_at and now - seen.written_at < REFRESH:
            return
        statement = upsert(self._engine, spaces).values(
            room_id=room_id, followed=lang, updated_at=now
        )
        statement = statement.on_conflict_do_update(
            index_elements=["room_id"], set_={"followed": lang, "updated_at": now}
        )
        with self._inbox.writing() as connection:  # queued with the inbox's other writers
            connection.execute(statement)
