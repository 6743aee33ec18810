"""The round trip: a person asks in a 1:1 space, the bot's card arrives.

Through the emulator, over real HTTP, with the sample customers imported:
``benchmarks/askers.py`` (its own process) asks at a fixed rate; the emulator
delivers the webhooks (several at once, as Webex does); ``statusbot run``
stores, claims, reads the message, answers from the store and posts a card.
A question's round trip runs from when it was due to when the bot's inbox
recorded the card as posted (``finished_at``: after the emulator accepted the
POST). The backlog (stored, unfinished events) is sampled while the askers
run; its maximum and what is left at the end say whether the rate is
sustainable.
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from benchmarks import servers
from benchmarks.backlog import backlog, drain, fresh_database
from bot.inbox.store import Inbox, inbox
from core.sample import SAMPLE_TODAY

ROOT = Path(__file__).resolve().parent.parent
PEOPLE = 100


def prepare(database_url: str, customers: int, scratch: Path) -> None:
    """The sample customers, imported by ``statusbot import`` (as an operator would).
    ``BENCH_CUSTOMERS_CSV`` names an already written sample of that size."""
    env = {**os.environ, "STATUSBOT_DATABASE_URL": database_url, "PYTHONPATH": str(ROOT)}
    path = Path(os.environ.get("BENCH_CUSTOMERS_CSV", scratch / f"customers-{customers}.csv"))
    if not path.exists():
        with path.open("w", encoding="utf-8") as out:
            command = [sys.executable, "-m", "bot.cli", "sample", "--customers", str(customers)]
            subprocess.run(command, stdout=out, check=True, env=env)
    command = [sys.executable, "-m", "bot.cli", "import", str(path)]
    command += ["--today", SAMPLE_TODAY.isoformat()]
    subprocess.run(command, check=True, env=env, stdout=subprocess.DEVNULL)


def ask(server: servers.Server, emulator: str, rate: float, seconds: float) -> dict[str, object]:
    assert server.database_url
    command = [sys.executable, str(ROOT / "benchmarks" / "askers.py"), "--api", emulator + "/v1"]
    command += ["--people", str(PEOPLE), "--rate", str(rate), "--seconds", str(seconds)]
    cpu = server.cpu_seconds()
    # to a file, not a pipe: the answer outgrows a pipe's buffer while we poll
    with tempfile.TemporaryFile("w+") as out:
        askers = subprocess.Popen(command, stdout=out, text=True)
        peak = 0
        while askers.poll() is None:
            peak = max(peak, backlog(server.database_url))
            time.sleep(0.5)
        out.seek(0)
        asked = json.load(out)
    left = drain(server.database_url, 60.0)
    finished = _finished(server.database_url, [str(q["id"]) for q in asked["asked"]])
    latencies = sorted(
        finished[str(q["id"])] - float(q["due"]) for q in asked["asked"] if str(q["id"]) in finished
    )
    answered = len(latencies)
    return {
        "rate": rate,
        "due": asked["due"],
        "answered": answered,
        "p50": 1000 * statistics.median(latencies) if latencies else None,
        "p99": 1000 * latencies[int(0.99 * (answered - 1))] if latencies else None,
        "peak_backlog": peak,
        "left": left,
        "cpu_ms": 1000 * (server.cpu_seconds() - cpu) / answered if answered else None,
    }


def _finished(database_url: str, ids: list[str]) -> dict[str, float]:
    """When each question's event was finished (Unix seconds)."""
    opened = Inbox.open(database_url)
    found: dict[str, float] = {}
    try:
        with opened.engine.connect() as connection:
            for start in range(0, len(ids), 500):
                rows = connection.execute(
                    select(inbox.c.data_id, inbox.c.finished_at).where(
                        inbox.c.data_id.in_(ids[start : start + 500]),
                        inbox.c.state == "done",
                    )
                )
                for data_id, at in rows:
                    at = at if at.tzinfo else at.replace(tzinfo=UTC)
                    found[data_id] = at.timestamp()
    finally:
        opened.close()
    return found


def roundtrip_table(
    database_url: str | None,
    customers: int,
    rates: list[float],
    seconds: float,
    scratch: Path,
    compare: Path | None = None,
    rounds: int = 1,
) -> None:
    """One table per bot (this tree's; ``compare``'s too, run in turn with it on the same
    store), each rate's figures the median of ``rounds``."""
    url = fresh_database(database_url, scratch)
    prepare(url, customers, scratch)
    bots = {"this tree": ROOT} | ({"before": compare} if compare else {})
    names = list(bots)
    found: dict[str, dict[float, list[dict[str, object]]]] = {
        n: {r: [] for r in rates} for n in names
    }
    loads = [_load()]
    for round_number in range(rounds):
        for name in names[round_number % 2 :] + names[: round_number % 2]:
            with (
                servers.emulator(users=PEOPLE) as emulator,
                servers.statusbot_server(
                    url, emulator, bots[name], STATUSBOT_TODAY=SAMPLE_TODAY.isoformat()
                ) as server,
            ):
                for rate in rates:
                    found[name][rate].append(ask(server, emulator, rate, seconds))
    loads.append(_load())
    store = url.split(":")[0].split("+")[0]
    for name in names:
        label = "" if not compare else f", {name} ({bots[name]})"
        when = f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC; {loads[0]} before, {loads[1]} after"
        print(f"\n**Round trip, {store}, {customers:,} customers{label}** ({seconds:.0f} s per "
              f"rate, {PEOPLE} people in 1:1 spaces, median of {rounds}; {when})\n")  # fmt: skip
        print("| questions/s | asked | answered | p50 | p99 | peak backlog | left after | "
              "bot CPU per answer |")  # fmt: skip
        print("|---:|---:|---:|---:|---:|---:|---:|---:|")
        for rate in rates:
            r = _median_of(found[name][rate])
            cells = [f"{rate:g}", r["due"], r["answered"], _ms(r["p50"]), _ms(r["p99"])]
            cells += [r["peak_backlog"], r["left"], _ms(r["cpu_ms"])]
            print("| " + " | ".join(str(cell) for cell in cells) + " |")
        bounded = _bounded(found[name], rates)
        print(f"\nBacklog bounded up to {bounded} (the highest rate whose peak backlog "
              "stayed under a second of questions, none left after)")  # fmt: skip
    if compare:
        print(
            "\nthis tree / before, bot CPU per answer: "
            + ", ".join(f"{rate:g}/s {_ratio(found, rate, 'cpu_ms')}" for rate in rates)
            + "; p50: "
            + ", ".join(f"{rate:g}/s {_ratio(found, rate, 'p50')}" for rate in rates)
        )


def _bounded(found: dict[float, list[dict[str, object]]], rates: list[float]) -> str:
    """The highest rate at which the inbox kept up: its peak backlog under one second's
    worth of questions and nothing left once the askers stopped."""
    kept_up = [
        rate
        for rate in rates
        if isinstance(peak := _median_of(found[rate])["peak_backlog"], float | int)
        and peak < max(rate, 1)
        and _median_of(found[rate])["left"] == 0
    ]
    return f"{max(kept_up):g} questions/s" if kept_up else "none of the rates measured"


def _median_of(runs: list[dict[str, object]]) -> dict[str, object]:
    merged: dict[str, object] = {}
    for key in runs[0]:
        values = [run[key] for run in runs if isinstance(run[key], float | int)]
        merged[key] = statistics.median(values) if values else None  # type: ignore[type-var]
    return merged


def _ratio(found: dict[str, dict[float, list[dict[str, object]]]], rate: float, key: str) -> str:
    now, then = (_median_of(found[name][rate])[key] for name in ("this tree", "before"))
    if not isinstance(now, float | int) or not isinstance(then, float | int) or not then:
        return "–"
    return f"{now / then:.2f}"


def _load() -> str:
    return "load average " + ", ".join(f"{value:.1f}" for value in os.getloadavg())


def _ms(value: object) -> str:
    return "–" if not isinstance(value, float | int) else f"{value:,.0f} ms"
