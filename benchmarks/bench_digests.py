"""A digest morning: N spaces subscribed to the same 08:00, and an alert in the middle.

    .venv/bin/python benchmarks/bench_digests.py [--spaces 2000] [--throttle 20]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test]

The emulator plays Webex; ``--throttle P`` makes it answer P % of the bot's
``POST /v1/messages`` with 429 and ``Retry-After: 1``, so the posts are paced
by 429s as a busy bot's are. The scheduler's own pieces do the work (the
digest runner on its posting pool, the alert runner on its own), with the
clock set to 08:00:05 so every digest is due at once.

Measured: the wall time until every digest is posted (each one checked
against the space's members at posting time, as in production); and how long
an alert takes from its import to its post, once with nothing else going on and
once in the middle of the digest morning. Prints a table; asserts nothing.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bot.access import AccessPolicy  # noqa: E402
from bot.scheduler.alerts import AlertRunner  # noqa: E402
from bot.scheduler.build import ALERT_THREADS, DIGEST_THREADS  # noqa: E402
from bot.scheduler.digests import DigestRunner  # noqa: E402
from bot.scheduler.posting import ProactivePoster  # noqa: E402
from bot.webex.client import WebexClient  # noqa: E402
from bot.webex.errors import RetryPolicy  # noqa: E402
from core.ingest.snapshot import snapshot_from_customers  # noqa: E402
from core.proactive.ledger import Ledger  # noqa: E402
from core.proactive.models import DigestQuestion, Schedule  # noqa: E402
from core.proactive.store import ProactiveStore  # noqa: E402
from core.query import NEEDING_ATTENTION  # noqa: E402
from core.sample import SAMPLE_TODAY, generate  # noqa: E402
from core.store import Store  # noqa: E402
from emulator import operations  # noqa: E402
from emulator.server import EmulatorConfig, run_in_thread  # noqa: E402
from handlers.cards.alert_card import alert_reply  # noqa: E402
from handlers.cards.digest_card import digest_reply  # noqa: E402

BOT_TOKEN, BOT_EMAIL = "BENCH_BOT", "statusbot@webex.bot"
ZONE = "Europe/Stockholm"
MORNING = datetime(2026, 11, 27, 7, 0, 5, tzinfo=UTC)  # 08:00:05 in Stockholm


class Clock:
    def __init__(self, now: datetime) -> None:
        self.now = now

    def __call__(self) -> datetime:
        return self.now


def spaces(emulator: object, count: int) -> list[str]:
    """``count`` group spaces of alice's with the bot, made inside the emulator (the
    setup is not what is measured)."""
    ctx = emulator.context  # type: ignore[attr-defined]
    with ctx.store.lock:
        people = {p.email: p for p in ctx.store.people.values()}
        alice, bot = people["alice@example.com"], people[BOT_EMAIL]
        rooms = []
        for index in range(count):
            room = operations.create_room(ctx, f"Team {index}", "group", alice)
            operations.add_member(ctx, room, alice, alice)
            operations.add_member(ctx, room, bot, alice)
            rooms.append(room.id)
    return rooms


def measure(database_url: str, count: int, throttle: float) -> dict[str, float]:
    emulator = run_in_thread(
        EmulatorConfig(
            bot_token=BOT_TOKEN, bot_email=BOT_EMAIL, users=(("alice@example.com", "ALICE"),)
        )
    )
    if throttle:
        emulator.context.faults.add_api(
            {
                "path": "/v1/messages",
                "method": "POST",
                "status": 429,
                "retry_after": 1,
                "percent": throttle,
            }
        )
    customers = Store.open(database_url)
    fleet = generate(200, today=SAMPLE_TODAY, seed=7)
    customers.import_snapshot(snapshot_from_customers(fleet), today=SAMPLE_TODAY, source="b")
    clock = Clock(MORNING - timedelta(days=1))
    proactive = ProactiveStore(customers.engine, default_zone=ZONE, clock=clock)
    proactive.create_schema()
    ledger = Ledger(customers.engine, clock=clock)
    rooms = spaces(emulator, count)
    for room in rooms:
        proactive.add_digest(
            room,
            Schedule("daily", clock_time(8, 0)),
            DigestQuestion("list", NEEDING_ATTENTION),
            created_by="alice",
        )
    alert_room = rooms[0]
    proactive.set_alerts(alert_room, NEEDING_ATTENTION, created_by="alice")
    webex = WebexClient(BOT_TOKEN, emulator.api_url, retry=RetryPolicy(attempts=20))
    poster = ProactivePoster(
        ledger, webex, AccessPolicy.from_entries(["@example.com"]), webex.me().id, lambda _: "en"
    )
    digest_pool = ThreadPoolExecutor(DIGEST_THREADS)
    alert_pool = ThreadPoolExecutor(ALERT_THREADS)
    common = dict(proactive=proactive, ledger=ledger, poster=poster, clock=clock)
    digests = DigestRunner(
        customers=customers,
        reply=digest_reply,
        today=lambda: SAMPLE_TODAY,
        pool=digest_pool,
        **common,  # type: ignore[arg-type]
    )
    alerts = AlertRunner(
        reply=alert_reply,
        today=lambda: SAMPLE_TODAY,
        pool=alert_pool,
        **common,  # type: ignore[arg-type]
    )

    def alert_latency(step: int) -> float:
        """Import a changed snapshot (another process could as well) and run the alert
        tick that posts its card: seconds from the import to the card."""
        moved = generate(200, today=SAMPLE_TODAY, seed=100 + step)
        started = time.perf_counter()
        clock.now = clock.now + timedelta(seconds=1)
        customers.import_snapshot(
            snapshot_from_customers(moved), today=SAMPLE_TODAY, source="b", now=clock.now
        )
        posted = alerts.tick()
        if list(posted.values()) != ["sent"]:
            raise SystemExit(f"the alert was not posted: {posted}")
        return time.perf_counter() - started

    clock.now = MORNING - timedelta(minutes=5)
    idle = alert_latency(1)
    clock.now = MORNING
    started = time.perf_counter()
    handed = digests.tick()
    time.sleep(2)  # the morning is under way
    during = alert_latency(2)
    digest_pool.shutdown(wait=True)
    total = time.perf_counter() - started
    posted = sum(1 for post in ledger.posts() if post["kind"] == "digest")
    sent = sum(1 for post in ledger.posts() if post["kind"] == "digest" and post["state"] == "sent")
    throttled = sum(f["hits"] for f in emulator.context.faults.to_json()["api"])
    alert_pool.shutdown(wait=True)
    customers.close()
    emulator.stop()
    return {
        "spaces": count,
        "handed": handed,
        "posted": posted,
        "sent": sent,
        "seconds": total,
        "per_second": posted / total,
        "alert_idle": idle,
        "alert_during": during,
        "throttled": throttled,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--spaces", type=int, default=2000)
    parser.add_argument("--throttle", type=float, default=20.0, help="%% of posts answered 429")
    parser.add_argument("--database-url")
    args = parser.parse_args()
    url = args.database_url or f"sqlite:///{Path(tempfile.mkdtemp()) / 'bench.sqlite3'}"
    result = measure(url, args.spaces, args.throttle)
    print(
        f"store {url.split(':', 1)[0]}, {args.throttle:g} % of posts answered 429 (Retry-After 1 s)"
    )
    columns = ("spaces", "digests posted (sent)", "429s", "wall time", "digests/s")
    print("| " + " | ".join((*columns, "alert idle", "alert during")) + " |")
    print("|---:|---:|---:|---:|---:|---:|---:|")
    r = result
    print(
        f"| {r['spaces']:,.0f} | {r['posted']:,.0f} ({r['sent']:,.0f}) | {r['throttled']:,.0f} "
        f"| {r['seconds']:.1f} s | {r['per_second']:.1f} | {r['alert_idle']:.2f} s "
        f"| {r['alert_during']:.2f} s ({r['alert_during'] / r['alert_idle']:.1f}x) |"
    )


if __name__ == "__main__":
    threading.current_thread().name = "bench"
    main()
