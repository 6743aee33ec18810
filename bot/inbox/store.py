"""The durable inbox: webhook events stored first, worked on afterwards, once.

Webex gives no delivery id and no idempotency key (security-and-reliability.md).
So an event is keyed by ``(resource, event, data.id)`` with a unique constraint
and stored with ``INSERT … ON CONFLICT DO NOTHING`` before the webhook is
answered: a duplicate delivery is a no-op. Workers then claim events with a
lease (``FOR UPDATE SKIP LOCKED`` on PostgreSQL, ``BEGIN IMMEDIATE`` on
SQLite) and a fresh fencing token; everything written after the claim goes
through ``bot.inbox.claims.Claim`` and is conditional on that token. An event whose
worker died is claimed again when its lease runs out; a released event when
its ``not_before`` has come.

The tables are in ``bot.inbox.schema``; the reply's states are described there.
"""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, and_, delete, func, or_, select, update

from bot.inbox.claims import Claim, InboxEvent
from bot.inbox.schema import FINAL_STATES, inbox, metadata, spaces
from core.clock import Clock, aware
from core.dialect.engines import open_engine
from core.dialect.schema import ensure_schema
from core.dialect.statements import skip_locked, upsert

__all__ = ["Claim", "Inbox", "InboxEvent", "inbox", "metadata", "spaces"]


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime | None) -> datetime | None:
    """SQLite returns naive datetimes for what was stored in UTC (``core.clock.aware``)."""
    return None if moment is None else aware(moment)


class Inbox:
    """Webhook events, stored once, claimed by one worker at a time."""

    def __init__(self, engine: Engine, *, clock: Clock = _now, lease: float = 120.0) -> None:
        self.engine = engine
        self.clock = clock
        self.lease = timedelta(seconds=lease)

    @classmethod
    def open(cls, url: str, **options: Any) -> Inbox:
        """On an engine whose transactions can claim rows safely on either backend."""
        box = cls(open_engine(url, claiming=True), **options)
        ensure_schema(box.engine, metadata)
        return box

    def close(self) -> None:
        self.engine.dispose()

    # -- receiving ---------------------------------------------------------------

    def record(
        self, resource: str, event_name: str, data: dict[str, Any], *, outcome: str | None = None
    ) -> bool:
        """Store an event; False when it was stored before (a duplicate delivery).

        With ``outcome`` the event is stored already finished (``ignored``): kept
        for deduplication and for looking back, never worked on.
        """
        data_id = str(data.get("id", ""))
        now = self.clock()
        values: dict[str, Any] = {
            "dedupe_key": f"{resource}:{event_name}:{data_id}",
            "resource": resource,
            "event": event_name,
            "data_id": data_id,
            "room_id": data.get("roomId"),
            "person_id": data.get("personId"),
            "data": json.dumps(data, separators=(",", ":")),
            "received_at": now,
            "state": "pending",
            "attempts": 0,
        }
        if outcome is not None:
            values |= {"state": "ignored", "outcome": outcome, "finished_at": now}
        statement = (
            upsert(self.engine, inbox)
            .values(values)
            .on_conflict_do_nothing(index_elements=["dedupe_key"])
            .returning(inbox.c.id)
        )
        with self.engine.begin() as connection:
            return connection.execute(statement).first() is not None

    # -- working -----------------------------------------------------------------

    def claim(self, worker: str, *, limit: int = 1) -> list[Claim]:
        """Lease up to ``limit`` events that are due, or whose lease ran out.

        Each claimed row gets a new token: whoever held it before is fenced off.
        """
        now = self.clock()
        claimable = or_(
            and_(
                inbox.c.state == "pending",
                or_(inbox.c.not_before.is_(None), inbox.c.not_before <= now),
            ),
            and_(inbox.c.state == "working", inbox.c.lease_until < now),
        )
        chosen = skip_locked(
            select(inbox).where(claimable).order_by(inbox.c.id).limit(limit), self.engine
        )
        tokens: dict[int, str] = {}
        with self.engine.begin() as connection:
            rows = connection.execute(chosen).mappings().all()
            for row in rows:
                tokens[row["id"]] = uuid.uuid4().hex
                connection.execute(
                    update(inbox)
                    .where(inbox.c.id == row["id"])
                    .values(
                        state="working",
                        lease_until=now + self.lease,
                        worker=worker[:100],
                        attempts=inbox.c.attempts + 1,
                        claim_token=tokens[row["id"]],
                    )
                )
        return [Claim(self, _event(row, now), tokens[row["id"]]) for row in rows]

    def prune(self, older_than: timedelta) -> int:
        """Forget finished events older than ``older_than``; the number removed.

        Pending and working events are never removed. A delivery replayed after
        its event was pruned would be stored again: the worker's replay window
        (shorter than the retention) keeps it from being answered again.

        Spaces without a chosen language that have been silent as long are
        forgotten too (their followed language: ``bot.answering.followed_lang``).
        """
        cutoff = self.clock() - older_than
        with self.engine.begin() as connection:
            removed = connection.execute(
                delete(inbox).where(inbox.c.state.in_(FINAL_STATES), inbox.c.finished_at < cutoff)
            )
            connection.execute(
                delete(spaces).where(spaces.c.language.is_(None), spaces.c.updated_at < cutoff)
            )
        return int(removed.rowcount or 0)

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

    # -- per-space settings ---------------------------------------------------------

    def space_language(self, room_id: str) -> str | None:
        with self.engine.connect() as connection:
            return connection.execute(
                select(spaces.c.language).where(spaces.c.room_id == room_id)
            ).scalar()

    def set_space_language(self, room_id: str, language: str | None) -> None:
        """``None`` forgets the choice: the space follows each question's language."""
        statement = upsert(self.engine, spaces).values(
            room_id=room_id, language=language, updated_at=self.clock()
        )
        statement = statement.on_conflict_do_update(
            index_elements=["room_id"],
            set_={"language": language, "updated_at": self.clock()},
        )
        with self.engine.begin() as connection:
            connection.execute(statement)


def _event(row: Any, now: datetime) -> InboxEvent:
    return InboxEvent(
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
        error=row["error"],
        reply_lang=row["reply_lang"],
    )
