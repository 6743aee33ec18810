"""The proactive tables, in the same database as the customers (SQLite or PostgreSQL).

* ``proactive_spaces``: a space's time zone and the counter its short ids come
  from. Numbers are never reused in a space, so a stale "unsubscribe 2" button
  can never remove a newer item that happened to get number 2.
* ``proactive_items``: digests and alert rules, one table so they share numbers.
  ``alerts_room`` is the room id for an alert rule and NULL for a digest: its
  unique constraint makes "one alert rule per space" hold even when two
  processes switch alerts on at once.
* ``proactive_posts``: every proactive post, keyed *before* it is sent
  (``digest:<item>:<run>``, ``alert:<room>:<batch>``). The primary key is what
  makes a failover, a restart or a retry post nothing twice.
* ``proactive_batches``: the change batches the alert job has taken up, so a
  batch is worked through once even when its rows commit out of id order.
* ``proactive_day_changes``: the local days whose transitions were recorded.
* ``proactive_scheduler``: the leading scheduler's heartbeat, one row
  (``core.proactive.heartbeat``).
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
)

metadata = MetaData()

ROOM = 300  # Webex ids are ~80 characters; the inbox allows 300 too

spaces = Table(
    "proactive_spaces",
    metadata,
    Column("room_id", String(ROOM), primary_key=True),
    Column("timezone", String(64), nullable=True),
    Column("last_number", Integer, nullable=False, default=0),
)

items = Table(
    "proactive_items",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("room_id", String(ROOM), nullable=False),
    Column("number", Integer, nullable=False),
    Column("kind", String(10), nullable=False),  # digest | alerts
    Column("alerts_room", String(ROOM), nullable=True, unique=True),
    Column("frequency", String(10), nullable=True),  # digests: daily | weekdays | weekly
    Column("at_time", String(5), nullable=True),  # digests: HH:MM, local
    Column("weekday", Integer, nullable=True),  # weekly digests: 0 = Monday
    Column("question", String(10), nullable=True),  # digests: list | summary
    Column("query", Text, nullable=False),  # core.query.Query as JSON
    Column("created_by", String(ROOM), nullable=False),
    Column("created_at", DateTime(timezone=True), nullable=False),
    Column("last_run", DateTime(timezone=True), nullable=True),
    Column("last_outcome", String(16), nullable=True),
    UniqueConstraint("room_id", "number", name="uq_proactive_items_number"),
    Index("ix_proactive_items_kind", "kind", "room_id"),
)

posts = Table(
    "proactive_posts",
    metadata,
    Column("key", String(400), primary_key=True),
    Column("room_id", String(ROOM), nullable=False),
    Column("kind", String(10), nullable=False),  # digest | alert
    Column("state", String(16), nullable=False),  # sending | sent | nothing | withheld | ...
    Column("started_at", DateTime(timezone=True), nullable=False),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Column("message_id", String(ROOM), nullable=True),
    Column("error", Text, nullable=True),
    Index("ix_proactive_posts_started", "started_at"),
)

batches = Table(
    "proactive_batches",
    metadata,
    Column("key", String(100), primary_key=True),
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("state", String(16), nullable=False),  # open | done | expired
    Column("changes", Integer, nullable=False),
    Column("taken_at", DateTime(timezone=True), nullable=False),
)

day_changes = Table(
    "proactive_day_changes",
    metadata,
    Column("day", Date, primary_key=True),
    Column("since", Date, nullable=False),  # the day the statuses were compared with
    Column("recorded_at", DateTime(timezone=True), nullable=False),
    Column("changes", Integer, nullable=False),
)

scheduler = Table(
    "proactive_scheduler",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),  # always 1
    Column("holder", String(200), nullable=False),  # host and process id
    Column("since", DateTime(timezone=True), nullable=False),
    Column("beat_at", DateTime(timezone=True), nullable=False),
)
