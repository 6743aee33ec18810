"""Import and query speed at partner scale, against the naive way, side by side.

    .venv/bin/python benchmarks/bench_core.py [--customers 100000] [--repeat 15]
        [--import-sizes 100000,1000000] [--ask-repeat 7] [--ask-only]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test]

1. ``statusbot sample --customers N`` writes the CSV (timed).
2. ``statusbot import`` loads it into a fresh store, in a child process, so its
   wall time, CPU time and peak RSS are the command's own (getrusage of the
   child), for each of ``--import-sizes`` side by side: the import streams, so
   peak RSS should not grow with the file. CPU time is the figure to compare on
   a shared machine; wall time includes waiting for a core.
3. ``statusbot ask`` as a command (a new process: interpreter, imports,
   settings, store, answer) against ``python -c pass``, medians of
   ``--ask-repeat``: what a person at a terminal waits for. As installed: the
   project's modules are byte-compiled first, as ``pip install`` does (a
   machine with PYTHONDONTWRITEBYTECODE set would otherwise compile every
   module from source on every run, and measure the compiler).
4. Every grammar example is answered as ``statusbot ask --json`` does
   (parse, query in SQL, JSON), in process, ``--repeat`` times: the median.
   The baseline answers the same question the naive way: load every customer
   from the store into Python, filter with ``core.query.customer_matches``,
   sort, and build the same JSON. It runs fewer times (it is slow).

Prints a table; asserts nothing. Results go in the README.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.classify import customer_status  # noqa: E402
from core.query import Query, customer_matches  # noqa: E402
from core.sample import SAMPLE_TODAY  # noqa: E402
from core.store import Store  # noqa: E402
from handlers.context import Context  # noqa: E402
from handlers.grammar.parser import parse  # noqa: E402
from handlers.registry import as_json  # noqa: E402

EXAMPLES = (
    "show expiring in 30 days",
    "visa går ut inom 30 dagar",
    "show trials expiring in 60 days",
    "visa provperioder som upphör inom 60 dagar",
    "show failed provisioning",
    "show unable to provision",
    "show customers needing attention",
    "visa kunder som behöver åtgärdas",
    "show suspended",
    "visa avbrutna",
    "customer Acme",
    "kund åre",
    "summary",
)
STATUSBOT = [sys.executable, "-m", "bot.cli"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--customers", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=15)
    parser.add_argument("--baseline-repeat", type=int, default=2)
    parser.add_argument("--database-url", help="default: a fresh SQLite file")
    parser.add_argument(
        "--import-sizes", default="", help="also import these sizes, e.g. 100000,1000000"
    )
    parser.add_argument("--ask-repeat", type=int, default=7)
    parser.add_argument(
        "--ask-only", action="store_true", help="stop after statusbot ask's table (step 3)"
    )
    args = parser.parse_args()
    sizes = [int(size) for size in args.import_sizes.split(",") if size.strip()]
    if sizes:
        _import_sizes(sizes, args.database_url)
    today = SAMPLE_TODAY
    with tempfile.TemporaryDirectory() as scratch:
        csv_path = Path(scratch) / "customers.csv"
        url = args.database_url or f"sqlite:///{Path(scratch) / 'bench.sqlite3'}"
        env = {**os.environ, "STATUSBOT_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
        if args.database_url:
            store = Store.open(url)
            store.engine.dispose()
            _reset(url)

        started = time.perf_counter()
        with csv_path.open("w", encoding="utf-8") as out:
            subprocess.run(
                [*STATUSBOT, "sample", "--customers", str(args.customers)],
                stdout=out,
                check=True,
                env=env,
            )
        sample_seconds = time.perf_counter() - started
        rows = sum(1 for _ in csv_path.open(encoding="utf-8")) - 1

        seconds, peak_mb, output = _child(
            ["import", str(csv_path), "--today", today.isoformat()], env
        )
        print(
            f"{args.customers:,} customers, {rows:,} service rows, "
            f"{csv_path.stat().st_size / 1e6:.0f} MB CSV, store {url.split(':')[0]}"
        )
        print(f"\n`{output.strip()}`")
        print()
        print("| step | time | peak RSS |")
        print("|---|---:|---:|")
        print(f"| `statusbot sample` (write CSV) | {sample_seconds:.1f} s | |")
        print(
            f"| `statusbot import` (validate, load, index) | {seconds:.1f} s | {peak_mb:.0f} MB |"
        )
        print()

        _ask_wall(env, args.ask_repeat)
        if args.ask_only:
            return 0
        store = Store.open(url)
        print(
            "| question | matches | ask --json (SQL) median "
            "| naive (load all, filter in Python) median | speed-up |"
        )
        print("|---|---:|---:|---:|---:|")
        ratios = []
        context = Context(store=store, lang="en", today=today, now=datetime.now(UTC))
        for text in EXAMPLES:
            fast = _median(
                lambda text=text: as_json(parse(text, today=today).command, context),
                args.repeat,
            )
            answer = json.loads(as_json(parse(text, today=today).command, context))
            naive = _median(lambda text=text: _naive(text, store, today), args.baseline_repeat)
            ratios.append(naive / fast)
            print(
                f"| {text} | {answer['total']:,} | {fast * 1000:.1f} ms | "
                f"{naive * 1000:,.0f} ms | {naive / fast:,.0f}x |"
            )
        print()
        print(
            f"Geometric-mean speed-up: {statistics.geometric_mean(ratios):,.0f}x "
            f"(python {sys.version.split()[0]}, {os.cpu_count()} cores)"
        )
        store.close()
    return 0


def _naive(text: str, store: Store, today: date) -> dict[str, object]:
    """The approach to beat: every customer into Python, then filter and sort."""
    command = parse(text, today=today).command
    everyone = list(store.all_customers())
    if command.kind == "summary":
        counts: dict[str, int] = {}
        for customer in everyone:
            status = customer_status(customer, today)
            counts[status.subscription_status] = counts.get(status.subscription_status, 0) + 1
        return {"total": len(everyone), "subscription": counts}
    query = Query(name=command.name) if command.kind == "customer" else command.query
    matches = [c for c in everyone if customer_matches(query, c, today)]
    listed = []
    for customer in matches:
        status = customer_status(customer, today)
        listed.append(
            (
                status.subscription_status.rank,
                status.provisioning_status.rank,
                customer.name.casefold(),
                customer.id,
                status,
            )
        )
    listed.sort(key=lambda item: item[:4])
    return {
        "total": len(listed),
        "customers": [
            {"id": item[3], "subscription_status": item[4].subscription_status.value}
            for item in listed
        ],
    }


def _median(function: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(max(1, repeat)):
        started = time.perf_counter()
        result = function()
        if not isinstance(result, str):
            json.dumps(result, ensure_ascii=False, default=str)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def _child(argv: list[str], env: dict[str, str]) -> tuple[float, float, str]:
    """Run ``statusbot ARGV`` in a child that reports its own peak RSS (KiB, Linux)."""
    seconds, peak_mb, _cpu, output = _child_usage(argv, env)
    return seconds, peak_mb, output


def _child_usage(argv: list[str], env: dict[str, str]) -> tuple[float, float, float, str]:
    """Wall seconds, peak RSS (MB), CPU seconds (user + system) and the first output line."""
    script = (
        "import resource, sys\n"
        "from bot.cli.main import main\n"
        f"code = main({argv!r})\n"
        "usage = resource.getrusage(resource.RUSAGE_SELF)\n"
        "print('peak_kib', usage.ru_maxrss, 'cpu', usage.ru_utime + usage.ru_stime,"
        " file=sys.stderr)\n"
        "sys.exit(code)\n"
    )
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    seconds = time.perf_counter() - started
    report = done.stderr.split("peak_kib")[-1].split()
    return seconds, int(report[0]) / 1024, float(report[2]), done.stdout.splitlines()[0]


def _import_sizes(sizes: list[int], database_url: str | None) -> None:
    """``statusbot import`` of each size into a fresh store, side by side."""
    rows = []
    for size in sizes:
        with tempfile.TemporaryDirectory() as scratch:
            csv_path = Path(scratch) / "customers.csv"
            url = database_url or f"sqlite:///{Path(scratch) / 'bench.sqlite3'}"
            env = {**os.environ, "STATUSBOT_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
            if database_url:
                _reset(url)
            with csv_path.open("w", encoding="utf-8") as out:
                command = [*STATUSBOT, "sample", "--customers", str(size)]
                subprocess.run(command, stdout=out, check=True, env=env)
            megabytes = csv_path.stat().st_size / 1e6
            argv = ["import", str(csv_path), "--today", SAMPLE_TODAY.isoformat()]
            seconds, peak_mb, cpu, _ = _child_usage(argv, env)
            rows.append((size, megabytes, seconds, cpu, peak_mb))
    store = (database_url or "sqlite").split(":")[0]
    print(f"Import, store {store} (python {sys.version.split()[0]}, {os.cpu_count()} cores)\n")
    print("| customers | CSV | wall | CPU | CPU per customer | peak RSS |")
    print("|---:|---:|---:|---:|---:|---:|")
    for size, megabytes, seconds, cpu, peak_mb in rows:
        print(
            f"| {size:,} | {megabytes:,.0f} MB | {seconds:,.1f} s | {cpu:,.1f} s | "
            f"{1000 * cpu / size:.3f} ms | {peak_mb:,.0f} MB |"
        )
    print()


def _ask_wall(env: dict[str, str], repeat: int) -> None:
    """``statusbot ask`` as a new process, against ``python -c pass``: wall time (what
    a person waits for) and CPU time (what survives a shared machine), medians."""

    def measure(command: list[str]) -> tuple[float, float]:
        walls, cpus = [], []
        for _ in range(max(1, repeat)):
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            started = time.perf_counter()
            subprocess.run(command, env=env, check=True, stdout=subprocess.DEVNULL)
            walls.append(time.perf_counter() - started)
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
            cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
        return statistics.median(walls), statistics.median(cpus)

    import compileall

    for package in ("bot", "core", "handlers"):
        compileall.compile_dir(ROOT / package, quiet=1)
    floor_wall, floor_cpu = measure([sys.executable, "-c", "pass"])
    print(
        "| command | wall (median) | wall / `python -c pass` | CPU (median) "
        "| CPU / `python -c pass` |"
    )
    print("|---|---:|---:|---:|---:|")
    print(
        f"| `python -c pass` | {floor_wall * 1000:,.0f} ms | 1x | {floor_cpu * 1000:,.0f} ms | 1x |"
    )
    for args in (
        ["summary"],
        ["show failed provisioning"],
        ["--json", "show failed provisioning"],
        ["--help"],
    ):
        wall, cpu = measure([*STATUSBOT, "ask", *args])
        shown = " ".join(arg if arg.startswith("-") else repr(arg) for arg in args)
        print(
            f"| `statusbot ask {shown}` | {wall * 1000:,.0f} ms | {wall / floor_wall:,.1f}x | "
            f"{cpu * 1000:,.0f} ms | {cpu / floor_cpu:,.0f}x |"
        )
    print()


def _reset(url: str) -> None:
    from core.store.schema import metadata

    store = Store.open(url)
    metadata.drop_all(store.engine)
    metadata.create_all(store.engine)
    store.close()


if __name__ == "__main__":
    sys.exit(main())
