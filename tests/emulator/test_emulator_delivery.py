"""Webhook delivery: envelope, signature, Webex's visibility rules, filters,
delivery faults, and a failing target turning its webhook inactive."""

from __future__ import annotations

import hashlib
import hmac
import socket
import threading
from typing import Any

import pytest
import requests
from webexpythonsdk import WebexAPI
from webexpythonsdk.exceptions import ApiError
from werkzeug.wrappers import Response

from emulator.server import ServerHandle
from tests.emulator.emulator_support import (
    BOT_EMAIL,
    FAILURE_THRESHOLD,
    Received,
    Receiver,
    flush,
    serve_receiver,
)

ENVELOPE_KEYS = {
    "id",
    "name",
    "targetUrl",
    "resource",
    "event",
    "orgId",
    "createdBy",
    "appId",
    "ownedBy",
    "status",
    "created",
    "actorId",
    "data",
}
CARD = {
    "contentType": "application/vnd.microsoft.card.adaptive",
    "content": {"type": "AdaptiveCard", "version": "1.3", "body": []},
}


def hook(api: WebexAPI, receiver: Receiver, resource: str = "messages", **extra: str) -> str:
    return str(
        api.webhooks.create(
            name=f"{resource} hook",
            targetUrl=receiver.url,
            resource=resource,
            event=extra.pop("event", "created"),
            **extra,
        ).id
    )


def test_direct_message_envelope_and_signature(
    bot: WebexAPI, alice: WebexAPI, receiver: Receiver
) -> None:
    webhook_id = hook(bot, receiver, secret="very secret")
    sent = alice.messages.create(toPersonEmail=BOT_EMAIL, text="status Acme")
    (got,) = receiver.wait_for(1)
    body = got.json()
    assert set(body) == ENVELOPE_KEYS
    me = bot.people.me()
    assert (body["id"], body["resource"], body["event"]) == (webhook_id, "messages", "created")
    assert (body["ownedBy"], body["status"], body["createdBy"]) == ("creator", "active", me.id)
    assert body["orgId"] == me.orgId and body["targetUrl"] == receiver.url
    assert body["actorId"] == alice.people.me().id
    assert body["data"] == {
        "id": sent.id,
        "roomId": sent.roomId,
        "roomType": "direct",
        "personId": sent.personId,
        "personEmail": "alice@example.com",
        "created": sent.json_data["created"],
    }
    expected = hmac.new(b"very secret", got.body, hashlib.sha1).hexdigest()
    assert hmac.compare_digest(got.headers["X-Spark-Signature"], expected)
    assert got.headers["Content-Type"] == "application/json"


def test_no_secret_no_signature_header(bot: WebexAPI, alice: WebexAPI, receiver: Receiver) -> None:
    hook(bot, receiver)
    alice.messages.create(toPersonEmail=BOT_EMAIL, text="hi")
    (got,) = receiver.wait_for(1)
    assert "X-Spark-Signature" not in got.headers


def test_bot_hears_group_messages_only_when_mentioned(
    emulator: ServerHandle,
    bot: WebexAPI,
    alice: WebexAPI,
    receiver: Receiver,
    http: requests.Session,
) -> None:
    room = alice.rooms.create("Partners").id
    alice.memberships.create(room, personEmail=BOT_EMAIL)
    hook(bot, receiver)
    alice.messages.create(roomId=room, text="Statusbot status Acme")  # typed, not a mention
    mention = alice.messages.create(roomId=room, markdown=f"<@personEmail:{BOT_EMAIL}> status")
    flush(http, emulator)
    bodies = receiver.bodies()
    assert [b["data"]["id"] for b in bodies] == [mention.id]
    assert bodies[0]["data"]["mentionedPeople"] == [bot.people.me().id]
    assert bodies[0]["data"]["roomType"] == "group"


def test_people_hear_every_message_in_their_rooms(
    emulator: ServerHandle,
    alice: WebexAPI,
    bob: WebexAPI,
    receiver: Receiver,
    http: requests.Session,
) -> None:
    room = alice.rooms.create("Partners").id
    hook(bob, receiver)
    alice.messages.create(roomId=room, text="before bob joined")
    alice.memberships.create(room, personEmail="bob@example.com")
    after = alice.messages.create(roomId=room, text="after bob joined")
    flush(http, emulator)
    assert [b["data"]["id"] for b in receiver.bodies()] == [after.id]


def test_a_bot_hears_its_own_messages(
    emulator: ServerHandle, bot: WebexAPI, alice: WebexAPI, receiver: Receiver
) -> None:
    room = alice.messages.create(toPersonEmail=BOT_EMAIL, text="hi").roomId
    hook(bot, receiver)
    reply = bot.messages.create(roomId=room, text="hello Alice")
    (got,) = receiver.wait_for(1)
    assert got.json()["data"]["id"] == reply.id
    assert got.json()["data"]["personEmail"] == BOT_EMAIL


def test_webhook_made_after_an_event_never_hears_it(
    emulator: ServerHandle,
    bot: WebexAPI,
    alice: WebexAPI,
    receiver: Receiver,
    http: requests.Session,
) -> None:
    alice.messages.create(toPersonEmail=BOT_EMAIL, text="early")
    hook(bot, receiver)
    flush(http, emulator)
    assert receiver.bodies() == []


def test_filters(
    emulator: ServerHandle,
    bot: WebexAPI,
    alice: WebexAPI,
    bob: WebexAPI,
    receiver: Receiver,
    http: requests.Session,
) -> None:
    alice_room = alice.messages.create(toPersonEmail=BOT_EMAIL, text="from alice").roomId
    bob.messages.create(toPersonEmail=BOT_EMAIL, text="from bob")
    hook(bot, receiver, filter=f"roomId={alice_room}")
    hook(bot, receiver, filter="personEmail=BOB@example.com")
    hook(bot, receiver, filter="roomType=group&mentionedPeople=me")
    in_alice_room = alice.messages.create(roomId=alice_room, text="again")
    from_bob = bob.messages.create(toPersonEmail=BOT_EMAIL, text="again")
    flush(http, emulator)
    by_filter = {b["filter"]: b["data"]["id"] for b in receiver.bodies()}
    assert by_filter == {
        f"roomId={alice_room}": in_alice_room.id,
        "personEmail=BOB@example.com": from_bob.id,
    }
    assert len(receiver.bodies()) == 2


def test_mentioned_people_filter_for_a_person(
    emulator: ServerHandle,
    alice: WebexAPI,
    bob: WebexAPI,
    receiver: Receiver,
    http: requests.Session,
) -> None:
    room = alice.rooms.create("Team").id
    alice.memberships.create(room, personEmail="bob@example.com")
    hook(bob, receiver, filter="mentionedPeople=me")
    alice.messages.create(roomId=room, text="no mention")
    mention = alice.messages.create(roomId=room, markdown="<@personEmail:bob@example.com|Bob> hi")
    flush(http, emulator)
    assert [b["data"]["id"] for b in receiver.bodies()] == [mention.id]


def test_card_submissions_go_to_the_card_author(
    emulator: ServerHandle,
    bot: WebexAPI,
    alice: WebexAPI,
    receiver: Receiver,
    http: requests.Session,
) -> None:
    room = alice.messages.create(toPersonEmail=BOT_EMAIL, text="status").roomId
    card = bot.messages.create(roomId=room, markdown="pick", attachments=[CARD])
    hook(bot, receiver, resource="attachmentActions")
    alice_card = alice.messages.create(roomId=room, markdown="alice's card", attachments=[CARD])
    action = alice.attachment_actions.create(
        type="submit", messageId=card.id, inputs={"customer": "Acme"}
    )
    bot.attachment_actions.create(type="submit", messageId=alice_card.id, inputs={})
    flush(http, emulator)
    (body,) = receiver.bodies()
    assert body["resource"] == "attachmentActions"
    assert body["data"] == {
        "id": action.id,
        "type": "submit",
        "messageId": card.id,
        "personId": alice.people.me().id,
        "roomId": room,
        "created": action.json_data["created"],
    }


def test_membership_events_reach_the_bot(
    emulator: ServerHandle,
    bot: WebexAPI,
    alice: WebexAPI,
    receiver: Receiver,
    http: requests.Session,
) -> None:
    hook(bot, receiver, resource="memberships", event="all")
    room = alice.rooms.create("Partners").id
    joined = alice.memberships.create(room, personEmail=BOT_EMAIL)
    alice.memberships.create(room, personEmail="bob@example.com")
    alice.memberships.delete(joined.id)
    flush(http, emulator)
    # Deliveries run in parallel, and Webex promises no order: compare as sets.
    events = {(b["event"], b["data"]["personEmail"]): b for b in receiver.bodies()}
    assert sorted(events) == sorted(
        [("created", BOT_EMAIL), ("created", "bob@example.com"), ("deleted", BOT_EMAIL)]
    )
    assert events[("created", BOT_EMAIL)]["data"] == joined.to_dict()


def test_deleted_messages_are_announced(bot: WebexAPI, alice: WebexAPI, receiver: Receiver) -> None:
    room = alice.messages.create(toPersonEmail=BOT_EMAIL, text="hi").roomId
    hook(bot, receiver, event="all")
    sent = alice.messages.create(roomId=room, text="oops")
    alice.messages.delete(sent.id)
    bodies = sorted((r.json() for r in receiver.wait_for(2)), key=lambda b: str(b["event"]))
    assert [(b["event"], b["data"]["id"]) for b in bodies] == [
        ("created", sent.id),
        ("deleted", sent.id),
    ]
    assert "text" not in bodies[1]["data"]


def test_duplicate_deliveries(
    emulator: ServerHandle,
    bot: WebexAPI,
    alice: WebexAPI,
    receiver: Receiver,
    http: requests.Session,
) -> None:
    hook(bot, receiver, secret="s")
    answer = http.post(emulator.url + "/_emulator/faults/delivery", json={"duplicate": 3})
    assert answer.status_code == 200
    alice.messages.create(toPersonEmail=BOT_EMAIL, text="once")
    flush(http, emulator)
    copies = receiver.requests
    assert len(copies) == 3
    assert len({(c.body, c.headers["X-Spark-Signature"]) for c in copies}) == 1


def test_dropped_and_delayed_deliveries(
    emulator: ServerHandle,
    bot: WebexAPI,
    alice: WebexAPI,
    receiver: Receiver,
    http: requests.Session,
) -> None:
    hook(bot, receiver)
    faults = emulator.url + "/_emulator/faults/delivery"
    http.post(faults, json={"drop": True, "count": 1})
    http.post(faults, json={"delay_seconds": 0.05, "count": 1})
    lost = alice.messages.create(toPersonEmail=BOT_EMAIL, text="lost")
    late = alice.messages.create(toPersonEmail=BOT_EMAIL, text="late")
    flush(http, emulator)
    assert [b["data"]["id"] for b in receiver.bodies()] == [late.id]
    outcomes = [
        (d["data_id"], d["outcome"])
        for d in http.get(emulator.url + "/_emulator/deliveries").json()["items"]
    ]
    assert sorted(outcomes) == sorted([(lost.id, "dropped"), (late.id, "delivered")])


def test_failing_target_turns_webhook_inactive_until_reenabled(
    emulator: ServerHandle,
    bot: WebexAPI,
    alice: WebexAPI,
    receiver: Receiver,
    http: requests.Session,
) -> None:
    receiver.status = 500
    webhook_id = hook(bot, receiver)
    room = alice.messages.create(toPersonEmail=BOT_EMAIL, text="1").roomId
    # one at a time: deliveries already in flight when it turns inactive still land
    for i in range(2, FAILURE_THRESHOLD + 2):
        flush(http, emulator)
        alice.messages.create(roomId=room, text=str(i))
    flush(http, emulator)
    assert len(receiver.requests) == FAILURE_THRESHOLD  # the last one found it inactive
    assert bot.webhooks.get(webhook_id).status == "inactive"

    receiver.status = 200
    webhook = bot.webhooks.get(webhook_id)
    bot.webhooks.update(webhook_id, name=webhook.name, targetUrl=webhook.targetUrl, status="active")
    alice.messages.create(roomId=room, text="back")
    flush(http, emulator)
    assert len(receiver.requests) == FAILURE_THRESHOLD + 1
    assert bot.webhooks.get(webhook_id).status == "active"


def test_unreachable_target_counts_as_failure(
    emulator: ServerHandle, bot: WebexAPI, alice: WebexAPI, http: requests.Session
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        closed_port = probe.getsockname()[1]
    webhook = bot.webhooks.create(
        name="nowhere",
        targetUrl=f"http://127.0.0.1:{closed_port}/hook",
        resource="messages",
        event="created",
    )
    for i in range(FAILURE_THRESHOLD):
        alice.messages.create(toPersonEmail=BOT_EMAIL, text=str(i))
    flush(http, emulator)
    assert bot.webhooks.get(webhook.id).status == "inactive"


def test_reactivation_needs_name_and_target(bot: WebexAPI, receiver: Receiver) -> None:
    webhook_id = hook(bot, receiver)
    with pytest.raises(ApiError) as error:
        bot.webhooks.update(webhook_id, status="active")
    assert error.value.status_code == 400


class _SlowFirst(Receiver):
    """Holds its first request until a second one has arrived (at most 1.5 s)."""

    def __init__(self) -> None:
        super().__init__()
        self.second = threading.Event()
        self.overlapped: list[bool] = []

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        with self._cond:
            self.requests.append(Received(dict(environ), b""))
            first, second = len(self.requests) == 1, len(self.requests) == 2
        if second:
            self.second.set()
        if first:
            self.overlapped.append(self.second.wait(timeout=1.5))
        return Response(b"")(environ, start_response)


def test_deliveries_are_in_flight_at_once(
    emulator: ServerHandle, bot: WebexAPI, alice: WebexAPI, http: requests.Session
) -> None:
    """Webex sends several webhooks at once: a target still busy with one request
    receives the next. With one delivery at a time the second would only come
    after the first had given up waiting."""
    target = _SlowFirst()
    stop = serve_receiver(target)
    try:
        hook(bot, target)
        alice.messages.create(toPersonEmail=BOT_EMAIL, text="one")
        alice.messages.create(toPersonEmail=BOT_EMAIL, text="two")
        flush(http, emulator)
    finally:
        stop()
    assert len(target.requests) == 2 and target.overlapped == [True]
