"""The emulator's records and their Webex JSON shapes (field names as Webex spells them)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

JsonDict = dict[str, Any]
_ASCII_LOWER = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "abcdefghijklmnopqrstuvwxyz")


def email_key(email: str) -> str:
    """How addresses are compared: ASCII case only. ``str.lower()`` would make the
    Kelvin sign U+212A a ``k``, so ``\u212aim@x`` would find kim@x: a different person."""
    return email.translate(_ASCII_LOWER)


@dataclass
class Person:
    id: str
    email: str
    display_name: str
    org_id: str
    created: str
    is_bot: bool = False
    token: str | None = None

    @property
    def first_name(self) -> str:
        return self.display_name.split(" ", 1)[0]

    @property
    def last_name(self) -> str:
        parts = self.display_name.split(" ", 1)
        return parts[1] if len(parts) > 1 else ""

    def to_json(self) -> JsonDict:
        body: JsonDict = {
            "id": self.id,
            "emails": [self.email],
            "phoneNumbers": [],
            "displayName": self.display_name,
            "nickName": self.first_name,
            "firstName": self.first_name,
            "lastName": self.last_name,
            "orgId": self.org_id,
            "created": self.created,
            "status": "unknown",
            "type": "bot" if self.is_bot else "person",
        }
        if not body["lastName"]:
            del body["lastName"]
        return body


@dataclass
class Room:
    id: str
    title: str
    type: str  # "direct" | "group"
    creator_id: str
    owner_org_id: str
    created: str
    last_activity: str
    seq: int = 0

    def to_json(self, title: str | None = None) -> JsonDict:
        return {
            "id": self.id,
            "title": title if title is not None else self.title,
            "type": self.type,
            "isLocked": False,
            "lastActivity": self.last_activity,
            "creatorId": self.creator_id,
            "created": self.created,
            "ownerId": self.owner_org_id,
            "isPublic": False,
        }


@dataclass
class Membership:
    id: str
    room_id: str
    person_id: str
    created: str
    is_moderator: bool = False
    seq: int = 0

    def to_json(self, person: Person, room: Room) -> JsonDict:
        return {
            "id": self.id,
            "roomId": self.room_id,
            "personId": self.person_id,
            "personEmail": person.email,
            "personDisplayName": person.display_name,
            "personOrgId": person.org_id,
            "isModerator": self.is_moderator,
            "isMonitor": False,
            "isRoomHidden": False,
            "roomType": room.type,
            "created": self.created,
        }


@dataclass
class Message:
    id: str
    room_id: str
    room_type: str
    person_id: str
    person_email: str
    created: str
    text: str | None = None
    markdown: str | None = None
    html: str | None = None
    files: list[str] = field(default_factory=list)
    attachments: list[JsonDict] = field(default_factory=list)
    parent_id: str | None = None
    mentioned_people: list[str] = field(default_factory=list)
    mentioned_groups: list[str] = field(default_factory=list)
    to_person_id: str | None = None
    to_person_email: str | None = None
    seq: int = 0

    def to_json(self, *, as_created: bool = False) -> JsonDict:
        """The message as GET shows it; ``as_created`` adds the 1:1 recipient, as the
        answer to the POST that made it does."""
        body: JsonDict = {"id": self.id}
        optional: JsonDict = {
            "parentId": self.parent_id,
            "roomId": self.room_id,
            "roomType": self.room_type,
            "toPersonId": self.to_person_id if as_created else None,
            "toPersonEmail": self.to_person_email if as_created else None,
            "text": self.text,
            "markdown": self.markdown,
            "html": self.html,
            "files": self.files or None,
            "attachments": self.attachments or None,
            "personId": self.person_id,
            "personEmail": self.person_email,
            "mentionedPeople": self.mentioned_people or None,
            "mentionedGroups": self.mentioned_groups or None,
            "created": self.created,
        }
        body.update({k: v for k, v in optional.items() if v is not None})
        return body

    def webhook_data(self) -> JsonDict:
        """What a webhook carries for a message: ids only, never the text."""
        data: JsonDict = {
            "id": self.id,
            "roomId": self.room_id,
            "roomType": self.room_type,
            "personId": self.person_id,
            "personEmail": self.person_email,
            "created": self.created,
        }
        if self.parent_id:
            data["parentId"] = self.parent_id
        if self.mentioned_people:
            data["mentionedPeople"] = list(self.mentioned_people)
        if self.mentioned_groups:
            data["mentionedGroups"] = list(self.mentioned_groups)
        if self.files:
            data["files"] = list(self.files)
        return data


@dataclass
class StoredFile:
    id: str
    room_id: str
    filename: str
    content_type: str
    content: bytes


@dataclass
class AttachmentAction:
    id: str
    type: str
    message_id: str
    person_id: str
    room_id: str
    inputs: JsonDict
    created: str

    def to_json(self) -> JsonDict:
        return {**self.webhook_data(), "inputs": self.inputs}

    def webhook_data(self) -> JsonDict:
        return {
            "id": self.id,
            "type": self.type,
            "messageId": self.message_id,
            "personId": self.person_id,
            "roomId": self.room_id,
            "created": self.created,
        }


@dataclass
class Webhook:
    id: str
    name: str
    target_url: str
    resource: str
    event: str
    owner_id: str
    org_id: str
    app_id: str
    created: str
    filter: str | None = None
    secret: str | None = None
    status: str = "active"
    seq: int = 0

    def to_json(self) -> JsonDict:
        body: JsonDict = {
            "id": self.id,
            "name": self.name,
            "targetUrl": self.target_url,
            "resource": self.resource,
            "event": self.event,
        }
        if self.filter:
            body["filter"] = self.filter
        if self.secret:
            body["secret"] = self.secret
        body.update(
            {
                "orgId": self.org_id,
                "createdBy": self.owner_id,
                "appId": self.app_id,
                "ownedBy": "creator",
                "status": self.status,
                "created": self.created,
            }
        )
        return body
