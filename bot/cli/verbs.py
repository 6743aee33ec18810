"""What each ``statusbot`` verb does (``bot.cli.main`` parses the command line and
calls one of these).

Each verb imports what it needs when it runs, so ``statusbot ask`` never loads
the web server, the Webex SDK or the scheduler, nor, for a current SQLite store,
SQLAlchemy.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from datetime import date

    from bot.settings import Settings
    from core.store import Store
    from handlers.context import CustomerStore

EXIT_OK, EXIT_BAD_INPUT, EXIT_SETTINGS, EXIT_UNAVAILABLE = 0, 1, 2, 3


def open_store(settings: Settings) -> Store:
    from core.store import Store

    return Store.open(settings.database_url)


def ask(args: argparse.Namespace) -> int:
    from bot.settings import load_settings

    settings = load_settings()
    if args.sample:
        from core.ingest.snapshot import read_snapshot
        from core.sample import SAMPLE_TODAY, bundled_sample_path
        from core.store import Store

        sample = Store.open("sqlite://")
        today = args.today or settings.today or SAMPLE_TODAY
        sample.import_snapshot(
            read_snapshot(bundled_sample_path()), today=today, source="bundled sample"
        )
        return _answer(args, sample, today)
    # a current SQLite store is read with sqlite3 alone (no SQLAlchemy to import: most
    # of what a person waits for); anything to write first goes through the full store
    from core.store.reader import open_for_reading

    reader = open_for_reading(settings.database_url)
    try:
        if reader.last_import() is None:
            print(
                "statusbot: no customer data yet: run `statusbot import FILE` "
                "(or add --sample to try the bundled sample)",
                file=sys.stderr,
            )
            return EXIT_BAD_INPUT
        return _answer(args, reader, args.today or settings.today_date())
    finally:
        reader.close()


def _answer(args: argparse.Namespace, store: CustomerStore, today: date) -> int:
    """``statusbot ask``'s answer from ``store``: JSON, the card, or plain text."""
    import json
    from datetime import UTC, datetime

    from handlers.context import Context
    from handlers.grammar.parser import parse
    from handlers.manifest import load_manifest
    from handlers.registry import as_json, handle

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


def import_file(args: argparse.Namespace) -> int:
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
    store = open_store(settings)
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


def sync(args: argparse.Namespace) -> int:
    """Exit 0 applied or unchanged, 1 bad data, 2 a setting, 3 a source unavailable."""
    from datetime import timedelta

    from bot.settings import load_settings
    from bot.sync import build, columns_of, exit_code, print_report, sync_loop, sync_once

    settings = load_settings()
    sources = build(settings, columns_of(args.columns))
    store = open_store(settings)
    if args.every is not None:
        if args.every < 1:
            print("statusbot: --every must be at least 1 (minutes)", file=sys.stderr)
            return EXIT_BAD_INPUT
        return sync_loop(settings, store, sources, every=timedelta(minutes=args.every), write=print)
    report = sync_once(settings, store, sources)
    print_report(report, print if report.ok else lambda line: print(line, file=sys.stderr))
    return exit_code(report)


def sample(args: argparse.Namespace) -> int:
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


def demo(args: argparse.Namespace) -> int:
    from bot.cli.demo import run_demo

    return run_demo(port=args.port, host=args.host, bot_port=args.bot_port)


def run(args: argparse.Namespace) -> int:
    from bot.settings import RUN_NEEDS, load_settings
    from bot.web.metrics_folder import instance_folder

    # checked before anything touches Webex (or gunicorn forks)
    settings = load_settings(needs=RUN_NEEDS)
    # gunicorn's processes add up their metrics in this instance's own folder;
    # prometheus_client reads its name when first imported, which bot.cli.run does
    with instance_folder(settings.metrics_dir):
        from bot.cli.run import run

        return run(settings, port=args.port, host=args.host, workers=args.workers)


def scheduler(_args: argparse.Namespace) -> int:
    from bot.scheduler.process import run_scheduler

    return run_scheduler()


def doctor(_args: argparse.Namespace) -> int:
    from bot.cli.doctor import doctor

    return doctor()
