"""Issue 11 item 1: a late joiner must not read the customer data already posted.

Reproduction: Alice and Bob get a list card in an allowed space; Alice adds
eve@evil.com; Eve's ``GET /v1/messages`` returned the card. Now the bot deletes
its data-bearing messages there and posts one notice without data. All through
the emulator over HTTP with the real SDK and real signatures.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from bot.access import AccessPolicy
from bot.inbox.store import Inbox
from bot.retraction import DataPosts, Retractor
from bot.web.metrics import Metrics
from tests.e2e.conftest import BOT_EMAIL, BOT_TOKEN, Stack

MENTION = f"<@personEmail:{BOT_EMAIL}|Statusbot>"
CUSTOMER = "Göteborgs Energi"  # in the bundled sample's 30-day list
NOTICE_EN = "joined this space, so I deleted my earlier answers"
NOTICE_SV = "har gått med i det här utrymmet, så jag har tagit bort"


def team_space(stack: Stack) -> str:
    room = stack.alice.rooms.create(title="Partner team")
    stack.alice.memberships.create(roomId=room.id, personEmail="bob@example.com")
    stack.alice.memberships.create(roomId=room.id, personEmail=BOT_EMAIL)
    stack.settle()
    return str(room.id)


def ask(stack: Stack, room_id: str, text: str) -> dict[str, Any]:
    stack.alice.messages.create(roomId=room_id, markdown=f"{MENTION} {text}")
    stack.settle()
    return dict(stack.bot_messages(room_id)[-1])


def sample(stack: Stack, name: str, **labels: str) -> float:
    value = stack.bot.service.metrics.registry.get_sample_value(name, labels or None)
    return float(value or 0.0)


def test_an_outsider_who_joins_cannot_read_the_card(
    stack: Stack, caplog: pytest.LogCaptureFixture
) -> None:
    room = team_space(stack)
    listing = ask(stack, room, "show all customers")
    actions = listing["attachments"][0]["content"]["actions"]
    page = next(action["data"] for action in actions if action["data"].get("page") == 1)
    stack.alice.attachment_actions.create(type="submit", messageId=listing["id"], inputs=page)
    stack.settle()
    second = stack.bot_messages(room)[-1]
    assert second["id"] != listing["id"]
    caplog.set_level(logging.INFO, logger="statusbot")
    stack.alice.memberships.create(roomId=room, personEmail="eve@evil.com")
    stack.settle()
    seen_by_eve = list(stack.eve.messages.list(roomId=room))
    ids = {message.id for message in seen_by_eve}
    assert listing["id"] not in ids and second["id"] not in ids
    greeting, notice = stack.bot_messages(room)  # the greeting carries no data: it stays
    bot_id = stack.bot.service.identity.id
    assert {m.id for m in seen_by_eve if m.personId == bot_id} == {greeting["id"], notice["id"]}
    assert NOTICE_EN in notice["markdown"] and "1:1" in notice["markdown"]
    assert sample(stack, "statusbot_retracted_messages_total") == 2
    assert sample(stack, "statusbot_access_refused_total", reason="retraction") == 1
    assert sample(stack, "statusbot_replies_total", outcome="retracted") == 1
    lines = [r for r in caplog.records if r.name == "statusbot.retraction"]
    assert lines and all(getattr(r, "event_id", None) is not None for r in lines)
    assert CUSTOMER not in caplog.text and "eve@evil.com" not in caplog.text
    # asking again in the space is refused while Eve is there
    assert "someone here is not" in ask(stack, room, "show expiring in 30 days")["markdown"]


def test_the_notice_is_in_the_space_language(stack: Stack) -> None:
    room = team_space(stack)
    ask(stack, room, "language sv")
    assert CUSTOMER in str(ask(stack, room, "visa går ut inom 30 dagar")["attachments"])
    stack.alice.memberships.create(roomId=room, personEmail="eve@evil.com")
    stack.settle()
    notice = stack.bot_messages(room)[-1]["markdown"]
    assert NOTICE_SV in notice and CUSTOMER not in notice


def test_allowed_joiners_change_nothing(stack: Stack) -> None:
    room = team_space(stack)
    listing = ask(stack, room, "show expiring in 30 days")
    stack.alice.memberships.create(roomId=room, personEmail="carl@example.com")
    stack.settle()
    assert stack.bot_messages(room)[-1]["id"] == listing["id"]


def test_an_operator_can_turn_it_off(stack_with: Callable[..., Stack]) -> None:
    stack = stack_with(retract_on_outsider_join=False)
    room = team_space(stack)
    listing = ask(stack, room, "show expiring in 30 days")
    stack.alice.memberships.create(roomId=room, personEmail="eve@evil.com")
    stack.settle()
    assert listing["id"] in {m.id for m in stack.eve.messages.list(roomId=room)}


def test_a_failing_delete_is_retried_and_the_notice_posted_once(stack: Stack) -> None:
    room = team_space(stack)
    listing = ask(stack, room, "show expiring in 30 days")
    stack.admin(
        "POST",
        "/faults",
        json={"path": "/v1/messages/*", "method": "DELETE", "status": 503, "count": 2},
    )
    stack.alice.memberships.create(roomId=room, personEmail="eve@evil.com")
    stack.settle()
    assert listing["id"] not in {m.id for m in stack.eve.messages.list(roomId=room)}
    notices = [m for m in stack.bot_messages(room) if NOTICE_EN in m["markdown"]]
    assert len(notices) == 1


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_the_window_and_a_second_try(stack: Stack) -> None:
    """Posts older than the window are neither looked at nor kept; an event worked on
    twice deletes once and still owes its notice."""
    room = team_space(stack)
    as_bot = stack.user(BOT_TOKEN)  # posted outside the worker: recorded below, by hand
    old = as_bot.messages.create(roomId=room, markdown="old customer list").to_dict()
    recent = as_bot.messages.create(roomId=room, markdown="recent customer list").to_dict()
    clock = Clock()
    inbox = Inbox.open(stack.database_url)
    try:
        posts = DataPosts.open(inbox.engine, clock=clock, window=timedelta(days=30))
        posts.record(room, old["id"])
        clock.now += timedelta(days=29)
        posts.record(room, recent["id"])
        clock.now += timedelta(days=2)
        assert posts.pending(room) == [recent["id"]]
        retractor = Retractor(
            posts,
            stack.bot.service.webex,
            AccessPolicy.from_entries(["@example.com"]),
            Metrics(),
        )
        joined = {"roomId": room, "roomType": "group", "personEmail": "eve@evil.com"}
        assert retractor.joined(-7, joined) and retractor.joined(-7, joined)
        assert posts.taken_back_by(-7) == 1
        assert posts.prune() == 1  # the old one is forgotten
        remaining = {m["id"] for m in stack.bot_messages(room)}
        assert old["id"] in remaining and recent["id"] not in remaining
        allowed = {**joined, "personEmail": "carl@example.com"}
        assert not retractor.joined(-8, allowed)
    finally:
        inbox.close()
