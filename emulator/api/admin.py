"""``/_emulator/``: test and playground controls, never under ``/v1/``.

Faults, reset, a state dump, runtime people, the event log to poll, the
delivery log, and ``flush`` to wait until every queued delivery was tried.
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, abort, jsonify, request

from emulator import operations
from emulator.context import EmulatorContext
from emulator.events import event_json

LOCAL_ADDRESSES = frozenset({"127.0.0.1", "::1", "localhost"})
MAX_WAIT_SECONDS = 30.0


def _bad_request(message: str) -> Response:
    response = jsonify({"error": message})
    response.status_code = 400
    return response


def _body() -> dict[str, Any] | None:
    body = request.get_json(silent=True)
    return body if isinstance(body, dict) else None


def _seconds(name: str, default: float) -> float:
    try:
        return min(max(float(request.args.get(name, default)), 0.0), MAX_WAIT_SECONDS)
    except ValueError:
        return default


def admin_blueprint(ctx: EmulatorContext) -> Blueprint:
    bp = Blueprint("emulator_admin", __name__, url_prefix="/_emulator")
    store = ctx.store

    @bp.before_request
    def local_only() -> None:
        if ctx.config.admin_local_only and request.remote_addr not in LOCAL_ADDRESSES:
            abort(403)

    @bp.post("/reset")
    def reset() -> Response:
        ctx.reset()
        return jsonify({"reset": True})

    @bp.post("/rooms/<room_id>/migrate")
    def migrate(room_id: str) -> Response:
        """Move a space to a new id, as Webex does between geographies."""
        with store.lock:
            if room_id not in store.rooms:
                abort(404)
            room = store.rooms[room_id]
            creator = store.people[room.creator_id]
            new = operations.migrate_room(ctx, room_id, creator)
        return jsonify({"id": new.id, "previousRoomId": room_id})

    @bp.get("/state")
    def state() -> Response:
        with store.lock:
            dump = {
                "orgId": store.identity.org_id,
                "people": [{**p.to_json(), "token": p.token} for p in store.people.values()],
                "rooms": [
                    {**r.to_json(), "memberIds": sorted(store.member_ids(r.id))}
                    for r in store.rooms.values()
                ],
                "messages": [m.to_json() for m in store.messages.values()],
                "attachmentActions": [a.to_json() for a in store.actions.values()],
                "webhooks": [w.to_json() for w in store.webhooks.values()],
                "lastEventSeq": ctx.bus.log.last_seq,
            }
        dump["faults"] = ctx.faults.to_json()
        dump["deliveries"] = ctx.dispatcher.records()
        return jsonify(dump)

    @bp.get("/people")
    def list_people() -> Response:
        with store.lock:
            people = [{**p.to_json(), "token": p.token} for p in store.people.values()]
        return jsonify({"items": people})

    @bp.post("/people")
    def add_person() -> Response:
        body = _body()
        email = body.get("email") if body else None
        if not isinstance(email, str) or "@" not in email:
            return _bad_request("'email' is required")
        token, name = body.get("token") if body else None, body.get("displayName") if body else None
        with store.lock:
            if store.person_by_email(email) is not None:
                return _bad_request(f"{email} already exists")
            if token and store.person_by_token(str(token)) is not None:
                return _bad_request("that token is taken")
            person = store.add_person(email, str(token) if token else None, name or None)
            return jsonify({**person.to_json(), "token": person.token})

    @bp.get("/faults")
    def list_faults() -> Response:
        return jsonify(ctx.faults.to_json())

    @bp.post("/faults")
    def add_api_fault() -> Response:
        body = _body()
        if body is None:
            return _bad_request("a JSON object is required")
        try:
            rule = ctx.faults.add_api(body)
        except ValueError as exc:
            return _bad_request(str(exc))
        return jsonify(rule.__dict__)

    @bp.post("/faults/delivery")
    def add_delivery_fault() -> Response:
        body = _body()
        if body is None:
            return _bad_request("a JSON object is required")
        try:
            rule = ctx.faults.add_delivery(body)
        except ValueError as exc:
            return _bad_request(str(exc))
        return jsonify(rule.__dict__)

    @bp.delete("/faults")
    def clear_faults() -> Response:
        ctx.faults.clear()
        return Response(status=204)

    @bp.delete("/faults/<fault_id>")
    def remove_fault(fault_id: str) -> Response:
        return Response(status=204 if ctx.faults.remove(fault_id) else 404)

    @bp.get("/events")
    def events() -> Response:
        try:
            since = int(request.args.get("since", "0"))
        except ValueError:
            return _bad_request("'since' must be an integer")
        found = ctx.bus.log.since(since, _seconds("wait", 0.0))
        last = found[-1].seq if found else max(since, 0)
        return jsonify({"events": [event_json(e) for e in found], "last": last})

    @bp.get("/deliveries")
    def deliveries() -> Response:
        return jsonify({"items": ctx.dispatcher.records()})

    @bp.post("/flush")
    def flush() -> Response:
        return jsonify({"idle": ctx.dispatcher.wait_idle(_seconds("timeout", 10.0))})

    return bp
