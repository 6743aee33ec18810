from __future__ import annotations

import base64

import pytest

from bot.access import AccessPolicy, Person, Verdict, webex_id_kind


def webex_id(kind: str, value: str = "1234") -> str:
    return base64.b64encode(f"ciscospark://us/{kind}/{value}".encode()).decode().rstrip("=")


ROOM = webex_id("ROOM", "allowed-room")
ORG = webex_id("ORGANIZATION", "partner-org")
POLICY = AccessPolicy.from_entries(["alice@example.com", "@partner.se", ROOM, ORG])


def test_webex_ids_say_what_they_are() -> None:
    assert webex_id_kind(ROOM) == "ROOM"
    assert webex_id_kind(ORG) == "ORGANIZATION"
    assert webex_id_kind("alice@example.com") is None
    assert webex_id_kind("not base64 at all!") is None


@pytest.mark.parametrize(
    ("email", "allowed"),
    [
        ("alice@example.com", True),
        ("ALICE@Example.COM", True),
        ("bob@example.com", False),
        ("bob@partner.se", True),
        ("bob@PARTNER.SE", True),
        ("bob@evil-partner.se", False),
        ("bob@partner.se.evil", False),
        ("bob@sub.partner.se", False),
        ("partner.se", False),
        ("bob@partner.se@evil.com", False),
        ("", False),
        (None, False),
    ],
)
def test_domains_match_exactly_and_case_insensitively(email: str | None, allowed: bool) -> None:
    assert POLICY.person_allowed(Person(email)) is allowed


def test_organization_ids_allow_people_of_that_org() -> None:
    assert POLICY.person_allowed(Person("zed@other.com", ORG))
    assert not POLICY.person_allowed(Person("zed@other.com", webex_id("ORGANIZATION", "x")))


def test_every_member_of_the_space_must_be_allowed() -> None:
    alice = Person("alice@example.com")
    outsider = Person("eve@evil.com")
    assert POLICY.decide("room-1", alice, [alice, Person("carl@partner.se")]) is Verdict.ALLOWED
    assert POLICY.decide("room-1", alice, [alice, outsider]) is Verdict.MEMBER_NOT_ALLOWED
    assert POLICY.decide("room-1", outsider, [outsider]) is Verdict.ASKER_NOT_ALLOWED


def test_an_allowed_room_lets_anyone_in_it_ask_without_listing_members() -> None:
    def members():  # must not be read
        raise AssertionError("members listed for an allowed room")
        yield  # pragma: no cover

    assert POLICY.decide(ROOM, Person("eve@evil.com"), members()) is Verdict.ALLOWED


def test_bad_entries_are_named() -> None:
    with pytest.raises(ValueError, match="'nonsense' is not an email"):
        AccessPolicy.from_entries(["alice@example.com", "nonsense"])
    assert AccessPolicy.from_entries([]).is_empty
