"""Issue 11 item 6: every refusal (typed, card, outsider space, retraction) is logged
under ``statusbot.*`` with the event id and counted under its own outcome, never
``sent``; the lines carry no customer data and no message text. Through the
emulator, as a person would cause each one."""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

import pytest

from tests.e2e.conftest import BOT_EMAIL, Stack

QUESTION = "show expiring in 30 days"
CUSTOMER = "Göteborgs Energi"  # in that answer
MENTION = f"<@personEmail:{BOT_EMAIL}|Statusbot>"


@pytest.fixture
def quiet_stack(stack_with: Callable[..., Stack]) -> Stack:
    """Retraction off, so an outsider can still click an old card in the space."""
    return stack_with(retract_on_outsider_join=False)


def count(stack: Stack, name: str, **labels: str) -> float:
    value = stack.bot.service.metrics.registry.get_sample_value(name, labels)
    return float(value or 0.0)


def refusal_lines(caplog: pytest.LogCaptureFixture, reason: str) -> list[logging.LogRecord]:
    return [
        record
        for record in caplog.records
        if record.name.startswith("statusbot.") and getattr(record, "reason", None) == reason
    ]


def assert_clean(caplog: pytest.LogCaptureFixture) -> None:
    text = caplog.text + " ".join(str(record.__dict__) for record in caplog.records)
    for secret in (QUESTION, CUSTOMER, "Acme"):
        assert secret not in text


def event_ids(stack: Stack) -> set[int]:
    return {int(event["id"]) for event in stack.bot.service.inbox.events()}


def test_a_typed_question_from_an_outsider(stack: Stack, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="statusbot")
    stack.eve.messages.create(toPersonEmail=BOT_EMAIL, text=QUESTION)
    stack.settle()
    (line,) = refusal_lines(caplog, "asker_not_allowed")
    assert line.event_id in event_ids(stack)
    assert count(stack, "statusbot_replies_total", outcome="refused") == 1
    assert count(stack, "statusbot_replies_total", outcome="sent") == 0
    assert count(stack, "statusbot_access_refused_total", reason="asker_not_allowed") == 1
    assert_clean(caplog)


def test_a_card_click_by_an_outsider_and_a_changed_card(
    quiet_stack: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    stack = quiet_stack
    room = stack.alice.rooms.create(title="Partner team").id
    stack.alice.memberships.create(roomId=room, personEmail=BOT_EMAIL)
    stack.alice.messages.create(roomId=room, markdown=f"{MENTION} show all customers")
    stack.settle()
    listing: dict[str, Any] = stack.bot_messages(room)[-1]
    button = next(a["data"] for a in listing["attachments"][0]["content"]["actions"])
    caplog.set_level(logging.INFO, logger="statusbot")
    sent_before = count(stack, "statusbot_replies_total", outcome="sent")
    changed = {**button, "page": "not a page"}  # an allowed person, a tampered payload
    stack.alice.attachment_actions.create(type="submit", messageId=listing["id"], inputs=changed)
    stack.settle()
    (rejected,) = refusal_lines(caplog, "card_invalid")
    assert rejected.event_id in event_ids(stack)
    assert count(stack, "statusbot_replies_total", outcome="rejected") == 1
    assert any(r.name == "statusbot.submissions" for r in caplog.records)
    stack.alice.memberships.create(roomId=room, personEmail="eve@evil.com")
    stack.settle()
    stack.eve.attachment_actions.create(type="submit", messageId=listing["id"], inputs=button)
    stack.settle()
    (refused,) = refusal_lines(caplog, "asker_not_allowed")
    assert refused.event_id in event_ids(stack)
    assert count(stack, "statusbot_replies_total", outcome="refused") == 1
    assert count(stack, "statusbot_replies_total", outcome="sent") == sent_before
    assert_clean(caplog)


def test_a_space_an_outsider_made(stack: Stack, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="statusbot")
    room = stack.eve.rooms.create(title="Eve's space")
    stack.eve.memberships.create(roomId=room.id, personEmail=BOT_EMAIL)
    stack.settle()
    (line,) = refusal_lines(caplog, "outsider_space")
    assert line.event_id in event_ids(stack)
    assert count(stack, "statusbot_access_refused_total", reason="outsider_space") == 1
    assert count(stack, "statusbot_replies_total", outcome="refused") == 1
    assert count(stack, "statusbot_replies_total", outcome="sent") == 0
    assert_clean(caplog)
