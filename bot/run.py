"""``statusbot run``: the bot against Webex, under gunicorn.

The master checks the settings and the token, reconciles the webhooks that
manifest.json declares (create, repair, re-activate, remove stale ones of
ours), then forks the workers. Each worker process builds its own Service
(store, inbox, Webex client) after the fork and runs the webhook endpoint on
gunicorn's threads and the inbox workers on its own threads. Nothing is
shared between processes but the database, which is what makes it safe to run
several processes and hosts (``bot.inbox`` claims with leases).

/metrics adds up the processes with prometheus_client's multiprocess mode,
which needs PROMETHEUS_MULTIPROC_DIR set before the library is first imported;
``statusbot run`` (``bot.cli``) sets it before it imports this module.
"""

from __future__ import annotations

import logging
from typing import Any

from gunicorn.app.base import BaseApplication

from bot.app import create_app
from bot.inbox import Inbox
from bot.logs import configure_logging
from bot.service import Service, build_service
from bot.settings import RUN_NEEDS, Settings, SettingsError
from bot.webex import WebexClient, WebexError
from bot.webhooks import reconcile_webhooks
from core.store import Store
from handlers.manifest import load_manifest

log = logging.getLogger("statusbot.run")

#: Processes (STATUSBOT_WEB_WORKERS, default 2) of four threads each: webhook
#: requests take milliseconds and the inbox workers spend their time waiting on
#: Webex, so threads carry the load and a second process keeps serving while
#: one restarts.
DEFAULT_THREADS = 4


def prepare(settings: Settings) -> str:
    """Check what ``run`` needs and reconcile the webhooks; the webhook URL."""
    settings.require(*RUN_NEEDS)
    assert settings.webex_access_token and settings.webhook_secret and settings.public_url
    client = WebexClient(settings.webex_access_token.get_secret_value(), settings.webex_api_url)
    try:
        me = client.me()
    except WebexError as error:
        raise SettingsError(
            f"WEBEX_ACCESS_TOKEN was refused by {settings.webex_api_url} ({error.reason}): "
            "check the bot's token on developer.webex.com"
        ) from None
    # the tables, once, before the workers fork (they would race to create them)
    Store.open(settings.database_url).close()
    Inbox.open(settings.database_url).close()
    target = settings.public_url + "/webhooks/webex"
    report = reconcile_webhooks(
        client,
        load_manifest(),
        target_url=target,
        secret=settings.webhook_secret.get_secret_value(),
    )
    log.info("running as %s; webhooks: %s", me.display_name, report)
    print(f"Statusbot runs as {me.display_name}; webhooks at {target}: {report}")
    return target


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(self, settings: Settings, options: dict[str, Any]) -> None:
        self.settings = settings
        self.options = options
        self.service: Service | None = None
        super().__init__()

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)
        self.cfg.set("worker_exit", self._worker_exit)

    def _worker_exit(self, _server: Any, _worker: Any) -> None:
        if self.service is not None:
            self.service.stop()

    def load(self) -> Any:
        # Called in each worker after the fork: every process has its own pools.
        self.service = build_service(self.settings)
        self.service.start()
        return create_app(self.service)


def run(settings: Settings, *, port: int, host: str = "0.0.0.0", workers: int | None = None) -> int:
    configure_logging(settings.log_format)
    prepare(settings)
    options = {
        "bind": f"{host}:{port}",
        "workers": workers or settings.web_workers,
        "worker_class": "gthread",
        "threads": DEFAULT_THREADS,
        "timeout": 60,
        "graceful_timeout": 20,
        "accesslog": None,
        "errorlog": "-",
        "loglevel": "info",
        "preload_app": False,
    }
    _Gunicorn(settings, options).run()
    return 0
