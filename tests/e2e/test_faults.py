"""Webex misbehaving: rate limits and server errors. Every question is
answered exactly once, and what finally fails is recorded, not dropped."""

from __future__ import annotations

from tests.e2e.conftest import BOT_EMAIL, BOT_TOKEN, Stack

QUESTIONS = ["show suspended", "summary", "show expiring in 30 days", "help", "filter"]


def ask_many(stack: Stack, count: int) -> list[str]:
    rooms = []
    for n in range(count):
        sent = stack.user(["ALICE_TOKEN", "BOB_TOKEN"][n % 2]).messages.create(
            toPersonEmail=BOT_EMAIL, text=QUESTIONS[n % len(QUESTIONS)]
        )
        rooms.append(sent.roomId)
    return rooms


def questions(stack: Stack) -> list[dict]:
    """The people's messages the bot worked on (it also hears, and ignores, its own)."""
    return [
        e
        for e in stack.bot.service.inbox.events()
        if e["resource"] == "messages" and e["outcome"] != "ignored"
    ]


def test_a_429_storm_is_waited_out(stack: Stack) -> None:
    stack.admin(
        "POST",
        "/faults",
        json={
            "path": "/v1/messages",
            "method": "POST",
            "status": 429,
            "retry_after": 1,
            "count": 4,
            "token": BOT_TOKEN,
        },
    )
    ask_many(stack, 6)
    stack.settle()
    events = questions(stack)
    assert len(events) == 6
    assert all(e["reply_state"] == "sent" for e in events)
    state = stack.admin("GET", "/state")
    bot_id = stack.bot.service.identity.id
    assert sum(1 for m in state["messages"] if m["personId"] == bot_id) == 6


def test_5xx_bursts_are_retried_and_answered_exactly_once(stack: Stack) -> None:
    stack.admin(
        "POST",
        "/faults",
        json={"path": "/v1/messages*", "status": 503, "percent": 30, "token": BOT_TOKEN},
    )
    ask_many(stack, 20)
    stack.settle()
    stack.admin("DELETE", "/faults")
    events = questions(stack)
    assert len(events) == 20
    state = stack.admin("GET", "/state")
    bot_id = stack.bot.service.identity.id
    bot_posts = [m for m in state["messages"] if m["personId"] == bot_id]
    answered = [e for e in events if e["reply_state"] == "sent"]
    # exactly once: one post per answered question, none for the rest
    assert len(bot_posts) == len(answered)
    assert len({e["reply_message_id"] for e in answered}) == len(answered)
    failed = [e for e in events if e["reply_state"] != "sent"]
    assert all(e["state"] == "failed" and e["error"] for e in failed)


def test_a_reply_that_finally_fails_is_recorded_with_the_reason(stack: Stack) -> None:
    stack.admin(
        "POST",
        "/faults",
        json={
            "path": "/v1/messages",
            "method": "POST",
            "status": 500,
            "count": 100,
            "token": BOT_TOKEN,
        },
    )
    ask_many(stack, 1)
    stack.settle()
    stack.admin("DELETE", "/faults")
    (event,) = questions(stack)
    assert event["state"] == "failed" and event["reply_state"] == "failed"
    assert "500" in event["error"]
