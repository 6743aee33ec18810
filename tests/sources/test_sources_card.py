"""The ``sources`` reply from real sync state: each source, last success, last
error, next run; no token, no query string, no customer data."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from werkzeug.wrappers import Response

from core.sources.file import FileSource
from core.sources.freshness import data_status
from core.sources.sync import sync_all
from core.sources.url import UrlSource
from core.store import Store
from handlers.cards.sources_card import sources_reply
from handlers.reply import Reply
from tests.sources.data import ACME, export, row
from tests.sources.http_support import LocalServer

NOW = datetime(2026, 11, 30, 8, 15, tzinfo=UTC)


def card_text(reply: Reply) -> str:
    """Every text of the card, one per line (what a person reads)."""
    found: list[str] = []

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("text"), str):
                found.append(node["text"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(reply.card)
    return "\n".join(found)


TOKEN = "t0ken-never-shown"


def test_each_source_with_its_last_success_error_and_next_run(
    sqlite_store: Store, tmp_path: Path, server: LocalServer
) -> None:
    path = tmp_path / "customers.csv"
    path.write_text(export(ACME), encoding="utf-8")
    answers = [Response(export(row("c-9", "Nio AB"))), Response(status=503)]
    server.routes["/x.csv"] = lambda request: answers.pop(0)
    url = f"{server.url}/x.csv?sig=hidden"
    sources = [FileSource(path, settle_seconds=0), UrlSource(url, token=TOKEN, allow_private=True)]
    sync_all(sqlite_store, sources, NOW, today=date(2026, 11, 30))
    path.write_text(export(ACME, row("c-2", "Hemlig Kund AB", kind="gift")), encoding="utf-8")
    sync_all(sqlite_store, sources, NOW + timedelta(minutes=15), today=date(2026, 11, 30))
    status = data_status(
        sqlite_store, NOW + timedelta(minutes=20), stale_after=timedelta(hours=1), zone="UTC"
    )
    english = sources_reply(status, NOW + timedelta(minutes=20), "en")
    text = card_text(english)
    assert "All sources together" in text and "Last successful sync: 08:15" in text
    assert f"Partner Hub export: file://{path}" in text
    assert "Last error (08:30): the data was refused, nothing was applied." in text
    assert "Last error (08:30): the source could not be reached." in text
    assert "Next run: 08:30" in text  # 30 s after the first failure (08:30:30)
    assert "Times in UTC." in text
    shown = english.markdown + json.dumps(english.card, ensure_ascii=False)
    for secret in (TOKEN, "hidden", "Hemlig Kund AB", "gift"):
        assert secret not in shown
    swedish = card_text(sources_reply(status, NOW + timedelta(minutes=20), "sv"))
    assert "Alla källor tillsammans" in swedish and "källan gick inte att nå" in swedish
    assert "Senaste lyckade synkning: 08:15" in swedish


def test_no_sources_says_how_data_comes_in(sqlite_store: Store) -> None:
    status = data_status(sqlite_store, NOW, stale_after=timedelta(hours=1), zone="UTC")
    assert "STATUSBOT_SOURCES" in card_text(sources_reply(status, NOW, "en"))
    assert "Inga källor är inställda" in card_text(sources_reply(None, NOW, "sv"))
