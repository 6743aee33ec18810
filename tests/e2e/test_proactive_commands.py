"""The proactive commands through the emulator: typed, answered, clicked, over real HTTP.

What the scheduler later posts is tested with it; here a space sets up a digest,
lists it, tries it with ``send N now`` and stops it with the card's Unsubscribe,
exactly as a partner would in Webex.
"""

from __future__ import annotations

from tests.cardcheck.runner import Check, cardcheck  # noqa: F401  (fixture)
from tests.e2e.conftest import BOT_EMAIL, Stack
from tests.e2e.test_conversations import card_of


def test_subscribe_list_try_and_unsubscribe_in_a_space(stack: Stack, cardcheck: Check) -> None:  # noqa: F811
    sent = stack.alice.messages.create(
        toPersonEmail=BOT_EMAIL, text="subscribe weekdays 08:00 needing attention"
    )
    stack.settle()
    room = sent.roomId
    stack.alice.messages.create(roomId=room, text="prenumerationer")
    stack.settle()
    subscribed, listing = stack.bot_messages(room)
    assert subscribed["markdown"].startswith(
        "Subscribed (1): Weekdays · Needing attention · 08:00 UTC. First run: "
    )
    card = card_of(listing)
    assert "1. Vardagar · Behöver åtgärdas · 08:00" in listing["markdown"]

    stack.alice.messages.create(roomId=room, text="send 1 now")
    stack.settle()
    digest = stack.bot_messages(room)[-1]
    assert digest["markdown"].startswith("**Weekdays · Needing attention · 08:00 UTC**")
    assert cardcheck({"subscriptions": card, "digest": card_of(digest)}) == {
        "subscriptions": [],
        "digest": [],
    }

    (row,) = [item for item in card["body"] if item["type"] == "ColumnSet"]
    unsubscribe = row["columns"][1]["selectAction"]["data"]
    stack.alice.attachment_actions.create(
        type="submit", messageId=listing["id"], inputs=unsubscribe
    )
    stack.settle()
    stopped = stack.bot_messages(room)[-1]
    assert (
        stopped["markdown"] == "Stopped: 1. Weekdays · Needing attention · 08:00."
    )  # the space speaks English
    assert stack.bot.service.responder.proactive is not None
    assert stack.bot.service.responder.proactive.items(room) == []


def test_an_outsider_cannot_unsubscribe_a_space(stack: Stack) -> None:
    room = stack.alice.rooms.create(title="Partner team")
    stack.alice.memberships.create(roomId=room.id, personEmail=BOT_EMAIL)
    stack.settle()  # the greeting first: it and an answer may otherwise arrive in any order
    mention = f"<@personEmail:{BOT_EMAIL}|Statusbot>"
    stack.alice.messages.create(roomId=room.id, markdown=f"{mention} alerts on")
    stack.settle()
    assert any("Alerts are on (1)" in m["markdown"] for m in stack.bot_messages(room.id))
    stack.alice.memberships.create(roomId=room.id, personEmail="eve@evil.com")
    stack.settle()
    before = len(stack.bot_messages(room.id))
    stack.eve.messages.create(roomId=room.id, markdown=f"{mention} unsubscribe all")
    stack.settle()
    after = [m["markdown"] for m in stack.bot_messages(room.id)[before:]]
    assert any("I can only share customer information" in text for text in after)  # refused
    proactive = stack.bot.service.responder.proactive
    assert proactive is not None and [item.number for item in proactive.items(room.id)] == [1]
