"""Putting the bot together from settings: one function, every part passed in.

``build_service`` is the only place that reads settings and creates the store,
the inbox, the Webex client and the workers; everything else receives them.
The web app (``bot.web.app``), ``statusbot run``, ``statusbot demo`` and the
end-to-end tests all build the bot this way.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from bot.access import AccessPolicy
from bot.answering.followed_lang import FollowedLanguages
from bot.answering.processing import Processor
from bot.answering.responder import Responder
from bot.answering.worker import WorkerPool
from bot.inbox.intake import Intake
from bot.inbox.leases import LeaseKeeper
from bot.inbox.pacing import Receiving
from bot.inbox.retry_plan import RetryPlan
from bot.inbox.store import Inbox
from bot.retraction import DataPosts, Retractor
from bot.settings import WORKER_NEEDS, Settings
from bot.web.metrics import Metrics
from bot.web.scheduler_metrics import SchedulerCollector
from bot.web.sync_metrics import SourcesCollector
from bot.webex.client import WebexClient
from bot.webex.errors import RetryPolicy
from bot.webex.models import BotIdentity
from core.proactive.store import ProactiveStore
from core.store import Store
from handlers.manifest import Manifest, load_manifest


@dataclass
class Bot:
    """The assembled bot: its parts, started and stopped together (not to be
    confused with ``core.models.Service``, a Webex offer in a subscription)."""

    settings: Settings
    store: Store
    inbox: Inbox
    webex: WebexClient
    identity: BotIdentity
    manifest: Manifest
    policy: AccessPolicy
    metrics: Metrics
    responder: Responder
    workers: WorkerPool
    intake: Intake  # the receiver stores through it (group commit, hand-off to workers)
    receiving: Receiving  # webhook requests in flight: the workers let them go first
    secret: bytes

    def start(self) -> None:
        self.workers.start()

    def stop(self) -> None:
        self.workers.stop()
        self.inbox.close()
        self.store.close()


def build_service(
    settings: Settings,
    *,
    retry: RetryPolicy | None = None,
    today: Callable[[], date] | None = None,
    threads: int | None = None,
    poll_seconds: float = 0.5,
    webex_timeout: float | None = None,
) -> Bot:
    """The bot, ready to ``start()``; SettingsError when a setting is missing."""
    settings.require(*WORKER_NEEDS)  # the values were checked when the settings loaded
    assert settings.webex_access_token is not None and settings.webhook_secret is not None
    policy = settings.access_policy()
    manifest = load_manifest()
    webex_timeout = webex_timeout or settings.webex_timeout_seconds
    webex = WebexClient(
        settings.webex_access_token.get_secret_value(),
        settings.webex_api_url,
        retry=retry or RetryPolicy(),
        timeout=webex_timeout,
    )
    identity = webex.me()
    store = Store.open(settings.database_url)
    inbox = Inbox.open(settings.database_url, lease=settings.inbox_lease_seconds)
    metrics = Metrics()
    metrics.share(SourcesCollector(store.engine))  # sync outcomes (issue 9)
    metrics.share(SchedulerCollector(store.engine))  # is a scheduler posting?
    posts = DataPosts.open(
        inbox.engine,
        clock=inbox.clock,
        window=timedelta(days=settings.retract_window_days),
        writing=inbox.writing,
    )
    retraction = Retractor(posts, webex, policy, metrics, enabled=settings.retract_on_outsider_join)
    proactive = ProactiveStore(store.engine, default_zone=settings.timezone)
    proactive.create_schema()
    responder = Responder(
        store=store,
        webex=webex,
        policy=policy,
        identity=identity,
        manifest=manifest,
        metrics=metrics,
        today=today or settings.today_date,
        clock=lambda: inbox.clock(),
        languages=FollowedLanguages(inbox),
        set_space_language=inbox.set_space_language,
        is_recorded_reply=inbox.is_recorded_reply,
        leave_outsider_spaces=settings.leave_outsider_spaces,
        default_lang=settings.language,
        retraction=retraction,
        proactive=proactive,
        stale_after=timedelta(minutes=settings.stale_minutes),
        zone=settings.timezone,
        replay_window=timedelta(hours=settings.replay_window_hours),
    )
    processor = Processor(
        responder,
        RetryPlan.over(settings.retry_window_seconds, settings.retry_first_seconds),
        LeaseKeeper(settings.inbox_lease_seconds),
        metrics,
        settle_seconds=2 * webex_timeout,
    )
    receiving = Receiving()
    workers = WorkerPool(
        inbox,
        processor,
        threads=threads or settings.worker_threads,
        poll_seconds=poll_seconds,
        retention=timedelta(days=settings.inbox_retention_days),
        pace=receiving.wait_turn,
    )
    return Bot(
        settings=settings,
        store=store,
        inbox=inbox,
        webex=webex,
        identity=identity,
        manifest=manifest,
        policy=policy,
        metrics=metrics,
        responder=responder,
        workers=workers,
        intake=Intake(inbox, workers),
        receiving=receiving,
        secret=settings.webhook_secret.get_secret_value().encode("utf-8"),
    )
