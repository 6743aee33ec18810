"""Which webhooks see an event: resource, event, filter and Webex's visibility rules."""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from emulator.events import Event
from emulator.models import Person, Webhook, email_key

RESOURCES = ("messages", "attachmentActions", "memberships", "rooms", "all")
EVENTS = ("created", "updated", "deleted", "migrated", "all")
FILTER_KEYS: dict[str, frozenset[str]] = {
    "messages": frozenset(
        {
            "roomId",
            "roomType",
            "personId",
            "personEmail",
            "mentionedPeople",
            "hasFiles",
            "hasAttachments",
        }
    ),
    "attachmentActions": frozenset({"messageId", "personId", "roomId"}),
    "memberships": frozenset({"roomId", "personId", "personEmail", "isModerator"}),
    "rooms": frozenset({"type", "isLocked"}),
    "all": frozenset({"roomId"}),
}


def parse_filter(text: str | None) -> list[tuple[str, str]]:
    return parse_qsl(text or "", keep_blank_values=True)


def filter_problem(resource: str, text: str | None) -> str | None:
    """Why a filter is not valid for ``resource``, or None when it is."""
    allowed = FILTER_KEYS.get(resource, frozenset())
    for key, value in parse_filter(text):
        if key not in allowed:
            return f"Filter key '{key}' is not supported for resource '{resource}'."
        if not value:
            return f"Filter key '{key}' has no value."
    if text and not parse_filter(text):
        return "Filter must be of the form key=value&key2=value2."
    return None


def _as_bool_text(value: Any) -> str:
    return str(bool(value)).lower()


def _filter_holds(key: str, value: str, owner: Person, event: Event) -> bool:
    data, record = event.data, event.record
    if key == "mentionedPeople":
        wanted = {owner.id if v == "me" else v for v in value.split(",")}
        return bool(wanted & set(data.get("mentionedPeople", [])))
    if key == "personEmail":
        return email_key(str(data.get("personEmail", ""))) == email_key(value)
    if key == "hasFiles":
        return _as_bool_text(record.get("files")) == value.lower()
    if key == "hasAttachments":
        return _as_bool_text(record.get("attachments")) == value.lower()
    if key in ("isModerator", "isLocked"):
        return _as_bool_text(record.get(key)) == value.lower()
    actual = data.get(key, record.get(key))
    return actual is not None and str(actual) == value


def visible_to(owner: Person, event: Event) -> bool:
    """Webex's rules on what a webhook owner may hear about."""
    if owner.id not in event.audience:
        return False
    if event.resource == "attachmentActions":
        # A card's submissions go to whoever posted the card.
        return event.card_author_id == owner.id
    if event.resource == "messages" and owner.is_bot and event.room_type == "group":
        # Bots hear group messages only when mentioned by name.
        return owner.id in event.data.get("mentionedPeople", [])
    return True


def matches(webhook: Webhook, owner: Person, event: Event) -> bool:
    if webhook.status != "active":
        return False
    if webhook.resource not in (event.resource, "all"):
        return False
    if webhook.event not in (event.event, "all"):
        return False
    if not visible_to(owner, event):
        return False
    return all(_filter_holds(k, v, owner, event) for k, v in parse_filter(webhook.filter))
