"""``create_app``: one emulated Webex organisation as a Flask app.

Order on every ``/v1/`` request: a tracking id, then injected faults, then
the bearer token. Webex error bodies for every failure there, including
unknown routes.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping

from flask import Flask, Response, g, request
from flask.typing import ResponseReturnValue
from werkzeug.exceptions import HTTPException

from emulator.api.admin import admin_blueprint
from emulator.api.attachment_actions import attachment_actions_blueprint
from emulator.api.common import authenticate, error_response, tracking_id
from emulator.api.contents import contents_blueprint
from emulator.api.memberships import memberships_blueprint
from emulator.api.messages import messages_blueprint
from emulator.api.people import people_blueprint
from emulator.api.rooms import rooms_blueprint
from emulator.api.webhooks import webhooks_blueprint
from emulator.api.wholesale import wholesale_blueprint
from emulator.config import EmulatorConfig
from emulator.context import EmulatorContext
from emulator.delivery import Dispatcher
from emulator.errors import ErrorAnswer
from emulator.events import EventBus, EventLog
from emulator.faults import FaultInjector
from emulator.playground import playground_blueprint
from emulator.store import WebexState

log = logging.getLogger(__name__)

EXTENSION_KEY = "webex_emulator"
MAX_UPLOAD_BYTES = 110 * 1024 * 1024


def build_context(config: EmulatorConfig) -> EmulatorContext:
    store = WebexState(config)
    faults = FaultInjector(config.random_seed)
    dispatcher = Dispatcher(store, faults, config)
    bus = EventBus(EventLog(config.event_log_size))
    bus.subscribe(dispatcher.on_event)
    return EmulatorContext(
        config=config, store=store, bus=bus, dispatcher=dispatcher, faults=faults
    )


def context_of(app: Flask) -> EmulatorContext:
    ctx: EmulatorContext = app.extensions[EXTENSION_KEY]
    return ctx


def _is_api() -> bool:
    return request.path.startswith("/v1/")


def create_app(config: EmulatorConfig | None = None) -> Flask:
    """Build the app and start its delivery thread (stop it with ``context_of(app)``)."""
    ctx = build_context(config or EmulatorConfig())
    app = Flask(__name__)
    app.config["MAX_CONTENT_LENGTH"] = MAX_UPLOAD_BYTES
    app.extensions[EXTENSION_KEY] = ctx

    @app.before_request
    def faults_then_auth() -> Response | None:
        if not _is_api():
            return None
        tracking_id()
        bearer = request.headers.get("Authorization", "").removeprefix("Bearer ").strip()
        fault = ctx.faults.take_api(request.method, request.path, bearer or None)
        if fault is not None:
            body = request.get_json(silent=True) if request.is_json else request.form
            posted = body if isinstance(body, Mapping) else {}
            room_id = posted.get("roomId")
            text = posted.get("markdown") or posted.get("text")
            ctx.faults.record_fired(fault, request.method, request.path, room_id, text)
            if fault.stall_seconds:
                ctx.faults.sleep(fault.stall_seconds)
            if fault.status is not None:
                headers = {}
                if fault.retry_after is not None:
                    headers["Retry-After"] = str(fault.retry_after)
                message = fault.message or f"Injected fault: HTTP {fault.status}."
                return error_response(fault.status, message, headers)
        g.person = authenticate(ctx.store)
        return None

    @app.after_request
    def add_tracking_id(response: Response) -> Response:
        if _is_api():
            response.headers["TrackingID"] = tracking_id()
        return response

    @app.errorhandler(ErrorAnswer)
    def webex_error(exc: ErrorAnswer) -> Response:
        return error_response(exc.status, exc.message, exc.headers)

    @app.errorhandler(HTTPException)
    def http_error(exc: HTTPException) -> ResponseReturnValue:
        if _is_api():
            return error_response(exc.code or 500, exc.description or "Error")
        return exc.get_response()

    @app.errorhandler(Exception)
    def unexpected(exc: Exception) -> Response:
        log.exception("emulator error on %s %s", request.method, request.path)
        return error_response(500, "Internal emulator error.")

    for factory in (
        people_blueprint,
        rooms_blueprint,
        memberships_blueprint,
        messages_blueprint,
        contents_blueprint,
        attachment_actions_blueprint,
        webhooks_blueprint,
        wholesale_blueprint,
        admin_blueprint,
        playground_blueprint,
    ):
        app.register_blueprint(factory(ctx))
    ctx.dispatcher.start()
    return app
