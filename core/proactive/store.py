"""Digests and alert rules per space, in the customers' database.

Web workers write here when someone types ``subscribe`` or ``alerts on``; the one
scheduler process reads it. Nothing is cached: the database is the only place
the two meet (APScheduler's own job store is the scheduler's alone).
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, delete, insert, select, update
from sqlalchemy.engine import Connection, RowMapping

from core.clock import Clock, aware, utc_now
from core.dialect.engines import open_engine
from core.dialect.schema import ensure_schema
from core.proactive.ledger import changes_of_batch
from core.proactive.models import (
    AlertEntry,
    AlertRule,
    Digest,
    DigestEntry,
    DigestQuestion,
    Schedule,
    StatusChange,
)
from core.proactive.schema import items, metadata, spaces
from core.proactive.spaces import drop_space, ensure_space, move_space
from core.proactive.watch import watches
from core.query import Query

IT = items.c


class ProactiveStore:
    """Per-space digests, alert rules and time zones (SQLite or PostgreSQL)."""

    def __init__(
        self, engine: Engine, *, default_zone: str = "UTC", clock: Clock = utc_now
    ) -> None:
        ZoneInfo(default_zone)  # fail early on a bad zone
        self.engine = engine
        self.default_zone = default_zone
        self.clock = clock

    @classmethod
    def open(cls, url: str, *, default_zone: str = "UTC", clock: Clock = utc_now) -> ProactiveStore:
        """A store on its own engine, tables created (commands and tests; the bot
        passes the customer store's engine instead, one pool for both)."""
        store = cls(open_engine(url), default_zone=default_zone, clock=clock)
        store.create_schema()
        return store

    def create_schema(self) -> None:
        """Create the proactive tables (the ledger's too) where they are missing."""
        ensure_schema(self.engine, metadata)

    def close(self) -> None:
        self.engine.dispose()

    # -- adding ---------------------------------------------------------------------

    def add_digest(
        self, room_id: str, schedule: Schedule, question: DigestQuestion, *, created_by: str
    ) -> Digest:
        values = {
            "kind": "digest",
            "frequency": schedule.frequency,
            "at_time": schedule.at.strftime("%H:%M"),
            "weekday": schedule.weekday,
            "question": question.kind,
            "query": question.query.model_dump_json(),
        }
        with self.engine.begin() as connection:
            row = self._insert(connection, room_id, created_by, values)
            zone = self._zone(connection, room_id)
        return self._digest(row, zone)

    def set_alerts(self, room_id: str, query: Query, *, created_by: str) -> AlertRule:
        """Alerts on (or a new filter): one rule per space, which replaces the old one
        and gets a new number (the old number stops meaning anything)."""
        values = {"kind": "alerts", "alerts_room": room_id, "query": query.model_dump_json()}
        with self.engine.begin() as connection:
            connection.execute(delete(items).where(IT.alerts_room == room_id))
            row = self._insert(connection, room_id, created_by, values)
        return _rule(row)

    def _insert(
        self, connection: Connection, room_id: str, created_by: str, values: dict[str, Any]
    ) -> RowMapping:
        number = self._next_number(connection, room_id)
        values = values | {
            "room_id": room_id,
            "number": number,
            "created_by": created_by[:300],
            "created_at": self.clock(),
        }
        return connection.execute(insert(items).values(values).returning(items)).mappings().one()

    def _next_number(self, connection: Connection, room_id: str) -> int:
        """The space's next short id. The UPDATE takes the row lock (PostgreSQL) or the
        write lock (SQLite) first, so two processes adding at once get different ones."""
        ensure_space(connection, room_id)
        return int(
            connection.execute(
                update(spaces)
                .where(spaces.c.room_id == room_id)
                .values(last_number=spaces.c.last_number + 1)
                .returning(spaces.c.last_number)
            ).scalar_one()
        )

    # -- reading --------------------------------------------------------------------

    def items(self, room_id: str) -> list[Digest | AlertRule]:
        """This space's digests and alert rule, by number."""
        with self.engine.connect() as connection:
            zone = self._zone(connection, room_id)
            rows = connection.execute(
                select(items).where(IT.room_id == room_id).order_by(IT.number)
            ).mappings()
            return [self._digest(row, zone) if row.kind == "digest" else _rule(row) for row in rows]

    def digest(self, room_id: str, number: int) -> Digest | None:
        found = self.digest_entry(room_id, number)
        return found.digest if found else None

    def digest_entry(self, room_id: str, number: int) -> DigestEntry | None:
        with self.engine.connect() as connection:
            row = (
                connection.execute(
                    select(items).where(
                        IT.room_id == room_id, IT.number == number, IT.kind == "digest"
                    )
                )
                .mappings()
                .first()
            )
            zone = self._zone(connection, room_id)
        if row is None:
            return None
        return DigestEntry(row.id, self._digest(row, zone), zone, aware(row.created_at))

    def digest_by_id(self, item_id: int) -> DigestEntry | None:
        with self.engine.connect() as connection:
            row = (
                connection.execute(select(items).where(IT.id == item_id, IT.kind == "digest"))
                .mappings()
                .first()
            )
            if row is None:
                return None
            zone = self._zone(connection, row.room_id)
        return DigestEntry(row.id, self._digest(row, zone), zone, aware(row.created_at))

    def all_digests(self) -> list[DigestEntry]:
        """Every digest of every space (the scheduler keeps its jobs in step with these)."""
        zones = spaces.c.timezone
        statement = (
            select(items, zones.label("zone"))
            .outerjoin(spaces, spaces.c.room_id == IT.room_id)
            .where(IT.kind == "digest")
            .order_by(IT.id)
        )
        with self.engine.connect() as connection:
            rows = connection.execute(statement).mappings().all()
        return [
            DigestEntry(row.id, self._digest(row, zone), zone, aware(row.created_at))
            for row in rows
            for zone in [row.zone or self.default_zone]
        ]

    def alert_rules(self) -> list[AlertEntry]:
        """Every space's alert rule."""
        with self.engine.connect() as connection:
            rows = connection.execute(
                select(items).where(IT.kind == "alerts").order_by(IT.id)
            ).mappings()
            return [AlertEntry(row.id, _rule(row), aware(row.created_at)) for row in rows]

    def alert_changes(self, room_id: str, batch: str) -> list[StatusChange] | None:
        """The changes of a batch that this space's alert rule watches (what its alert
        card showed, for paging); None when the batch or the rule is gone."""
        with self.engine.connect() as connection:
            changes = changes_of_batch(connection, batch)
            row = connection.execute(select(IT.query).where(IT.alerts_room == room_id)).first()
        if changes is None or row is None:
            return None
        query = Query.model_validate_json(row.query)
        today = changes[0].at.astimezone(ZoneInfo(self.default_zone)).date()
        return [change for change in changes if watches(query, change, today)]

    # -- removing -------------------------------------------------------------------

    def alerts_off(self, room_id: str) -> bool:
        with self.engine.begin() as connection:
            removed = connection.execute(delete(items).where(IT.alerts_room == room_id))
        return bool(removed.rowcount)

    def remove(self, room_id: str, number: int) -> bool:
        with self.engine.begin() as connection:
            removed = connection.execute(
                delete(items).where(IT.room_id == room_id, IT.number == number)
            )
        return bool(removed.rowcount)

    def remove_all(self, room_id: str) -> int:
        with self.engine.begin() as connection:
            removed = connection.execute(delete(items).where(IT.room_id == room_id))
        return int(removed.rowcount or 0)

    def drop_space(self, room_id: str) -> int:
        """The bot left (or was removed from) the space: forget everything about it."""
        with self.engine.begin() as connection:
            return drop_space(connection, room_id)

    def move_space(self, old_room_id: str, new_room_id: str) -> int:
        """Webex migrated the space to a new id: its items follow (see ``move_space``)."""
        with self.engine.begin() as connection:
            return move_space(connection, old_room_id, new_room_id)

    # -- time zone and runs ---------------------------------------------------------------

    def timezone(self, room_id: str) -> str | None:
        """The zone the space chose, or None (then ``default_zone`` applies)."""
        with self.engine.connect() as connection:
            return connection.execute(
                select(spaces.c.timezone).where(spaces.c.room_id == room_id)
            ).scalar()

    def zone_of(self, room_id: str) -> str:
        """The zone the space's digests run in: its own, else ``STATUSBOT_TIMEZONE``."""
        return self.timezone(room_id) or self.default_zone

    def set_timezone(self, room_id: str, zone: str) -> None:
        ZoneInfo(zone)  # raises for a zone that does not exist: callers check first
        with self.engine.begin() as connection:
            ensure_space(connection, room_id)
            connection.execute(
                update(spaces).where(spaces.c.room_id == room_id).values(timezone=zone)
            )

    def record_run(self, room_id: str, number: int, at: datetime, outcome: str) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(items)
                .where(IT.room_id == room_id, IT.number == number)
                .values(last_run=at, last_outcome=outcome[:16])
            )

    # -- rows to models -------------------------------------------------------------------

    def _zone(self, connection: Connection, room_id: str) -> str:
        chosen = connection.execute(
            select(spaces.c.timezone).where(spaces.c.room_id == room_id)
        ).scalar()
        return chosen or self.default_zone

    def _digest(self, row: RowMapping, zone: str) -> Digest:
        hour, minute = (int(part) for part in row.at_time.split(":"))
        schedule = Schedule(row.frequency, time(hour, minute), row.weekday)
        question = DigestQuestion(row.question, Query.model_validate_json(row.query))
        return Digest(
            number=row.number,
            room_id=row.room_id,
            schedule=schedule,
            question=question,
            next_run=schedule.next_run(self.clock(), ZoneInfo(zone)),
            last_run=_maybe(row.last_run),
            last_outcome=row.last_outcome,
        )


def _maybe(moment: datetime | None) -> datetime | None:
    return None if moment is None else aware(moment)


def _rule(row: RowMapping) -> AlertRule:
    return AlertRule(
        number=row.number,
        room_id=row.room_id,
        query=Query.model_validate_json(row.query),
        last_run=_maybe(row.last_run),
        last_outcome=row.last_outcome,
    )
