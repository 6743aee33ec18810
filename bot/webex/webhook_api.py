"""Webex's webhook resource as the bot uses it: typed webhooks, and list, create,
update and delete through the client's retry policy (``WebexClient.call``).

``bot.webex.webhooks`` reconciles these with the manifest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime

from bot.webex.client import WebexClient
from bot.webex.errors import WebexError
from bot.webex.models import Json, parse_time
from handlers.manifest import Webhook

NEVER = datetime.max.replace(tzinfo=UTC)


@dataclass(frozen=True)
class WebhookInfo:
    id: str
    name: str
    target_url: str
    resource: str
    event: str
    filter: str | None
    status: str
    created: datetime | None
    secret: str | None = field(default=None, repr=False, compare=False)  # None: not returned

    @classmethod
    def from_json(cls, d: Json) -> WebhookInfo:
        def text(key: str) -> str:
            return str(d.get(key) or "")

        return cls(
            id=text("id"),
            name=text("name"),
            target_url=text("targetUrl"),
            resource=text("resource"),
            event=text("event"),
            filter=text("filter") or None,
            status=text("status") or "active",
            created=parse_time(d.get("created")),
            secret=text("secret") or None,
        )

    def label(self) -> str:
        return f"{self.name} ({kind_text(self.resource, self.event, self.filter)})"


def kind_text(resource: str, event: str, filter: str | None) -> str:
    return f"{resource} {event}" + (f" {filter}" if filter else "")


def listens_to(item: WebhookInfo | Webhook) -> tuple[str, str, str]:
    """What a webhook listens to; filter terms in a fixed order so ``a&b`` == ``b&a``."""
    terms = "&".join(sorted(part for part in (item.filter or "").split("&") if part))
    return item.resource, item.event, terms


def age(hook: WebhookInfo) -> tuple[datetime, str]:
    return hook.created or NEVER, hook.id


def list_webhooks(client: WebexClient) -> list[WebhookInfo]:
    items = client.call("list webhooks", lambda api: [w.to_dict() for w in api.webhooks.list()])
    return [WebhookInfo.from_json(item) for item in items]


def create_webhook(client: WebexClient, spec: Webhook, target_url: str, secret: str) -> WebhookInfo:
    args = {
        "name": spec.name,
        "targetUrl": target_url,
        "resource": spec.resource,
        "event": spec.event,
        "secret": secret,
    }
    if spec.filter:
        args["filter"] = spec.filter
    created = client.call(
        "create webhook", lambda api: api.webhooks.create(**args).to_dict(), idempotent=False
    )
    return WebhookInfo.from_json(created)


def update_webhook(
    client: WebexClient, webhook_id: str, spec: Webhook, target_url: str, secret: str
) -> WebhookInfo:
    """Rewrite name, target and secret, and set ``status: active``."""
    updated = client.call(
        "update webhook",
        lambda api: api.webhooks.update(
            webhook_id, name=spec.name, targetUrl=target_url, secret=secret, status="active"
        ).to_dict(),
    )
    return WebhookInfo.from_json(updated)


def delete_webhook(client: WebexClient, webhook_id: str) -> bool:
    """Delete; ``False`` when it was already gone (another replica got there first)."""
    try:
        client.call("delete webhook", lambda api: api.webhooks.delete(webhook_id))
    except WebexError as error:
        if error.status_code == 404:
            return False
        raise
    return True
