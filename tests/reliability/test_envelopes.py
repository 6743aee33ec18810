"""Reproductions 3, 4 and 5 (ingest side): odd signed envelopes, replays after the
retention, and a store that cannot take a delivery. Real HTTP, real signatures."""

from __future__ import annotations

import json
import logging
from datetime import timedelta

import pytest
import requests
from sqlalchemy import text

from bot.web.receiver import signature_of
from tests.e2e.conftest import SECRET, Stack
from tests.reliability.conftest import ShiftedClock, StackFactory
from tests.reliability.helpers import answered, ask

SENTINEL = "sentinel-personal-9f2c@example.com"


def deliver(stack: Stack, body: bytes) -> requests.Response:
    signature = signature_of(body, SECRET.encode())
    return requests.post(
        stack.bot.webhook_url,
        data=body,
        headers={"X-Spark-Signature": signature, "Content-Type": "application/json"},
        timeout=30,
    )


def envelope(**data: object) -> bytes:
    body = {
        "id": "webhook-1",
        "name": "statusbot",
        "resource": "messages",
        "event": "created",
        "data": {"id": "msg-odd", "personEmail": SENTINEL, **data},
    }
    return json.dumps(body).encode()


ODD = {
    "1,000 nested [": b"[" * 1000 + b"]" * 1000,
    "nesting inside data": envelope(roomId=json.loads("[" * 300 + "]" * 300)),
    "roomId an object": envelope(roomId={"$ne": SENTINEL}),
    "personId a list": envelope(personId=[SENTINEL]),
    "id a number": envelope(id=12345),
    "data a string": json.dumps(
        {"id": "w", "resource": "messages", "event": "created", "data": SENTINEL}
    ).encode(),
    "resource an object": json.dumps(
        {"id": "w", "resource": {"a": SENTINEL}, "event": "created", "data": {"id": "m"}}
    ).encode(),
    "no data": json.dumps({"id": "w", "resource": "messages", "event": "created"}).encode(),
    "not JSON": b"\xff\xfe" + SENTINEL.encode(),
    "a JSON string": json.dumps(SENTINEL).encode(),
}


@pytest.mark.parametrize("body", list(ODD.values()), ids=list(ODD))
def test_an_odd_signed_envelope_is_a_400_with_no_side_effect_and_no_data_logged(
    make_stack: StackFactory, body: bytes, caplog: pytest.LogCaptureFixture
) -> None:
    stack = make_stack()
    caplog.set_level(logging.DEBUG)
    before = stack.bot.service.inbox.events()
    answer = deliver(stack, body)
    assert answer.status_code == 400, answer.text
    assert stack.bot.service.inbox.events() == before
    assert SENTINEL not in caplog.text and SENTINEL not in answer.text


def test_a_delivery_the_store_cannot_take_is_a_5xx_and_logs_no_data(
    make_stack: StackFactory, caplog: pytest.LogCaptureFixture
) -> None:
    """Reproduction 5, ingest side: the inbox's table is gone (a database moved away)."""
    stack = make_stack()
    stack.bot.service.workers.stop()
    with stack.bot.service.inbox.engine.begin() as connection:
        connection.execute(text("DROP TABLE inbox_events"))
    caplog.set_level(logging.DEBUG)
    answer = deliver(stack, envelope(id="msg-" + SENTINEL, roomId="room-" + SENTINEL))
    assert 500 <= answer.status_code < 600, answer.text
    assert SENTINEL not in caplog.text and SENTINEL not in answer.text


def test_a_replay_after_the_retention_is_recorded_and_not_answered(
    make_stack: StackFactory, clock: ShiftedClock
) -> None:
    """Reproduction 4: the signature has no timestamp; the message's own age decides."""
    stack = make_stack()
    sent = ask(stack, "show suspended")
    answered(stack, sent.id)
    assert len(stack.bot_messages(sent.roomId)) == 1
    captured = json.dumps(
        {
            "id": "webhook-1",
            "name": "statusbot",
            "resource": "messages",
            "event": "created",
            "data": {
                "id": sent.id,
                "roomId": sent.roomId,
                "personId": sent.personId,
                "created": str(sent.created),
            },
        }
    ).encode()
    assert deliver(stack, captured).json() == {"status": "duplicate"}
    clock.advance(timedelta(days=8).total_seconds())
    assert stack.bot.service.inbox.prune(timedelta(days=7)) >= 1
    assert deliver(stack, captured).json() == {"status": "stored"}
    event = answered(stack, sent.id)
    assert (event["state"], event["outcome"]) == ("ignored", "replayed")
    assert len(stack.bot_messages(sent.roomId)) == 1
