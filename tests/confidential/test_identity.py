"""Issue 11 item 4: exact emails match only after a normalisation that cannot map a
different address onto an allowed one (``casefold()`` mapped ``ſam`` to ``sam``)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from webexpythonsdk import WebexAPI

from bot.access import AccessPolicy, Person, normalise_email
from tests.e2e.conftest import BOT_EMAIL, Stack

ALLOWED = ("sam@partner.com", "kim@partner.com", "@example.com")
POLICY = AccessPolicy.from_entries(ALLOWED)
REFUSED = "only share customer information"
IMPOSTORS = (
    "\u017fam@partner.com",  # LATIN SMALL LETTER LONG S: casefold() makes it "s"
    "\u212aim@partner.com",  # KELVIN SIGN: lower() and casefold() make it "k"
    "\uff53\uff41\uff4d@partner.com",  # fullwidth "sam": NFKC makes it "sam"
)


@pytest.mark.parametrize(
    ("email", "allowed"),
    [
        ("sam@partner.com", True),
        ("SAM@Partner.COM", True),  # ASCII case still does not matter
        ("  kim@partner.com ", True),
        ("Kim@PARTNER.com", True),
        ("bob@example.com", True),
        ("bob@EXAMPLE.com", True),
        ("\u017fam@partner.com", False),
        ("\u212aim@partner.com", False),
        ("\uff53\uff41\uff4d@partner.com", False),
        ("sam@partner.co\u1d0d", False),  # small capital M
        ("bob@\uff45xample.com", False),  # fullwidth e in the domain
        ("bob@example.co\u217f", False),  # ROMAN NUMERAL ONE THOUSAND looks like m
        ("bob@evil-example.com", False),
        ("bob@example.com.evil", False),
        ("s\u0430m@partner.com", False),  # Cyrillic a
    ],
)
def test_only_ascii_case_is_folded(email: str, allowed: bool) -> None:
    assert POLICY.person_allowed(Person(email)) is allowed


def test_the_normalisation_is_documented_and_ascii_only() -> None:
    assert normalise_email(" ALICE@Example.COM ") == "alice@example.com"
    assert normalise_email("\u017fAM@x.se") == "\u017fam@x.se"
    assert normalise_email("\u212a@x.se") == "\u212a@x.se"
    assert normalise_email.__doc__ and "casefold" in normalise_email.__doc__


@pytest.fixture
def stack(stack_with: Callable[..., Stack]) -> Stack:
    return stack_with(allowed=ALLOWED)


def person(stack: Stack, email: str, token: str) -> WebexAPI:
    stack.admin("POST", "/people", json={"email": email, "token": token})
    return stack.user(token)


def ask_directly(stack: Stack, api: WebexAPI) -> str:
    sent = api.messages.create(toPersonEmail=BOT_EMAIL, text="show suspended")
    stack.settle()
    (reply,) = stack.bot_messages(sent.roomId)
    return str(reply["markdown"])


def test_look_alike_addresses_are_refused_one_to_one(stack: Stack) -> None:
    sam = person(stack, "SAM@Partner.com", "SAM_TOKEN")
    assert REFUSED not in ask_directly(stack, sam)
    for number, email in enumerate(IMPOSTORS):
        impostor = person(stack, email, f"IMPOSTOR_{number}")
        assert REFUSED in ask_directly(stack, impostor), email


def test_look_alike_addresses_close_a_group_space(stack: Stack) -> None:
    person(stack, "sam@partner.com", "SAM_TOKEN")
    for number, email in enumerate(IMPOSTORS):
        person(stack, email, f"IMPOSTOR_{number}")
        room = stack.alice.rooms.create(title=f"With {number}")
        stack.alice.memberships.create(roomId=room.id, personEmail="sam@partner.com")
        stack.alice.memberships.create(roomId=room.id, personEmail=email)
        stack.alice.memberships.create(roomId=room.id, personEmail=BOT_EMAIL)
        stack.settle()
        stack.alice.messages.create(
            roomId=room.id, markdown=f"<@personEmail:{BOT_EMAIL}|Statusbot> show suspended"
        )
        stack.settle()
        answer = stack.bot_messages(room.id)[-1]["markdown"]
        assert "someone here is not" in answer, email
        members = {m.personEmail for m in stack.alice.memberships.list(roomId=room.id)}
        assert email in members  # the emulator kept the address apart from sam's
