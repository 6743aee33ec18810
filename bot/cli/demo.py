"""``statusbot demo``: the whole thing on this machine, no account, no settings.

It starts the Webex emulator (with its browser playground), loads the bundled
sample customers into a SQLite file, starts the bot against the emulator with
a fixed date (so the sample's statuses are what they were made to be), has a
demo user create a space with the bot, and prints the playground URL. Ctrl-C
stops everything and removes the temporary folder it made for the database (a
folder passed as ``data_dir`` is the caller's and stays). The bot's own port is
any free one unless ``bot_port`` says which (e.g. to reach it through a tunnel).
"""

from __future__ import annotations

import logging
import secrets
import shlex
import shutil
import signal
import sys
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from webexpythonsdk import WebexAPI

from bot.cli.local import BotServer, serve_in_thread
from bot.logs import configure_logging
from bot.scheduler.build import Built, build_scheduler
from bot.service import build_service
from bot.settings import Settings
from bot.webex.webhooks import reconcile_webhooks
from core.ingest.snapshot import read_snapshot
from core.sample import SAMPLE_TODAY, bundled_sample_path
from core.sample_changes import changed_sample
from core.store import Store
from emulator.server import EmulatorConfig, ServerHandle, run_in_thread

BOT_TOKEN = "DEMO_BOT_TOKEN"
BOT_EMAIL = "statusbot@webex.bot"
DEMO_USERS = (("alice@example.com", "ALICE_DEMO_TOKEN"), ("bob@example.com", "BOB_DEMO_TOKEN"))


@dataclass
class Demo:
    emulator: ServerHandle
    bot: BotServer
    database: Path
    scheduler: Built
    scheduler_thread: threading.Thread
    stopping: threading.Event
    #: the temporary folder the demo made for itself, removed on stop (None: the caller's)
    owned_folder: Path | None = None

    @property
    def playground_url(self) -> str:
        return self.emulator.url + "/"

    def stop(self) -> None:
        self.stopping.set()
        self.scheduler_thread.join(timeout=20)
        self.scheduler.close()
        self.bot.stop()
        self.emulator.stop()
        if self.owned_folder is not None:
            shutil.rmtree(self.owned_folder, ignore_errors=True)


def next_day_path(database: Path) -> Path:
    """Where the demo leaves the sample's next day (a few customers fail to provision)."""
    return database.with_name("statusbot-demo-next-day.csv")


def next_day_command(database: Path, program: str = "statusbot") -> str:
    """The line a user pastes into a second terminal to import the next day, so the
    demo space gets an alert; ``statusbot import`` in its own process, as in production."""
    return (
        f"STATUSBOT_DATABASE_URL={shlex.quote(f'sqlite:///{database}')}"
        f" STATUSBOT_TODAY={SAMPLE_TODAY.isoformat()}"
        f" {program} import {shlex.quote(str(next_day_path(database)))}"
    )


def start_demo(
    *,
    port: int = 9000,
    host: str = "127.0.0.1",
    data_dir: Path | None = None,
    bot_port: int = 0,
) -> Demo:
    """Everything up and the demo space made; the caller stops it."""
    emulator = run_in_thread(
        EmulatorConfig(bot_token=BOT_TOKEN, bot_email=BOT_EMAIL, users=DEMO_USERS),
        host=host,
        port=port,
    )
    if data_dir is None:
        owned = folder = Path(tempfile.mkdtemp(prefix="statusbot-demo-"))
    else:
        owned, folder = None, data_dir
    database = folder / "statusbot-demo.sqlite3"
    try:
        store = Store.open(f"sqlite:///{database}")
        store.import_snapshot(
            read_snapshot(bundled_sample_path()), today=SAMPLE_TODAY, source="bundled sample"
        )
        store.close()
        next_day_path(database).write_text(changed_sample()[0], encoding="utf-8")
        secret = secrets.token_hex(16)
        settings = Settings(
            WEBEX_ACCESS_TOKEN=BOT_TOKEN,
            database_url=f"sqlite:///{database}",
            webex_api_url=emulator.api_url,
            allow_http=True,  # the demo's own emulator, on this machine (--host may be 0.0.0.0)
            webhook_secret=secret,
            allowed=("@example.com",),
            today=SAMPLE_TODAY,
        )
        bot = serve_in_thread(build_service(settings, poll_seconds=0.2), host=host, port=bot_port)
        reconcile_webhooks(
            bot.service.webex, bot.service.manifest, target_url=bot.webhook_url, secret=secret
        )
        # the one scheduler, beside the bot: alerts and digests arrive in the playground
        scheduler = build_scheduler(settings)
        stopping = threading.Event()
        scheduler_thread = threading.Thread(
            target=scheduler.scheduler.serve, args=(stopping,), name="statusbot-scheduler"
        )
        scheduler_thread.start()
    except BaseException:
        emulator.stop()
        if owned is not None:
            shutil.rmtree(owned, ignore_errors=True)
        raise
    alice = WebexAPI(
        access_token=DEMO_USERS[0][1], base_url=emulator.api_url, wait_on_rate_limit=False
    )
    room = alice.rooms.create(title="Statusbot demo")
    alice.memberships.create(roomId=room.id, personEmail=DEMO_USERS[1][0])
    alice.memberships.create(roomId=room.id, personEmail=BOT_EMAIL)
    return Demo(emulator, bot, database, scheduler, scheduler_thread, stopping, owned)


def run_demo(
    *,
    port: int = 9000,
    host: str = "127.0.0.1",
    bot_port: int = 0,
    wait: Callable[[], None] | None = None,
) -> int:
    from emulator.playground import ensure_renderer

    configure_logging("text", logging.WARNING)
    renderer = ensure_renderer(quiet=True)
    demo = start_demo(port=port, host=host, bot_port=bot_port)
    banner = "\n".join(
        [
            "Statusbot demo is running (no Webex account needed).",
            f"  Playground:   {demo.playground_url}",
            "  Act as alice@example.com, open “Statusbot demo” or a 1:1 with Statusbot,",
            "  and type “show expiring in 30 days”, “summary” or “visa avbrutna”.",
            "  Alerts:       type “alerts on”, then paste this into another terminal:",
            f"    {next_day_command(demo.database, _program())}",
            "  Digests:      type “subscribe daily 08:00 needing attention”, then “send N now”",
            "                (N: the number its reply gives).",
            f"  Customers:    the bundled sample, as of {SAMPLE_TODAY.isoformat()}",
            f"  Database:     {demo.database}",
            f"  Bot webhook:  {demo.bot.webhook_url}",
            "  Cards are rendered with the official renderer."
            if renderer
            else "  Cards show as text: run `npm --prefix emulator/static ci` to render them.",
            "Press Ctrl-C to stop.",
        ]
    )
    try:  # printed inside: a Ctrl-C that follows the line at once still stops the demo
        print(banner, flush=True)
        (wait or _wait_for_interrupt)()
    except KeyboardInterrupt:
        pass
    finally:
        demo.stop()
        print("Statusbot demo stopped.")
    return 0


def _program() -> str:
    """How this process was started, so the printed import line runs the same install."""
    started = Path(sys.argv[0])
    return shlex.quote(str(started)) if started.name == "statusbot" else "statusbot"


def _wait_for_interrupt() -> None:
    stopped = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stopped.set())
    while not stopped.wait(0.5):
        pass
