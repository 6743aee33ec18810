"""``/v1/webhooks``: each person sees and manages only the webhooks they created."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from emulator import ids
from emulator.api.common import (
    caller,
    json_body,
    optional_str,
    paginate,
    required_str,
)
from emulator.context import EmulatorContext
from emulator.errors import ErrorAnswer
from emulator.matching import EVENTS, RESOURCES, filter_problem
from emulator.models import Webhook

NOT_FOUND = "Could not find a webhook with provided ID."


def _check_target(url: str) -> str:
    if not url.startswith(("http://", "https://")):
        raise ErrorAnswer(400, "'targetUrl' must be an http(s) URL.")
    return url


def webhooks_blueprint(ctx: EmulatorContext) -> Blueprint:
    bp = Blueprint("webhooks", __name__)
    store = ctx.store

    def own_webhook(webhook_id: str) -> Webhook:
        webhook = store.webhooks.get(webhook_id)
        if webhook is None or webhook.owner_id != caller().id:
            raise ErrorAnswer(404, NOT_FOUND)
        return webhook

    @bp.post("/v1/webhooks")
    def create_webhook() -> Response:
        body = json_body()
        name = required_str(body, "name")
        target = _check_target(required_str(body, "targetUrl"))
        resource = required_str(body, "resource")
        event = required_str(body, "event")
        if resource not in RESOURCES:
            raise ErrorAnswer(400, f"'resource' must be one of {', '.join(RESOURCES)}.")
        if event not in EVENTS:
            raise ErrorAnswer(400, f"'event' must be one of {', '.join(EVENTS)}.")
        webhook_filter = optional_str(body, "filter") or None
        problem = filter_problem(resource, webhook_filter)
        if problem:
            raise ErrorAnswer(400, problem)
        me = caller()
        with store.lock:
            webhook = Webhook(
                id=ids.new_id(ids.WEBHOOK),
                name=name,
                target_url=target,
                resource=resource,
                event=event,
                owner_id=me.id,
                org_id=me.org_id,
                app_id=store.identity.app_id,
                created=store.now(),
                filter=webhook_filter,
                secret=optional_str(body, "secret") or None,
                seq=store.next_seq(),
            )
            store.webhooks[webhook.id] = webhook
            return jsonify(webhook.to_json())

    @bp.get("/v1/webhooks")
    def list_webhooks() -> Response:
        with store.lock:
            own = [w for w in store.webhooks.values() if w.owner_id == caller().id]
            own.sort(key=lambda w: w.seq)
            return paginate(own, lambda w: w.id, Webhook.to_json)

    @bp.get("/v1/webhooks/<webhook_id>")
    def get_webhook(webhook_id: str) -> Response:
        with store.lock:
            return jsonify(own_webhook(webhook_id).to_json())

    @bp.put("/v1/webhooks/<webhook_id>")
    def update_webhook(webhook_id: str) -> Response:
        body = json_body()
        name = required_str(body, "name")
        target = _check_target(required_str(body, "targetUrl"))
        status = optional_str(body, "status")
        if status not in (None, "active", "inactive"):
            raise ErrorAnswer(400, "'status' must be 'active' or 'inactive'.")
        with store.lock:
            webhook = own_webhook(webhook_id)
            webhook.name = name
            webhook.target_url = target
            if "secret" in body:
                webhook.secret = optional_str(body, "secret") or None
            if status is not None:
                if status == "active" and webhook.status != "active":
                    ctx.dispatcher.reset_failures(webhook.id)
                webhook.status = status
            return jsonify(webhook.to_json())

    @bp.delete("/v1/webhooks/<webhook_id>")
    def delete_webhook(webhook_id: str) -> Response:
        with store.lock:
            del store.webhooks[own_webhook(webhook_id).id]
        return Response(status=204)

    return bp
