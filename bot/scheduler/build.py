"""Putting the scheduler together from settings (the scheduler's ``build_service``).

Everything a job needs is made here once and passed in: the stores (one
engine for the customers, the proactive tables and APScheduler's job store),
the Webex client, the access policy, the posting pools, the runners.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta

from bot.access import AccessPolicy
from bot.inbox.store import Inbox
from bot.retraction import DataPosts
from bot.scheduler.alerts import AlertRunner
from bot.scheduler.digests import DigestRunner
from bot.scheduler.posting import ProactivePoster
from bot.scheduler.runtime import Jobs, Scheduler
from bot.settings import SCHEDULER_NEEDS, Settings
from bot.webex.client import WebexClient
from bot.webex.errors import RetryPolicy
from core.clock import Clock, utc_now
from core.dialect.leadership import leadership_for
from core.proactive.ledger import Ledger
from core.proactive.store import ProactiveStore
from core.statuses import Lang
from core.store import Store
from handlers.cards.alert_card import alert_reply
from handlers.cards.digest_card import digest_reply

#: Posting threads. Webex paces a bot with 429s whatever the thread count; a few
#: threads keep posts flowing while some wait out a Retry-After, and alerts have
#: their own, so a digest morning never holds them up.
DIGEST_THREADS = 8
ALERT_THREADS = 4


@dataclass
class Built:
    scheduler: Scheduler
    jobs: Jobs
    proactive: ProactiveStore
    ledger: Ledger
    inbox: Inbox
    pools: tuple[ThreadPoolExecutor, ...]

    def close(self) -> None:
        for pool in self.pools:
            pool.shutdown(wait=False, cancel_futures=True)
        self.inbox.close()
        self.jobs.customers.close()


#: How proactive posts wait out Webex. Replies keep the web workers' in-process retries
#: to blips and release their event for longer waits (``bot.inbox.retry_plan``); a digest or
#: an alert has no event to release, and it is posted from the scheduler's own threads
#: (8 for digests, 4 for alerts, never a web worker), so it waits out Webex's 429
#: ``Retry-After`` itself: a digest morning is paced by 429s, not lost to them.
#: Bounded: 6 attempts, at most 2 minutes a wait, about 10 minutes in all.
PROACTIVE_RETRY = RetryPolicy(attempts=6, max_delay=30.0, max_retry_after=120.0)


@dataclass
class Wiring:
    """The proactive runners and what they share, wired the one way (``wire``)."""

    proactive: ProactiveStore
    ledger: Ledger
    digests: DigestRunner
    alerts: AlertRunner
    jobs: Jobs


def wire(
    customers: Store,
    webex: WebexClient,
    policy: AccessPolicy,
    *,
    bot_id: str,
    language: Callable[[str], Lang],
    record_data: Callable[[str, str], None] | None,
    zone: str,
    today: Callable[[], date],
    clock: Clock,
    pools: tuple[Executor, Executor],
) -> Wiring:
    """The proactive tables (created if missing), the ledger, the poster, the digest and
    alert runners (posting on ``pools``: digests', alerts') and the jobs that drive them.

    ``build_scheduler`` passes what the settings say; the scheduler tests pass the
    emulator's client and pools that run each post at once.
    """
    proactive = ProactiveStore(customers.engine, default_zone=zone, clock=clock)
    proactive.create_schema()
    ledger = Ledger(customers.engine, clock=clock)
    poster = ProactivePoster(ledger, webex, policy, bot_id, language, record_data)
    digest_pool, alert_pool = pools
    digests = DigestRunner(
        proactive=proactive,
        ledger=ledger,
        poster=poster,
        today=today,
        clock=clock,
        pool=digest_pool,
        customers=customers,
        reply=digest_reply,
    )
    alerts = AlertRunner(
        proactive=proactive,
        ledger=ledger,
        poster=poster,
        today=today,
        clock=clock,
        pool=alert_pool,
        reply=alert_reply,
    )
    jobs = Jobs(customers, digests, alerts, today, clock, zone)
    return Wiring(proactive, ledger, digests, alerts, jobs)


def build_scheduler(
    settings: Settings,
    *,
    clock: Clock = utc_now,
    today: Callable[[], date] | None = None,
    retry: RetryPolicy | None = None,
    name: str = "statusbot",
    check_seconds: float | None = None,
) -> Built:
    """The scheduler, ready to ``serve``; SettingsError when a setting is missing."""
    settings.require(*SCHEDULER_NEEDS)
    assert settings.webex_access_token is not None
    webex = WebexClient(
        settings.webex_access_token.get_secret_value(),
        settings.webex_api_url,
        retry=retry or PROACTIVE_RETRY,
    )
    identity = webex.me()
    customers = Store.open(settings.database_url)
    inbox = Inbox.open(settings.database_url)
    default: Lang = settings.language

    def language(room_id: str) -> Lang:
        chosen = inbox.space_language(room_id)
        return "sv" if chosen == "sv" else "en" if chosen == "en" else default

    data_posts = DataPosts.open(
        inbox.engine, clock=clock, window=timedelta(days=settings.retract_window_days)
    )
    digest_pool = ThreadPoolExecutor(DIGEST_THREADS, thread_name_prefix="statusbot-digest")
    alert_pool = ThreadPoolExecutor(ALERT_THREADS, thread_name_prefix="statusbot-alert")
    wired = wire(
        customers,
        webex,
        settings.access_policy(),
        bot_id=identity.id,
        language=language,
        record_data=data_posts.record,
        zone=settings.timezone,
        today=today or (lambda: settings.today_date(clock)),
        clock=clock,
        pools=(digest_pool, alert_pool),
    )
    jobs = wired.jobs
    if settings.sources:
        from bot.sync import build, sync_once

        sources = build(settings)  # once: the sources keep their ETags between runs
        jobs.sync = lambda: sync_once(settings, customers, sources, clock())
        jobs.sync_minutes = settings.sync_minutes
    options = {} if check_seconds is None else {"check_seconds": check_seconds}
    scheduler = Scheduler(jobs, leadership_for(customers.engine), name=name, **options)
    return Built(scheduler, jobs, wired.proactive, wired.ledger, inbox, (digest_pool, alert_pool))
