"""``/v1/messages``: post (JSON or one multipart file), get, list, list direct, delete."""

from __future__ import annotations

import json
from typing import Any

from flask import Blueprint, Response, jsonify, request

from emulator import operations
from emulator.api.common import caller, json_body, optional_str, paginate
from emulator.context import EmulatorContext
from emulator.errors import ErrorAnswer
from emulator.messaging import MessageDraft, UploadedFile, post_message
from emulator.models import Message, Room

NOT_FOUND = "Could not find a message with provided ID."
BOT_GROUP_LIST = (
    "A bot may list messages in a group room only with 'mentionedPeople=me' "
    "(the messages that mention it)."
)


def _attachments(value: Any) -> list[dict[str, Any]]:
    if value is None or value == "":
        return []
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            raise ErrorAnswer(400, "'attachments' must be a JSON list.") from None
    if not isinstance(value, list):
        raise ErrorAnswer(400, "'attachments' must be a list.")
    return value


def _draft_from_request() -> MessageDraft:
    if request.mimetype == "multipart/form-data":
        form = request.form
        uploads = request.files.getlist("files")
        if len(uploads) > 1:
            raise ErrorAnswer(400, "Only one file may be included with a message.")
        upload = None
        if uploads:
            f = uploads[0]
            upload = UploadedFile(
                filename=f.filename or "file",
                content_type=f.mimetype or "application/octet-stream",
                content=f.read(),
            )
        return MessageDraft(
            room_id=form.get("roomId") or None,
            to_person_id=form.get("toPersonId") or None,
            to_person_email=form.get("toPersonEmail") or None,
            text=form.get("text"),
            markdown=form.get("markdown"),
            parent_id=form.get("parentId") or None,
            attachments=_attachments(form.get("attachments")),
            file_urls=[u for u in form.getlist("files") if u],
            upload=upload,
        )
    body = json_body()
    files = body.get("files") or []
    if not isinstance(files, list) or not all(isinstance(u, str) for u in files):
        raise ErrorAnswer(400, "'files' must be a list of URLs.")
    return MessageDraft(
        room_id=optional_str(body, "roomId"),
        to_person_id=optional_str(body, "toPersonId"),
        to_person_email=optional_str(body, "toPersonEmail"),
        text=optional_str(body, "text"),
        markdown=optional_str(body, "markdown"),
        parent_id=optional_str(body, "parentId"),
        attachments=_attachments(body.get("attachments")),
        file_urls=files,
    )


def messages_blueprint(ctx: EmulatorContext) -> Blueprint:
    bp = Blueprint("messages", __name__)
    store = ctx.store

    def visible_message(message_id: str) -> Message:
        message = store.messages.get(message_id)
        if message is None or not store.is_member(message.room_id, caller().id):
            raise ErrorAnswer(404, NOT_FOUND)
        return message

    def room_messages(room: Room) -> list[Message]:
        found = [m for m in store.messages.values() if m.room_id == room.id]
        parent_id = request.args.get("parentId")
        if parent_id:
            found = [m for m in found if m.parent_id == parent_id]
        before = request.args.get("before")
        if before:
            found = [m for m in found if m.created < before]
        before_message = request.args.get("beforeMessage")
        if before_message:
            anchor = store.messages.get(before_message)
            if anchor is None or anchor.room_id != room.id:
                raise ErrorAnswer(404, NOT_FOUND)
            found = [m for m in found if m.seq < anchor.seq]
        return sorted(found, key=lambda m: m.seq, reverse=True)

    @bp.post("/v1/messages")
    def create_message() -> Response:
        draft = _draft_from_request()
        with store.lock:
            message = post_message(ctx, caller(), draft, request.host_url)
            return jsonify(message.to_json(as_created=True))

    @bp.get("/v1/messages")
    def list_messages() -> Response:
        room_id = request.args.get("roomId")
        if not room_id:
            raise ErrorAnswer(400, "'roomId' is required.")
        me = caller()
        mentioned = request.args.get("mentionedPeople")
        if mentioned not in (None, "me", me.id):
            raise ErrorAnswer(400, "'mentionedPeople' may only be 'me' or your own person ID.")
        with store.lock:
            room = store.rooms.get(room_id)
            if room is None or not store.is_member(room_id, me.id):
                raise ErrorAnswer(404, "Could not find a room with provided ID.")
            if me.is_bot and room.type == "group" and mentioned is None:
                raise ErrorAnswer(403, BOT_GROUP_LIST)
            found = room_messages(room)
            if mentioned is not None:
                found = [m for m in found if me.id in m.mentioned_people]
            limit = 100 if mentioned is not None else 1000
            return paginate(found, lambda m: m.id, Message.to_json, default_max=50, limit=limit)

    @bp.get("/v1/messages/direct")
    def list_direct() -> Response:
        me = caller()
        person_id = request.args.get("personId")
        person_email = request.args.get("personEmail")
        if not (person_id or person_email):
            raise ErrorAnswer(400, "Either 'personId' or 'personEmail' is required.")
        with store.lock:
            other = (
                store.people.get(person_id)
                if person_id
                else store.person_by_email(str(person_email))
            )
            room = store.direct_room_between(me.id, other.id) if other else None
            found = room_messages(room) if room else []
            return paginate(found, lambda m: m.id, Message.to_json, default_max=50)

    @bp.get("/v1/messages/<message_id>")
    def get_message(message_id: str) -> Response:
        with store.lock:
            return jsonify(visible_message(message_id).to_json())

    @bp.delete("/v1/messages/<message_id>")
    def delete_message(message_id: str) -> Response:
        me = caller()
        with store.lock:
            message = visible_message(message_id)
            membership = store.membership_of(message.room_id, me.id)
            if message.person_id != me.id and not (membership and membership.is_moderator):
                raise ErrorAnswer(403, "Only the author or a moderator may delete a message.")
            del store.messages[message.id]
            operations.message_event(ctx, "deleted", message, me)
        return Response(status=204)

    return bp
