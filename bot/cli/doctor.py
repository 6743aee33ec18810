"""``statusbot doctor``: checks what a running bot needs and says what to fix."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

import requests

from bot.settings import RUN_NEEDS, Settings, SettingsError, load_settings
from bot.sync import source_checks
from bot.webex.check import explain
from bot.webex.client import WebexClient
from bot.webex.errors import WebexError
from bot.webex.webhooks import webhook_health
from core.proactive import heartbeat
from core.proactive.store import ProactiveStore
from core.store import Store
from handlers.manifest import ManifestError, load_manifest


@dataclass(frozen=True)
class Check:
    name: str
    ok: bool
    detail: str


def run_checks(load: Callable[[], Settings] | None = None) -> list[Check]:
    """Every check, in order; a settings problem stops the rest (nothing touches
    Webex with settings that ``statusbot run`` would refuse)."""
    checks: list[Check] = []
    try:
        settings = load() if load is not None else load_settings(needs=RUN_NEEDS)
        settings.require(*RUN_NEEDS)
    except SettingsError as error:
        return [Check("settings", False, problem) for problem in error.problems]
    checks.append(Check("settings", True, "all set"))
    try:
        manifest = load_manifest()
        checks.append(Check("manifest", True, f"{len(manifest.commands)} commands"))
    except ManifestError as error:
        checks.append(Check("manifest", False, str(error)))
        manifest = None
    try:
        store = Store.open(settings.database_url)
        last = store.last_import()
        store.close()
        detail = (
            f"{last['customers']} customers, imported {last['imported_at']:%Y-%m-%d %H:%M}"
            if last
            else "empty: run `statusbot import FILE`"
        )
        checks.append(Check("store", last is not None, detail))
    except Exception as error:
        checks.append(
            Check("store", False, f"{type(error).__name__}: check STATUSBOT_DATABASE_URL")
        )
    checks.append(_scheduler(settings))
    checks.extend(Check(*found) for found in source_checks(settings))
    client = None
    if settings.webex_access_token is not None:
        client = WebexClient(settings.webex_access_token.get_secret_value(), settings.webex_api_url)
        try:
            me = client.me()
            checks.append(Check("token", True, f"the bot is {me.display_name} ({me.emails[0]})"))
        except WebexError as error:
            checks.append(Check("token", False, explain(error, settings.webex_api_url)))
            client = None
    if settings.public_url:
        url = settings.public_url + "/healthz"
        try:
            response = requests.get(url, timeout=10)
            ok = response.status_code == 200
            detail = f"{url} answered {response.status_code}"
        except requests.RequestException as error:
            ok, detail = False, f"{url} unreachable ({type(error).__name__}): is the bot running?"
        checks.append(Check("public url", ok, detail))
        if client is not None and manifest is not None:
            problems = webhook_health(client, manifest, settings.public_url + "/webhooks/webex")
            checks.append(Check("webhooks", not problems, "; ".join(problems) or "all active"))
    return checks


def _scheduler(settings: Settings) -> Check:
    """Whether a scheduler posts the digests and alerts (its heartbeat in the store)."""
    try:
        proactive = ProactiveStore.open(settings.database_url)
        try:
            ok, detail = heartbeat.describe(proactive.engine, datetime.now(UTC))
        finally:
            proactive.close()
    except Exception as error:
        return Check(
            "scheduler", False, f"unknown: the store cannot be read ({type(error).__name__})"
        )
    return Check("scheduler", ok, detail)


def doctor() -> int:
    """Print every check; exit 0 when all pass, 2 when a setting is wrong (as every
    command does), else 1."""
    checks = run_checks()
    for check in checks:
        mark = "ok  " if check.ok else "FIX "
        print(f"{mark}{check.name:<11} {check.detail}")
    if any(check.name == "settings" and not check.ok for check in checks):
        return 2
    return 0 if all(check.ok for check in checks) else 1
