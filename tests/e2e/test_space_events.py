"""The bot removed from a space drops its digests and alerts there; a space Webex
migrates carries them to its new id (through real webhooks and the bot's workers)."""

from __future__ import annotations

from datetime import time

from core.proactive.models import DigestQuestion, Schedule
from core.proactive.store import ProactiveStore
from core.query import NEEDING_ATTENTION
from core.store import Store
from tests.e2e.conftest import BOT_EMAIL, Stack


def proactive_of(stack: Stack) -> ProactiveStore:
    store = ProactiveStore(Store.open(stack.database_url).engine)
    store.create_schema()
    return store


def space_with_items(stack: Stack, proactive: ProactiveStore) -> str:
    room = stack.alice.rooms.create(title="Ops")
    stack.alice.memberships.create(roomId=room.id, personEmail=BOT_EMAIL)
    stack.settle()
    schedule = Schedule("daily", time(8, 0))
    proactive.add_digest(room.id, schedule, DigestQuestion("summary"), created_by="alice")
    proactive.set_alerts(room.id, NEEDING_ATTENTION, created_by="alice")
    return str(room.id)


def test_removing_the_bot_drops_the_space_items(stack: Stack) -> None:
    proactive = proactive_of(stack)
    room = space_with_items(stack, proactive)
    kept = space_with_items(stack, proactive)
    [bot_membership] = [
        m for m in stack.alice.memberships.list(roomId=room) if m.personEmail == BOT_EMAIL
    ]
    stack.alice.memberships.delete(bot_membership.id)
    stack.settle()
    assert proactive.items(room) == []
    assert len(proactive.items(kept)) == 2
    proactive.engine.dispose()


def test_a_migrated_space_keeps_its_items_under_the_new_id(stack: Stack) -> None:
    proactive = proactive_of(stack)
    room = space_with_items(stack, proactive)
    proactive.set_timezone(room, "Asia/Tokyo")
    moved = stack.admin("POST", f"/rooms/{room}/migrate")
    assert moved["previousRoomId"] == room and moved["id"] != room
    stack.settle()
    assert proactive.items(room) == []
    assert [item.number for item in proactive.items(moved["id"])] == [1, 2]
    assert proactive.timezone(moved["id"]) == "Asia/Tokyo"
    proactive.engine.dispose()
