"""Putting the scheduler together from settings (the scheduler's ``build_service``).

Everything a job needs is made here once and passed in: the stores (one
engine for the customers, the proactive tables and APScheduler's job store),
the Webex client, the access policy, the posting pools, the runners.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta

from bot.inbox.store import Inbox
from bot.retraction import DataPosts
from bot.scheduler.alerts import AlertRunner
from bot.scheduler.digests import DigestRunner
from bot.scheduler.posting import ProactivePoster
from bot.scheduler.runtime import Jobs, Scheduler
from bot.settings import SCHEDULER_NEEDS, Settings
from bot.webex.client import RetryPolicy, WebexClient
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
    proactive = ProactiveStore(customers.engine, default_zone=settings.timezone, clock=clock)
    proactive.create_schema()
    ledger = Ledger(customers.engine, clock=clock)
    inbox = Inbox.open(settings.database_url)
    default: Lang = settings.language

    def language(room_id: str) -> Lang:
        chosen = inbox.space_language(room_id)
        return "sv" if chosen == "sv" else "en" if chosen == "en" else default

    data_posts = DataPosts.open(
        inbox.engine, clock=clock, window=timedelta(days=settings.retract_window_days)
    )
    poster = ProactivePoster(
        ledger, webex, settings.access_policy(), identity.id, language, data_posts.record
    )
    day: Callable[[], date] = today or (lambda: settings.today_date(clock))
    digest_pool = ThreadPoolExecutor(DIGEST_THREADS, thread_name_prefix="statusbot-digest")
    alert_pool = ThreadPoolExecutor(ALERT_THREADS, thread_name_prefix="statusbot-alert")
    digests = DigestRunner(
        proactive=proactive,
        ledger=ledger,
        poster=poster,
        customers=customers,
        reply=digest_reply,
        today=day,
        clock=clock,
        pool=digest_pool,
    )
    alerts = AlertRunner(
        proactive=proactive,
        ledger=ledger,
        poster=poster,
        reply=alert_reply,
        today=day,
        clock=clock,
        pool=alert_pool,
    )
    jobs = Jobs(customers, digests, alerts, day, clock, settings.timezone)
    if settings.sources:
        from bot.sync import build, sync_once

        sources = build(settings)  # once: the sources keep their ETags between runs
        jobs.sync = lambda: sync_once(settings, customers, sources, clock())
        jobs.sync_minutes = settings.sync_minutes
    options = {} if check_seconds is None else {"check_seconds": check_seconds}
    scheduler = Scheduler(jobs, leadership_for(customers.engine), name=name, **options)
    return Built(scheduler, jobs, proactive, ledger, inbox, (digest_pool, alert_pool))
