"""Reconciling the bot's webhooks with the manifest, against the emulator's real API."""

from __future__ import annotations

import socket
import threading
from typing import Any

import pytest
import requests
from webexpythonsdk import WebexAPI

from bot.webex.client import WebexClient
from bot.webex.webhook_api import WebhookInfo, list_webhooks
from bot.webex.webhooks import ReconcileReport, reconcile_webhooks, webhook_health
from emulator.server import ServerHandle
from handlers.manifest import Manifest, load_manifest
from tests.bot.webex.support import bot_client

TARGET = "https://statusbot.example.com/webhooks/webex"
SECRET = "s3cret-for-webhook-signatures"
BOT_EMAIL = "statusbot@webex.bot"


@pytest.fixture
def manifest() -> Manifest:
    return load_manifest()


def new_client(emulator: ServerHandle) -> WebexClient:
    return bot_client(emulator, attempts=3)


@pytest.fixture
def client(emulator: ServerHandle) -> WebexClient:
    return new_client(emulator)


@pytest.fixture
def sdk(emulator: ServerHandle) -> WebexAPI:
    """The bot's own SDK session, to arrange webhooks behind the client's back."""
    token = emulator.context.config.bot_token
    return WebexAPI(access_token=token, base_url=emulator.api_url, wait_on_rate_limit=False)


def kinds(hooks: list[WebhookInfo]) -> list[tuple[str, str]]:
    return sorted((hook.resource, hook.event) for hook in hooks)


def wanted(manifest: Manifest) -> list[tuple[str, str]]:
    return sorted((spec.resource, spec.event) for spec in manifest.webhooks)


def reconcile(client: WebexClient, manifest: Manifest, target: str = TARGET) -> ReconcileReport:
    return reconcile_webhooks(client, manifest, target_url=target, secret=SECRET)


def fault(emulator: ServerHandle, **spec: Any) -> None:
    answer = requests.post(emulator.url + "/_emulator/faults", json=spec, timeout=5)
    assert answer.status_code == 200, answer.text


def test_creates_from_empty_then_a_second_run_changes_nothing(
    client: WebexClient, manifest: Manifest
) -> None:
    first = reconcile(client, manifest)
    assert [change.webhook.name for change in first.created] == [
        spec.name for spec in manifest.webhooks
    ]
    assert first.changed and str(first).startswith("webhooks: 5 created")
    hooks = list_webhooks(client)
    assert kinds(hooks) == wanted(manifest)
    assert {(h.target_url, h.status, h.secret) for h in hooks} == {(TARGET, "active", SECRET)}

    second = reconcile(client, manifest)
    assert not second.changed
    assert len(second.kept) == 5 and not second.foreign
    assert str(second).splitlines()[0] == "webhooks: 5 up to date, nothing changed"
    assert list_webhooks(client) == hooks


def test_health_names_what_is_missing_and_is_quiet_when_all_is_well(
    client: WebexClient, manifest: Manifest
) -> None:
    problems = webhook_health(client, manifest, TARGET)
    assert problems == [
        "missing: statusbot messages (messages created)",
        "missing: statusbot card submissions (attachmentActions created)",
        "missing: statusbot added to a space (memberships created)",
        "missing: statusbot removed from a space (memberships deleted)",
        "missing: statusbot space migrated (rooms migrated)",
    ]
    reconcile(client, manifest)
    assert webhook_health(client, manifest, TARGET, secret=SECRET) == []
    assert webhook_health(client, manifest, TARGET, secret="another") == [
        f"wrong secret: {spec.name} ({spec.resource} {spec.event}) is signed with another secret"
        for spec in manifest.webhooks
    ]


def test_reactivates_a_webhook_webex_disabled_after_failed_deliveries(
    emulator: ServerHandle, client: WebexClient, manifest: Manifest
) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        dead_target = f"http://127.0.0.1:{probe.getsockname()[1]}/webhooks/webex"
    reconcile(client, manifest, dead_target)
    alice = WebexAPI(access_token="ALICE_TOKEN", base_url=emulator.api_url)
    for n in range(emulator.context.config.failure_threshold):
        alice.messages.create(toPersonEmail=BOT_EMAIL, text=f"hello {n}")
    flushed = requests.post(emulator.url + "/_emulator/flush", params={"timeout": 10}, timeout=15)
    assert flushed.json() == {"idle": True}
    statuses = {hook.resource: hook.status for hook in list_webhooks(client)}
    assert statuses["messages"] == "inactive"
    assert "inactive: statusbot messages (messages created)" in " ".join(
        webhook_health(client, manifest, dead_target)
    )

    report = reconcile(client, manifest, dead_target)
    assert [(c.webhook.name, c.why) for c in report.reactivated] == [
        ("statusbot messages", "was inactive")
    ]
    assert report.reactivated[0].webhook.status == "active"
    assert {hook.status for hook in list_webhooks(client)} == {"active"}
    assert not reconcile(client, manifest, dead_target).changed


def test_stale_ours_go_foreign_ones_stay_and_a_moved_target_is_repaired(
    client: WebexClient, sdk: WebexAPI, manifest: Manifest
) -> None:
    old_target = "https://old-host.example.com/webhooks/webex"
    moved = sdk.webhooks.create(
        name="statusbot messages",
        targetUrl=old_target,
        resource="messages",
        event="created",
        secret=SECRET,
    )
    stale = sdk.webhooks.create(
        name="statusbot rooms", targetUrl=TARGET, resource="rooms", event="created"
    )
    foreign = sdk.webhooks.create(
        name="other-app messages",
        targetUrl="https://other.example.org/hook",
        resource="messages",
        event="created",
        secret="theirs",
    )
    assert webhook_health(client, manifest, TARGET)[0] == (
        f"wrong target: statusbot messages (messages created) posts to {old_target}, not {TARGET}"
    )
    assert "stale: statusbot rooms (rooms created) is not in the manifest" in webhook_health(
        client, manifest, TARGET
    )

    report = reconcile(client, manifest)
    assert [(c.webhook.id, c.why) for c in report.updated] == [(moved.id, "target")]
    assert [(c.webhook.id, c.why) for c in report.deleted] == [(stale.id, "not in the manifest")]
    assert [hook.id for hook in report.foreign] == [foreign.id]
    assert len(report.created) == 4
    assert "left alone  other-app messages (messages created) (not ours)" in str(report)

    hooks = {hook.id: hook for hook in list_webhooks(client)}
    assert stale.id not in hooks
    assert hooks[moved.id].target_url == TARGET
    kept = hooks[foreign.id]
    assert (kept.name, kept.target_url, kept.secret) == (
        "other-app messages",
        "https://other.example.org/hook",
        "theirs",
    )
    assert webhook_health(client, manifest, TARGET) == []


def test_a_changed_or_unknown_secret_is_rewritten_and_duplicates_are_removed(
    client: WebexClient, sdk: WebexAPI, manifest: Manifest
) -> None:
    reconcile(client, manifest)
    hooks = {hook.resource + hook.event: hook for hook in list_webhooks(client)}
    messages, cards = hooks["messagescreated"], hooks["attachmentActionscreated"]
    sdk.webhooks.update(messages.id, name=messages.name, targetUrl=TARGET, secret="rotated")
    sdk.webhooks.update(cards.id, name=cards.name, targetUrl=TARGET, secret="")  # unreadable
    twin = sdk.webhooks.create(
        name="statusbot messages", targetUrl=TARGET, resource="messages", event="created"
    )
    report = reconcile(client, manifest)
    assert sorted((c.webhook.id, c.why) for c in report.updated) == sorted(
        [(messages.id, "secret"), (cards.id, "secret not readable")]
    )
    assert [(c.webhook.id, c.why) for c in report.deleted] == [(twin.id, "duplicate")]
    assert {hook.secret for hook in list_webhooks(client)} == {SECRET}
    assert not reconcile(client, manifest).changed


@pytest.mark.parametrize("replicas", [2, 3])
def test_replicas_reconciling_at_once_leave_exactly_one_of_each(
    emulator: ServerHandle, manifest: Manifest, replicas: int
) -> None:
    # Hold every replica's first listing until all have asked (the faults are used up),
    # then release them together, so all see none and all create: the worst case, which
    # the re-list after creating must clean up.
    fault(emulator, path="/v1/webhooks", method="GET", stall_seconds=600, count=replicas)
    start = threading.Barrier(replicas)
    reports: list[ReconcileReport] = []
    failures: list[BaseException] = []

    def replica() -> None:
        try:
            client = new_client(emulator)
            start.wait()
            reports.append(reconcile(client, manifest))
        except BaseException as error:  # surfaced below
            failures.append(error)

    threads = [threading.Thread(target=replica) for _ in range(replicas)]
    for thread in threads:
        thread.start()
    faults = emulator.url + "/_emulator/faults"
    while requests.get(faults, timeout=5).json()["api"] and not failures:
        threads[0].join(0.01)  # until every replica's listing is held
    assert requests.delete(faults, timeout=5).status_code == 204  # release them at once
    for thread in threads:
        thread.join(timeout=30)
    assert not failures
    # the race happened: replicas created twins, and the re-list after creating found them
    assert any("concurrent run" in c.why for r in reports for c in (*r.kept, *r.deleted))
    client = new_client(emulator)
    hooks = list_webhooks(client)
    assert kinds(hooks) == wanted(manifest)
    assert {(h.target_url, h.status) for h in hooks} == {(TARGET, "active")}
    reported = {c.webhook.id for r in reports for c in r.created + r.kept}
    assert {hook.id for hook in hooks} <= reported  # every survivor is in some report
    assert not reconcile(client, manifest).changed
    assert webhook_health(client, manifest, TARGET, secret=SECRET) == []
