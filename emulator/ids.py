"""Webex-shaped identifiers and timestamps.

Webex ids are base64 (padding stripped) of ``ciscospark://us/<KIND>/<uuid>``.
"""

from __future__ import annotations

import base64
import binascii
import uuid
from datetime import UTC, datetime

PEOPLE = "PEOPLE"
ROOM = "ROOM"
MEMBERSHIP = "MEMBERSHIP"
MESSAGE = "MESSAGE"
ATTACHMENT_ACTION = "ATTACHMENT_ACTION"
WEBHOOK = "WEBHOOK"
ORGANIZATION = "ORGANIZATION"
APPLICATION = "APPLICATION"
CONTENT = "CONTENT"


def encode_id(kind: str, raw: str) -> str:
    uri = f"ciscospark://us/{kind}/{raw}"
    return base64.urlsafe_b64encode(uri.encode()).decode().rstrip("=")


def decode_id(webex_id: str) -> tuple[str, str] | None:
    """Return ``(kind, raw)`` for a Webex id, or None when it is not one."""
    padded = webex_id + "=" * (-len(webex_id) % 4)
    try:
        uri = base64.urlsafe_b64decode(padded.encode()).decode()
    except (binascii.Error, UnicodeDecodeError, ValueError):
        return None
    prefix = "ciscospark://us/"
    if not uri.startswith(prefix) or uri.count("/") < 4:
        return None
    kind, _, raw = uri[len(prefix) :].partition("/")
    return kind, raw


def new_id(kind: str) -> str:
    return encode_id(kind, str(uuid.uuid4()))


def raw_uuid(webex_id: str) -> str:
    decoded = decode_id(webex_id)
    return decoded[1] if decoded else webex_id


def new_tracking_id() -> str:
    return f"EMULATOR_{uuid.uuid4()}"


def iso_timestamp(epoch_seconds: float) -> str:
    """``2026-11-27T10:00:00.000Z``: milliseconds, UTC, ``Z`` as Webex writes it."""
    moment = datetime.fromtimestamp(epoch_seconds, UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
