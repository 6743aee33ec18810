"""Card submissions (Action.Submit) → Reply, validated like any other input.

Every button's ``data`` is a small versioned payload; Webex merges the card's
inputs into it and hands back one flat ``inputs`` dict:

    {"statusbot": 1, "action": "list", "query": {...Query JSON...}, "page": 2}
    {"statusbot": 1, "action": "export", "query": {...}}
    {"statusbot": 1, "action": "customer", "id": "CUSTOMER-ID"}
    {"statusbot": 1, "action": "filter", "query": {...}}          (open the filter card)
    {"statusbot": 1, "action": "filter_apply",
     "provisioning": "failed,manual_partner", "subscription": "expiring_30"}
    {"statusbot": 1, "action": "summary"}    {"statusbot": 1, "action": "help"}

The payload is whatever the caller sent (security-and-reliability.md): it is
parsed with pydantic (unknown keys, wrong types, oversized values and unknown
status keys are refused), the customer is looked up again, and a page past the
end is answered with the last page. Anything refused gets a polite reply in
the space's language and a log line naming what was wrong (never the values);
``handle_submission`` does not raise for any input.
"""

from __future__ import annotations

import json
import logging
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    StrictInt,
    StringConstraints,
    ValidationError,
)

from core.models import MAX_ID_LENGTH
from core.query import Query
from core.statuses import Lang, ProvisioningStatus, SubscriptionStatus
from handlers.cards.common import PAYLOAD_VERSION, md
from handlers.cards.filter_card import PROVISIONING_INPUT, SUBSCRIPTION_INPUT, filter_reply
from handlers.command import (
    MAX_PAGE,
    Command,
    ExportCustomers,
    ListCustomers,
    ShowHelp,
    ShowSummary,
)
from handlers.commands import CustomerStore, customer_by_id, handle
from handlers.reply import Reply

__all__ = ["MAX_INPUT_BYTES", "handle_submission", "parse_submission"]

log = logging.getLogger(__name__)

#: A real payload is a few hundred bytes; anything far larger is refused unread.
MAX_INPUT_BYTES = 8_000
_FILTER_INPUTS = (PROVISIONING_INPUT, SUBSCRIPTION_INPUT)
_MAX_KEYS_TEXT = 400


def _split_keys(value: Any) -> Any:
    """``"failed,provisioned"`` (how Webex sends a multi-select) → a list of keys."""
    if not isinstance(value, str):
        raise ValueError("expected comma-separated status keys")
    if len(value) > _MAX_KEYS_TEXT:
        raise ValueError("too long")
    return [key.strip() for key in value.split(",") if key.strip()]


class _Payload(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")

    statusbot: Literal[1]


class ListAction(_Payload):
    action: Literal["list"]
    query: Query = Query()
    page: Annotated[StrictInt, Field(ge=0, le=MAX_PAGE)] = 0


class ExportAction(_Payload):
    action: Literal["export"]
    query: Query = Query()


class CustomerAction(_Payload):
    action: Literal["customer"]
    id: Annotated[str, StringConstraints(min_length=1, max_length=MAX_ID_LENGTH)]


class FilterAction(_Payload):
    action: Literal["filter"]
    query: Query = Query()


class FilterApply(_Payload):
    """The filter card's Apply: its inputs arrive as comma-separated keys."""

    action: Literal["filter_apply"]
    provisioning: Annotated[frozenset[ProvisioningStatus], BeforeValidator(_split_keys)] = (
        frozenset()
    )
    subscription: Annotated[frozenset[SubscriptionStatus], BeforeValidator(_split_keys)] = (
        frozenset()
    )

    def query(self) -> Query:
        return Query(provisioning=self.provisioning, subscription=self.subscription)


class SummaryAction(_Payload):
    action: Literal["summary"]


class HelpAction(_Payload):
    action: Literal["help"]


Submission = Annotated[
    ListAction
    | ExportAction
    | CustomerAction
    | FilterAction
    | FilterApply
    | SummaryAction
    | HelpAction,
    Field(discriminator="action"),
]


class _Envelope(BaseModel):
    submission: Submission


class SubmissionRejected(ValueError):
    """Why a submission was refused: ``reason`` for the log, ``message_key`` for people."""

    def __init__(self, reason: str, message_key: str = "submit_invalid") -> None:
        super().__init__(reason)
        self.message_key = message_key


def parse_submission(inputs: Any) -> Submission:
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
    fields = dict(inputs)
    if fields.get("action") != "filter_apply":
        # Webex merges every input of a card into each of its buttons' data.
        for name in _FILTER_INPUTS:
            if isinstance(fields.get(name), str):
                del fields[name]
    try:
        return _Envelope.model_validate({"submission": fields}).submission
    except ValidationError as error:
        where = "; ".join(
            f"{'.'.join(str(part) for part in detail['loc'][1:])}: {detail['type']}"
            for detail in error.errors(include_url=False, include_input=False)
        )
        raise SubmissionRejected(where or "invalid") from None


def to_command(submission: Submission) -> Command | None:
    """The typed command a submission stands for (None: answered directly)."""
    match submission:
        case ListAction(query=query, page=page):
            return ListCustomers(query=query, page=page)
        case ExportAction(query=query):
            return ExportCustomers(query=query)
        case FilterApply():
            return ListCustomers(query=submission.query())
        case SummaryAction():
            return ShowSummary()
        case HelpAction():
            return ShowHelp()
    return None


def handle_submission(
    inputs: dict[str, Any], *, store: CustomerStore, today: date, lang: Lang
) -> Reply:
    """The reply to a card submission; a refused one gets a polite sentence."""
    try:
        submission = parse_submission(inputs)
    except SubmissionRejected as rejected:
        log.info("card submission refused: %s", rejected)
        return Reply(markdown=md(rejected.message_key, lang))
    command = to_command(submission)
    if command is not None:
        return handle(command, store=store, today=today, lang=lang)
    if isinstance(submission, CustomerAction):
        return customer_by_id(submission.id, store=store, today=today, lang=lang)
    if isinstance(submission, FilterAction):
        return filter_reply(lang, submission.query)
    raise AssertionError(f"unhandled submission {submission!r}")  # pragma: no cover
