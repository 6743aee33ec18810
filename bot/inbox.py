"""The durable inbox: webhook events stored first, worked on afterwards, once.

Webex gives no delivery id and no idempotency key (security-and-reliability.md).
So an event is keyed by ``(resource, event, data.id)`` with a unique constraint
and stored with ``INSERT … ON CONFLICT DO NOTHING`` before the webhook is
answered: a duplicate delivery is a no-op. Workers then claim events with a
lease (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, ``BEGIN IMMEDIATE`` on
SQLite), so several processes never work on the same event, and an event whose
worker died is claimed again when its lease runs out.

Replies have their own state, because creating a Webex message is not
idempotent: ``sending`` is committed before the call (with a fingerprint of
the reply), ``sent`` with the message id after it. An event found ``sending``
after a crash is settled by ``bot.worker`` (it looks for the reply where Webex
lets a bot look, and otherwise does not send again: at most once).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import (
    Column,
    DateTime,
    Engine,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    create_engine,
    delete,
    event,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.dialects import postgresql, sqlite

from core.store.schema import create_tables
from core.store.store import prepare_sqlite

Clock = Callable[[], datetime]

metadata = MetaData()

inbox = Table(
    "inbox_events",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dedupe_key", String(400), nullable=False, unique=True),
    Column("resource", String(40), nullable=False),
    Column("event", String(40), nullable=False),
    Column("data_id", String(300), nullable=False),
    Column("room_id", String(300), nullable=True),
    Column("person_id", String(300), nullable=True),
    Column("data", Text, nullable=False),  # the envelope's data (ids, never message text)
    Column("received_at", DateTime(timezone=True), nullable=False),
    # pending → working → done | failed | ignored
    Column("state", String(16), nullable=False, default="pending"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("lease_until", DateTime(timezone=True), nullable=True),
    Column("worker", String(100), nullable=True),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Column("outcome", String(40), nullable=True),  # answered, refused, ignored, ...
    Column("error", Text, nullable=True),
    # reply: None → sending → sent | failed | unknown
    Column("reply_state", String(16), nullable=True),
    Column("reply_fingerprint", String(64), nullable=True),
    Column("reply_started_at", DateTime(timezone=True), nullable=True),
    Column("reply_message_id", String(300), nullable=True),
    Index("ix_inbox_claim", "state", "lease_until", "id"),
    Index("ix_inbox_reply", "reply_message_id"),
)

spaces = Table(
    "spaces",
    metadata,
    Column("room_id", String(300), primary_key=True),
    Column("language", String(2), nullable=True),
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

FINAL_STATES = ("done", "failed", "ignored")


@dataclass(frozen=True, slots=True)
class InboxEvent:
    id: int
    resource: str
    event: str
    data_id: str
    room_id: str | None
    person_id: str | None
    data: dict[str, Any]
    received_at: datetime
    attempts: int
    reply_state: str | None
    reply_fingerprint: str | None
    reply_started_at: datetime | None


def create_inbox_engine(url: str) -> Engine:
    """An engine whose transactions can claim rows safely on either backend.

    On SQLite, pysqlite's own transaction handling is turned off and every
    transaction begins with ``BEGIN IMMEDIATE`` (the write lock at once), the
    way SQLAlchemy documents for SERIALIZABLE use of SQLite.
    """
    if not url.startswith("sqlite"):
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        prepare_sqlite(dbapi_connection)

    @event.listens_for(engine, "begin")
    def _begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime | None) -> datetime | None:
    if moment is None:
        return None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


class Inbox:
    """Webhook events, stored once, claimed by one worker at a time."""

    def __init__(self, engine: Engine, *, clock: Clock = _now, lease: float = 120.0) -> None:
        self.engine = engine
        self.clock = clock
        self.lease = timedelta(seconds=lease)
        self._postgres = engine.dialect.name == "postgresql"

    @classmethod
    def open(cls, url: str, **options: Any) -> Inbox:
        box = cls(create_inbox_engine(url), **options)
        create_tables(box.engine, metadata)
        return box

    def close(self) -> None:
        self.engine.dispose()

    # -- receiving ---------------------------------------------------------------

    def record(self, resource: str, event_name: str, data: dict[str, Any]) -> bool:
        """Store an event; False when it was stored before (a duplicate delivery)."""
        data_id = str(data.get("id", ""))
        values = {
            "dedupe_key": f"{resource}:{event_name}:{data_id}",
            "resource": resource,
            "event": event_name,
            "data_id": data_id,
            "room_id": data.get("roomId"),
            "person_id": data.get("personId"),
            "data": json.dumps(data, separators=(",", ":")),
            "received_at": self.clock(),
            "state": "pending",
            "attempts": 0,
        }
        dialect = postgresql if self._postgres else sqlite
        statement = (
            dialect.insert(inbox)
            .values(values)
            .on_conflict_do_nothing(index_elements=["dedupe_key"])
            .returning(inbox.c.id)
        )
        with self.engine.begin() as connection:
            return connection.execute(statement).first() is not None

    # -- working -----------------------------------------------------------------

    def claim(self, worker: str, *, limit: int = 1) -> list[InboxEvent]:
        """Lease up to ``limit`` events that are pending or whose lease ran out."""
        now = self.clock()
        claimable = or_(
            inbox.c.state == "pending",
            and_(inbox.c.state == "working", inbox.c.lease_until < now),
        )
        chosen = select(inbox).where(claimable).order_by(inbox.c.id).limit(limit)
        if self._postgres:
            chosen = chosen.with_for_update(skip_locked=True)
        with self.engine.begin() as connection:
            rows = connection.execute(chosen).mappings().all()
            if not rows:
                return []
            connection.execute(
                update(inbox)
                .where(inbox.c.id.in_([row["id"] for row in rows]))
                .values(
                    state="working",
                    lease_until=now + self.lease,
                    worker=worker[:100],
                    attempts=inbox.c.attempts + 1,
                )
            )
        return [
            InboxEvent(
                id=row["id"],
                resource=row["resource"],
                event=row["event"],
                data_id=row["data_id"],
                room_id=row["room_id"],
                person_id=row["person_id"],
                data=json.loads(row["data"]),
                received_at=_aware(row["received_at"]) or now,
                attempts=row["attempts"] + 1,
                reply_state=row["reply_state"],
                reply_fingerprint=row["reply_fingerprint"],
                reply_started_at=_aware(row["reply_started_at"]),
            )
            for row in rows
        ]

    def sending(self, event_id: int, fingerprint: str) -> None:
        """Committed before the reply is posted: after a crash we know it may be out."""
        self._update(
            event_id,
            reply_state="sending",
            reply_fingerprint=fingerprint,
            reply_started_at=self.clock(),
        )

    def finish(
        self,
        event_id: int,
        outcome: str,
        *,
        reply_state: str | None = None,
        message_id: str | None = None,
        error: str | None = None,
    ) -> None:
        values: dict[str, Any] = {
            "state": "failed" if reply_state in ("failed", "unknown") else "done",
            "outcome": outcome,
            "finished_at": self.clock(),
            "lease_until": None,
            "error": error[:2000] if error else None,
        }
        if outcome == "ignored":
            values["state"] = "ignored"
        if reply_state is not None:
            values["reply_state"] = reply_state
        if message_id is not None:
            values["reply_message_id"] = message_id
        self._update(event_id, **values)

    def prune(self, older_than: timedelta) -> int:
        """Forget finished events older than ``older_than``; the number removed.

        Pending and working events are never removed. A delivery duplicated
        after its event was pruned would be stored again, so keep this well
        above how long Webex may redeliver (minutes).
        """
        cutoff = self.clock() - older_than
        with self.engine.begin() as connection:
            removed = connection.execute(
                delete(inbox).where(inbox.c.state.in_(FINAL_STATES), inbox.c.finished_at < cutoff)
            )
        return int(removed.rowcount or 0)

    def release(self, event_id: int, error: str) -> None:
        """Give an event back for another try (its attempt is counted)."""
        self._update(event_id, state="pending", lease_until=None, error=error[:2000])

    def _update(self, event_id: int, **values: Any) -> None:
        with self.engine.begin() as connection:
            connection.execute(update(inbox).where(inbox.c.id == event_id).values(**values))

    def is_recorded_reply(self, message_id: str) -> bool:
        """Whether some event already has this Webex message as its reply."""
        with self.engine.connect() as connection:
            found = connection.execute(
                select(inbox.c.id).where(inbox.c.reply_message_id == message_id).limit(1)
            ).first()
        return found is not None

    # -- looking -----------------------------------------------------------------

    def counts(self) -> dict[str, int]:
        with self.engine.connect() as connection:
            return {
                state: count
                for state, count in connection.execute(
                    select(inbox.c.state, func.count()).group_by(inbox.c.state)
                )
            }

    def events(self) -> list[dict[str, Any]]:
        """Every event with its state (tests and operators; newest last)."""
        with self.engine.connect() as connection:
            return [
                dict(row)
                for row in connection.execute(select(inbox).order_by(inbox.c.id)).mappings()
            ]

    def oldest_pending_age(self) -> float:
        with self.engine.connect() as connection:
            oldest = connection.execute(
                select(func.min(inbox.c.received_at)).where(
                    inbox.c.state.in_(("pending", "working"))
                )
            ).scalar()
        oldest = _aware(oldest)
        return 0.0 if oldest is None else (self.clock() - oldest).total_seconds()

    # -- per-space settings ---------------------------------------------------------

    def space_language(self, room_id: str) -> str | None:
        with self.engine.connect() as connection:
            return connection.execute(
                select(spaces.c.language).where(spaces.c.room_id == room_id)
            ).scalar()

    def set_space_language(self, room_id: str, language: str | None) -> None:
        """``None`` forgets the choice: the space follows each question's language."""
        dialect = postgresql if self._postgres else sqlite
        statement = dialect.insert(spaces).values(
            room_id=room_id, language=language, updated_at=self.clock()
        )
        statement = statement.on_conflict_do_update(
            index_elements=["room_id"],
            set_={"language": language, "updated_at": self.clock()},
        )
        with self.engine.begin() as connection:
            connection.execute(statement)
