"""Taking customer data back when someone not allowed joins a space (issue 11).

Webex shows a space's history to whoever joins it, so the whole-space check at
question time cannot protect what was already posted: Alice and Bob get a list
card, Alice adds eve@evil.com, and Eve reads the card. A bot may delete its own
messages, so when a person who is not allowed joins a space where the bot
posted customer data, the bot deletes those messages and says why, once,
without data (``handlers.notices.retracted``).

What counts as data-bearing is recorded when a reply is recorded as sent
(``DataPosts.record``: message id, room, time), in the bot's database, because
Webex does not let a bot list its own messages in a group space. Only posts
within ``window`` (``STATUSBOT_RETRACT_WINDOW_DAYS``, 30 by default) are looked
at and kept: older rows are forgotten, which bounds both the table and the
work a join causes. What this cannot take back (README, "Who sees customer
data"): notifications already shown on phones and desktops, copies people made,
and anything older than the window.

A retraction marks each row with the inbox event that took it back, so an
event worked on again (after a crash between the deletes and the notice)
neither deletes twice nor forgets its notice.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Column,
    Connection,
    DateTime,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    delete,
    func,
    select,
    update,
)

from bot.access import AccessPolicy, Person
from bot.web.metrics import Metrics
from bot.webex.client import WebexClient
from bot.webex.errors import WebexError
from core.dialect.schema import ensure_schema
from core.dialect.statements import upsert

log = logging.getLogger("statusbot.retraction")

metadata = MetaData()

data_messages = Table(
    "data_messages",
    metadata,
    Column("message_id", String(300), primary_key=True),
    Column("room_id", String(300), nullable=False),
    Column("posted_at", DateTime(timezone=True), nullable=False),
    Column("retracted_by", Integer, nullable=True),  # the inbox event that took it back
    Column("retracted_at", DateTime(timezone=True), nullable=True),
    Index("ix_data_messages_room", "room_id", "posted_at"),
    Index("ix_data_messages_event", "retracted_by"),
)

#: Statuses of a delete that mean the message is out of reach for good: 404 (gone
#: already) and 403 (not ours to delete). Anything retryable is tried again later.
FINAL_DELETE_STATUSES = frozenset({403, 404})


def _now() -> datetime:
    return datetime.now(UTC)


class DataPosts:
    """Which of the bot's messages carry customer data, per space, for ``window``."""

    def __init__(
        self,
        engine: Engine,
        *,
        clock: Callable[[], datetime] = _now,
        window: timedelta = timedelta(days=30),
        prune_every: float = 3600.0,
        writing: Callable[[], AbstractContextManager[Connection]] | None = None,
    ) -> None:
        self.engine = engine
        # the inbox's writing() where there is one: queued with its other writers
        self._writing = writing or engine.begin
        self.clock = clock
        self.window = window
        self.prune_every = prune_every
        self._pruned_at = 0.0

    @classmethod
    def open(cls, engine: Engine, **options: Any) -> DataPosts:
        """On ``engine`` (the inbox's: same database, same SQLite locking), table made."""
        ensure_schema(engine, metadata)
        return cls(engine, **options)

    def record(self, room_id: str, message_id: str) -> None:
        """Remember a data-bearing post (a second record of one message is a no-op)."""
        statement = (
            upsert(self.engine, data_messages)
            .values(message_id=message_id, room_id=room_id, posted_at=self.clock())
            .on_conflict_do_nothing(index_elements=["message_id"])
        )
        with self._writing() as connection:
            connection.execute(statement)
        if time.monotonic() - self._pruned_at >= self.prune_every:
            self._pruned_at = time.monotonic()
            self.prune()

    def pending(self, room_id: str) -> list[str]:
        """Data-bearing messages in ``room_id`` within the window not yet taken back."""
        query = (
            select(data_messages.c.message_id)
            .where(
                data_messages.c.room_id == room_id,
                data_messages.c.posted_at >= self.clock() - self.window,
                data_messages.c.retracted_by.is_(None),
            )
            .order_by(data_messages.c.posted_at.desc())
        )
        with self.engine.connect() as connection:
            return [str(row) for row in connection.execute(query).scalars()]

    def mark(self, message_id: str, event_id: int) -> None:
        with self._writing() as connection:
            connection.execute(
                update(data_messages)
                .where(data_messages.c.message_id == message_id)
                .values(retracted_by=event_id, retracted_at=self.clock())
            )

    def taken_back_by(self, event_id: int) -> int:
        with self.engine.connect() as connection:
            count = connection.execute(
                select(func.count()).where(data_messages.c.retracted_by == event_id)
            ).scalar()
        return int(count or 0)

    def prune(self) -> int:
        """Forget posts older than the window (they are not looked at any more)."""
        with self._writing() as connection:
            removed = connection.execute(
                delete(data_messages).where(data_messages.c.posted_at < self.clock() - self.window)
            )
        return int(removed.rowcount or 0)


@dataclass
class Retractor:
    """Decides on a ``memberships``/``created`` event and deletes what has to go."""

    posts: DataPosts
    webex: WebexClient
    policy: AccessPolicy
    metrics: Metrics
    enabled: bool = True
    _log: logging.Logger = field(default=log, repr=False)

    def joined(self, event_id: int, data: Mapping[str, Any]) -> bool:
        """Someone other than the bot joined a space: take back its data if they are
        not allowed. True when the space is owed the notice (something was taken back
        by this event, now or on an earlier try); WebexError when a delete should be
        tried again later."""
        room_id = str(data.get("roomId") or "")
        if not self.enabled or not room_id or data.get("roomType") == "direct":
            return False
        email, org_id = data.get("personEmail"), data.get("personOrgId")
        newcomer = Person(
            email if isinstance(email, str) else None, org_id if isinstance(org_id, str) else None
        )
        if self.policy.room_allowed(room_id) or self.policy.person_allowed(newcomer):
            return False
        deleted = 0
        for message_id in self.posts.pending(room_id):
            deleted += self._delete(event_id, message_id)
            self.posts.mark(message_id, event_id)
        taken = self.posts.taken_back_by(event_id)
        if taken:
            self.metrics.refusals.labels("retraction").inc()
            self._log.warning(
                "event %s: someone not allowed joined a space with customer data; "
                "%d of the bot's messages taken back (%d deleted now)",
                event_id,
                taken,
                deleted,
                extra={"event_id": event_id, "outcome": "retracted", "messages": taken},
            )
        return taken > 0

    def _delete(self, event_id: int, message_id: str) -> int:
        """1 when deleted now, 0 when out of reach for good; raises to retry later."""
        try:
            self.webex.call("delete message", lambda api: api.messages.delete(message_id))
        except WebexError as error:
            if error.status_code not in FINAL_DELETE_STATUSES:
                raise
            level = logging.INFO if error.status_code == 404 else logging.ERROR
            self._log.log(level, "event %s: a message can't be deleted: %s", event_id, error.reason)
            return 0
        self.metrics.retracted.inc()
        return 1
