"""``statusbot run``: the bot against Webex, under gunicorn.

The master checks the settings and the token, reconciles the webhooks that
manifest.json declares (create, repair, re-activate, remove stale ones of
ours), then forks the workers. Each worker process builds its own Bot
(store, inbox, Webex client) after the fork and runs the webhook endpoint on
gunicorn's threads and the inbox workers on its own threads. Nothing is
shared between processes but the database, which is what makes it safe to run
several processes and hosts (``bot.inbox.store`` claims with leases).

/metrics adds up the processes with prometheus_client's multiprocess mode,
which needs PROMETHEUS_MULTIPROC_DIR set before the library is first imported;
``statusbot run`` (``bot.cli``) claims this instance's own folder
(``bot.web.metrics_folder``) before it imports this module, and the master marks
each exited worker dead there, so live gauges count only living processes.

One machine may run several instances: each binds its own port (127.0.0.1 by
default: the production set-up puts nginx in front, see deploy/), keeps its
own metrics folder, and opens no gunicorn control socket (gunicorn's default
path is per user, so a second instance would take it over and, stopping,
delete it under the first).

Beside the workers the master keeps one child of its own, ``statusbot
scheduler`` (``bot.scheduler.supervisor``): started again after an unexpected
exit, stopped with ``run``.
"""

from __future__ import annotations

import logging
import os
import sys
from typing import Any

from gunicorn.app.base import BaseApplication
from gunicorn.arbiter import Arbiter
from prometheus_client import multiprocess

from bot.inbox.store import Inbox
from bot.logs import configure_logging
from bot.scheduler.supervisor import SchedulerChild
from bot.service import Bot, build_service
from bot.settings import RUN_NEEDS, Settings
from bot.web.app import create_app
from bot.webex.check import token_check_failed
from bot.webex.client import WebexClient
from bot.webex.errors import WebexError
from bot.webex.webhooks import reconcile_webhooks
from core.store import Store
from handlers.manifest import load_manifest

log = logging.getLogger("statusbot.run")

#: Processes (STATUSBOT_WEB_WORKERS, default 2) of sixteen request threads each:
#: webhook requests take milliseconds and the inbox workers spend their time
#: waiting on Webex, so threads carry the load and a second process keeps serving
#: while one restarts. Sixteen rather than four because the requests in flight
#: together share one commit (``bot.inbox.group``): at saturation on SQLite, 4
#: threads stored 1.4-1.7 events per commit and cost 0.79-0.87 ms of CPU per webhook,
#: 16 threads 3.9 events and 0.61-0.67 ms (issue 12, measured with the workers off).
DEFAULT_THREADS = 16

#: Seconds a thread holds the GIL before another that waits gets it (Python: 0.005).
SWITCH_INTERVAL = 0.001


def prepare(settings: Settings) -> str:
    """Check what ``run`` needs and reconcile the webhooks; the webhook URL."""
    settings.require(*RUN_NEEDS)
    assert settings.webex_access_token and settings.webhook_secret and settings.public_url
    client = WebexClient(settings.webex_access_token.get_secret_value(), settings.webex_api_url)
    try:
        me = client.me()
    except WebexError as error:
        raise token_check_failed(error, settings.webex_api_url) from None
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


class _Arbiter(Arbiter):  # type: ignore[misc]
    """Gunicorn's master, which also keeps the scheduler child running
    (``bot.scheduler.supervisor``): it looks at the child on every turn of its loop,
    and reaps it by its process id before gunicorn reaps any child (``waitpid(-1)``
    would take the scheduler's exit code with it)."""

    def __init__(self, app: _Gunicorn, scheduler: SchedulerChild) -> None:
        self.scheduler = scheduler
        super().__init__(app)

    def reap_workers(self) -> None:
        self.scheduler.check()
        super().reap_workers()

    def manage_workers(self) -> None:
        super().manage_workers()
        self.scheduler.check()

    def stop(self, graceful: bool = True) -> None:
        self.scheduler.terminate()  # stopping: the scheduler too, and never again
        super().stop(graceful)


class _Gunicorn(BaseApplication):  # type: ignore[misc]
    def __init__(
        self, settings: Settings, options: dict[str, Any], scheduler: SchedulerChild
    ) -> None:
        self.settings = settings
        self.options = options
        self.scheduler = scheduler
        self.service: Bot | None = None
        super().__init__()

    def run(self) -> None:
        try:
            _Arbiter(self, self.scheduler).run()
        except RuntimeError as error:  # as BaseApplication.run
            print(f"\nError: {error}\n", file=sys.stderr)
            sys.exit(1)

    def load_config(self) -> None:
        for key, value in self.options.items():
            self.cfg.set(key, value)
        if "control_socket_disable" in self.cfg.settings:  # gunicorn >= 25.1 has one
            self.cfg.set("control_socket_disable", True)
        self.cfg.set("worker_exit", self._worker_exit)
        self.cfg.set("child_exit", _child_exit)

    def _worker_exit(self, _server: Any, _worker: Any) -> None:
        if self.service is not None:
            self.service.stop()

    def load(self) -> Any:
        # Called in each worker after the fork: every process has its own pools.
        # A webhook's few milliseconds of Python wait for the GIL behind the inbox
        # workers' longer stretches (a query, a card): hand it over every 1 ms rather
        # than Python's default 5 ms, so acknowledgements don't queue behind answers.
        sys.setswitchinterval(SWITCH_INTERVAL)
        self.service = build_service(self.settings)
        self.service.start()
        self.service.metrics.web_processes.set(1)
        return create_app(self.service)


def _child_exit(_server: Any, worker: Any) -> None:
    """In the master, for every worker that exited (recycled, crashed or killed):
    its live gauges stop counting (prometheus_client's multiprocess advice)."""
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        multiprocess.mark_process_dead(worker.pid)  # type: ignore[no-untyped-call]


def run(
    settings: Settings, *, port: int, host: str = "127.0.0.1", workers: int | None = None
) -> int:
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
    # the one scheduler beside the web workers, as its own process (never in a worker),
    # started again if it ends unexpectedly: on PostgreSQL several `statusbot run` hosts
    # each start one and one of them leads
    scheduler = SchedulerChild()
    scheduler.start()
    try:
        _Gunicorn(settings, options, scheduler).run()
    finally:
        scheduler.stop()
    return 0
