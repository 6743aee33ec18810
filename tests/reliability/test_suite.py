"""The reliability suite (issue 10): ``statusbot run`` behind the emulator, 1,000
questions a run from 20 people in 10 spaces (five 1:1, five group spaces, one of
them holding an outsider, whose questions get the refusal), a fifth of the
deliveries duplicated.

Per backend one emulator and one ``statusbot run`` serve every run, each run with
questions of its own: one process on SQLite; two on PostgreSQL, where the database
is the suite's own throwaway cluster (``tests/reliability/postgres.py``: it is
stopped in the last run, so never the machine's server).

* ``no faults``: a burst, as fast as eight people can type.
* ``storm``: the same burst while the emulator answers about 30 % of the bot's
  calls with 429 (``Retry-After`` 1, 3, 4 or 5 s: one the bot waits out in-process,
  the others over that limit, the longest over the 4 s lease) and about 10 % with
  503, 500, 502, 504 or a 3 s stall (past the bot's 2 s request timeout).
* ``SIGKILL``: questions at 100 a second; while the bot's posts are slowed, its
  whole process group is killed (with replies on their way out), questions keep
  coming while nothing listens, and it is started again.
* ``PostgreSQL restart`` (PostgreSQL only): questions at 100 a second; the cluster
  is stopped after 300 and started again 2 s later; the bot recovers by itself.

What Webex could not deliver (a 5xx, or nobody listening) is delivered again by the
suite, signed, as Webex does. Each run also sends deliveries of a few questions that
Webex never delivered, unsigned, with a forged signature and signed but altered.

Each run prints its row of the table (all rows again at the end of the session:
README, "Reliability suite", says what the columns mean) and fails on any question
answered twice; any question neither answered nor apologised for (a group space's
``unknown`` is listed, and accepted only with its notice in the emulator, "I may not
have finished answering this…", or when that notice's own post really reached the
emulator and met a 500/502/504 or a stall); any 5xx from the bot (but a 503 once the
database went away) and any bug our code met; any record of or reply to an unsigned
delivery; any message text or token in the bot's log.

Short settings make it fit CI (production in brackets): a 4 s inbox lease (120 s),
retries over 30 s starting at 0.25 s (15 minutes from 5 s), a 2 s Webex request
timeout (20 s), ``Retry-After`` of seconds (whatever Webex says), 32 inbox worker
threads in all (4 a process: a storm parks a thread for each short ``Retry-After``
it waits out in-process, and a burst of 1,000 has to be worked off within the 30 s
window), and 20 customers, none matching the questions' dates, so an answer is
cheap to build.
"""

from __future__ import annotations

import io
import threading
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from sqlalchemy.exc import OperationalError

from bot.inbox.store import Inbox
from bot.web.receiver import signature_of
from core.ingest.snapshot import read_snapshot
from core.sample import SAMPLE_TODAY, generate, write_csv
from core.store import Store
from emulator.server import EmulatorConfig, ServerHandle, run_in_thread
from tests.e2e.conftest import BOT_EMAIL, BOT_TOKEN, SECRET, wait_until
from tests.operations.process import StatusbotRun
from tests.reliability.postgres import PrivatePostgres
from tests.reliability.traffic import (
    RESULTS,
    Question,
    Tally,
    Workload,
    envelope,
    horizon_of,
    print_table,
    tally,
)

pytestmark = pytest.mark.slow

QUESTIONS = 1000
FORGED = 4  # questions per run that are only ever delivered unsigned or forged
CUSTOMERS = 20
#: Questions a second in the runs that break something mid-burst (the others ask as
#: fast as eight people can type: a burst)
PACE = 100.0
#: Inbox worker threads in all (see the module's docstring)
THREADS = 32
SHORT_SETTINGS = {
    "STATUSBOT_INBOX_LEASE_SECONDS": "4",
    "STATUSBOT_RETRY_WINDOW_SECONDS": "30",
    "STATUSBOT_RETRY_FIRST_SECONDS": "0.25",
    "STATUSBOT_WEBEX_TIMEOUT_SECONDS": "2",
}


def storm() -> list[dict[str, Any]]:
    """About 30 % 429s (Retry-After 1-5 s) and 10 % 5xx or stalls, on the bot's calls
    (the first rule that fires wins, so the later percentages apply to what is left)."""
    rules: list[dict[str, Any]] = [
        {"status": 429, "retry_after": after, "percent": 8.5} for after in (1, 3, 4, 5)
    ]
    return [
        *rules,
        {"status": 503, "percent": 6.0},
        {"status": 500, "percent": 3.0},
        {"status": 502, "percent": 1.0},
        {"status": 504, "percent": 1.0},
        {"stall_seconds": 3.0, "percent": 2.0},  # past the bot's 2 s request timeout
    ]


class Stage:
    """One backend's emulator, store and ``statusbot run``, and the runs on them."""

    def __init__(
        self, database_url: str, processes: int, folder: Path, cluster: PrivatePostgres | None
    ) -> None:
        self.database_url = database_url
        self.cluster = cluster
        self.emulator: ServerHandle = run_in_thread(
            EmulatorConfig(
                bot_token=BOT_TOKEN,
                bot_email=BOT_EMAIL,
                failure_threshold=1_000_000,  # Webex would turn the webhook off; not here
                event_log_size=50_000,
                random_seed=10,
                delivery_concurrency=16,
            )
        )
        customers = io.StringIO()
        write_csv(generate(CUSTOMERS, today=SAMPLE_TODAY), customers)
        store = Store.open(database_url)
        store.import_snapshot(
            read_snapshot(io.BytesIO(customers.getvalue().encode()), format="csv"),
            today=SAMPLE_TODAY,
            source="suite",
        )
        store.close()
        self.bot = StatusbotRun(
            self.emulator.api_url,
            database_url,
            folder / "statusbot-run.log",
            workers=processes,
            env={
                **SHORT_SETTINGS,
                "STATUSBOT_WORKER_THREADS": str(THREADS // processes),
                "STATUSBOT_METRICS_DIR": str(folder / "metrics"),
            },
        )
        self.bot.start()
        self.workload = Workload(self.emulator.url, self.emulator.api_url)
        self.workload.setup()
        self.inbox = Inbox.open(database_url)
        self.runs = 0
        self.name = ""
        self.questions: list[Question] = []
        self.forged: list[Question] = []
        self.base = 0
        self.started = 0.0
        self.known_posts: set[str] = set()
        self.deliveries_before = 0
        self.bot_id = ""

    @property
    def webhook_url(self) -> str:
        return self.bot.url + "/webhooks/webex"

    def admin(self, method: str, path: str, **kwargs: Any) -> Any:
        answer = requests.request(
            method, self.emulator.url + "/_emulator" + path, timeout=60, **kwargs
        )
        answer.raise_for_status()
        return answer.json() if answer.content else None

    def fault(self, rule: dict[str, Any]) -> str:
        """An injected fault on the bot's own calls; its id."""
        return str(self.admin("POST", "/faults", json={"token": BOT_TOKEN, **rule})["id"])

    def bot_posts(self) -> list[dict[str, Any]]:
        state = self.admin("GET", "/state")
        if not self.bot_id:
            self.bot_id = next(p["id"] for p in state["people"] if p["emails"] == [BOT_EMAIL])
        return [m for m in state["messages"] if m["personId"] == self.bot_id]

    # -- a run ------------------------------------------------------------------------------

    def begin(self, name: str) -> None:
        """A new run: its own question numbers, faults cleared, forged deliveries sent."""
        self.name, self.questions, self.started = name, [], time.monotonic()
        self.base = self.runs * (QUESTIONS + FORGED)
        self.runs += 1
        self.admin("DELETE", "/faults")  # also forgets what fired
        self.settle()
        self.known_posts = {m["id"] for m in self.bot_posts()}
        self.deliveries_before = len(self.workload.deliveries())
        self._forge()
        self.admin("POST", "/faults/delivery", json={"duplicate": 2, "percent": 20})

    def _forge(self) -> None:
        """Questions Webex never delivers (their deliveries dropped), then sent to the bot
        unsigned, with a forged signature, and signed but altered: none may be answered."""
        drop = {"drop": True, "count": FORGED, "resource": "messages"}
        self.admin("POST", "/faults/delivery", json=drop)
        numbers = range(self.base + QUESTIONS, self.base + QUESTIONS + FORGED)
        self.forged = [self.workload.ask_one(n) for n in numbers]
        self.settle()
        for question in self.forged:
            body = envelope("forged", question)
            signed = requests.post(
                self.webhook_url,
                data=body.replace(b"forged", b"genuine"),  # signed, then changed
                headers={"X-Spark-Signature": signature(body)},
                timeout=10,
            )
            forged = requests.post(
                self.webhook_url,
                data=body,
                headers={"X-Spark-Signature": signature(body, b"not-the-secret-0123456789")},
                timeout=10,
            )
            unsigned = requests.post(self.webhook_url, data=body, timeout=10)
            codes = (signed.status_code, forged.status_code, unsigned.status_code)
            assert codes == (401, 401, 401), codes

    def settle(self) -> None:
        """Every delivery made and worked on (a greeting's own delivery comes after it)."""
        for _ in range(2):
            self.admin("POST", "/flush", params={"timeout": 30})
            wait_until(self._idle, timeout=60, what="the inbox to be idle")

    def _idle(self) -> bool:
        counts = self.inbox.counts()
        if counts.get("pending") or counts.get("working"):
            time.sleep(0.2)
            return False
        return True

    def numbers(self, start: int, stop: int) -> range:
        """This run's question numbers ``start``..``stop`` (of 0..QUESTIONS)."""
        return range(self.base + start, self.base + stop)

    def ask(self, numbers: Iterable[int]) -> None:
        self.questions += self.workload.ask(numbers)

    def ask_in_background(self, numbers: Iterable[int], per_second: float) -> threading.Thread:
        """Ask in a thread (``self.questions`` grows as they go); join it to wait."""

        def go() -> None:
            for question in self.workload.ask_lazily(numbers, per_second):
                self.questions.append(question)

        thread = threading.Thread(target=go, name="suite-asking", daemon=True)
        thread.start()
        return thread

    def finish(self, *, database_down: int | None = None) -> Tally:
        """Deliver again what Webex could not, wait for every question to be finished,
        count, print the row and check it."""
        t0 = time.monotonic()
        self.admin("POST", "/flush", params={"timeout": 60})
        again = self.workload.redeliver(self.webhook_url, self.questions)
        t1 = time.monotonic()
        ids = {q.id for q in self.questions}
        wait_until(lambda: self._finished(ids), timeout=240, what=f"{self.name}: every answer")
        t2 = time.monotonic()
        print(
            f"   asked by {t0 - self.started:.1f}s, {again} delivered again in {t1 - t0:.1f}s,"
            f" finished {t2 - t1:.1f}s later"
        )
        events = [e for e in self.inbox.events() if e["data_id"] in ids | self._forged_ids()]
        fired = self.admin("GET", "/faults")["fired"]
        self.admin("DELETE", "/faults")
        posts = [m for m in self.bot_posts() if m["id"] not in self.known_posts]
        deliveries = self.workload.deliveries()[self.deliveries_before :]
        result = tally(self.name, self.questions, events, posts, fired, deliveries)
        result.deliveries += again  # the suite's, as Webex's
        result.seconds = time.monotonic() - self.started
        self._unsigned(result, events, posts)
        self._errors(result, deliveries, events, database_down)
        RESULTS.append(result)
        print_table([result])
        for problem in result.problems:
            print("  ", problem)
        assert result.failures == [], f"{self.name}: {result.failures[:20]}"
        log = self.bot.log.read_text(errors="replace")
        assert "show expiring before" not in log, "message text in the bot's log"
        assert BOT_TOKEN not in log and SECRET not in log, "a secret in the bot's log"
        return result

    def _forged_ids(self) -> set[str]:
        return {q.id for q in self.forged}

    def _finished(self, ids: set[str]) -> bool:
        """Every question stored, nothing left to work on (checked every half second:
        the suite shares two cores with the bot and the emulator)."""
        try:
            counts = self.inbox.counts()
            done = not counts.get("pending") and not counts.get("working")
            done = done and ids <= {e["data_id"] for e in self.inbox.events()}
        except OperationalError:  # after a restart a pooled connection fails once
            done = False
        if not done:
            time.sleep(0.5)
        return done

    def _unsigned(self, result: Tally, events: list[dict[str, Any]], posts: list[Any]) -> None:
        forged = self._forged_ids()
        stored = [e for e in events if e["data_id"] in forged]
        if stored:
            result.problems.append(f"{len(stored)} unsigned or forged deliveries stored")
        days = {q.horizon for q in self.forged}
        replies = [m for m in posts if horizon_of(m.get("markdown")) in days]
        if replies:
            result.problems.append(f"{len(replies)} replies to unsigned or forged deliveries")

    def _errors(
        self,
        result: Tally,
        deliveries: list[dict[str, Any]],
        events: list[dict[str, Any]],
        restarted_at: int | None,
    ) -> None:
        """Any 5xx from the bot is ours, but a 503 ("not stored, try again") once the
        database went away: while it is down, and once for each engine's pooled
        connection afterwards (they are not pinged: the first statement on one fails).
        Any bug our code met while answering is ours too."""
        late = 0
        for index, delivery in enumerate(deliveries):
            code = delivery["status_code"] or 0
            excused = restarted_at is not None and code == 503 and index >= restarted_at
            late += excused
            if code >= 500 and not excused:
                result.problems.append(f"delivery {index}: HTTP {code} from the bot")
        if restarted_at is not None:
            print(f"   {late} deliveries got 503 (store unavailable) once it went away")
        bugs = [e["error"] for e in events if "bug:" in (e["error"] or "")]
        result.problems += [f"our code failed: {bug}" for bug in bugs]

    def close(self) -> None:
        self.inbox.close()
        self.bot.ensure_stopped()
        self.emulator.stop()


def signature(body: bytes, secret: bytes = SECRET.encode()) -> str:
    return signature_of(body, secret)


@pytest.fixture(
    scope="module", params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
)
def stage(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stage]:
    folder = tmp_path_factory.mktemp(f"suite-{request.param}")
    cluster = None
    if request.param == "sqlite":
        url, processes = f"sqlite:///{folder / 'statusbot.sqlite3'}", 1
    else:
        cluster = PrivatePostgres()
        cluster.start()
        url, processes = cluster.url, 2
    running = Stage(url, processes, folder, cluster)
    try:
        yield running
    finally:
        running.close()
        if cluster is not None:
            cluster.destroy()


def backend(stage: Stage) -> str:
    return "postgresql" if stage.database_url.startswith("postgresql") else "sqlite"


def test_no_faults(stage: Stage) -> None:
    stage.begin(f"no faults ({backend(stage)})")
    stage.ask(stage.numbers(0, QUESTIONS))
    stage.finish()


def test_storm(stage: Stage) -> None:
    stage.begin(f"storm ({backend(stage)})")
    for rule in storm():
        stage.fault(rule)
    stage.ask(stage.numbers(0, QUESTIONS))
    stage.finish()


def test_sigkill(stage: Stage) -> None:
    stage.begin(f"SIGKILL ({backend(stage)})")
    # posts slowed a little, so the kill finds replies on their way out
    slow = stage.fault({"path": "/v1/messages", "method": "POST", "stall_seconds": 0.5})
    asking = stage.ask_in_background(stage.numbers(0, QUESTIONS), PACE)
    wait_until(
        lambda: len(stage.admin("GET", "/faults")["fired"]) >= 40,
        timeout=120,
        what="replies on their way out",
    )
    stage.bot.kill()
    at_kill = stage.inbox.events()
    posting = frozenset(e["data_id"] for e in at_kill if e["reply_state"] == "sending")
    stage.admin("DELETE", f"/faults/{slow}")
    time.sleep(1)  # questions keep coming while nothing listens
    stage.bot.start()
    asking.join()
    working = sum(1 for e in at_kill if e["state"] == "working")
    print(f"   at the kill: {working} events being worked on, {len(posting)} being posted")
    assert posting, "the kill came when no reply was on its way out"
    stage.finish()  # each one being posted: answered once, or unknown with its notice


@pytest.mark.postgres
@pytest.mark.parametrize("stage", ["postgresql"], indirect=True)  # SQLite has no server
def test_postgresql_restart(stage: Stage) -> None:
    cluster = stage.cluster
    assert cluster is not None
    stage.begin("PostgreSQL restart (postgresql)")
    asking = stage.ask_in_background(stage.numbers(0, QUESTIONS), PACE)
    wait_until(lambda: len(stage.questions) >= 300, timeout=120, what="300 questions asked")
    down = len(stage.workload.deliveries()) - stage.deliveries_before
    cluster.stop()
    time.sleep(2)  # deliveries meanwhile get 503: Webex delivers them again
    cluster.start()
    wait_until(stage.bot.ready, timeout=60, what="the bot to be ready again")
    asking.join()
    stage.finish(database_down=down)
