"""Posting a message: where it goes, what it may hold, how it renders, who hears of it.

Everything here runs with ``ctx.store.lock`` held.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from typing import Any

from emulator import ids, mentions, operations
from emulator.context import EmulatorContext
from emulator.errors import ErrorAnswer
from emulator.models import Message, Person, Room, StoredFile

CARD_TYPE = "application/vnd.microsoft.card.adaptive"


@dataclass
class UploadedFile:
    filename: str
    content_type: str
    content: bytes


@dataclass
class MessageDraft:
    room_id: str | None = None
    to_person_id: str | None = None
    to_person_email: str | None = None
    text: str | None = None
    markdown: str | None = None
    parent_id: str | None = None
    attachments: list[dict[str, Any]] = field(default_factory=list)
    file_urls: list[str] = field(default_factory=list)
    upload: UploadedFile | None = None


def check_length(ctx: EmulatorContext, draft: MessageDraft) -> None:
    limit = ctx.config.max_message_bytes
    for name, value in (("text", draft.text), ("markdown", draft.markdown)):
        if value is not None and len(value.encode("utf-8")) > limit:
            raise ErrorAnswer(400, f"The '{name}' of a message cannot exceed {limit} bytes.")


def check_attachments(attachments: list[dict[str, Any]]) -> None:
    if len(attachments) > 1:
        raise ErrorAnswer(400, "Only one attachment (card) is allowed per message.")
    for attachment in attachments:
        if not isinstance(attachment, dict) or attachment.get("contentType") != CARD_TYPE:
            raise ErrorAnswer(400, f"An attachment's 'contentType' must be '{CARD_TYPE}'.")
        content = attachment.get("content")
        if not isinstance(content, dict) or content.get("type") != "AdaptiveCard":
            raise ErrorAnswer(400, "An attachment's 'content' must be an AdaptiveCard.")


def resolve_room(
    ctx: EmulatorContext, sender: Person, draft: MessageDraft
) -> tuple[Room, Person | None]:
    """The room a draft goes to; a 1:1 message finds or makes the direct room."""
    store = ctx.store
    targets = [t for t in (draft.room_id, draft.to_person_id, draft.to_person_email) if t]
    if len(targets) != 1:
        raise ErrorAnswer(400, "Exactly one of 'roomId', 'toPersonId', 'toPersonEmail' is needed.")
    if draft.room_id:
        room = store.rooms.get(draft.room_id)
        if room is None or not store.is_member(room.id, sender.id):
            raise ErrorAnswer(404, "Could not find a room with provided ID.")
        return room, None
    if draft.to_person_id:
        recipient = store.people.get(draft.to_person_id)
        if recipient is None:
            raise ErrorAnswer(404, "Person not found.")
    else:
        recipient = store.person_for_email(str(draft.to_person_email))
    if recipient.id == sender.id:
        raise ErrorAnswer(400, "A message cannot be sent to oneself.")
    return operations.direct_room(ctx, sender, recipient), recipient


def _resolve_mention(ctx: EmulatorContext, kind: str, target: str) -> Person | None:
    if kind == "personEmail":
        return ctx.store.person_by_email(target)
    return ctx.store.people.get(target)


def _store_upload(ctx: EmulatorContext, room: Room, upload: UploadedFile, base: str) -> str:
    stored = StoredFile(
        id=ids.encode_id(ids.CONTENT, f"{uuid.uuid4()}/0"),
        room_id=room.id,
        filename=upload.filename,
        content_type=upload.content_type,
        content=upload.content,
    )
    ctx.store.files[stored.id] = stored
    return f"{base}v1/contents/{stored.id}"


def post_message(
    ctx: EmulatorContext, sender: Person, draft: MessageDraft, base_url: str
) -> Message:
    """Validate, store and announce a message; ``base_url`` ends with a slash."""
    check_length(ctx, draft)
    check_attachments(draft.attachments)
    if len(draft.file_urls) + (1 if draft.upload else 0) > 1:
        raise ErrorAnswer(400, "Only one file may be included with a message.")
    if not (draft.text or draft.markdown or draft.file_urls or draft.upload or draft.attachments):
        raise ErrorAnswer(400, "A message needs 'text', 'markdown', 'files' or 'attachments'.")
    store = ctx.store
    parent: Message | None = None
    if draft.parent_id:
        parent = store.messages.get(draft.parent_id)
        if parent is None:
            raise ErrorAnswer(404, "Could not find the parent message.")
        if parent.parent_id:
            raise ErrorAnswer(400, "A reply cannot be the parent of a thread.")
    room, recipient = resolve_room(ctx, sender, draft)
    if parent is not None and parent.room_id != room.id:
        raise ErrorAnswer(400, "The parent message is in another room.")
    text, html, people, groups = draft.text, None, [], []
    if draft.markdown is not None:
        rendered = mentions.render(draft.markdown, lambda k, t: _resolve_mention(ctx, k, t))
        html, people, groups = rendered.html, rendered.mentioned_people, rendered.mentioned_groups
        if text is None:
            text = rendered.text
    files = list(draft.file_urls)
    if draft.upload is not None:
        files.append(_store_upload(ctx, room, draft.upload, base_url))
    message = Message(
        id=ids.new_id(ids.MESSAGE),
        room_id=room.id,
        room_type=room.type,
        person_id=sender.id,
        person_email=sender.email,
        created=store.now(),
        text=text,
        markdown=draft.markdown,
        html=html,
        files=files,
        attachments=draft.attachments,
        parent_id=draft.parent_id,
        mentioned_people=people,
        mentioned_groups=groups,
        to_person_id=recipient.id if recipient and draft.to_person_id else None,
        to_person_email=recipient.email if recipient and draft.to_person_email else None,
        seq=store.next_seq(),
    )
    store.messages[message.id] = message
    room.last_activity = message.created
    operations.message_event(ctx, "created", message, sender)
    return message
