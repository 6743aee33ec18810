"""The ``statusbot`` command line: one entry point, one verb per job.

Every verb prints what a person needs and exits 0 on success, 1 when the input
was bad (with a report saying what to fix), 2 when a setting is wrong and 3 when
something it needs (Webex, a source) is out of reach for now. No
stack traces: problems people can fix are caught and said in one line.

Each verb imports what it needs when it runs, so ``statusbot ask`` never loads
the web server, the Webex SDK or the scheduler, and ``--help`` loads nothing
but argparse (a test checks both).
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from bot.cli.args import day

if TYPE_CHECKING:
    from bot.settings import Settings
    from core.store import Store

EXIT_OK, EXIT_BAD_INPUT, EXIT_SETTINGS, EXIT_UNAVAILABLE = 0, 1, 2, 3


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if arguments[:1] == ["emulator"]:
        # The emulator has its own options (emulator.server); hand them over as they are.
        from emulator.server import main as emulator_main

        return int(emulator_main(arguments[1:]))
    parser = _parser()
    args = parser.parse_args(arguments)
    if not getattr(args, "handler", None):
        parser.print_help()
        return EXIT_OK
    try:
        return int(args.handler(args))
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # the reader went away (`statusbot ask … | head`): nothing more to say
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except Exception as error:
        code = _said(error)
        if code is None:
            raise
        return code


def _said(error: Exception) -> int | None:
    """The exit code of a failure a person can act on, said in one line; None
    for anything else. Its classes are imported here, after the verb raised
    (so a verb that needs none of them never loads them)."""
    from bot.settings import SettingsError
    from bot.webex.check import WebexUnavailable
    from core.dialect import SchemaError

    if isinstance(error, SettingsError):
        for problem in error.problems:  # every problem at once, one line each
            print(f"statusbot: {problem}", file=sys.stderr)
        return EXIT_SETTINGS
    if isinstance(error, WebexUnavailable):
        print(f"statusbot: {error}", file=sys.stderr)
        return EXIT_UNAVAILABLE
    if isinstance(error, SchemaError):  # the database needs a migration, not a restart
        print(f"statusbot: {error}", file=sys.stderr)
        return EXIT_SETTINGS
    return None


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="statusbot",
        description="Partner Hub customer statuses in Webex spaces.",
    )
    verbs = parser.add_subparsers(title="commands", metavar="COMMAND")

    ask = verbs.add_parser("ask", help="answer one command as the bot would")
    ask.add_argument("text", help='what a person would type, e.g. "show expiring in 30 days"')
    ask.add_argument("--today", type=day, help="answer as of this date (YYYY-MM-DD)")
    ask.add_argument("--lang", choices=("en", "sv"), help="reply language (default: the text's)")
    output = ask.add_mutually_exclusive_group()
    output.add_argument("--json", action="store_true", help="print every match as JSON")
    output.add_argument("--card", action="store_true", help="print the Adaptive Card JSON")
    ask.add_argument(
        "--output",
        type=Path,
        metavar="FILE",
        help="where an export's CSV goes (default: its own name in the current folder)",
    )
    ask.add_argument(
        "--sample",
        action="store_true",
        help="answer from the bundled sample customers (in memory), not the database",
    )
    ask.set_defaults(handler=_ask)

    load = verbs.add_parser("import", help="load a CSV/JSON snapshot of the customers")
    load.add_argument("file", type=Path)
    load.add_argument("--today", type=day, help="classify as of this date")
    load.add_argument("--columns", type=Path, help="a column mapping file (TOML) for the headings")
    load.set_defaults(handler=_import)

    sync = verbs.add_parser("sync", help="fetch every source (STATUSBOT_SOURCES) and apply them")
    sync.add_argument("--every", type=int, metavar="N", help="keep syncing every N minutes")
    sync.add_argument("--columns", type=Path, help="a column mapping file (TOML) for the headings")
    sync.set_defaults(handler=_sync)

    sample = verbs.add_parser("sample", help="deterministic sample customers as CSV")
    sample.add_argument("--customers", type=int, default=60)
    sample.add_argument("--seed", type=int, default=7)
    sample.add_argument("--today", type=day, help="dates relative to this day")
    sample.add_argument("--format", choices=("csv", "json"), default="csv")
    sample.set_defaults(handler=_sample)

    demo = verbs.add_parser("demo", help="the whole thing on this machine, no account needed")
    demo.add_argument("--port", type=int, default=9000, help="the emulator's port (default 9000)")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument(
        "--bot-port", type=int, default=0, help="the bot's own webhook port (default: any free one)"
    )
    demo.set_defaults(handler=_demo)

    run = verbs.add_parser("run", help="serve the bot against Webex (gunicorn)")
    run.add_argument("--port", type=int, default=8080)
    run.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1, behind a proxy such as deploy/nginx; "
        "0.0.0.0 listens on every interface)",
    )
    run.add_argument("--workers", type=int, help="web processes (default 2)")
    run.set_defaults(handler=_run)

    scheduler = verbs.add_parser(
        "scheduler", help="the one scheduler: alerts, digests, day change, sync"
    )
    scheduler.set_defaults(handler=_scheduler)

    doctor = verbs.add_parser("doctor", help="check settings, token, webhooks and store")
    doctor.set_defaults(handler=_doctor)

    # handled in main(): its options are emulator.server's own (statusbot emulator --help)
    verbs.add_parser("emulator", help="a local Webex API and playground", add_help=False)
    return parser


def _store(settings: Settings) -> Store:
    from core.store import Store

    return Store.open(settings.database_url)


def _ask(args: argparse.Namespace) -> int:
    import json
    from datetime import UTC, datetime

    from bot.settings import load_settings
    from core.ingest.snapshot import read_snapshot
    from core.store import Store
    from handlers.context import Context
    from handlers.grammar.parser import parse
    from handlers.registry import as_json, handle

    settings = load_settings()
    if args.sample:
        from core.sample import SAMPLE_TODAY, bundled_sample_path

        store = Store.open("sqlite://")
        today = args.today or settings.today or SAMPLE_TODAY
        store.import_snapshot(
            read_snapshot(bundled_sample_path()), today=today, source="bundled sample"
        )
    else:
        store = _store(settings)
        today = args.today or settings.today_date()
        if store.last_import() is None:
            print(
                "statusbot: no customer data yet: run `statusbot import FILE` "
                "(or add --sample to try the bundled sample)",
                file=sys.stderr,
            )
            return EXIT_BAD_INPUT
    from handlers.manifest import load_manifest

    # as the bot would: "@Statusbot show suspended" is read without the mention
    parsed = parse(args.text, today=today, bot_names=(load_manifest().display_name,))
    lang = args.lang or parsed.lang
    context = Context(store=store, lang=lang, today=today, now=datetime.now(UTC))
    if args.json:
        # every match, no paging (statusbot ask --json in the README)
        print(as_json(parsed.command, context))
        return EXIT_OK
    reply = handle(parsed.command, context)
    if args.card:
        print(json.dumps(reply.card, ensure_ascii=False, indent=2))
    else:
        # a terminal shows plain text: the markdown's escapes would show as backslashes
        print(reply.text)
        if reply.file is not None:
            from bot.cli.ask_output import save

            try:
                saved = save(reply.file, args.output, Path.cwd())
            except OSError as error:
                print(f"statusbot: cannot write the file: {error}", file=sys.stderr)
                return EXIT_BAD_INPUT
            print(f"\nWrote {saved} ({len(reply.file.data):,} bytes).")
    return EXIT_OK


def _import(args: argparse.Namespace) -> int:
    from bot.settings import load_settings
    from core.ingest.problems import SnapshotInvalid
    from core.ingest.snapshot import read_snapshot

    settings = load_settings()
    path: Path = args.file
    if not path.is_file():
        print(f"statusbot: {path}: no such file", file=sys.stderr)
        return EXIT_BAD_INPUT
    from bot.sync import columns_of

    columns = columns_of(args.columns or settings.columns)
    try:
        snapshot = read_snapshot(path, columns=columns)
    except SnapshotInvalid as invalid:
        print(f"{path}: not imported, nothing changed. {invalid}:", file=sys.stderr)
        print(invalid.report(), file=sys.stderr)
        return EXIT_BAD_INPUT
    store = _store(settings)
    today = args.today or settings.today_date()
    result = store.import_snapshot(snapshot, today=today, source=str(path))
    if result.unchanged:
        print(f"{path}: same as the last import; nothing changed.")
        return EXIT_OK
    print(
        f"Imported {result.customers} customers, {result.subscriptions} subscriptions, "
        f"{result.services} services ({result.added} added, {result.removed} removed, "
        f"{len(result.transitions)} status changes)."
    )
    for change in result.transitions[:50]:
        print(
            f"  {change.customer_name} ({change.customer_id}): {change.dimension} "
            f"{change.old or '(new)'} -> {change.new or '(gone)'}"
        )
    if len(result.transitions) > 50:
        print(f"  ... and {len(result.transitions) - 50} more")
    return EXIT_OK


def _sync(args: argparse.Namespace) -> int:
    """Exit 0 applied or unchanged, 1 bad data, 2 a setting, 3 a source unavailable."""
    from datetime import timedelta

    from bot.settings import load_settings
    from bot.sync import build, columns_of, exit_code, print_report, sync_loop, sync_once

    settings = load_settings()
    sources = build(settings, columns_of(args.columns))
    store = _store(settings)
    if args.every is not None:
        if args.every < 1:
            print("statusbot: --every must be at least 1 (minutes)", file=sys.stderr)
            return EXIT_BAD_INPUT
        return sync_loop(settings, store, sources, every=timedelta(minutes=args.every), write=print)
    report = sync_once(settings, store, sources)
    print_report(report, print if report.ok else lambda line: print(line, file=sys.stderr))
    return exit_code(report)


def _sample(args: argparse.Namespace) -> int:
    from core.sample import SAMPLE_TODAY, generate, write_csv, write_json

    if args.customers < 1:
        print("statusbot: --customers must be at least 1", file=sys.stderr)
        return EXIT_BAD_INPUT
    today = args.today or SAMPLE_TODAY
    customers = generate(args.customers, today=today, seed=args.seed)
    if args.format == "json":
        write_json(customers, sys.stdout)
    else:
        write_csv(customers, sys.stdout)
    return EXIT_OK


def _demo(args: argparse.Namespace) -> int:
    from bot.cli.demo import run_demo

    return run_demo(port=args.port, host=args.host, bot_port=args.bot_port)


def _run(args: argparse.Namespace) -> int:
    from bot.settings import RUN_NEEDS, load_settings
    from bot.web.metrics_folder import instance_folder

    # checked before anything touches Webex (or gunicorn forks)
    settings = load_settings(needs=RUN_NEEDS)
    # gunicorn's processes add up their metrics in this instance's own folder;
    # prometheus_client reads its name when first imported, which bot.cli.run does
    with instance_folder(settings.metrics_dir):
        from bot.cli.run import run

        return run(settings, port=args.port, host=args.host, workers=args.workers)


def _scheduler(_args: argparse.Namespace) -> int:
    from bot.scheduler.process import run_scheduler

    return run_scheduler()


def _doctor(_args: argparse.Namespace) -> int:
    from bot.cli.doctor import doctor

    return doctor()


if __name__ == "__main__":
    sys.exit(main())
