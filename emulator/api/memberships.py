"""``/v1/memberships``: who is in which space."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from emulator import operations
from emulator.api.common import caller, json_body, optional_str, paginate
from emulator.context import EmulatorContext
from emulator.errors import ErrorAnswer
from emulator.models import Membership, email_key

NOT_FOUND = "Could not find a membership with provided ID."


def memberships_blueprint(ctx: EmulatorContext) -> Blueprint:
    bp = Blueprint("memberships", __name__)
    store = ctx.store

    def to_json(m: Membership) -> dict[str, object]:
        return m.to_json(store.people[m.person_id], store.rooms[m.room_id])

    def visible_membership(membership_id: str) -> Membership:
        m = store.memberships.get(membership_id)
        if m is None or not store.is_member(m.room_id, caller().id):
            raise ErrorAnswer(404, NOT_FOUND)
        return m

    @bp.post("/v1/memberships")
    def create_membership() -> Response:
        body = json_body()
        room_id = optional_str(body, "roomId")
        person_id = optional_str(body, "personId")
        person_email = optional_str(body, "personEmail")
        if not room_id:
            raise ErrorAnswer(400, "'roomId' is required.")
        if not (person_id or person_email):
            raise ErrorAnswer(400, "Either 'personId' or 'personEmail' is required.")
        with store.lock:
            room = store.rooms.get(room_id)
            if room is None or not store.is_member(room_id, caller().id):
                raise ErrorAnswer(404, "Could not find a room with provided ID.")
            if room.type == "direct":
                raise ErrorAnswer(403, "People cannot be added to a direct room.")
            if person_id:
                person = store.people.get(person_id)
                if person is None:
                    raise ErrorAnswer(404, "Person not found.")
            else:
                person = store.person_for_email(str(person_email))
            if store.is_member(room.id, person.id):
                raise ErrorAnswer(409, "Person is already in the room.")
            membership = operations.add_member(
                ctx, room, person, caller(), bool(body.get("isModerator", False))
            )
            return jsonify(to_json(membership))

    @bp.get("/v1/memberships")
    def list_memberships() -> Response:
        room_id = request.args.get("roomId")
        person_id = request.args.get("personId")
        person_email = request.args.get("personEmail")
        if (person_id or person_email) and not room_id:
            raise ErrorAnswer(400, "'roomId' is required with 'personId' or 'personEmail'.")
        with store.lock:
            if room_id:
                room = store.rooms.get(room_id)
                if room is None or not store.is_member(room_id, caller().id):
                    raise ErrorAnswer(404, "Could not find a room with provided ID.")
                found = store.room_memberships(room_id)
            else:
                found = [m for m in store.memberships.values() if m.person_id == caller().id]
            if person_id:
                found = [m for m in found if m.person_id == person_id]
            if person_email:
                found = [
                    m
                    for m in found
                    if email_key(store.people[m.person_id].email) == email_key(person_email)
                ]
            found.sort(key=lambda m: m.seq)
            return paginate(found, lambda m: m.id, to_json)

    @bp.get("/v1/memberships/<membership_id>")
    def get_membership(membership_id: str) -> Response:
        with store.lock:
            return jsonify(to_json(visible_membership(membership_id)))

    @bp.put("/v1/memberships/<membership_id>")
    def update_membership(membership_id: str) -> Response:
        body = json_body()
        with store.lock:
            membership = visible_membership(membership_id)
            if "isModerator" in body:
                membership.is_moderator = bool(body["isModerator"])
            return jsonify(to_json(membership))

    @bp.delete("/v1/memberships/<membership_id>")
    def delete_membership(membership_id: str) -> Response:
        with store.lock:
            membership = visible_membership(membership_id)
            if store.rooms[membership.room_id].type == "direct":
                raise ErrorAnswer(403, "A direct room cannot be left.")
            operations.remove_member(ctx, membership, caller())
        return Response(status=204)

    return bp
