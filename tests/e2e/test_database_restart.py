"""PostgreSQL drops the bot's connections (a restart, a failover, an idle timeout):
the bot carries on without ``pool_pre_ping``'s round trip on every transaction.

A pooled connection the server ended fails its first statement; SQLAlchemy sees
the disconnect and discards the pool, so the next statement gets a fresh one. A
webhook that met the dead connection is answered 503 (Webex delivers it again),
a worker's attempt is released and retried. The bot's sessions are found by a
name of their own (``application_name``), so other tests' sessions are untouched.
"""

from __future__ import annotations

import json

import pytest

from bot.inbox.store import Inbox
from bot.web.metrics import Metrics
from bot.web.receiver import receive, signature_of
from tests.bot.inbox.support import Clock
from tests.conftest import end_sessions, named_sessions
from tests.e2e.conftest import BOT_EMAIL, Stack, start_stack

pytestmark = pytest.mark.postgres
SECRET = b"restart-secret-0123456789"
QUESTIONS = ("summary", "show suspended", "help", "show expiring in 30 days", "customer åre")


def delivery(n: int) -> tuple[bytes, str]:
    body = json.dumps(
        {
            "id": "webhook-1",
            "resource": "messages",
            "event": "created",
            "data": {"id": f"msg-{n}", "roomId": "room-1", "personId": "alice"},
        }
    ).encode()
    return body, signature_of(body, SECRET)


def test_the_webhook_on_a_dropped_connection_is_refused_and_the_next_is_stored(
    postgres_url: str,
) -> None:
    url, name = named_sessions(postgres_url)
    box = Inbox.open(url, clock=Clock())
    metrics = Metrics()

    def deliver(n: int) -> int:
        body, signature = delivery(n)
        return receive(body, signature, secret=SECRET, inbox=box, metrics=metrics).status

    try:
        assert deliver(1) == 200
        assert end_sessions(name) >= 1
        assert deliver(2) == 503  # the pooled connection was dead: Webex delivers it again
        assert deliver(2) == 200
        assert deliver(3) == 200
        assert [event["data_id"] for event in box.events()] == ["msg-1", "msg-2", "msg-3"]
    finally:
        box.close()


def test_connections_dropped_mid_run_lose_nothing(postgres_url: str) -> None:
    url, name = named_sessions(postgres_url)
    stack = start_stack(url, inbox_lease_seconds=3)
    asked: list[str] = []

    def ask(count: int) -> None:
        for n in range(count):
            sent = stack.user(("ALICE_TOKEN", "BOB_TOKEN")[n % 2]).messages.create(
                toPersonEmail=BOT_EMAIL, text=QUESTIONS[n % len(QUESTIONS)]
            )
            asked.append(sent.id)

    try:
        ask(3)
        stack.settle()  # the pools hold connections now
        ask(5)
        assert end_sessions(name) >= 1  # while those are received and worked on
        ask(5)
        redeliver_refused(stack)
        stack.settle()
        events = {
            event["data_id"]: event
            for event in stack.bot.service.inbox.events()
            if event["resource"] == "messages" and event["outcome"] != "ignored"
        }
        assert sorted(events) == sorted(asked)
        assert {event["reply_state"] for event in events.values()} == {"sent"}
        replies = stack.admin("GET", "/state")["messages"]
        bot_id = stack.bot.service.identity.id
        assert sum(1 for message in replies if message["personId"] == bot_id) == len(asked)
    finally:
        stack.bot.stop()
        stack.emulator.stop()


def redeliver_refused(stack: Stack) -> None:
    """Play Webex: each delivery the bot refused is sent again until it is taken."""
    context = stack.emulator.context
    handled = 0
    for _ in range(5):
        context.dispatcher.wait_idle(20)
        records = context.dispatcher.records()
        refused = [r for r in records[handled:] if r["outcome"] == "failed"]
        handled = len(records)
        if not refused:
            return
        ids = {(r["resource"], r["event"], r["data_id"]) for r in refused}
        with context.store.lock:
            for event in context.bus.log.since(0):
                if (event.resource, event.event, str(event.data.get("id", ""))) in ids:
                    context.dispatcher.on_event(event)
    raise AssertionError("deliveries were still refused after five rounds")
