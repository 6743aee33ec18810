"""The bot's database seen from a benchmark: a fresh one per run, and its backlog.

The backlog is the inbox's unfinished events (``pending`` and ``working``),
read from the database directly, so that looking costs the bot nothing.
"""

from __future__ import annotations

import time
import uuid
from pathlib import Path

from sqlalchemy import func, select

from bot.inbox.store import Inbox, inbox
from bot.inbox.store import metadata as inbox_metadata
from core.store import Store
from core.store.schema import metadata as store_metadata


def fresh_database(database_url: str | None, scratch: Path) -> str:
    """A new SQLite file, or the PostgreSQL database emptied (its tables made anew)."""
    if database_url is None:
        return f"sqlite:///{scratch / f'bot-{uuid.uuid4().hex[:8]}.sqlite3'}"
    store = Store.open(database_url)
    for metadata in (inbox_metadata, store_metadata):
        metadata.drop_all(store.engine)
    store.close()
    return database_url


def backlog(database_url: str) -> int:
    """Events stored and not yet finished."""
    opened = Inbox.open(database_url)
    try:
        with opened.engine.connect() as connection:
            count = connection.execute(
                select(func.count()).where(inbox.c.state.in_(("pending", "working")))
            ).scalar_one()
        return int(count)
    finally:
        opened.close()


def drain(database_url: str, seconds: float) -> int:
    """Wait (at most ``seconds``) until the backlog is empty; what is left."""
    deadline = time.monotonic() + seconds
    left = backlog(database_url)
    while left and time.monotonic() < deadline:
        time.sleep(0.5)
        left = backlog(database_url)
    return left
