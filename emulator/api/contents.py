"""``/v1/contents/{id}``: the bytes of an uploaded file, for members of its room."""

from __future__ import annotations

from flask import Blueprint, Response

from emulator.api.common import caller
from emulator.context import EmulatorContext
from emulator.errors import ErrorAnswer


def contents_blueprint(ctx: EmulatorContext) -> Blueprint:
    bp = Blueprint("contents", __name__)
    store = ctx.store

    @bp.get("/v1/contents/<content_id>")
    def get_content(content_id: str) -> Response:
        with store.lock:
            stored = store.files.get(content_id)
            if stored is None or not store.is_member(stored.room_id, caller().id):
                raise ErrorAnswer(404, "Could not find the content with provided ID.")
        safe_name = stored.filename.replace('"', "")
        return Response(
            stored.content,
            mimetype=stored.content_type,
            headers={"Content-Disposition": f'attachment; filename="{safe_name}"'},
        )

    return bp
