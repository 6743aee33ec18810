"""Card submissions (Action.Submit) → the same commands typed text becomes.

Every button's ``data`` is a small versioned payload naming an ``action``;
Webex merges the card's inputs into it and hands back one flat ``inputs`` dict:

    {"statusbot": 1, "action": "list", "query": {...Query JSON...}, "page": 2}
    {"statusbot": 1, "action": "customer", "id": "CUSTOMER-ID"}
    {"statusbot": 1, "action": "filter_apply",
     "provisioning": "failed,manual_partner", "subscription": "expiring_30"}

The actions are the payload models the command kinds declare
(``handlers.registry.PAYLOADS``). The payload is whatever the caller sent
(security-and-reliability.md): it is parsed with pydantic (unknown keys, wrong
types, oversized values and unknown status keys are refused), turned into a
command and answered by the same handler as typed text, so a customer is looked
up again and a page past the end is answered with the last page. Anything
refused gets a polite reply in the space's language and a log line naming what
was wrong (never the values); ``handle_submission`` does not raise for any input.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from pydantic import ValidationError

from handlers.cards.common import PAYLOAD_VERSION
from handlers.cards.safe_text import md
from handlers.command import Payload
from handlers.context import Context
from handlers.registry import CARD_INPUTS, PAYLOADS, handle
from handlers.reply import Reply

__all__ = ["MAX_INPUT_BYTES", "SubmissionRejected", "handle_submission", "parse_submission"]

log = logging.getLogger("statusbot.submissions")  # the bot's logs (bot.logs) show it

#: A real payload is a few hundred bytes; anything far larger is refused unread.
MAX_INPUT_BYTES = 8_000


class SubmissionRejected(ValueError):
    """Why a submission was refused: ``reason`` for the log, ``message_key`` for people."""

    def __init__(self, reason: str, message_key: str = "submit_invalid") -> None:
        super().__init__(reason)
        self.message_key = message_key


def parse_submission(inputs: Any) -> Payload:
    """The validated payload, or SubmissionRejected."""
    if not isinstance(inputs, dict):
        raise SubmissionRejected(f"inputs is a {type(inputs).__name__}, not an object")
    try:
        size = len(json.dumps(inputs, ensure_ascii=False).encode("utf-8"))
    except (TypeError, ValueError) as error:
        raise SubmissionRejected(f"inputs are not JSON ({type(error).__name__})") from None
    if size > MAX_INPUT_BYTES:
        raise SubmissionRejected(f"inputs are {size} bytes")
    version = inputs.get("statusbot")
    if type(version) is not int:
        raise SubmissionRejected("no payload version")
    if version != PAYLOAD_VERSION:
        raise SubmissionRejected(f"payload version {version}", "submit_old_version")
    action = inputs.get("action")
    model = PAYLOADS.get(action) if isinstance(action, str) else None
    if model is None:
        raise SubmissionRejected("action: union_tag_invalid")
    # Webex merges every input of a card into each of its buttons' data.
    fields = {
        name: value
        for name, value in inputs.items()
        if not (name in CARD_INPUTS - model.inputs and isinstance(value, str))
    }
    try:
        return model.model_validate(fields)
    except ValidationError as error:
        where = "; ".join(
            f"{'.'.join(str(part) for part in detail['loc'])}: {detail['type']}"
            for detail in error.errors(include_url=False, include_input=False)
        )
        raise SubmissionRejected(where or "invalid") from None


def handle_submission(inputs: Any, context: Context) -> Reply:
    """The reply to a card submission; a refused one gets a polite sentence."""
    try:
        submission = parse_submission(inputs)
    except SubmissionRejected as rejected:
        log.info("card submission refused: %s", rejected)
        outdated = rejected.message_key == "submit_old_version"
        why = "card_outdated" if outdated else "card_invalid"
        return Reply(markdown=md(rejected.message_key, context.lang), refusal=why)
    try:
        command = submission.command()
    except ValidationError:  # a payload that validates but makes no valid command
        log.info("card submission refused: %s makes no valid command", type(submission).__name__)
        return Reply(markdown=md("submit_invalid", context.lang), refusal="card_invalid")
    return handle(command, context)
