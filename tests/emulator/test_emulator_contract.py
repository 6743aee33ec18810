"""The real webexpythonsdk against the emulator over HTTP, doing what a bot does,
with every JSON answer checked against Cisco's published schemas."""

from __future__ import annotations

import base64
import re
import threading
from pathlib import Path

import pytest
import requests
from webexpythonsdk import WebexAPI
from webexpythonsdk.exceptions import ApiError

from emulator.server import ServerHandle
from tests.emulator.emulator_support import (
    ALICE_TOKEN,
    BOT_EMAIL,
    BOT_TOKEN,
    SchemaChecker,
)

TIMESTAMP = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")
CARD = {
    "contentType": "application/vnd.microsoft.card.adaptive",
    "content": {
        "type": "AdaptiveCard",
        "version": "1.3",
        "body": [{"type": "Input.Text", "id": "customer", "label": "Customer"}],
        "actions": [{"type": "Action.Submit", "title": "Look up", "data": {"cmd": "status"}}],
    },
}
WEBHOOK_EXTRA = ("orgId", "createdBy", "appId")  # in real answers, absent from Cisco's schema


def kind_of(webex_id: str) -> str:
    uri = base64.urlsafe_b64decode(webex_id + "=" * (-len(webex_id) % 4)).decode()
    assert uri.startswith("ciscospark://us/"), uri
    return uri.split("/")[3]


def group_with_bot(alice: WebexAPI, title: str = "Partners") -> str:
    room = alice.rooms.create(title)
    alice.memberships.create(room.id, personEmail=BOT_EMAIL)
    return str(room.id)


def test_people(bot: WebexAPI, alice: WebexAPI, schemas: SchemaChecker) -> None:
    me = bot.people.me()
    schemas.validate(me.to_dict(), "Person")
    assert kind_of(me.id) == "PEOPLE"
    assert me.emails == [BOT_EMAIL] and me.displayName == "Statusbot" and me.type == "bot"
    assert TIMESTAMP.match(me.json_data["created"])
    found = list(bot.people.list(email="ALICE@example.com"))
    assert [p.displayName for p in found] == ["Alice"]
    assert found[0].type == "person" and found[0].orgId == me.orgId
    assert bot.people.get(found[0].id).emails == ["alice@example.com"]
    with pytest.raises(ApiError) as error:
        bot.people.get("nope")
    assert error.value.status_code == 404


def test_unknown_token_is_401_with_webex_error_body(
    emulator: ServerHandle, http: requests.Session
) -> None:
    with pytest.raises(ApiError) as error:
        WebexAPI(access_token="WRONG", base_url=emulator.api_url).people.me()
    assert error.value.status_code == 401
    assert error.value.tracking_id and error.value.message
    answer = http.get(emulator.api_url + "people/me")
    body = answer.json()
    assert answer.status_code == 401
    assert set(body) == {"message", "errors", "trackingId"}
    assert body["errors"] == [{"description": body["message"]}]
    assert answer.headers["TrackingID"] == body["trackingId"]


def test_unknown_route_is_a_webex_404(emulator: ServerHandle, http: requests.Session) -> None:
    answer = http.get(emulator.api_url + "nothing", headers={"Authorization": "Bearer BOT_TOKEN"})
    assert answer.status_code == 404
    assert set(answer.json()) == {"message", "errors", "trackingId"}


def test_rooms_and_memberships(
    bot: WebexAPI, alice: WebexAPI, bob: WebexAPI, schemas: SchemaChecker
) -> None:
    room = alice.rooms.create("Partners")
    schemas.validate(room.to_dict(), "Room")
    assert (
        kind_of(room.id) == "ROOM"
        and room.type == "group"
        and TIMESTAMP.match(room.json_data["created"])
    )
    joined = alice.memberships.create(room.id, personEmail=BOT_EMAIL)
    schemas.validate(joined.to_dict(), "Membership")
    assert kind_of(joined.id) == "MEMBERSHIP" and joined.roomType == "group"
    bob_id = next(iter(bot.people.list(email="bob@example.com"))).id
    alice.memberships.create(room.id, personId=bob_id)
    with pytest.raises(ApiError) as twice:
        alice.memberships.create(room.id, personId=bob_id)
    assert twice.value.status_code == 409

    members = list(bot.memberships.list(roomId=room.id))
    schemas.validate({"items": [m.to_dict() for m in members]}, "MembershipCollectionResponse")
    assert [m.personEmail for m in members] == [
        "alice@example.com",
        BOT_EMAIL,
        "bob@example.com",
    ]
    bot_rooms = list(bot.rooms.list())
    schemas.validate({"items": [r.to_dict() for r in bot_rooms]}, "RoomCollectionResponse")
    assert [r.id for r in bot_rooms] == [room.id]
    assert bot.rooms.get(room.id).title == "Partners"

    bob_membership = next(m for m in members if m.personId == bob_id)
    alice.memberships.delete(bob_membership.id)
    with pytest.raises(ApiError) as gone:
        bob.rooms.get(room.id)
    assert gone.value.status_code == 404
    with pytest.raises(ApiError) as outsider:
        list(bob.memberships.list(roomId=room.id))
    assert outsider.value.status_code == 404


def test_direct_room_appears_with_first_message(
    bot: WebexAPI, alice: WebexAPI, schemas: SchemaChecker
) -> None:
    sent = alice.messages.create(toPersonEmail=BOT_EMAIL, text="hello")
    assert sent.roomType == "direct"
    again = alice.messages.create(toPersonId=bot.people.me().id, text="again")
    assert again.roomId == sent.roomId
    direct = list(bot.rooms.list(type="direct"))
    assert [(r.id, r.title) for r in direct] == [(sent.roomId, "Alice")]
    assert alice.rooms.get(sent.roomId).title == "Statusbot"
    assert list(bot.rooms.list(type="group")) == []
    # In a 1:1 room a bot lists everything, without mentionedPeople.
    texts = [m.text for m in bot.messages.list(roomId=sent.roomId)]
    assert texts == ["again", "hello"]
    direct = list(bot.messages.list_direct(personEmail="alice@example.com"))
    assert [m.text for m in direct] == ["again", "hello"]
    with pytest.raises(ApiError) as to_self:
        alice.messages.create(toPersonEmail="alice@example.com", text="me")
    assert to_self.value.status_code == 400


def test_markdown_mentions(bot: WebexAPI, alice: WebexAPI, schemas: SchemaChecker) -> None:
    room_id = group_with_bot(alice)
    bot_id = bot.people.me().id
    sent = alice.messages.create(
        roomId=room_id,
        markdown=f"<@personId:{bot_id}|Statusbot> status **Acme** <@personEmail:{BOT_EMAIL}>",
    )
    schemas.validate(sent.to_dict(), "Message", extra_keys=("html",))
    assert sent.mentionedPeople == [bot_id]
    assert sent.text == "Statusbot status Acme Statusbot"
    assert (
        sent.html.count(
            f'<spark-mention data-object-type="person" data-object-id="{bot_id}">'
            "Statusbot</spark-mention>"
        )
        == 2
    )
    everyone = alice.messages.create(roomId=room_id, markdown="<@all> heads up")
    assert everyone.mentionedGroups == ["all"] and everyone.text == "All heads up"
    assert not hasattr(everyone, "mentionedPeople") or everyone.mentionedPeople is None


def test_card_thread_get_list_and_delete(
    bot: WebexAPI, alice: WebexAPI, schemas: SchemaChecker
) -> None:
    room = alice.messages.create(toPersonEmail=BOT_EMAIL, text="status").roomId
    card = bot.messages.create(roomId=room, markdown="Pick a customer", attachments=[CARD])
    schemas.validate(card.to_dict(), "Message", extra_keys=("html",))
    assert card.attachments == [CARD]
    reply = bot.messages.create(roomId=room, parentId=card.id, text="in thread")
    assert reply.parentId == card.id
    fetched = alice.messages.get(reply.id)
    schemas.validate(fetched.to_dict(), "ListMessage")
    assert fetched.text == "in thread" and TIMESTAMP.match(fetched.json_data["created"])
    listed = list(alice.messages.list(roomId=room))
    schemas.validate({"items": [m.to_dict() for m in listed]}, "ListMessageCollectionResponse")
    assert [m.id for m in listed][:2] == [reply.id, card.id]
    assert [m.id for m in alice.messages.list(roomId=room, parentId=card.id)] == [reply.id]
    with pytest.raises(ApiError) as nested:
        bot.messages.create(roomId=room, parentId=reply.id, text="deeper")
    assert nested.value.status_code == 400
    with pytest.raises(ApiError) as not_author:
        alice.messages.delete(reply.id)
    assert not_author.value.status_code == 403
    bot.messages.delete(reply.id)
    with pytest.raises(ApiError) as gone:
        alice.messages.get(reply.id)
    assert gone.value.status_code == 404


@pytest.mark.parametrize(
    "attachments",
    [
        [CARD, CARD],
        [{"contentType": "text/plain", "content": {"type": "AdaptiveCard"}}],
        [{"contentType": CARD["contentType"], "content": {"type": "Other"}}],
    ],
)
def test_bad_cards_are_refused(bot: WebexAPI, alice: WebexAPI, attachments: list) -> None:
    room = alice.messages.create(toPersonEmail=BOT_EMAIL, text="hi").roomId
    with pytest.raises(ApiError) as error:
        bot.messages.create(roomId=room, text="card", attachments=attachments)
    assert error.value.status_code == 400


def test_file_upload_and_download(
    bot: WebexAPI, alice: WebexAPI, bob: WebexAPI, tmp_path: Path, http: requests.Session
) -> None:
    report = tmp_path / "customers.csv"
    report.write_bytes("name,status\nÅkesson AB,active\n".encode())
    room = alice.messages.create(toPersonEmail=BOT_EMAIL, text="export please").roomId
    sent = bot.messages.create(roomId=room, text="Here you are", files=[str(report)])
    assert len(sent.files) == 1 and sent.files[0].startswith("http://127.0.0.1:")
    answer = http.get(sent.files[0], headers={"Authorization": f"Bearer {ALICE_TOKEN}"})
    assert answer.status_code == 200
    assert answer.content == report.read_bytes()
    assert 'filename="customers.csv"' in answer.headers["Content-Disposition"]
    outsider = http.get(sent.files[0], headers={"Authorization": "Bearer BOB_TOKEN"})
    assert outsider.status_code == 404
    assert alice.messages.get(sent.id).files == sent.files


def test_pagination_follows_link_headers(
    emulator: ServerHandle, alice: WebexAPI, http: requests.Session
) -> None:
    room = alice.rooms.create("Five").id
    sent = [alice.messages.create(roomId=room, text=f"m{i}").id for i in range(5)]
    listed = [m.id for m in alice.messages.list(roomId=room, max=2)]
    assert listed == list(reversed(sent))

    url: str | None = emulator.api_url + f"messages?roomId={room}&max=2"
    pages = []
    while url:
        answer = http.get(url, headers={"Authorization": f"Bearer {ALICE_TOKEN}"})
        pages.append([m["text"] for m in answer.json()["items"]])
        link = answer.headers.get("Link")
        if link:
            assert re.fullmatch(r'<http://127\.0\.0\.1:\d+/v1/messages\?[^>]+>; rel="next"', link)
        url = answer.links.get("next", {}).get("url")
    assert pages == [["m4", "m3"], ["m2", "m1"], ["m0"]]


def test_bot_lists_group_messages_only_with_mentioned_people(
    bot: WebexAPI, alice: WebexAPI
) -> None:
    room_id = group_with_bot(alice)
    alice.messages.create(roomId=room_id, text="not for the bot")
    alice.messages.create(roomId=room_id, markdown=f"<@personEmail:{BOT_EMAIL}> status")
    with pytest.raises(ApiError) as refused:
        list(bot.messages.list(roomId=room_id))
    assert refused.value.status_code == 403
    mine = list(bot.messages.list(roomId=room_id, mentionedPeople="me"))
    assert [m.text for m in mine] == ["Statusbot status"]
    with pytest.raises(ApiError) as too_many:
        list(bot.messages.list(roomId=room_id, mentionedPeople="me", max=101))
    assert too_many.value.status_code == 400


@pytest.mark.parametrize(
    ("text", "accepted"),
    [("a" * 7439, True), ("a" * 7440, False), ("å" * 3719 + "a", True), ("å" * 3720, False)],
)
def test_message_size_limit_counts_utf8_bytes(
    bot: WebexAPI, alice: WebexAPI, text: str, accepted: bool
) -> None:
    room = alice.messages.create(toPersonEmail=BOT_EMAIL, text="hi").roomId
    for field in ("text", "markdown"):
        if accepted:
            assert bot.messages.create(roomId=room, **{field: text}).id
        else:
            with pytest.raises(ApiError) as error:
                bot.messages.create(roomId=room, **{field: text})
            assert error.value.status_code == 400


def test_attachment_actions(bot: WebexAPI, alice: WebexAPI, schemas: SchemaChecker) -> None:
    room = alice.messages.create(toPersonEmail=BOT_EMAIL, text="status").roomId
    card = bot.messages.create(roomId=room, text="card", attachments=[CARD])
    action = alice.attachment_actions.create(
        type="submit", messageId=card.id, inputs={"customer": "Acme", "cmd": "status"}
    )
    schemas.validate(action.to_dict(), "AttachmentActivity")
    assert kind_of(action.id) == "ATTACHMENT_ACTION"
    fetched = bot.attachment_actions.get(action.id)
    assert fetched.to_dict() == action.to_dict()
    assert (fetched.type, fetched.messageId, fetched.roomId) == ("submit", card.id, room)
    assert fetched.inputs == {"customer": "Acme", "cmd": "status"}
    plain = bot.messages.create(roomId=room, text="no card")
    with pytest.raises(ApiError) as error:
        alice.attachment_actions.create(type="submit", messageId=plain.id, inputs={})
    assert error.value.status_code == 400


def test_webhooks_crud(
    emulator: ServerHandle, bot: WebexAPI, alice: WebexAPI, schemas: SchemaChecker
) -> None:
    hook = bot.webhooks.create(
        name="statusbot",
        targetUrl="http://127.0.0.1:1/hook",
        resource="messages",
        event="created",
        filter="mentionedPeople=me",
        secret="s3cret",
    )
    schemas.validate(hook.to_dict(), "Webhook", extra_keys=WEBHOOK_EXTRA)
    assert kind_of(hook.id) == "WEBHOOK"
    assert (hook.status, hook.ownedBy, hook.filter) == ("active", "creator", "mentionedPeople=me")
    assert hook.createdBy == bot.people.me().id
    listed = list(bot.webhooks.list())
    schemas.validate(
        {"items": [w.to_dict() for w in listed]},
        "WebhookCollectionResponse",
        extra_keys=WEBHOOK_EXTRA,
    )
    assert [w.id for w in listed] == [hook.id]
    assert list(alice.webhooks.list()) == []
    with pytest.raises(ApiError) as foreign:
        alice.webhooks.get(hook.id)
    assert foreign.value.status_code == 404

    updated = bot.webhooks.update(hook.id, name="renamed", targetUrl="http://127.0.0.1:2/x")
    assert (updated.name, updated.targetUrl, updated.resource) == (
        "renamed",
        "http://127.0.0.1:2/x",
        "messages",
    )
    assert bot.webhooks.get(hook.id).name == "renamed"
    without_target = requests.put(
        emulator.api_url + f"webhooks/{hook.id}",
        json={"name": "only a name"},
        headers={"Authorization": f"Bearer {BOT_TOKEN}"},
    )
    assert without_target.status_code == 400
    bot.webhooks.delete(hook.id)
    assert list(bot.webhooks.list()) == []


@pytest.mark.parametrize(
    "fields",
    [
        {"resource": "nothing", "event": "created"},
        {"resource": "messages", "event": "exploded"},
        {"resource": "messages", "event": "created", "filter": "colour=blue"},
        {"resource": "attachmentActions", "event": "created", "filter": "personEmail=a@b.c"},
    ],
)
def test_webhook_validation(bot: WebexAPI, fields: dict[str, str]) -> None:
    with pytest.raises(ApiError) as error:
        bot.webhooks.create(name="x", targetUrl="http://127.0.0.1:1/", **fields)
    assert error.value.status_code == 400


def test_concurrent_posts_all_land(alice: WebexAPI, bob: WebexAPI) -> None:
    room = alice.rooms.create("Busy").id
    alice.memberships.create(room, personEmail="bob@example.com")

    def post(api: WebexAPI, who: str) -> None:
        for i in range(10):
            api.messages.create(roomId=room, text=f"{who}{i}")

    workers = [
        threading.Thread(target=post, args=(api, f"{name}{n}-"))
        for n in range(2)
        for name, api in (("alice", alice), ("bob", bob))
    ]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    listed = list(alice.messages.list(roomId=room, max=7))
    assert len(listed) == 40 and len({m.id for m in listed}) == 40
