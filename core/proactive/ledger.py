"""The scheduler's memory of what it posted and which change batches it took up.

A post is keyed *before* it is sent (``claim_post``): a digest by its item and
the run it was scheduled for, an alert by its space and change batch. The key
is the table's primary key, so whichever process gets there second (a
failover, a restart, a retry) finds it taken and posts nothing. A post that
was claimed but never finished stays ``sending``: Webex cannot say whether a
bot's message went out to a group space, so it is not posted again (at most
once), as with replies.

A change batch is the transitions one import (or one day change) recorded in
one transaction: all visible at once, never half. The alert job finds them by
recording time, so a batch that commits after a newer one is still found.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine, and_, func, select, update
from sqlalchemy.engine import Connection

from core.clock import Clock, aware, utc_now
from core.dialect.statements import upsert
from core.proactive.models import StatusChange
from core.proactive.schema import batches, posts
from core.store.schema import transitions

T = transitions.c
FINISHED_BATCH = ("done", "expired")


@dataclass(frozen=True)
class BatchHeader:
    """One change batch, not yet worked through."""

    key: str  # "import-<id>" or "day-<when>"
    recorded_at: datetime
    changes: int
    import_id: int | None
    first_id: int
    last_id: int
    stored_at: Any  # recorded_at exactly as the database returned it (for equality)


class Ledger:
    """Post keys and change batches (same database as the customers)."""

    def __init__(self, engine: Engine, *, clock: Clock = utc_now) -> None:
        self.engine = engine
        self.clock = clock

    # -- posts ------------------------------------------------------------------------

    def claim_post(self, key: str, room_id: str, kind: str) -> bool:
        """Take ``key`` before posting; False when it was taken before (post nothing)."""
        statement = (
            upsert(self.engine, posts)
            .values(key=key, room_id=room_id, kind=kind, state="sending", started_at=self.clock())
            .on_conflict_do_nothing(index_elements=["key"])
            .returning(posts.c.key)  # rowcount is -1 here with psycopg
        )
        with self.engine.begin() as connection:
            return connection.execute(statement).first() is not None

    def finish_post(
        self, key: str, state: str, *, message_id: str | None = None, error: str | None = None
    ) -> None:
        with self.engine.begin() as connection:
            connection.execute(
                update(posts)
                .where(posts.c.key == key)
                .values(
                    state=state,
                    finished_at=self.clock(),
                    message_id=message_id,
                    error=error[:2000] if error else None,
                )
            )

    def taken_keys(self, keys: Sequence[str]) -> set[str]:
        """Which of ``keys`` were taken already (one query per thousand)."""
        taken: set[str] = set()
        with self.engine.connect() as connection:
            for start in range(0, len(keys), 1000):
                chunk = keys[start : start + 1000]
                taken.update(
                    connection.execute(select(posts.c.key).where(posts.c.key.in_(chunk))).scalars()
                )
        return taken

    def posts(self, room_id: str | None = None) -> list[dict[str, Any]]:
        """Every post (of one space), oldest first: for tests and operators."""
        statement = select(posts).order_by(posts.c.started_at, posts.c.key)
        if room_id is not None:
            statement = statement.where(posts.c.room_id == room_id)
        with self.engine.connect() as connection:
            return [dict(row) for row in connection.execute(statement).mappings()]

    # -- change batches ------------------------------------------------------------------

    def pending_batches(self, since: datetime) -> list[BatchHeader]:
        """Batches recorded at or after ``since`` that are not worked through, oldest first."""
        statement = (
            select(
                T.import_id,
                T.recorded_at,
                func.count(),
                func.min(T.id),
                func.max(T.id),
            )
            .where(T.recorded_at >= since)
            .group_by(T.import_id, T.recorded_at)
            .order_by(func.min(T.id))
        )
        with self.engine.connect() as connection:
            rows = connection.execute(statement).all()
            finished = set(
                connection.execute(
                    select(batches.c.key).where(
                        batches.c.state.in_(FINISHED_BATCH), batches.c.recorded_at >= since
                    )
                ).scalars()
            )
        headers = [
            BatchHeader(
                key=batch_key(import_id, aware(recorded_at)),
                recorded_at=aware(recorded_at),
                changes=int(count),
                import_id=import_id,
                first_id=int(first),
                last_id=int(last),
                stored_at=recorded_at,
            )
            for import_id, recorded_at, count, first, last in rows
        ]
        return [header for header in headers if header.key not in finished]

    def batch_changes(self, header: BatchHeader) -> tuple[StatusChange, ...]:
        with self.engine.connect() as connection:
            return _read_changes(
                connection,
                T.id.between(header.first_id, header.last_id),
                T.recorded_at == header.stored_at,
                T.import_id.is_(None)
                if header.import_id is None
                else (T.import_id == header.import_id),
            )

    def take_batch(self, header: BatchHeader) -> None:
        """Note that the batch is being worked on (``open``), if it was not already."""
        with self.engine.begin() as connection:
            connection.execute(
                upsert(self.engine, batches)
                .values(
                    key=header.key,
                    recorded_at=header.recorded_at,
                    state="open",
                    changes=header.changes,
                    taken_at=self.clock(),
                )
                .on_conflict_do_nothing(index_elements=["key"])
            )

    def close_batch(self, key: str, state: str = "done") -> None:
        """Every space was served (``done``) or it came too late (``expired``)."""
        with self.engine.begin() as connection:
            connection.execute(update(batches).where(batches.c.key == key).values(state=state))

    def batch_state(self, key: str) -> str | None:
        with self.engine.connect() as connection:
            return connection.execute(select(batches.c.state).where(batches.c.key == key)).scalar()


def changes_of_batch(connection: Connection, key: str) -> tuple[StatusChange, ...] | None:
    """The changes of the batch named ``key`` (an alert card's paging buttons carry
    it), or None when the name is not one or its transitions are gone."""
    kind, _, value = key.partition("-")
    try:
        if kind == "import":
            where = T.import_id == int(value)
        elif kind == "day":
            moment = datetime.strptime(value, "%Y%m%dT%H%M%S%f").replace(tzinfo=UTC)
            where = and_(T.import_id.is_(None), T.recorded_at == moment)
        else:
            return None
    except ValueError:
        return None
    return _read_changes(connection, where) or None


def _read_changes(connection: Connection, *where: Any) -> tuple[StatusChange, ...]:
    statement = (
        select(T.customer_id, T.customer_name, T.dimension, T.old, T.new, T.recorded_at)
        .where(*where)
        .order_by(T.id)
    )
    return tuple(
        StatusChange(id_, name, dimension, old, new, aware(at))
        for id_, name, dimension, old, new, at in connection.execute(statement)
    )


def batch_key(import_id: int | None, recorded_at: datetime) -> str:
    """A batch's stable name: its import, or the moment its day change was recorded."""
    if import_id is not None:
        return f"import-{import_id}"
    return "day-" + recorded_at.astimezone(UTC).strftime("%Y%m%dT%H%M%S%f")
