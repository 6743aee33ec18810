"""``/v1/attachment/actions``: a person submitting a card, and reading a submission."""

from __future__ import annotations

from flask import Blueprint, Response, jsonify

from emulator import ids, operations
from emulator.api.common import caller, json_body, required_str
from emulator.context import EmulatorContext
from emulator.errors import ErrorAnswer
from emulator.models import AttachmentAction

NOT_FOUND = "Could not find an attachment action with provided ID."


def attachment_actions_blueprint(ctx: EmulatorContext) -> Blueprint:
    bp = Blueprint("attachment_actions", __name__)
    store = ctx.store

    @bp.post("/v1/attachment/actions")
    def create_action() -> Response:
        body = json_body()
        if body.get("type") != "submit":
            raise ErrorAnswer(400, "'type' must be 'submit'.")
        message_id = required_str(body, "messageId")
        inputs = body.get("inputs", {})
        if not isinstance(inputs, dict):
            raise ErrorAnswer(400, "'inputs' must be an object.")
        me = caller()
        with store.lock:
            card = store.messages.get(message_id)
            if card is None or not store.is_member(card.room_id, me.id):
                raise ErrorAnswer(404, "Could not find a message with provided ID.")
            if not card.attachments:
                raise ErrorAnswer(400, "The message has no card to submit.")
            action = AttachmentAction(
                id=ids.new_id(ids.ATTACHMENT_ACTION),
                type="submit",
                message_id=card.id,
                person_id=me.id,
                room_id=card.room_id,
                inputs=inputs,
                created=store.now(),
            )
            store.actions[action.id] = action
            operations.action_event(ctx, action, card)
            return jsonify(action.to_json())

    @bp.get("/v1/attachment/actions/<action_id>")
    def get_action(action_id: str) -> Response:
        with store.lock:
            action = store.actions.get(action_id)
            if action is None or not store.is_member(action.room_id, caller().id):
                raise ErrorAnswer(404, NOT_FOUND)
            return jsonify(action.to_json())

    return bp
