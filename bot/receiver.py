"""Receiving a webhook: verify, then store, then answer. Framework-free.

The Flask view hands over the raw body and the signature header and returns
what this says (style.md: keep the web layer a thin adapter). Order matters
(security-and-reliability.md, "Receiving"): the HMAC-SHA1 signature is checked
over the raw bytes before anything is parsed; a bad one is refused with 401
and no side effect; only then is the JSON read, and the event stored in the
inbox (deduplicated) before the 2xx. Webex is never called here.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from bot.inbox import Inbox
from bot.metrics import Metrics

log = logging.getLogger("statusbot.receiver")

#: Webex envelopes are about a kilobyte; anything near this is not one.
MAX_BODY_BYTES = 64 * 1024


class _Data(BaseModel):
    model_config = ConfigDict(extra="allow")

    id: str = Field(min_length=1, max_length=300)


class Envelope(BaseModel):
    """The parts of Webex's webhook envelope the bot relies on."""

    model_config = ConfigDict(extra="ignore")

    id: str = Field(max_length=300)
    resource: str = Field(min_length=1, max_length=40)
    event: str = Field(min_length=1, max_length=40)
    actorId: str | None = Field(default=None, max_length=300)
    data: _Data


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: dict[str, str]


def signature_of(body: bytes, secret: bytes) -> str:
    """Webex's X-Spark-Signature: hex HMAC-SHA1 of the raw body."""
    return hmac.new(secret, body, hashlib.sha1).hexdigest()


def receive(
    body: bytes,
    signature: str | None,
    *,
    secret: bytes,
    inbox: Inbox,
    metrics: Metrics,
    wake: Callable[[], None] = lambda: None,
) -> Answer:
    started = time.perf_counter()
    try:
        return _receive(body, signature, secret, inbox, metrics, wake)
    finally:
        metrics.receive_seconds.observe(time.perf_counter() - started)


def _receive(
    body: bytes,
    signature: str | None,
    secret: bytes,
    inbox: Inbox,
    metrics: Metrics,
    wake: Callable[[], None],
) -> Answer:
    if len(body) > MAX_BODY_BYTES:
        metrics.webhooks.labels("too_large").inc()
        return Answer(413, {"error": "body too large"})
    expected = signature_of(body, secret)
    if not signature or not hmac.compare_digest(expected, signature.strip().lower()):
        metrics.webhooks.labels("bad_signature").inc()
        log.warning(
            "webhook refused: %s signature (%d bytes)", "wrong" if signature else "no", len(body)
        )
        return Answer(401, {"error": "bad signature"})
    try:
        envelope = Envelope.model_validate(json.loads(body))
    except (ValueError, ValidationError):
        metrics.webhooks.labels("malformed").inc()
        log.warning("webhook refused: not a Webex envelope (%d bytes)", len(body))
        return Answer(400, {"error": "not a Webex webhook envelope"})
    data: dict[str, Any] = envelope.data.model_dump()
    if envelope.actorId:
        data["actorId"] = envelope.actorId
    if inbox.record(envelope.resource, envelope.event, data):
        metrics.webhooks.labels("stored").inc()
        log.info("event stored: %s/%s %s", envelope.resource, envelope.event, envelope.data.id)
        wake()
        return Answer(200, {"status": "stored"})
    metrics.webhooks.labels("duplicate").inc()
    log.info("event duplicate: %s/%s %s", envelope.resource, envelope.event, envelope.data.id)
    return Answer(200, {"status": "duplicate"})
