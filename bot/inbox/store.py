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

import contextlib
import json
import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, delete, func, or_, select, update

from bot.inbox.claims import Claim, FencedWrites, InboxEvent
from bot.inbox.schema import FINAL_STATES, inbox, metadata, spaces
from core.clock import Clock, aware
from core.dialect.engines import is_postgres, open_engine
from core.dialect.schema import ensure_schema
from core.dialect.sqlite_files import sqlite_file
from core.dialect.statements import skip_locked, upsert
from core.dialect.write_gate import WriteGate

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
        self._insert_events = (
            upsert(engine, inbox)
            .on_conflict_do_nothing(index_elements=["dedupe_key"])
            .returning(inbox.c.id, inbox.c.dedupe_key)
        )
        database = sqlite_file(engine.url.render_as_string(hide_password=False))
        self._gate: contextlib.AbstractContextManager[Any] = (
            contextlib.nullcontext() if is_postgres(engine) else WriteGate(database)
        )
        self.fenced = FencedWrites(self.writing)  # claims' writes, group-committed

    @classmethod
    def open(cls, url: str, **options: Any) -> Inbox:
        """On an engine whose transactions can claim rows safely on either backend."""
        box = cls(open_engine(url, claiming=True), **options)
        ensure_schema(box.engine, metadata)
        return box

    def close(self) -> None:
        self.engine.dispose()

    # -- receiving ---------------------------------------------------------------

    @contextlib.contextmanager
    def writing(self) -> Iterator[Connection]:
        """A write transaction; on SQLite, one at a time in this process (``_gate``)."""
        with self._gate, self.engine.begin() as connection:
            yield connection

    def record(
        self, resource: str, event_name: str, data: dict[str, Any], *, outcome: str | None = None
    ) -> bool:
        """Store an event; False when it was stored before (a duplicate delivery).

        With ``outcome`` the event is stored already finished (``ignored``): kept
        for deduplication and for looking back, never worked on.
        """
        (stored,) = self.record_many([(resource, event_name, data)], outcome=outcome)
        return bool(stored)

    def record_many(
        self,
        events: Sequence[tuple[str, str, dict[str, Any]]],
        *,
        worker: str | None = None,
        claim: int = 0,
        outcome: str | None = None,
    ) -> list[Claim | bool]:
        """Store events in one transaction (a group commit); per event, in order: False
        for a duplicate (stored before, or earlier in ``events``), else True, or a
        :class:`Claim` when it is among the first ``claim`` distinct events.

        Those are stored already claimed by ``worker``, with a lease and a fresh token
        like any claim (``bot.inbox.intake`` hands them to this process's own workers): if
        the process dies holding one, the lease runs out and another claims it.
        """
        now = self.clock()
        rows: dict[str, dict[str, Any]] = {}
        for resource, event_name, data in events:
            data_id = str(data.get("id", ""))
            key = f"{resource}:{event_name}:{data_id}"
            if key in rows:
                continue
            claimed = worker is not None and len(rows) < claim
            rows[key] = {
                "dedupe_key": key,
                "resource": resource,
                "event": event_name,
                "data_id": data_id,
                "room_id": data.get("roomId"),
                "person_id": data.get("personId"),
                "data": json.dumps(data, separators=(",", ":")),
                "received_at": now,
                "state": "working" if claimed else "pending",
                "attempts": 1 if claimed else 0,
                "lease_until": now + self.lease if claimed else None,
                "worker": worker[:100] if claimed and worker else None,
                "claim_token": uuid.uuid4().hex if claimed else None,
                "outcome": None,
                "finished_at": None,
            }
            if outcome is not None:
                rows[key] |= {"state": "ignored", "outcome": outcome, "finished_at": now}
        with self.writing() as connection:
            # executemany: SQLAlchemy sends the rows as one multi-row INSERT … RETURNING
            # ("insertmanyvalues"), and the statement is compiled once, not per batch
            returned = connection.execute(self._insert_events, list(rows.values()))
            ids = {key: row_id for row_id, key in returned}
        answers: list[Claim | bool] = []
        for resource, event_name, data in events:
            key = f"{resource}:{event_name}:{data.get('id', '')}"
            row_id = ids.pop(key, None)  # a second copy in the same batch is a duplicate
            row = rows[key]
            if row_id is None:
                answers.append(False)
            elif row["claim_token"] is None:
                answers.append(True)
            else:
                answers.append(
                    Claim(
                        self, _event({**row, "id": row_id, "attempts": 0}, now), row["claim_token"]
                    )
                )
        return answers

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
        with self.writing() as connection:
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
        with self.writing() as connection:
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
        with self.writing() as connection:
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
        reply_state=row.get("reply_state"),
        reply_fingerprint=row.get("reply_fingerprint"),
        reply_started_at=_aware(row.get("reply_started_at")),
        error=row.get("error"),
        reply_lang=row.get("reply_lang"),
    )
