"""WebexClient against the emulator with the real SDK over real HTTP: reading, sending
(markdown, card, file, thread), the 7439-byte guard, membership, reconciliation reads."""

from __future__ import annotations

import logging
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
import requests
from webexpythonsdk import WebexAPI

from bot.webex.client import WebexClient
from emulator.server import ServerHandle
from handlers.cards.limits import TEXT_LIMIT, fit_text
from handlers.reply import Reply, ReplyFile
from tests.bot.webex.support import bot_client

ALICE_TOKEN = "ALICE_TOKEN"
BOT_EMAIL = "statusbot@webex.bot"
CARD: dict[str, Any] = {
    "type": "AdaptiveCard",
    "version": "1.3",
    "body": [{"type": "TextBlock", "text": "Customers"}],
    "actions": [{"type": "Action.Submit", "title": "Next", "data": {"page": 2}}],
}


@pytest.fixture
def bot(emulator: ServerHandle) -> WebexClient:
    return bot_client(emulator)


@pytest.fixture
def alice(emulator: ServerHandle) -> WebexAPI:
    return WebexAPI(access_token=ALICE_TOKEN, base_url=emulator.api_url, wait_on_rate_limit=False)


@pytest.fixture
def room(alice: WebexAPI) -> str:
    """A group space of alice's with the bot in it."""
    room_id = str(alice.rooms.create("Partners").id)
    alice.memberships.create(roomId=room_id, personEmail=BOT_EMAIL)
    return room_id


def content(url: str, token: str = ALICE_TOKEN) -> requests.Response:
    answer = requests.get(url, headers={"Authorization": f"Bearer {token}"}, timeout=5)
    answer.raise_for_status()
    return answer


# -- reading -------------------------------------------------------------------------------
def test_me_is_the_bot(bot: WebexClient) -> None:
    me = bot.me()
    assert me.emails == (BOT_EMAIL,)
    assert me.display_name == "Statusbot"
    assert me.first_name == "Statusbot"
    assert me.id and me.org_id


def test_a_message_that_mentions_the_bot(bot: WebexClient, alice: WebexAPI, room: str) -> None:
    posted = alice.messages.create(
        roomId=room, markdown=f"<@personEmail:{BOT_EMAIL}|Statusbot> show all"
    )
    message = bot.message(posted.id)
    assert message.id == posted.id
    assert (message.room_id, message.room_type) == (room, "group")
    assert message.person_email == "alice@example.com"
    assert message.text.endswith("show all")
    assert message.html and "spark-mention" in message.html
    assert message.mentioned_people == (bot.me().id,)
    assert message.parent_id is None and message.thread_id == message.id
    assert message.created is not None and message.created.tzinfo is not None


def test_a_card_submission_and_its_sender(bot: WebexClient, alice: WebexAPI, room: str) -> None:
    card_message = bot.send(room, Reply(markdown="Customers", card=CARD))
    action = alice.attachment_actions.create(
        type="submit", messageId=card_message, inputs={"page": 2, "query": "trials"}
    )
    submission = bot.attachment_action(action.id)
    assert submission.message_id == card_message
    assert submission.room_id == room
    assert submission.inputs == {"page": 2, "query": "trials"}
    person = bot.person(submission.person_id)
    assert person.emails == ("alice@example.com",)
    assert person.display_name == "Alice"
    assert person.org_id == bot.me().org_id


def test_room_members_pages_through_every_member(
    bot: WebexClient, alice: WebexAPI, room: str
) -> None:
    for n in range(105):  # more than one page of 100
        alice.memberships.create(roomId=room, personEmail=f"partner{n}@example.net")
    members = bot.room_members(room)
    emails = {member.email for member in members}
    assert len(members) == 107
    assert {"alice@example.com", BOT_EMAIL, "partner0@example.net", "partner104@example.net"} <= (
        emails
    )
    assert all(member.person_id and member.person_org_id for member in members)


def test_leave_room_removes_the_bot_and_is_idempotent(
    bot: WebexClient, alice: WebexAPI, room: str
) -> None:
    bot.leave_room(room)
    assert BOT_EMAIL not in {m.personEmail for m in alice.memberships.list(roomId=room)}
    bot.leave_room(room)  # not a member any more: nothing to do, no error


# -- sending -------------------------------------------------------------------------------
def test_markdown_reply(bot: WebexClient, alice: WebexAPI, room: str) -> None:
    message_id = bot.send(room, Reply(markdown="**3 customers** expire in 30 days"))
    read = alice.messages.get(message_id)
    assert read.markdown == "**3 customers** expire in 30 days"
    assert read.personEmail == BOT_EMAIL
    assert read.roomId == room
    assert not getattr(read, "attachments", None)


def test_the_plain_text_is_sent_clean_beside_the_escaped_markdown(
    bot: WebexClient, alice: WebexAPI, room: str
) -> None:
    """Webex would derive ``text`` from the markdown, backslashes and all."""
    reply = Reply(markdown="**Acme \\*Bold\\* \\[x\\]\\(http\\://evil\\)** ends 2027\\-02\\-30")
    read = alice.messages.get(bot.send(room, reply))
    assert read.markdown == reply.markdown
    assert read.text == "Acme *Bold* [x](http://evil) ends 2027-02-30"


def test_card_reply_carries_the_card_and_the_markdown_fallback(
    bot: WebexClient, alice: WebexAPI, room: str
) -> None:
    message_id = bot.send(room, Reply(markdown="Customers (card)", card=CARD))
    read = alice.messages.get(message_id).to_dict()
    assert read["markdown"] == "Customers (card)"
    assert read["attachments"] == [
        {"contentType": "application/vnd.microsoft.card.adaptive", "content": CARD}
    ]


def test_file_reply_uploads_one_named_file_and_removes_the_temporary_copy(
    bot: WebexClient,
    alice: WebexAPI,
    room: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    data = "id,name\n1,Åkerö AB\n".encode()
    file = ReplyFile(filename="customers-2026-11-27.csv", content_type="text/csv", data=data)
    message_id = bot.send(room, Reply(markdown="**Export**: 1 customer", file=file))
    read = alice.messages.get(message_id)
    assert read.markdown == "**Export**: 1 customer"
    assert len(read.files) == 1
    download = content(read.files[0])
    assert download.content == data
    assert 'filename="customers-2026-11-27.csv"' in download.headers["Content-Disposition"]
    assert download.headers["Content-Type"].startswith("text/csv")
    assert list(tmp_path.iterdir()) == []


def test_a_card_and_a_file_go_as_two_messages_in_the_same_thread(
    bot: WebexClient, alice: WebexAPI, room: str
) -> None:
    question = alice.messages.create(roomId=room, markdown=f"<@personEmail:{BOT_EMAIL}|S> export")
    file = ReplyFile(filename="export.csv", content_type="text/csv", data=b"id\n1\n")
    card_id = bot.send(
        room, Reply(markdown="Exported", card=CARD, file=file), parent_id=question.id
    )
    replies = [m for m in alice.messages.list(roomId=room) if m.personEmail == BOT_EMAIL]
    assert len(replies) == 2
    file_message, card_message = replies  # newest first
    assert card_message.id == card_id
    assert card_message.attachments and not getattr(card_message, "files", None)
    assert len(file_message.files) == 1 and not getattr(file_message, "attachments", None)
    assert {card_message.parentId, file_message.parentId} == {question.id}


def test_thread_reply(bot: WebexClient, alice: WebexAPI, room: str) -> None:
    question = alice.messages.create(roomId=room, markdown=f"<@personEmail:{BOT_EMAIL}|S> help")
    incoming = bot.message(question.id)
    answer_id = bot.send(
        room, Reply(markdown="Here is what I understand"), parent_id=incoming.thread_id
    )
    assert alice.messages.get(answer_id).parentId == question.id
    # An answer to a message inside a thread goes to the same thread, not deeper.
    assert bot.message(answer_id).thread_id == question.id


# -- the 7439-byte guard ---------------------------------------------------------------------
def test_fit_text_cuts_whole_characters_and_marks_the_cut() -> None:
    exact = "å" * (TEXT_LIMIT // 2) + "x"  # 7438 + 1 bytes
    assert fit_text(exact) == exact
    for filler in ("åäö", "😀", "a😀", "👩‍👩‍👧"):
        text = filler * 3000
        cut = fit_text(text)
        assert len(cut.encode("utf-8")) <= TEXT_LIMIT
        assert cut.endswith("…")
        assert text.startswith(cut[:-1])  # nothing but whole characters, in order
        assert len(cut.encode("utf-8")) > TEXT_LIMIT - 8


def test_an_overlong_reply_is_cut_and_still_sent(
    bot: WebexClient, alice: WebexAPI, room: str, caplog: pytest.LogCaptureFixture
) -> None:
    secret_words = "Åsa's kunder: räksmörgås 🦐 "
    text = secret_words * 400  # well over 7439 bytes
    with caplog.at_level(logging.WARNING, logger="statusbot.webex"):
        message_id = bot.send(room, Reply(markdown=text))
    sent = alice.messages.get(message_id).markdown
    assert len(sent.encode("utf-8")) <= TEXT_LIMIT
    assert sent.endswith("…") and text.startswith(sent[:-1])
    assert "cut" in caplog.text and room in caplog.text
    assert "räksmörgås" not in caplog.text  # the body is never logged


# -- after a crash: what did the bot post? ---------------------------------------------------
def test_recent_bot_messages_in_a_direct_space(
    bot: WebexClient, alice: WebexAPI, room: str
) -> None:
    direct = alice.messages.create(toPersonEmail=BOT_EMAIL, text="hello").roomId
    before = datetime.now(UTC) - timedelta(seconds=5)
    first = bot.send(direct, Reply(markdown="one"))
    second = bot.send(direct, Reply(markdown="two"))
    recent = bot.list_recent_bot_messages(direct, before)
    assert recent is not None
    assert [m.id for m in recent] == [second, first]  # newest first, alice's left out
    assert [m.markdown for m in recent] == ["two", "one"]
    assert bot.list_recent_bot_messages(direct, datetime.now(UTC) + timedelta(hours=1)) == []
    # A group space cannot be listed by a bot except for messages that mention it.
    assert bot.list_recent_bot_messages(room, before) is None
