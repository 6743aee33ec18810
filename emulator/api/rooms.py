"""``/v1/rooms``: group spaces made by title; 1:1 spaces appear with the first message."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from emulator import operations
from emulator.api.common import caller, json_body, paginate, required_str
from emulator.context import EmulatorContext
from emulator.errors import ErrorAnswer
from emulator.models import Room

NOT_FOUND = "Could not find a room with provided ID."


def rooms_blueprint(ctx: EmulatorContext) -> Blueprint:
    bp = Blueprint("rooms", __name__)
    store = ctx.store

    def visible_room(room_id: str) -> Room:
        room = store.rooms.get(room_id)
        if room is None or not store.is_member(room_id, caller().id):
            raise ErrorAnswer(404, NOT_FOUND)
        return room

    def room_json(room: Room) -> dict[str, object]:
        if room.type == "direct":
            return room.to_json(title=store.direct_room_title(room, caller().id))
        return room.to_json()

    @bp.post("/v1/rooms")
    def create_room() -> Response:
        title = required_str(json_body(), "title")
        with store.lock:
            room = operations.create_group_room(ctx, title, caller())
            return jsonify(room_json(room))

    @bp.get("/v1/rooms")
    def list_rooms() -> Response:
        room_type = request.args.get("type")
        if room_type not in (None, "direct", "group"):
            raise ErrorAnswer(400, "'type' must be 'direct' or 'group'.")
        sort_by = request.args.get("sortBy", "lastactivity")
        if sort_by not in ("id", "lastactivity", "created"):
            raise ErrorAnswer(400, "'sortBy' must be 'id', 'lastactivity' or 'created'.")
        with store.lock:
            rooms = [
                r
                for r in store.rooms.values()
                if store.is_member(r.id, caller().id) and room_type in (None, r.type)
            ]
            if sort_by == "id":
                rooms.sort(key=lambda r: r.id)
            elif sort_by == "created":
                rooms.sort(key=lambda r: r.seq, reverse=True)
            else:
                rooms.sort(key=lambda r: (r.last_activity, r.seq), reverse=True)
            return paginate(rooms, lambda r: r.id, room_json)

    @bp.get("/v1/rooms/<room_id>")
    def get_room(room_id: str) -> Response:
        with store.lock:
            return jsonify(room_json(visible_room(room_id)))

    @bp.put("/v1/rooms/<room_id>")
    def update_room(room_id: str) -> Response:
        title = required_str(json_body(), "title")
        with store.lock:
            room = visible_room(room_id)
            if room.type == "direct":
                raise ErrorAnswer(400, "The title of a direct room cannot be changed.")
            operations.update_room_title(ctx, room, title, caller())
            return jsonify(room_json(room))

    @bp.delete("/v1/rooms/<room_id>")
    def delete_room(room_id: str) -> Response:
        with store.lock:
            room = visible_room(room_id)
            for membership in store.room_memberships(room.id):
                del store.memberships[membership.id]
            for message in [m for m in store.messages.values() if m.room_id == room.id]:
                del store.messages[message.id]
            del store.rooms[room.id]
        return Response(status=204)

    return bp
