"""Who may see customer data: one policy, applied to typed messages and card
submissions alike (security-and-reliability.md, "Who may see customer data").

Anybody can add a bot to any space, and a reply is read by everyone in it. So
the asker being allowed is not enough: data is shown only where every member
of the space is allowed (by email, by ``@domain``, or by Webex organization
id), or in a space that is allowed explicitly by its id. Everything else gets
a polite refusal that reveals nothing.

``STATUSBOT_ALLOWED`` holds the entries, comma separated. A Webex id says what
it is (it is base64 of ``ciscospark://us/ROOM/…`` or ``…/ORGANIZATION/…``), so
room and organization ids can be listed as they are.

Emails and domains are compared after ``normalise_email``: surrounding spaces
go and the ASCII letters A-Z become a-z; nothing else changes. Not
``casefold()`` or ``lower()`` on the whole string, and no Unicode
normalisation: those map other characters onto ASCII ones (``ſ`` U+017F to
``s``, the Kelvin sign U+212A to ``k``, and NFKC fullwidth ``ｓ`` to ``s``), so
a different address could be read as an allowed one. Two addresses that differ
in anything but ASCII case stay different; at worst a person is refused.
"""

from __future__ import annotations

import base64
import binascii
import string
from collections.abc import Iterable
from dataclasses import dataclass
from enum import StrEnum

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)


def normalise_email(value: str) -> str:
    """The form emails and domains are compared in: ASCII case folded, nothing else
    (see the module docstring for why not ``casefold()``)."""
    return value.strip().translate(_ASCII_LOWER)


class Verdict(StrEnum):
    ALLOWED = "allowed"
    ASKER_NOT_ALLOWED = "asker_not_allowed"
    MEMBER_NOT_ALLOWED = "member_not_allowed"


@dataclass(frozen=True, slots=True)
class Person:
    """Whoever is checked: an asker or a member of a space."""

    email: str | None
    org_id: str | None = None


def webex_id_kind(value: str) -> str | None:
    """``ROOM``, ``ORGANIZATION``, ``PEOPLE``… for a Webex id; None for anything else."""
    padded = value + "=" * (-len(value) % 4)
    try:
        decoded = base64.b64decode(padded, altchars=b"-_", validate=False).decode("ascii")
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    if not decoded.startswith("ciscospark://"):
        return None
    parts = decoded.split("/")
    return parts[3] if len(parts) > 4 else None


@dataclass(frozen=True, slots=True)
class AccessPolicy:
    emails: frozenset[str] = frozenset()
    domains: frozenset[str] = frozenset()
    rooms: frozenset[str] = frozenset()
    org_ids: frozenset[str] = frozenset()

    @classmethod
    def from_entries(cls, entries: Iterable[str]) -> AccessPolicy:
        """Read ``STATUSBOT_ALLOWED`` entries; raise ValueError naming a bad one."""
        emails: set[str] = set()
        domains: set[str] = set()
        rooms: set[str] = set()
        org_ids: set[str] = set()
        for raw in entries:
            entry = raw.strip()
            if not entry:
                continue
            if entry.startswith("@") and "@" not in entry[1:] and "." in entry:
                domains.add(normalise_email(entry[1:]))
            elif "@" in entry[1:] and entry.count("@") == 1 and "." in entry.split("@")[1]:
                emails.add(normalise_email(entry))
            elif webex_id_kind(entry) == "ROOM":
                rooms.add(entry)
            elif webex_id_kind(entry) == "ORGANIZATION":
                org_ids.add(entry)
            else:
                raise ValueError(
                    f"{entry!r} is not an email, an @domain, a room id or an organization id"
                )
        return cls(frozenset(emails), frozenset(domains), frozenset(rooms), frozenset(org_ids))

    @property
    def is_empty(self) -> bool:
        return not (self.emails or self.domains or self.rooms or self.org_ids)

    def person_allowed(self, person: Person) -> bool:
        if person.org_id is not None and person.org_id in self.org_ids:
            return True
        if not person.email or person.email.count("@") != 1:
            return False
        email = normalise_email(person.email)
        return email in self.emails or email.rsplit("@", 1)[1] in self.domains

    def room_allowed(self, room_id: str | None) -> bool:
        return room_id is not None and room_id in self.rooms

    def decide(self, room_id: str | None, asker: Person, members: Iterable[Person]) -> Verdict:
        """May ``asker`` see customer data in this room, read by ``members``?

        ``members`` excludes the bot itself; it is only read when the room is
        not allowed by id, so a caller can pass a lazy iterable.
        """
        if self.room_allowed(room_id):
            return Verdict.ALLOWED
        if not self.person_allowed(asker):
            return Verdict.ASKER_NOT_ALLOWED
        if all(self.person_allowed(member) for member in members):
            return Verdict.ALLOWED
        return Verdict.MEMBER_NOT_ALLOWED
