"""The Flask app: a thin adapter (style.md). No Webex calls, no SQL, no cards here.

``POST /webhooks/webex`` hands the raw body and the signature to
``bot.web.receiver.receive``; ``/healthz`` says the process is up; ``/readyz``
says the store takes writes and Webex answers (``bot.web.readiness``: cached, one
check at a time, never retried); ``/metrics`` is Prometheus text.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from flask import Flask, Response, jsonify, request
from werkzeug.exceptions import RequestEntityTooLarge

from bot.web.readiness import Readiness
from bot.web.receiver import MAX_BODY_BYTES, own_ids, receive

if TYPE_CHECKING:
    from bot.service import Bot

log = logging.getLogger("statusbot.app")


def readiness_of(service: Bot) -> Readiness:
    """/readyz's checks for this process: its own short-timeout, no-retry Webex client."""
    settings = service.settings
    assert settings.webex_access_token is not None  # build_service required it
    readiness = Readiness.for_bot(
        database_url=settings.database_url,
        token=settings.webex_access_token.get_secret_value(),
        api_url=settings.webex_api_url,
        fallback_engine=service.store.engine,
    )
    readiness.store.ok()  # known before the first probe (local and bounded; Webex is not)
    return readiness


def create_app(service: Bot, readiness: Readiness | None = None) -> Flask:
    """The app; ``readiness`` defaults to the checks ``bot.web.readiness`` builds for
    ``service``."""
    app = Flask("statusbot")
    app.config["MAX_CONTENT_LENGTH"] = MAX_BODY_BYTES
    ready = readiness or readiness_of(service)
    own = own_ids(service.identity.id, service.identity.emails)

    @app.post("/webhooks/webex")
    def webhook() -> tuple[Response, int]:
        with service.receiving.request():  # the inbox workers wait (bot.inbox.pacing)
            answer = receive(
                request.get_data(cache=False),
                request.headers.get("X-Spark-Signature"),
                secret=service.secret,
                inbox=service.intake,
                metrics=service.metrics,
                own=own,
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
        body, status = ready.answer()
        return jsonify(body), status

    @app.get("/metrics")
    def metrics() -> Response:
        body, content_type = service.metrics.exposition()
        return Response(body, content_type=content_type)

    return app
