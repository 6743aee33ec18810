"""Parsing Webex's answers without a server: lenient defaults."""

from __future__ import annotations

from datetime import UTC, datetime

from bot.webex.models import (
    BotIdentity,
    CardSubmission,
    IncomingMessage,
    Member,
    PersonInfo,
    parse_time,
)


def test_parse_time() -> None:
    assert parse_time("2026-11-27T10:00:00.000Z") == datetime(2026, 11, 27, 10, tzinfo=UTC)
    assert parse_time(None) is None
    assert parse_time("") is None
    assert parse_time("not a time") is None


def test_missing_fields_are_empty_or_none() -> None:
    message = IncomingMessage.from_json({"id": "M", "html": "", "mentionedPeople": None})
    assert (message.room_id, message.text, message.mentioned_people) == ("", "", ())
    assert (message.html, message.markdown, message.parent_id, message.created) == (
        None,
        None,
        None,
        None,
    )
    assert message.thread_id == "M"
    assert PersonInfo.from_json({}) == PersonInfo("", (), "", "")
    assert Member.from_json({"personEmail": "a@b.c"}) == Member("a@b.c", "", "")


def test_bot_first_name_falls_back_to_the_display_name() -> None:
    me = BotIdentity.from_json({"id": "B", "emails": ["s@webex.bot"], "displayName": "Status Bot"})
    assert me == BotIdentity("B", ("s@webex.bot",), "Status Bot", "Status", "")
    assert BotIdentity.from_json({"firstName": "Sb", "displayName": "X Y"}).first_name == "Sb"


def test_card_inputs_that_are_not_an_object_are_empty() -> None:
    assert CardSubmission.from_json({"inputs": ["a"]}).inputs == {}
    submission = CardSubmission.from_json({"messageId": "M", "inputs": {"page": 2}})
    assert (submission.message_id, submission.inputs) == ("M", {"page": 2})
