"""``/v1/people``: me, by id, and a lookup by email, display name or ids."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify, request

from emulator.api.common import caller, paginate
from emulator.context import EmulatorContext
from emulator.errors import ErrorAnswer
from emulator.models import Person, email_key


def people_blueprint(ctx: EmulatorContext) -> Blueprint:
    bp = Blueprint("people", __name__)
    store = ctx.store

    @bp.get("/v1/people/me")
    def me() -> Response:
        return jsonify(caller().to_json())

    @bp.get("/v1/people/<person_id>")
    def get_person(person_id: str) -> Response:
        with store.lock:
            person = store.people.get(person_id)
        if person is None:
            raise ErrorAnswer(404, "Person not found.")
        return jsonify(person.to_json())

    @bp.get("/v1/people")
    def list_people() -> Response:
        email = request.args.get("email")
        display_name = request.args.get("displayName")
        wanted_ids = [i for i in request.args.get("id", "").split(",") if i]
        if not (email or display_name or wanted_ids):
            raise ErrorAnswer(400, "Either 'email', 'displayName' or 'id' is required.")
        with store.lock:
            found: list[Person] = list(store.people.values())
        if email:
            found = [p for p in found if email_key(p.email) == email_key(email)]
        if display_name:
            prefix = display_name.lower()
            found = [p for p in found if p.display_name.lower().startswith(prefix)]
        if wanted_ids:
            found = [p for p in found if p.id in wanted_ids]
        return paginate(found, lambda p: p.id, Person.to_json)

    return bp
