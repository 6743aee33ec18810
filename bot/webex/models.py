"""What the Webex API answers, as frozen dataclasses built from the SDK's dicts.

``bot.webex.client`` fetches these; every field is parsed here, leniently: a
missing string is ``""`` (or ``None`` where it is optional), a bad time is ``None``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

Json = dict[str, Any]


def _str(data: Json, key: str) -> str:
    value = data.get(key)
    return "" if value is None else str(value)


def _opt(data: Json, key: str) -> str | None:
    value = data.get(key)
    return None if value in (None, "") else str(value)


def _strs(data: Json, key: str) -> tuple[str, ...]:
    return tuple(str(item) for item in data.get(key) or ())


def parse_time(value: object) -> datetime | None:
    """Webex's ``2026-11-27T10:00:00.000Z`` as an aware datetime (None when absent)."""
    try:
        return datetime.fromisoformat(str(value).replace("Z", "+00:00")) if value else None
    except ValueError:
        return None


@dataclass(frozen=True)
class BotIdentity:
    id: str
    emails: tuple[str, ...]
    display_name: str
    first_name: str
    org_id: str

    @classmethod
    def from_json(cls, d: Json) -> BotIdentity:
        """From ``GET /people/me``; ``first_name`` falls back to the display name's first word."""
        first = _str(d, "firstName") or _str(d, "displayName").split(" ")[0]
        return cls(
            _str(d, "id"), _strs(d, "emails"), _str(d, "displayName"), first, _str(d, "orgId")
        )


@dataclass(frozen=True)
class PersonInfo:
    id: str
    emails: tuple[str, ...]
    display_name: str
    org_id: str

    @classmethod
    def from_json(cls, d: Json) -> PersonInfo:
        return cls(_str(d, "id"), _strs(d, "emails"), _str(d, "displayName"), _str(d, "orgId"))


@dataclass(frozen=True)
class Member:
    email: str
    person_id: str
    person_org_id: str

    @classmethod
    def from_json(cls, d: Json) -> Member:
        """From a membership."""
        return cls(_str(d, "personEmail"), _str(d, "personId"), _str(d, "personOrgId"))


@dataclass(frozen=True)
class IncomingMessage:
    id: str
    room_id: str
    room_type: str
    person_id: str
    person_email: str
    text: str
    html: str | None
    markdown: str | None
    mentioned_people: tuple[str, ...]
    parent_id: str | None
    created: datetime | None

    @classmethod
    def from_json(cls, d: Json) -> IncomingMessage:
        return cls(
            id=_str(d, "id"),
            room_id=_str(d, "roomId"),
            room_type=_str(d, "roomType"),
            person_id=_str(d, "personId"),
            person_email=_str(d, "personEmail"),
            text=_str(d, "text"),
            html=_opt(d, "html"),
            markdown=_opt(d, "markdown"),
            mentioned_people=_strs(d, "mentionedPeople"),
            parent_id=_opt(d, "parentId"),
            created=parse_time(d.get("created")),
        )

    @property
    def thread_id(self) -> str:
        """The ``parent_id`` that answers in this message's thread (threads are one deep)."""
        return self.parent_id or self.id


@dataclass(frozen=True)
class CardSubmission:
    id: str
    message_id: str
    person_id: str
    room_id: str
    inputs: dict[str, Any]
    created: datetime | None

    @classmethod
    def from_json(cls, d: Json) -> CardSubmission:
        """From an attachment action; ``inputs`` that is not an object becomes ``{}``."""
        inputs = d.get("inputs")
        return cls(
            id=_str(d, "id"),
            message_id=_str(d, "messageId"),
            person_id=_str(d, "personId"),
            room_id=_str(d, "roomId"),
            inputs=dict(inputs) if isinstance(inputs, dict) else {},
            created=parse_time(d.get("created")),
        )
