"""UNFINISHED, NOT COLLECTED (issue 10 is open): the reliability suite as far as it got.
Named ``draft_suite.py`` so pytest does not run it; rename it to ``test_suite.py`` when
every run below passes. At its last run "no faults" passed on SQLite (1,000 questions,
0 answered twice, 0 unanswered); the 429/5xx/stalls run found unanswered questions
(three causes since fixed, not re-run); SIGKILL and PostgreSQL restart were never run.

The reliability suite: ``statusbot run`` behind the emulator, 1,000 questions from 20
people in 10 spaces, a fifth of the deliveries duplicated, in four runs per backend.

* ``no faults``;
* ``429/5xx/stalls``: the emulator answers 429 to about 30 % of the bot's calls
  (``Retry-After`` 1–8 s, most over the 2 s lease) and 5xx or a stall past the bot's
  request timeout to about 10 %;
* ``SIGKILL``: the bot's process group is killed while posting, questions keep
  coming while it is down, and it is started again;
* ``PostgreSQL restart`` (PostgreSQL only): the suite's own throwaway cluster is
  stopped mid-burst and started again; the bot recovers by itself.

What Webex failed to deliver (the bot down, or a 503 while the store was away) is
delivered again by the suite, as Webex would. Each run prints its row of the
table and fails on any question answered twice, any question neither answered nor
apologised for (group-space ``unknown`` outcomes are listed, and accepted only when
their post really reached the emulator), any 5xx from our code, and any message
text or token in the bot's log. Unsigned deliveries are the fuzz run's
(``test_fuzz.py``).

Short settings make it fit CI (well under 10 minutes for both backends): a 2 s
lease, retries over 2 minutes starting at 0.5 s, a 3 s Webex request timeout and
``Retry-After`` values of seconds, where production has 120 s, 15 minutes, 20 s
and whatever Webex says.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
import requests

from bot.inbox.store import Inbox
from core.ingest.snapshot import read_snapshot
from core.sample import SAMPLE_TODAY, bundled_sample_path
from core.store import Store
from emulator.server import EmulatorConfig, ServerHandle, run_in_thread
from tests.e2e.conftest import BOT_EMAIL, BOT_TOKEN, SECRET, wait_until
from tests.operations.process import StatusbotRun
from tests.reliability.postgres import PrivatePostgres
from tests.reliability.traffic import Question, Tally, Workload, print_table, tally

QUESTIONS = 1000
SHORT_SETTINGS = {
    "STATUSBOT_INBOX_LEASE_SECONDS": "2",
    "STATUSBOT_RETRY_WINDOW_SECONDS": "120",
    "STATUSBOT_RETRY_FIRST_SECONDS": "0.5",
    "STATUSBOT_WEBEX_TIMEOUT_SECONDS": "3",
    "STATUSBOT_WORKER_THREADS": "8",
    "STATUSBOT_TODAY": SAMPLE_TODAY.isoformat(),
}
TABLE: list[Tally] = []


def storm() -> list[dict[str, Any]]:
    """About 30 % 429s (Retry-After 1-8 s) and 10 % 5xx or stalls, on the bot's calls."""
    rules: list[dict[str, Any]] = [
        {"status": 429, "retry_after": after, "percent": 7.0} for after in (1, 2, 3, 5, 8)
    ]
    rules += [
        {"status": 503, "percent": 5.0},
        {"status": 500, "percent": 2.0},
        {"status": 502, "percent": 1.0},
        {"status": 504, "percent": 1.0},
        {"stall_seconds": 4.0, "percent": 1.0},  # past the bot's 3 s timeout
    ]
    return rules


class Run:
    """One run: an emulator, a store, the bot, the workload."""

    def __init__(self, database_url: str, tmp: Path, web_workers: int) -> None:
        self.database_url = database_url
        config = EmulatorConfig(
            bot_token=BOT_TOKEN,
            bot_email=BOT_EMAIL,
            failure_threshold=1_000_000,
            event_log_size=50_000,
            random_seed=10,
        )
        self.emulator: ServerHandle = run_in_thread(config)
        store = Store.open(database_url)
        store.import_snapshot(
            read_snapshot(bundled_sample_path()), today=SAMPLE_TODAY, source="suite"
        )
        store.close()
        self.bot = StatusbotRun(
            self.emulator.api_url,
            database_url,
            tmp / "statusbot-run.log",
            workers=web_workers,
            env=SHORT_SETTINGS,
        )
        self.workload = Workload(self.emulator.url, self.emulator.api_url)
        self.questions: list[Question] = []

    def admin(self, method: str, path: str, **kwargs: Any) -> Any:
        answer = requests.request(
            method, self.emulator.url + "/_emulator" + path, timeout=60, **kwargs
        )
        answer.raise_for_status()
        return answer.json() if answer.content else None

    def start(self) -> None:
        self.bot.start()
        self.workload.setup()
        self.admin("POST", "/flush", params={"timeout": 30})
        self.admin("POST", "/faults/delivery", json={"duplicate": 2, "percent": 20})

    def ask(self, numbers: range) -> None:
        self.questions += self.workload.ask(numbers)

    def bot_faults(self, rules: list[dict[str, Any]]) -> None:
        for rule in rules:
            self.admin("POST", "/faults", json={"token": BOT_TOKEN, **rule})

    def finish(self, name: str, *, allowed_5xx: frozenset[int] = frozenset()) -> Tally:
        """Deliver again what failed, wait for the inbox to finish, count, check."""
        self.admin("POST", "/flush", params={"timeout": 60})
        self.workload.redeliver(self.bot.url + "/webhooks/webex", self.questions)
        inbox = Inbox.open(self.database_url)
        try:
            ids = {q.id for q in self.questions}

            seen: Counter[str] = Counter()

            def finished() -> bool:
                events = [e for e in inbox.events() if e["data_id"] in ids]
                seen.clear()
                seen.update(e["state"] for e in events)
                seen["not stored"] = len(ids) - len(events)
                return seen["not stored"] == 0 and not seen["pending"] and not seen["working"]

            try:
                wait_until(finished, timeout=300, what="every question to be finished")
            except AssertionError:
                raise AssertionError(f"not finished: {dict(seen)}") from None
            events = inbox.events()
        finally:
            inbox.close()
        fired = self.admin("GET", "/faults")["fired"]
        self.admin("DELETE", "/faults")
        state = self.admin("GET", "/state")
        bot_id = next(p["id"] for p in state["people"] if p["emails"] == [BOT_EMAIL])
        deliveries = self.admin("GET", "/deliveries")["items"]
        result = tally(name, self.questions, events, state, fired, deliveries, bot_id)
        TABLE.append(result)
        print_table(TABLE)
        for problem in result.problems:
            print("  ", problem)
        ours = [d for d in deliveries if (d["status_code"] or 0) >= 500]
        unexpected = [d for d in ours if d["status_code"] not in allowed_5xx]
        assert unexpected == [], f"5xx from the bot: {unexpected[:5]}"
        assert result.twice == 0 and result.unanswered == 0, result.problems
        assert not [p for p in result.problems if not p.startswith("(listed)")]
        log = self.bot.log.read_text(errors="replace")
        assert "show expiring before" not in log and BOT_TOKEN not in log and SECRET not in log
        return result

    def close(self) -> None:
        self.bot.ensure_stopped()
        self.emulator.stop()


@pytest.fixture
def run_on(tmp_path: Path) -> Iterator[Callable[[str, int], Run]]:
    runs: list[Run] = []

    def make(database_url: str, web_workers: int) -> Run:
        run = Run(database_url, tmp_path, web_workers)
        runs.append(run)
        return run

    yield make
    for run in runs:
        run.close()


def workers_for(database_url: str) -> int:
    """Two processes on PostgreSQL (claims across processes), one on SQLite."""
    return 2 if database_url.startswith("postgresql") else 1


@pytest.mark.parametrize("scenario", ["no faults", "429/5xx/stalls", "SIGKILL"])
def test_reliability(run_on: Callable[[str, int], Run], database_url: str, scenario: str) -> None:
    backend = "postgresql" if database_url.startswith("postgresql") else "sqlite"
    run = run_on(database_url, workers_for(database_url))
    run.start()
    if scenario == "429/5xx/stalls":
        run.bot_faults(storm())
        run.ask(range(QUESTIONS))
    elif scenario == "SIGKILL":
        # posts slowed a little, so the kill finds replies on their way out
        run.bot_faults([{"path": "/v1/messages", "method": "POST", "stall_seconds": 0.5}])
        run.ask(range(QUESTIONS // 2))
        wait_until(
            lambda: len(run.admin("GET", "/faults")["fired"]) >= 40,
            timeout=120,
            what="replies on their way out",
        )
        run.bot.kill()
        run.ask(range(QUESTIONS // 2, QUESTIONS * 3 // 5))  # asked while the bot is down
        run.bot.start()
        run.ask(range(QUESTIONS * 3 // 5, QUESTIONS))
    else:
        run.ask(range(QUESTIONS))
    run.finish(f"{scenario} ({backend})")


def test_reliability_postgresql_restart(run_on: Callable[[str, int], Run], tmp_path: Path) -> None:
    """The suite's own cluster goes away mid-burst and comes back; deliveries during the
    outage get a 503 (and are delivered again) or are answered."""
    cluster = PrivatePostgres()
    try:
        cluster.start()
        run = run_on(cluster.url, 2)
        run.start()
        run.ask(range(QUESTIONS // 2))
        cluster.stop()
        run.ask(range(QUESTIONS // 2, QUESTIONS * 3 // 5))  # while the store is away
        time.sleep(2)
        cluster.start()
        run.ask(range(QUESTIONS * 3 // 5, QUESTIONS))
        run.finish("PostgreSQL restart (postgresql)", allowed_5xx=frozenset({503}))
    finally:
        cluster.destroy()
