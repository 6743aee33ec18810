"""What retraction needs from the emulator (issue 11 item 1), checked like the rest:
the real SDK over HTTP, answers against Cisco's schemas.

``DELETE /v1/messages/{id}``: 204 with no body for the author; Webex's 403 for
another member; 404 for someone outside the space and for a message already
gone; a deleted message is gone for everyone, from ``GET`` and from lists.
``memberships``/``created``: delivered to the bot for every person added to a
space it is in, ``data`` a Membership as Cisco describes it.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest
import requests
from webexpythonsdk import WebexAPI
from webexpythonsdk.exceptions import ApiError

from emulator.server import ServerHandle
from tests.emulator.emulator_support import (
    BOT_EMAIL,
    BOT_TOKEN,
    Receiver,
    SchemaChecker,
    flush,
    sdk,
)

EVE = ("eve@evil.com", "EVE_TOKEN")


def group(alice: WebexAPI) -> str:
    room = alice.rooms.create("Partners").id
    alice.memberships.create(room, personEmail="bob@example.com")
    alice.memberships.create(room, personEmail=BOT_EMAIL)
    return str(room)


def status_of(call: Callable[[], object]) -> int:
    with pytest.raises(ApiError) as error:
        call()
    return int(error.value.status_code)


def test_only_the_author_deletes_and_then_it_is_gone_for_everyone(
    emulator: ServerHandle, bot: WebexAPI, alice: WebexAPI, http: requests.Session
) -> None:
    room = group(alice)
    card = bot.messages.create(roomId=room, markdown="customer list")
    answer = http.delete(
        f"{emulator.api_url}messages/{card.id}", headers={"Authorization": "Bearer ALICE_TOKEN"}
    )
    assert answer.status_code == 403
    error = answer.json()
    assert set(error) >= {"message", "errors", "trackingId"}
    assert status_of(lambda: alice.messages.delete(card.id)) == 403
    http.post(emulator.url + "/_emulator/people", json={"email": EVE[0], "token": EVE[1]})
    eve = sdk(emulator, EVE[1])
    assert status_of(lambda: eve.messages.delete(card.id)) == 404  # not in the space
    deleted = http.delete(
        f"{emulator.api_url}messages/{card.id}", headers={"Authorization": f"Bearer {BOT_TOKEN}"}
    )
    assert deleted.status_code == 204 and deleted.content == b""
    assert status_of(lambda: alice.messages.get(card.id)) == 404
    assert card.id not in [m.id for m in alice.messages.list(roomId=room)]
    assert status_of(lambda: bot.messages.delete(card.id)) == 404  # already gone


def test_a_late_joiner_reads_history_until_it_is_deleted(
    emulator: ServerHandle, bot: WebexAPI, alice: WebexAPI, http: requests.Session
) -> None:
    room = group(alice)
    card = bot.messages.create(roomId=room, markdown="customer list")
    http.post(emulator.url + "/_emulator/people", json={"email": EVE[0], "token": EVE[1]})
    alice.memberships.create(room, personEmail=EVE[0])
    eve = sdk(emulator, EVE[1])
    assert card.id in [m.id for m in eve.messages.list(roomId=room)]  # what Webex does
    bot.messages.delete(card.id)
    assert card.id not in [m.id for m in eve.messages.list(roomId=room)]


def test_a_join_reaches_the_bot_as_a_membership(
    emulator: ServerHandle,
    bot: WebexAPI,
    alice: WebexAPI,
    receiver: Receiver,
    http: requests.Session,
    schemas: SchemaChecker,
) -> None:
    room = group(alice)
    bot.webhooks.create(
        name="joins", targetUrl=receiver.url, resource="memberships", event="created"
    )
    joined = alice.memberships.create(room, personEmail=EVE[0])
    flush(http, emulator)
    (body,) = receiver.bodies()
    assert (body["resource"], body["event"]) == ("memberships", "created")
    assert body["actorId"] == alice.people.me().id
    data = body["data"]
    schemas.validate(data, "Membership")
    assert data == joined.to_dict()
    assert (data["personEmail"], data["roomId"], data["roomType"]) == (EVE[0], room, "group")
    assert data["personOrgId"]
