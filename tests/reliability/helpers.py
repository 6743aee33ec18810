"""Small helpers the reliability cases share: spaces, questions, faults, events."""

from __future__ import annotations

import json
from typing import Any

import requests

from bot.web.receiver import signature_of
from tests.e2e.conftest import BOT_EMAIL, BOT_TOKEN, SECRET, Stack, wait_until

MENTION = f"<@personEmail:{BOT_EMAIL}|Statusbot>"


def group(stack: Stack, *emails: str) -> str:
    """A group space of Alice, ``emails`` and the bot, its greeting already posted."""
    room = stack.alice.rooms.create(title="Renewals")
    for email in (*emails, BOT_EMAIL):
        stack.alice.memberships.create(roomId=room.id, personEmail=email)
    stack.settle()
    return str(room.id)


def ask(stack: Stack, text: str, room_id: str | None = None, token: str = "ALICE_TOKEN") -> Any:
    person = stack.user(token)
    if room_id is None:
        return person.messages.create(toPersonEmail=BOT_EMAIL, text=text)
    return person.messages.create(roomId=room_id, markdown=f"{MENTION} {text}")


def fault(stack: Stack, **spec: Any) -> dict[str, Any]:
    """An injected fault on the bot's own calls."""
    rule: dict[str, Any] = stack.admin("POST", "/faults", json={"token": BOT_TOKEN, **spec})
    return rule


def fault_hits(stack: Stack, rule_id: str) -> int:
    """How often a fault fired (a used-up ``count`` rule disappears: it fired them all)."""
    for rule in stack.admin("GET", "/faults")["api"]:
        if rule["id"] == rule_id:
            return int(rule["hits"])
    return -1


def event_of(stack: Stack, message_id: str) -> dict[str, Any]:
    """The inbox event of a message (an empty dict until its delivery is stored)."""
    found = [e for e in stack.bot.service.inbox.events() if e["data_id"] == message_id]
    assert len(found) <= 1
    return found[0] if found else {}


def answered(stack: Stack, message_id: str) -> dict[str, Any]:
    """The event of a question, once it is finished."""
    wait_until(
        lambda: event_of(stack, message_id).get("state") in ("done", "failed", "ignored"),
        timeout=60,
        what="the question to be finished",
    )
    stack.settle()
    return event_of(stack, message_id)


def deliver_again(stack: Stack, sent: Any) -> None:
    """Webex delivering a question's webhook once more, signed (a duplicate)."""
    body = json.dumps(
        {
            "id": "webhook-again",
            "name": "statusbot",
            "resource": "messages",
            "event": "created",
            "data": {"id": sent.id, "roomId": sent.roomId, "personId": sent.personId},
        }
    ).encode()
    signature = signature_of(body, SECRET.encode())
    answer = requests.post(
        stack.bot.webhook_url, data=body, headers={"X-Spark-Signature": signature}, timeout=30
    )
    assert answer.status_code == 200
    stack.settle()
