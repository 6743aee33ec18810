"""End to end: an export served over HTTP, synced on the bot's schedule, read
by a person through the emulator. A changed export shows in the bot's answers
after the next sync, and the card's "Data as of" moves with it; the ``sources``
command says where the data came from."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from werkzeug.wrappers import Request, Response

from bot.settings import Settings
from bot.sync import build, sync_once
from core.store import Store
from handlers.cards.data_lines import local_time
from tests.e2e.conftest import BOT_EMAIL, Stack, start_stack
from tests.sources.data import ACME, BETA, export, row
from tests.sources.http_support import LocalServer

CARD = "application/vnd.microsoft.card.adaptive"


@pytest.fixture
def synced_stack(database_url: str, server: LocalServer) -> Iterator[tuple[Stack, Settings]]:
    settings = {
        "sources": (server.url + "/partnerhub/customers.csv",),
        "sources_allow_private": True,
        "sync_minutes": 15,
        "timezone": "Europe/Stockholm",
    }
    running = start_stack(database_url, **settings)
    try:
        yield running, running.bot.service.settings
    finally:
        running.bot.stop()
        running.emulator.stop()


def card_texts(message: dict[str, Any]) -> str:
    (attachment,) = message["attachments"]
    assert attachment["contentType"] == CARD
    return json.dumps(attachment["content"], ensure_ascii=False)


def ask(stack: Stack, room_id: str | None, text: str) -> tuple[str, dict[str, Any]]:
    if room_id is None:
        sent = stack.alice.messages.create(toPersonEmail=BOT_EMAIL, text=text)
    else:
        sent = stack.alice.messages.create(roomId=room_id, text=text)
    stack.settle()
    return sent.roomId, stack.bot_messages(sent.roomId)[-1]


def test_a_changed_export_shows_after_the_next_sync(
    synced_stack: tuple[Stack, Settings], server: LocalServer
) -> None:
    stack, settings = synced_stack
    served = {"body": export(ACME, BETA), "etag": '"1"'}

    def partner_hub(request: Request) -> Response:
        if request.headers.get("If-None-Match") == served["etag"]:
            return Response(status=304)
        return Response(served["body"], headers={"ETag": served["etag"]}, content_type="text/csv")

    server.routes["/partnerhub/customers.csv"] = partner_hub
    store = Store.open(stack.database_url)
    sources = build(settings)  # built once, as the scheduler does: ETags are remembered
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    first, second = now - timedelta(minutes=30), now - timedelta(minutes=15)
    assert sync_once(settings, store, sources, first).outcome == "applied"

    room, answer = ask(stack, None, "show all customers")
    assert "Acme AB" in card_texts(answer) and "Gamma AB" not in card_texts(answer)
    as_of = f"Data as of {local_time(first, now, 'Europe/Stockholm')}, Partner Hub export"
    assert as_of in card_texts(answer)

    served.update(body=export(ACME, BETA, row("c-3", "Gamma AB", status="failed")), etag='"2"')
    report = sync_once(settings, store, sources, second)  # the next run, 15 minutes on
    assert report.outcome == "applied" and report.result is not None
    assert [(t.customer_id, t.new) for t in report.result.transitions] == [
        ("c-3", "failed"),
        ("c-3", "active"),
    ]
    _, after = ask(stack, room, "show failed provisioning")
    assert "Gamma AB" in card_texts(after)
    moved = f"Data as of {local_time(second, now, 'Europe/Stockholm')}, Partner Hub export"
    assert moved in card_texts(after) and as_of not in card_texts(after)

    _, sources_answer = ask(stack, room, "källor")
    text = card_texts(sources_answer)
    assert "Datakällor" in text and f"{server.url}/partnerhub/customers.csv" in text
    store.close()
