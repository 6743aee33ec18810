"""The ``statusbot`` command line: one entry point, one verb per job.

Every verb prints what a person needs and exits 0 on success, 1 when the input
was bad (with a report saying what to fix), 2 when a setting is wrong and 3 when
something it needs (Webex, a source) is out of reach for now. No
stack traces: problems people can fix are caught and said in one line.

The verbs are ``bot.cli.verbs``. Each imports what it needs when it runs, so
``statusbot ask`` never loads the web server, the Webex SDK or the scheduler,
and ``--help`` loads nothing but argparse (a test checks both).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import NoReturn

from bot.cli import verbs as verb
from bot.cli.args import day
from bot.cli.verbs import EXIT_OK, EXIT_SETTINGS, EXIT_UNAVAILABLE

#: Verbs that read, print and end: their process ends without the interpreter's
#: teardown (see ``console``).
QUICK_VERBS = frozenset({"ask"})


def console() -> NoReturn:
    """The ``statusbot`` script and ``python -m bot.cli``: ``main`` as a process.

    ``statusbot ask`` is what a person at a terminal waits for, and most of its
    time is the interpreter's: importing, and at exit tearing every module down
    again (~60 ms with SQLAlchemy and pydantic loaded, for a process that wrote
    nothing but its answer). So a quick verb runs with the cyclic garbage
    collector off (a short process frees everything at exit anyway) and, once its
    output is flushed, ends at once. Every other verb (``run``, ``import``,
    ``sync``...) writes or lives long, and exits the normal way.
    """
    quick = sys.argv[1:2] and sys.argv[1] in QUICK_VERBS
    if quick:
        gc.disable()
    code = main()
    if not quick:
        sys.exit(code)
    with contextlib.suppress(BrokenPipeError):  # the reader went away (`… | head`)
        sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)


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
    ask.set_defaults(handler=verb.ask)

    load = verbs.add_parser("import", help="load a CSV/JSON snapshot of the customers")
    load.add_argument("file", type=Path)
    load.add_argument("--today", type=day, help="classify as of this date")
    load.add_argument("--columns", type=Path, help="a column mapping file (TOML) for the headings")
    load.set_defaults(handler=verb.import_file)

    sync = verbs.add_parser("sync", help="fetch every source (STATUSBOT_SOURCES) and apply them")
    sync.add_argument("--every", type=int, metavar="N", help="keep syncing every N minutes")
    sync.add_argument("--columns", type=Path, help="a column mapping file (TOML) for the headings")
    sync.set_defaults(handler=verb.sync)

    sample = verbs.add_parser("sample", help="deterministic sample customers as CSV")
    sample.add_argument("--customers", type=int, default=60)
    sample.add_argument("--seed", type=int, default=7)
    sample.add_argument("--today", type=day, help="dates relative to this day")
    sample.add_argument("--format", choices=("csv", "json"), default="csv")
    sample.set_defaults(handler=verb.sample)

    demo = verbs.add_parser("demo", help="the whole thing on this machine, no account needed")
    demo.add_argument("--port", type=int, default=9000, help="the emulator's port (default 9000)")
    demo.add_argument("--host", default="127.0.0.1")
    demo.add_argument(
        "--bot-port", type=int, default=0, help="the bot's own webhook port (default: any free one)"
    )
    demo.set_defaults(handler=verb.demo)

    run = verbs.add_parser("run", help="serve the bot against Webex (gunicorn)")
    run.add_argument("--port", type=int, default=8080)
    run.add_argument(
        "--host",
        default="127.0.0.1",
        help="address to listen on (default 127.0.0.1, behind a proxy such as deploy/nginx; "
        "0.0.0.0 listens on every interface)",
    )
    run.add_argument("--workers", type=int, help="web processes (default 2)")
    run.set_defaults(handler=verb.run)

    scheduler = verbs.add_parser(
        "scheduler", help="the one scheduler: alerts, digests, day change, sync"
    )
    scheduler.set_defaults(handler=verb.scheduler)

    doctor = verbs.add_parser("doctor", help="check settings, token, webhooks and store")
    doctor.set_defaults(handler=verb.doctor)

    # handled in main(): its options are emulator.server's own (statusbot emulator --help)
    verbs.add_parser("emulator", help="a local Webex API and playground", add_help=False)
    return parser


if __name__ == "__main__":
    console()
