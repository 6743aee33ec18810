"""The inbox's tables (columns added since an older release reach its database
through ``core.dialect.schema.ensure_schema``).

An event row moves ``pending`` → ``working`` → ``done`` | ``failed`` | ``ignored``.
Every claim writes a fresh ``claim_token``; every later write of that event is
conditional on it (``bot.inbox.claims``), so a worker whose lease was taken over can
no longer record anything. ``not_before`` holds a released event back until
its retry is due (``bot.inbox.retry_plan``).

The reply has its own state, because creating a Webex message is not
idempotent: ``None`` → ``sending`` → ``sent`` | ``failed`` | ``unknown``, and
``apology_due`` while the one apology for a failed answer waits for Webex (it
is retried like an answer), ``apologizing`` while it is being posted; likewise
``notice_due`` and ``noticing`` for the one notice of an ``unknown`` reply.
``reply_lang`` is the language of the reply being posted (recorded with
``sending``) or of the apology or notice that is due.
``outcome`` says what became of the event as a whole (``bot.outcomes``).
"""

from __future__ import annotations

from sqlalchemy import (
    Column,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
)

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
    Column("state", String(16), nullable=False, default="pending"),
    Column("attempts", Integer, nullable=False, default=0),
    Column("lease_until", DateTime(timezone=True), nullable=True),
    Column("worker", String(100), nullable=True),
    Column("finished_at", DateTime(timezone=True), nullable=True),
    Column("outcome", String(40), nullable=True),
    Column("error", Text, nullable=True),
    Column("reply_state", String(16), nullable=True),
    Column("reply_fingerprint", String(64), nullable=True),
    Column("reply_started_at", DateTime(timezone=True), nullable=True),
    Column("reply_message_id", String(300), nullable=True),
    # added for fencing and patient retries (issue 10)
    Column("claim_token", String(32), nullable=True),
    Column("not_before", DateTime(timezone=True), nullable=True),
    Column("apology_message_id", String(300), nullable=True),
    Column("reply_lang", String(2), nullable=True),  # the reply's, apology's or notice's language
    Index("ix_inbox_claim", "state", "lease_until", "id"),
    Index("ix_inbox_reply", "reply_message_id"),
)

spaces = Table(
    "spaces",
    metadata,
    Column("room_id", String(300), primary_key=True),
    Column("language", String(2), nullable=True),  # chosen (``language sv``)
    Column("followed", String(2), nullable=True),  # spoken last (bot.answering.followed_lang)
    Column("updated_at", DateTime(timezone=True), nullable=False),
)

FINAL_STATES = ("done", "failed", "ignored")
