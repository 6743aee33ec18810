"""Webhook acknowledgement against the bare floor, then the round trip, side by side.

    .venv/bin/python benchmarks/bench_webhooks.py [--rounds 3] [--seconds 10]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test]
        [--customers 100000] [--skip-ack] [--skip-roundtrip] [--compare-with DIR]

Part 1, acknowledgement: ``benchmarks/bare_app.py`` (HMAC + JSON, 200) and
``statusbot run`` under the same gunicorn settings (gthread, 2 processes x 16
threads), started alternately, ``--rounds`` times each; medians. Per server:
the saturation rate (closed loop, 32 connections), the ack p50/p99 at fixed
open-loop rates (50, 200, 1,000/s), and the server's CPU per acknowledged
webhook (its whole process tree, from /proc, including the bot's workers
until the backlog has drained); for the bot also how long that backlog took
to drain once the saturation run ended (its workers let requests go first,
``bot.inbox.pacing``, so a burst is answered mostly after it). ``statusbot
run`` answers events whose messages do not exist in the emulator: each costs
the receive path, a claim, one GET that Webex answers 404, and a finish.

Part 2, the round trip (``benchmarks/roundtrip.py``): people ask in 1:1
spaces through the emulator, with ``--customers`` imported, at 5, 20 and 50
questions/s; p50/p99 from the question's due time to the bot's card arriving,
and the inbox backlog.

``--compare-with DIR`` (a checkout of an earlier commit: ``git clone -q . /tmp/before
&& git -C /tmp/before checkout <commit>``) runs that checkout's bot too, in turn with this one, and
adds its column: a before/after ratio from the same minutes of the same machine.

Load comes from ``benchmarks/loadgen.py`` in its own process (why its numbers
hold on shared cores: see its docstring). Everything binds to 127.0.0.1 on
free ports. Prints Markdown tables; asserts nothing.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks import servers  # noqa: E402
from benchmarks.backlog import backlog, drain, fresh_database  # noqa: E402

RATES = (50, 200, 1000)
Result = dict[str, float | None]


def loadgen(url: str, *extra: str) -> dict[str, object]:
    command = [sys.executable, str(ROOT / "benchmarks" / "loadgen.py"), "--url", url]
    command += ["--secret", servers.SECRET, *extra]
    done = subprocess.run(command, capture_output=True, text=True, check=True, timeout=600)
    answer: dict[str, object] = json.loads(done.stdout)
    return answer


def measure(server: servers.Server, seconds: float) -> Result:
    """Saturation (and the CPU it cost), then each fixed rate."""

    def after(seconds: float = 120.0) -> tuple[float | None, int]:
        """The bot: wait until its workers have finished what was stored; how long that
        took (None: not within ``seconds``, or no backlog to wait for) and the backlog
        it began with."""
        if not server.database_url:
            return None, 0
        started, waiting = time.monotonic(), backlog(server.database_url)
        left = drain(server.database_url, seconds)
        return (None if left else time.monotonic() - started), waiting

    cpu = server.cpu_seconds()
    saturated = loadgen(server.url, "--closed", "--connections", "32", "--seconds", str(seconds))
    drained, waiting = after(600.0)
    ok = float(saturated["ok"])  # type: ignore[arg-type]
    result: Result = {
        "rate": float(saturated["rate"]),  # type: ignore[arg-type]
        "cpu_ms": 1000 * (server.cpu_seconds() - cpu) / ok if ok else None,
        "client_cpu_ms": saturated["client_cpu_ms_per_request"],  # type: ignore[dict-item]
        # answering what the burst stored, once it ended (pacing: bot.inbox.pacing)
        "backlog": float(waiting) if server.database_url else None,
        "drain_s": drained,
        "drain_rate": waiting / drained if drained and waiting else None,
    }
    for rate in RATES:
        fixed = loadgen(
            server.url, "--rate", str(rate), "--seconds", str(seconds), "--connections", "64"
        )
        after()
        result[f"p50@{rate}"] = fixed["p50_ms"]  # type: ignore[assignment]
        result[f"p99@{rate}"] = fixed["p99_ms"]  # type: ignore[assignment]
        result[f"lost@{rate}"] = float(fixed["lost"])  # type: ignore[arg-type]
    return result


@contextmanager
def bot(database_url: str | None, scratch: Path, root: Path) -> Iterator[servers.Server]:
    url = fresh_database(database_url, scratch)
    with servers.emulator() as emulator, servers.statusbot_server(url, emulator, root) as server:
        yield server


def load() -> str:
    """The machine's load average (1, 5, 15 min), printed beside every table."""
    return "load average " + ", ".join(f"{value:.1f}" for value in os.getloadavg())


def ack_table(args: argparse.Namespace, scratch: Path) -> None:
    columns = ["bare Flask", "statusbot run"]
    roots = {"statusbot run": ROOT}
    if args.compare_with:
        columns.insert(1, "before")
        roots["before"] = Path(args.compare_with).resolve()
    results: dict[str, list[Result]] = {name: [] for name in columns}
    loads = [load()]
    for round_number in range(args.rounds):
        order = columns[round_number % len(columns) :] + columns[: round_number % len(columns)]
        for name in order:  # each round starts with the next server: all see the same load
            starter: Callable[[], AbstractContextManager[servers.Server]] = (
                servers.bare_server
                if name == "bare Flask"
                else lambda root=roots[name]: bot(args.database_url, scratch, root)
            )
            with starter() as server:
                results[name].append(measure(server, args.seconds))
    loads.append(load())
    medians = {name: _medians(results[name]) for name in columns}
    bare, bot_ = medians["bare Flask"], medians["statusbot run"]
    store = (args.database_url or "sqlite").split(":")[0].split("+")[0]
    print(f"\n**Acknowledgement, {store}** (medians of {args.rounds} rounds, the servers "
          f"started in turn; {loads[0]} before, {loads[1]} after)\n")  # fmt: skip
    before = "| `before` " if args.compare_with else ""
    print(f"| | bare Flask (HMAC + JSON, 200) {before}| `statusbot run` | ratio to bare |")
    print("|---|---:|---:|---:|" + ("---:|" if before else ""))

    def row(label: str, key: str, cell: Callable[[float | None], str]) -> None:
        cells = [cell(medians[name][key]) for name in columns]
        print(f"| {label} | " + " | ".join(cells) + f" | {_ratio(bot_[key], bare[key])} |")

    row("webhooks/s at saturation", "rate", _n)
    row("server CPU per webhook", "cpu_ms", _ms)
    row("backlog when the saturation run ended", "backlog", _n)
    row("seconds to drain it", "drain_s", _s)
    row("events answered per s while draining", "drain_rate", _n)
    for rate in RATES:
        for which in ("p50", "p99"):
            row(f"ack {which} at {rate}/s", f"{which}@{rate}", _ms)
    lost = {name: sum(r.get(f"lost@{rate}") or 0 for r in results[name] for rate in RATES)
            for name in results}  # fmt: skip
    print(f"\nLoad generator CPU per request: {_ms(bare['client_cpu_ms'])} (bare run); "
          f"requests unanswered within the grace time: {lost}.")  # fmt: skip
    if args.compare_with:
        print(f"`before`: the bot of {args.compare_with}.")


def _medians(runs: list[Result]) -> Result:
    keys = runs[0].keys()
    medians: Result = {}
    for key in keys:
        values = [value for run in runs if (value := run[key]) is not None]
        medians[key] = statistics.median(values) if values else None
    return medians


def _n(value: float | None) -> str:
    return "–" if value is None else f"{value:,.0f}"


def _ms(value: float | None) -> str:
    return "–" if value is None else f"{value:,.2f} ms" if value < 10 else f"{value:,.0f} ms"


def _s(value: float | None) -> str:
    return "–" if value is None else f"{value:,.1f}"


def _ratio(value: float | None, floor: float | None) -> str:
    return "–" if not value or not floor else f"{value / floor:.2f}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--roundtrip-rounds", type=int, default=1)
    parser.add_argument("--seconds", type=float, default=10.0, help="per measurement")
    parser.add_argument("--database-url", help="default: a fresh SQLite file per run")
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--question-rates", default="5,20,50")
    parser.add_argument("--skip-ack", action="store_true")
    parser.add_argument("--skip-roundtrip", action="store_true")
    parser.add_argument(
        "--compare-with",
        help="a checkout of an earlier commit: its bot runs too, in turn with this one",
    )
    args = parser.parse_args()
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as scratch:
        if not args.skip_ack:
            ack_table(args, Path(scratch))
        if not args.skip_roundtrip:
            from benchmarks.roundtrip import roundtrip_table

            rates = [float(rate) for rate in args.question_rates.split(",")]
            compare = Path(args.compare_with).resolve() if args.compare_with else None
            roundtrip_table(
                args.database_url,
                args.customers,
                rates,
                args.seconds,
                Path(scratch),
                compare,
                args.roundtrip_rounds,
            )
    print(f"\n(total {time.monotonic() - started:.0f} s; python {sys.version.split()[0]})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
