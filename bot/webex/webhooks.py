"""The bot's webhooks: reconciled with ``manifest.json``, never blindly re-created.

``reconcile_webhooks`` (``statusbot run``) makes Webex hold exactly one active webhook per
manifest entry, pointing at our target with our secret; ``webhook_health``
(``statusbot doctor``) only says what is wrong.

* **Ours** is a webhook whose name is a manifest webhook name or starts with the manifest
  ``name`` and a space (``statusbot …``), or whose ``targetUrl`` is our target. Anything
  else the token owns is left alone. One bot token serves one deployment: a second
  deployment with the same token and manifest would see the first's webhooks as stale.
* **Secret**: Webex's webhook object carries ``secret`` (Cisco's OpenAPI ``Webhook``
  schema; the emulator returns it). When it is returned and equal, the webhook is kept;
  when it is absent it cannot be checked, so it is rewritten (PUT) on every run.
* **PUT** always sends name, targetUrl, secret and ``status: active``: that also
  re-enables a webhook Webex disabled after failed deliveries (it never does so itself).
* **Replicas** starting together may each create the same webhook. Whoever created one
  lists again and deletes, per (resource, event, filter, target), all but the oldest
  (``created``, then ``id``): every replica applies the same rule, so they converge.

The webhook calls themselves are ``bot.webex.webhook_api``.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass, field

from bot.webex.client import WebexClient
from bot.webex.errors import WebexError
from bot.webex.webhook_api import (
    WebhookInfo,
    age,
    create_webhook,
    delete_webhook,
    kind_text,
    list_webhooks,
    listens_to,
    update_webhook,
)
from handlers.manifest import Manifest, Webhook


# -- reconciling --------------------------------------------------------------------------
@dataclass(frozen=True)
class WebhookChange:
    webhook: WebhookInfo
    why: str = ""

    def __str__(self) -> str:
        return self.webhook.label() + (f": {self.why}" if self.why else "")


@dataclass
class ReconcileReport:
    """What reconciling did; ``str()`` is what ``statusbot run`` and ``doctor`` print."""

    created: list[WebhookChange] = field(default_factory=list)
    updated: list[WebhookChange] = field(default_factory=list)
    reactivated: list[WebhookChange] = field(default_factory=list)
    deleted: list[WebhookChange] = field(default_factory=list)
    kept: list[WebhookChange] = field(default_factory=list)
    foreign: list[WebhookInfo] = field(default_factory=list)  # not ours: left alone

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.reactivated or self.deleted)

    def lines(self) -> list[str]:
        lines = []
        for title, changes in (
            ("created", self.created),
            ("updated", self.updated),
            ("reactivated", self.reactivated),
            ("deleted", self.deleted),
            ("kept", self.kept),
        ):
            lines += [f"  {title:<12}{change}" for change in changes]
        lines += [f"  {'left alone':<12}{hook.label()} (not ours)" for hook in self.foreign]
        return lines

    def __str__(self) -> str:
        if not self.changed:
            head = f"webhooks: {len(self.kept)} up to date, nothing changed"
        else:
            counts = [
                (len(self.created), "created"),
                (len(self.updated), "updated"),
                (len(self.reactivated), "reactivated"),
                (len(self.deleted), "deleted"),
            ]
            head = "webhooks: " + ", ".join(f"{n} {what}" for n, what in counts if n)
        return "\n".join([head, *self.lines()])


def _is_ours(hook: WebhookInfo, manifest: Manifest, target_url: str) -> bool:
    name = hook.name.casefold()
    names = {spec.name.casefold() for spec in manifest.webhooks}
    return hook.target_url == target_url or name in names or name.startswith(manifest.name + " ")


def _secret_differs(hook: WebhookInfo, secret: str) -> bool:
    return hook.secret is not None and not hmac.compare_digest(hook.secret, secret)


def reconcile_webhooks(
    client: WebexClient, manifest: Manifest, *, target_url: str, secret: str
) -> ReconcileReport:
    """Make the bot's webhooks match the manifest; a second run changes nothing."""
    report = ReconcileReport()
    hooks = list_webhooks(client)
    ours = [hook for hook in hooks if _is_ours(hook, manifest, target_url)]
    report.foreign = [hook for hook in hooks if hook not in ours]
    for spec in manifest.webhooks:
        # Prefer one already at our target, then the oldest; the others are duplicates.
        same = [hook for hook in ours if listens_to(hook) == listens_to(spec)]
        same.sort(key=lambda hook: (hook.target_url != target_url, *age(hook)))
        if not same:
            report.created.append(WebhookChange(create_webhook(client, spec, target_url, secret)))
            continue
        _align(client, same[0], spec, target_url, secret, report)
        for extra in same[1:]:
            if delete_webhook(client, extra.id):
                report.deleted.append(WebhookChange(extra, "duplicate"))
    wanted = {listens_to(spec) for spec in manifest.webhooks}
    for hook in ours:
        if listens_to(hook) not in wanted and delete_webhook(client, hook.id):
            report.deleted.append(WebhookChange(hook, "not in the manifest"))
    if report.created:
        _drop_concurrent_duplicates(client, manifest, target_url, report)
    return report


def _align(
    client: WebexClient,
    hook: WebhookInfo,
    spec: Webhook,
    target_url: str,
    secret: str,
    report: ReconcileReport,
) -> None:
    reasons = [
        what
        for what, differs in (
            ("name", hook.name != spec.name),
            ("target", hook.target_url != target_url),
            ("secret", _secret_differs(hook, secret)),
            ("secret not readable", hook.secret is None),
        )
        if differs
    ]
    if hook.status == "active" and not reasons:
        report.kept.append(WebhookChange(hook))
        return
    try:
        updated = update_webhook(client, hook.id, spec, target_url, secret)
    except WebexError as error:
        if error.status_code != 404:
            raise
        # Deleted meanwhile (a concurrent run judged it a duplicate): make ours.
        report.created.append(WebhookChange(create_webhook(client, spec, target_url, secret)))
        return
    if hook.status != "active":
        report.reactivated.append(WebhookChange(updated, f"was {hook.status}"))
    else:
        report.updated.append(WebhookChange(updated, ", ".join(reasons)))


def _drop_concurrent_duplicates(
    client: WebexClient, manifest: Manifest, target_url: str, report: ReconcileReport
) -> None:
    """Keep the oldest of each (resource, event, filter) at our target; delete the rest."""
    ours = [hook for hook in list_webhooks(client) if _is_ours(hook, manifest, target_url)]
    for spec in manifest.webhooks:
        same = sorted(
            (
                hook
                for hook in ours
                if listens_to(hook) == listens_to(spec) and hook.target_url == target_url
            ),
            key=age,
        )
        for extra in same[1:]:
            if not delete_webhook(client, extra.id):
                continue
            mine = [change for change in report.created if change.webhook.id == extra.id]
            if mine:  # ours lost to an older twin: report the survivor instead
                report.created.remove(mine[0])
                report.kept.append(WebhookChange(same[0], "made by a concurrent run"))
            else:
                report.deleted.append(WebhookChange(extra, "duplicate from a concurrent run"))


def webhook_health(
    client: WebexClient, manifest: Manifest, target_url: str, *, secret: str | None = None
) -> list[str]:
    """What is wrong with the bot's webhooks, one line each (empty: all well).

    Checks presence, target, status and duplicates; the secret too when ``secret`` is
    given and Webex returns it. ``statusbot run`` repairs all of these.
    """
    ours = [hook for hook in list_webhooks(client) if _is_ours(hook, manifest, target_url)]
    problems = []
    for spec in manifest.webhooks:
        label = f"{spec.name} ({kind_text(spec.resource, spec.event, spec.filter)})"
        same = [hook for hook in ours if listens_to(hook) == listens_to(spec)]
        on_target = [hook for hook in same if hook.target_url == target_url]
        if not same:
            problems.append(f"missing: {label}")
        elif not on_target:
            problems.append(
                f"wrong target: {label} posts to {same[0].target_url}, not {target_url}"
            )
        elif all(hook.status != "active" for hook in on_target):
            problems.append(f"inactive: {label} (Webex disabled it after failed deliveries)")
        if len(same) > 1:
            problems.append(f"duplicate: {label} is registered {len(same)} times")
        if secret is not None and any(_secret_differs(hook, secret) for hook in on_target):
            problems.append(f"wrong secret: {label} is signed with another secret")
    wanted = {listens_to(spec) for spec in manifest.webhooks}
    problems += [
        f"stale: {hook.label()} is not in the manifest"
        for hook in ours
        if listens_to(hook) not in wanted
    ]
    return problems
