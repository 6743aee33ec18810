"""In-memory state of one emulated Webex organisation, guarded by one lock.

Callers take ``store.lock`` around every read-modify-write; the helpers here
assume it is held (it is re-entrant).
"""

from __future__ import annotations

import threading
import uuid
from dataclasses import dataclass

from emulator import ids
from emulator.config import EmulatorConfig, display_name_from_email, is_bot_email
from emulator.models import (
    AttachmentAction,
    Membership,
    Message,
    Person,
    Room,
    StoredFile,
    Webhook,
    email_key,
)


class Memberships(dict[str, Membership]):
    """The memberships by id, and who is in each room without a scan of them all.

    The per-room view is rebuilt on the first look after any change (memberships
    change rarely; every API call asks who is in a room). A caller that changes a
    membership's room in place says so with ``changed``.
    """

    def __init__(self) -> None:
        super().__init__()
        self._by_room: dict[str, dict[str, Membership]] | None = None

    def __setitem__(self, key: str, value: Membership) -> None:
        super().__setitem__(key, value)
        self._by_room = None

    def __delitem__(self, key: str) -> None:
        super().__delitem__(key)
        self._by_room = None

    def clear(self) -> None:
        super().clear()
        self._by_room = None

    def changed(self) -> None:
        self._by_room = None

    def in_room(self, room_id: str) -> dict[str, Membership]:
        """The room's memberships by person id, in the order they were made."""
        if self._by_room is None:
            by_room: dict[str, dict[str, Membership]] = {}
            for membership in self.values():
                by_room.setdefault(membership.room_id, {})[membership.person_id] = membership
            self._by_room = by_room
        return self._by_room.get(room_id, {})


@dataclass(frozen=True)
class Identity:
    """Fixed ids for the organisation and the application that owns webhooks."""

    org_id: str
    app_id: str


class WebexState:
    def __init__(self, config: EmulatorConfig) -> None:
        self.config = config
        self.lock = threading.RLock()
        seed = uuid.uuid5(uuid.NAMESPACE_DNS, config.bot_email)
        self.identity = Identity(
            org_id=ids.encode_id(ids.ORGANIZATION, str(seed)),
            app_id=ids.encode_id(ids.APPLICATION, seed.hex + seed.hex),
        )
        self._seq = 0
        self._initial_people: list[Person] = []
        self.people: dict[str, Person] = {}
        self.rooms: dict[str, Room] = {}
        self.memberships = Memberships()
        self.messages: dict[str, Message] = {}
        self.files: dict[str, StoredFile] = {}
        self.actions: dict[str, AttachmentAction] = {}
        self.webhooks: dict[str, Webhook] = {}
        self._seed_people()

    # -- time and order -------------------------------------------------
    def now(self) -> str:
        return ids.iso_timestamp(self.config.clock())

    def next_seq(self) -> int:
        self._seq += 1
        return self._seq

    # -- people ---------------------------------------------------------
    def _seed_people(self) -> None:
        cfg = self.config
        self.add_person(cfg.bot_email, cfg.bot_token, cfg.bot_name)
        for email, token in cfg.users:
            self.add_person(email, token)
        self._initial_people = list(self.people.values())

    def add_person(
        self, email: str, token: str | None = None, display_name: str | None = None
    ) -> Person:
        person = Person(
            id=ids.new_id(ids.PEOPLE),
            email=email,
            display_name=display_name or display_name_from_email(email),
            org_id=self.identity.org_id,
            created=self.now(),
            is_bot=is_bot_email(email),
            token=token,
        )
        self.people[person.id] = person
        return person

    def person_by_token(self, token: str) -> Person | None:
        return next((p for p in self.people.values() if p.token == token), None)

    def person_by_email(self, email: str) -> Person | None:
        wanted = email_key(email)
        return next((p for p in self.people.values() if email_key(p.email) == wanted), None)

    def person_for_email(self, email: str) -> Person:
        """Find a person, or create one without a token as Webex invites unknown addresses."""
        return self.person_by_email(email) or self.add_person(email)

    # -- rooms and memberships --------------------------------------------
    def membership_of(self, room_id: str, person_id: str) -> Membership | None:
        return self.memberships.in_room(room_id).get(person_id)

    def is_member(self, room_id: str, person_id: str) -> bool:
        return self.membership_of(room_id, person_id) is not None

    def member_ids(self, room_id: str) -> frozenset[str]:
        return frozenset(self.memberships.in_room(room_id))

    def room_memberships(self, room_id: str) -> list[Membership]:
        return list(self.memberships.in_room(room_id).values())

    def direct_room_between(self, a: str, b: str) -> Room | None:
        for room in self.rooms.values():
            if room.type == "direct" and self.member_ids(room.id) == frozenset({a, b}):
                return room
        return None

    def direct_room_title(self, room: Room, viewer_id: str) -> str:
        """A 1:1 space is titled with the other person's name, as each side sees it."""
        others = [self.people[p] for p in self.member_ids(room.id) if p != viewer_id]
        return others[0].display_name if others else room.title

    # -- whole state ---------------------------------------------------------
    def reset(self) -> None:
        """Back to the configured people (same ids and tokens), nothing else."""
        self.people = {p.id: p for p in self._initial_people}
        for table in (
            self.rooms,
            self.memberships,
            self.messages,
            self.files,
            self.actions,
            self.webhooks,
        ):
            table.clear()
