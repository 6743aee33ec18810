"""The bot's database, whatever made it: an older release's tables are brought up
to this one's, and no engine puts a statement's values into an error's text."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from sqlalchemy import Column, Integer, MetaData, String, Table, create_engine, insert, inspect
from sqlalchemy.exc import DBAPIError

from bot import retraction
from bot.inbox import schema as inbox_schema
from bot.inbox.store import Inbox
from core.dialect import SchemaError
from core.dialect.engines import open_probe_engine
from core.dialect.schema import ensure_schema
from core.proactive import schema as proactive_schema
from core.sources import state
from core.store import Store
from core.store import schema as store_schema
from tests.bot.inbox.support import Clock, message

EVERY_SCHEMA = (
    store_schema.metadata,
    inbox_schema.metadata,
    proactive_schema.metadata,
    state.metadata,
    retraction.metadata,
)
SECRET = "Customer Confidential AB"


def _released() -> MetaData:
    """``source_state`` and ``inbox_events`` as earlier releases made them: before
    ``last_error_kind`` (commit 0558172) and before fencing (issue 10)."""
    old = MetaData()
    for table, added in (
        (state.source_state, {"last_error_kind"}),
        (inbox_schema.inbox, {"claim_token", "not_before", "apology_message_id", "reply_lang"}),
    ):
        Table(table.name, old, *(c._copy() for c in table.columns if c.name not in added))
    return old


def test_an_older_release_s_database_works(database_url: str) -> None:
    engine = create_engine(database_url)
    old = _released()
    old.create_all(engine)
    then = datetime(2026, 11, 27, 12, 0, tzinfo=UTC)
    with engine.begin() as connection:
        connection.execute(
            insert(old.tables["source_state"]),
            {"name": "partner-hub", "kind": "file", "last_attempt": then, "failures": 0},
        )
        connection.execute(
            insert(old.tables["inbox_events"]),
            {
                "dedupe_key": "messages:created:msg-0",
                "resource": "messages",
                "event": "created",
                "data_id": "msg-0",
                "data": '{"id": "msg-0"}',
                "received_at": then,
                "state": "pending",
                "attempts": 0,
            },
        )
    engine.dispose()

    store = Store.open(database_url)
    box = Inbox.open(database_url, clock=Clock(), lease=60)
    try:
        state.ensure_table(store.engine)  # as a sync does first
        with store.engine.begin() as connection:
            state.record(
                connection, "partner-hub", "file", then, error="bad", next_run=then,
                error_kind="invalid",
            )  # fmt: skip
        (kept,) = state.read_all(store.engine)
        assert (kept.last_error_kind, kept.failures, kept.last_attempt) == ("invalid", 1, then)
        box.record("messages", "created", message(1))
        claims = box.claim("worker", limit=5)
        assert [claim.event.data_id for claim in claims] == ["msg-0", "msg-1"]
        claims[0].finish("sent", reply_state="sent", message_id="reply-0")
        assert box.counts() == {"done": 1, "working": 1}
    finally:
        box.close()
        store.close()


def test_every_column_and_index_added_since_reaches_the_database(database_url: str) -> None:
    """Each table as bare as a first release could have made it (its key and the
    columns that have no default), then opened by this release."""
    engine = create_engine(database_url)
    try:
        for metadata in EVERY_SCHEMA:
            bare = MetaData()
            for table in metadata.sorted_tables:
                required = [
                    column._copy()
                    for column in table.columns
                    if column.primary_key
                    or column.unique
                    or (not column.nullable and column.default is None)
                ]
                Table(table.name, bare, *required)
            bare.create_all(engine)
            ensure_schema(engine, metadata)
            ensure_schema(engine, metadata)  # a second start finds nothing to do
            found = inspect(engine)
            for table in metadata.sorted_tables:
                columns = {column["name"] for column in found.get_columns(table.name)}
                assert columns == set(table.columns.keys()), table.name
                indexes = {index["name"] for index in found.get_indexes(table.name)}
                assert {index.name for index in table.indexes} <= indexes, table.name
    finally:
        engine.dispose()


def test_a_column_that_needs_a_migration_is_refused_clearly(database_url: str) -> None:
    engine = create_engine(database_url)
    old, new = MetaData(), MetaData()
    Table("widgets", old, Column("id", Integer, primary_key=True))
    Table(
        "widgets",
        new,
        Column("id", Integer, primary_key=True),
        Column("owner", String(20), nullable=False),
    )
    old.create_all(engine)
    try:
        with pytest.raises(SchemaError, match=r"widgets\.owner .* needs a migration"):
            ensure_schema(engine, new)
    finally:
        engine.dispose()


@pytest.mark.parametrize("opened_by", ["store", "inbox", "probe"])
def test_a_failing_statement_logs_no_values(
    database_url: str, opened_by: str, caplog: pytest.LogCaptureFixture
) -> None:
    """Every engine the bot opens: a failed statement's error, logged as the bot
    logs unexpected errors (with its traceback), and SQLAlchemy's own statement
    log, carry the statement but not the customer's name in it."""
    store = Store.open(database_url)
    box = Inbox.open(database_url, clock=Clock(), lease=60)
    engines = {
        "store": store.engine,
        "inbox": box.engine,
        "probe": open_probe_engine(database_url, timeout=5),
    }
    engine = engines[opened_by]
    assert engine is not None
    row = {"pk": 1, "id": "c-1", "name": SECRET, "name_folded": SECRET.casefold()}
    caplog.set_level(logging.INFO, logger="sqlalchemy.engine")
    try:
        with pytest.raises(DBAPIError) as raised, engine.begin() as connection:
            # subscription_count is required: the database refuses the row
            connection.execute(insert(store_schema.customers), row)
        logging.getLogger("statusbot.test").exception("store failed: %s", raised.value)
        assert "INSERT INTO customers" in caplog.text
        assert SECRET not in caplog.text
        assert SECRET not in str(raised.value)
    finally:
        box.close()
        store.close()
        engine.dispose()
