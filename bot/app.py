"""The Flask app: a thin adapter (style.md). No Webex calls, no SQL, no cards here.

``POST /webhooks/webex`` hands the raw body and the signature to
``bot.receiver.receive``; ``/healthz`` says the process is up; ``/readyz``
says the store and Webex answer; ``/metrics`` is Prometheus text.
"""

from __future__ import annotations

import logging
import time
from typing import TYPE_CHECKING, Any

from flask import Flask, Response, jsonify, request
from sqlalchemy import text
from werkzeug.exceptions import RequestEntityTooLarge

from bot.receiver import MAX_BODY_BYTES, receive
from bot.webex import WebexError

if TYPE_CHECKING:
    from bot.service import Service

log = logging.getLogger("statusbot.app")

#: How long a successful Webex check counts for /readyz (it must stay cheap).
READY_CACHE_SECONDS = 30.0


def create_app(service: Service) -> Flask:
    app = Flask("statusbot")
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    webex_ok_at: list[float] = []

    @app.post("/webhooks/webex")
    def webhook() -> tuple[Response, int]:
        answer = receive(
            request.get_data(cache=False),
            request.headers.get("X-Spark-Signature"),
            secret=service.secret,
            inbox=service.inbox,
            metrics=service.metrics,
            wake=service.workers.wake,
        )
        return jsonify(answer.body), answer.status

    @app.errorhandler(RequestEntityTooLarge)
    def too_large(_error: Exception) -> tuple[Response, int]:
        service.metrics.webhooks.labels("too_large").inc()
        return jsonify({"error": "body too large"}), 413

    @app.get("/healthz")
    def healthz() -> Response:
        return jsonify({"status": "ok"})

    @app.get("/readyz")
    def readyz() -> tuple[Response, int]:
        checks: dict[str, Any] = {}
        try:
            with service.store.engine.connect() as connection:
                connection.execute(text("SELECT 1"))
            checks["store"] = "ok"
        except Exception as error:
            checks["store"] = f"unreachable: {type(error).__name__}"
        now = time.monotonic()
        if webex_ok_at and now - webex_ok_at[-1] < READY_CACHE_SECONDS:
            checks["webex"] = "ok"
        else:
            try:
                service.webex.me()
                webex_ok_at[:] = [now]
                checks["webex"] = "ok"
            except WebexError as error:
                checks["webex"] = f"unreachable: {error.reason}"
        ready = all(value == "ok" for value in checks.values())
        return jsonify({"ready": ready, **checks}), 200 if ready else 503

    @app.get("/metrics")
    def metrics() -> Response:
        body, content_type = service.metrics.exposition()
        return Response(body, content_type=content_type)

    return app
