"""Receiving a webhook: verify, then store, then answer. Framework-free.

The Flask view hands over the raw body and the signature header and returns
what this says (style.md: keep the web layer a thin adapter). Order matters
(security-and-reliability.md, "Receiving"): the HMAC-SHA1 signature is checked
over the raw bytes before anything is parsed; a bad one is refused with 401
and no side effect; only then is the JSON read, and the event stored in the
inbox (deduplicated) before the 2xx, through ``bot.inbox.intake`` (its commit shared
with concurrent requests', its event handed to an idle worker of this
process). Webex is never called here.

The bot hears its own messages: every reply it posts comes back as a
``messages`` delivery. Those are answered 200 without a write (``own``): the
envelope's ``data.personId`` (or ``personEmail``) is the bot's, known from
``GET /people/me`` at start, and the signature vouches for the envelope. The
worker would only have recorded them ``ignored``.

Anything that is not an envelope of the right types is a 400 with no side
effect. A delivery the store cannot take is a 503, never a 2xx, so Webex
delivers it again. No error path logs the body or the envelope's data.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from dataclasses import dataclass
from typing import Annotated, Any, Protocol

from pydantic import BaseModel, ConfigDict, StringConstraints, ValidationError

from bot.web.metrics import Metrics

log = logging.getLogger("statusbot.receiver")

#: Webex envelopes are about a kilobyte; anything near this is not one.
MAX_BODY_BYTES = 64 * 1024


_Id = Annotated[str, StringConstraints(min_length=1, max_length=300)]
_Name = Annotated[str, StringConstraints(min_length=1, max_length=40, pattern=r"^[A-Za-z]+$")]


class _Data(BaseModel):
    """The envelope's ``data``: ids (and a joiner's email), never text (that is fetched).

    Strict: a Webex id is a string, so an object or a list where one belongs is
    not an envelope (issue 10: they reached the database and failed there).
    Fields the bot does not use are dropped, never stored.
    """

    model_config = ConfigDict(extra="ignore", strict=True)

    id: _Id
    roomId: _Id | None = None
    roomType: _Name | None = None
    personId: _Id | None = None
    personEmail: Annotated[str, StringConstraints(max_length=320)] | None = None
    personOrgId: _Id | None = None  # a member who joined (bot.retraction judges them)
    messageId: _Id | None = None
    # a migrated space's earlier id (bot.answering.space_events reads whichever Webex sends)
    previousRoomId: _Id | None = None
    oldRoomId: _Id | None = None
    previousId: _Id | None = None
    created: Annotated[str, StringConstraints(max_length=40)] | None = None


class Envelope(BaseModel):
    """The parts of Webex's webhook envelope the bot relies on, with their types."""

    model_config = ConfigDict(extra="ignore", strict=True)

    id: Annotated[str, StringConstraints(max_length=300)]
    resource: _Name
    event: _Name
    actorId: _Id | None = None
    data: _Data


class Recorder(Protocol):
    """Where events are stored: ``bot.inbox.intake.Intake`` (or an ``Inbox`` itself)."""

    def record(self, resource: str, event_name: str, data: dict[str, Any]) -> bool:
        """Store the event durably; False when it was stored before."""


@dataclass(frozen=True, slots=True)
class Answer:
    status: int
    body: dict[str, str]


def signature_of(body: bytes, secret: bytes) -> str:
    """Webex's X-Spark-Signature: hex HMAC-SHA1 of the raw body."""
    return hmac.new(secret, body, hashlib.sha1).hexdigest()


def own_ids(person_id: str, emails: tuple[str, ...]) -> frozenset[str]:
    """What marks the bot as a message's sender: its person id and its emails (casefolded)."""
    return frozenset([person_id, *(email.casefold() for email in emails)]) - {""}


def _is_own(envelope: Envelope, own: frozenset[str]) -> bool:
    """A message the bot itself posted (only ``messages``: the bot joining a space matters)."""
    if envelope.resource != "messages" or not own:
        return False
    data = envelope.data
    return data.personId in own or (data.personEmail or "").casefold() in own


def receive(
    body: bytes,
    signature: str | None,
    *,
    secret: bytes,
    inbox: Recorder,
    metrics: Metrics,
    own: frozenset[str] = frozenset(),
) -> Answer:
    """``own``: the bot's person id and emails (:func:`own_ids`); its messages aren't stored."""
    started = time.perf_counter()
    try:
        return _receive(body, signature, secret, inbox, metrics, own)
    finally:
        metrics.receive_seconds.observe(time.perf_counter() - started)


def _receive(
    body: bytes,
    signature: str | None,
    secret: bytes,
    inbox: Recorder,
    metrics: Metrics,
    own: frozenset[str],
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
        # pydantic's own JSON parser: bounded nesting (no RecursionError), strict types
        envelope = Envelope.model_validate_json(body)
    except (ValidationError, ValueError, RecursionError):
        metrics.webhooks.labels("malformed").inc()
        log.warning("webhook refused: not a Webex envelope (%d bytes)", len(body))
        return Answer(400, {"error": "not a Webex webhook envelope"})
    if _is_own(envelope, own):
        metrics.webhooks.labels("own").inc()
        return Answer(200, {"status": "own message, ignored"})
    data: dict[str, Any] = envelope.data.model_dump(exclude_none=True)
    if envelope.actorId:
        data["actorId"] = envelope.actorId
    try:
        stored = inbox.record(envelope.resource, envelope.event, data)
    except Exception as error:  # the store can't take it: Webex must deliver it again
        metrics.webhooks.labels("not_stored").inc()
        # the type only: a database error's text may carry the statement's parameters
        log.error("webhook not stored: the store failed (%s)", type(error).__name__)
        return Answer(503, {"error": "not stored, try again"})
    if stored:
        metrics.webhooks.labels("stored").inc()
        # debug: the worker logs every event's outcome; one more line per webhook costs
        log.debug("event stored: %s/%s %s", envelope.resource, envelope.event, envelope.data.id)
        return Answer(200, {"status": "stored"})
    metrics.webhooks.labels("duplicate").inc()
    log.info("event duplicate: %s/%s %s", envelope.resource, envelope.event, envelope.data.id)
    return Answer(200, {"status": "duplicate"})
