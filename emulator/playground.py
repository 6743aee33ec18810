"""The playground: a chat client at the emulator's ``/`` for trying a bot by hand.

The page (``static/playground.html``, ``.js``, ``.css``; vanilla JS, no build
step) acts as one of the emulator's people through the real ``/v1/`` API with
that person's token and follows ``/_emulator/events`` live. Cards render with
the official Adaptive Cards library (npm ``adaptivecards``, pinned in
``static/package.json``), installed once with ``npm ci --prefix emulator/static``
or :func:`ensure_renderer`; without it the page shows each card's text instead.

Routes:

* ``GET /`` the page; ``GET /playground/<file>`` its scripts and styles;
  ``GET /playground/vendor/adaptivecards.min.js`` the renderer (404 until installed).
* ``GET /_emulator/playground/people``: the people the page can act as (not the
  bot), with their tokens, and the bot.
* ``GET /_emulator/playground/config``: the bot, the event sequence to poll
  from, and whether the renderer is installed (with the command that installs it).

The ``/_emulator/playground/`` routes hand out tokens, so they answer loopback
callers only unless the emulator runs with ``admin_local_only=False``, as the
rest of ``/_emulator/`` does.
"""

from __future__ import annotations

import contextlib
import logging
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from flask import Blueprint, Response, abort, jsonify, request, send_from_directory

from emulator.api.admin import LOCAL_ADDRESSES
from emulator.context import EmulatorContext
from emulator.models import Person

try:  # POSIX only; elsewhere concurrent installs simply are not serialised
    import fcntl
except ImportError:  # pragma: no cover
    fcntl = None  # type: ignore[assignment]

__all__ = [
    "INSTALL_COMMAND",
    "RENDERER_SCRIPT",
    "STATIC_DIR",
    "ensure_renderer",
    "install_command",
    "playground_blueprint",
    "renderer_available",
]

log = logging.getLogger(__name__)

STATIC_DIR = Path(__file__).resolve().parent / "static"
RENDERER_DIST = STATIC_DIR / "node_modules" / "adaptivecards" / "dist"
RENDERER_SCRIPT = RENDERER_DIST / "adaptivecards.min.js"
INSTALL_COMMAND = "npm ci --prefix emulator/static"  # from the repository root
PAGE = "playground.html"
SERVED_SUFFIXES = frozenset({".js", ".css", ".html", ".svg", ".png", ".ico"})
NPM_TIMEOUT_SECONDS = 300.0
JsonDict = dict[str, Any]


# -- the renderer ------------------------------------------------------------------------
def renderer_available() -> bool:
    """Whether ``adaptivecards.min.js`` is installed under ``static/node_modules``."""
    return RENDERER_SCRIPT.is_file()


def install_command() -> str:
    """The command that installs the renderer, with this installation's static folder."""
    return f"npm ci --prefix {STATIC_DIR}"


@contextlib.contextmanager
def _install_lock() -> Iterator[None]:
    """One install at a time on this machine (``npm ci`` first deletes node_modules)."""
    if fcntl is None:  # pragma: no cover
        yield
        return
    path = Path(tempfile.gettempdir()) / "statusbot-playground-npm.lock"
    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def ensure_renderer(quiet: bool = True) -> bool:
    """Install the pinned ``adaptivecards`` package when it is missing and npm exists.

    Runs ``npm ci --prefix <static dir>`` (``npm install`` without a lock file)
    at most once per missing install; afterwards everything works offline.
    Returns whether the renderer is available. ``quiet=False`` lets npm's output
    through and says what to do when npm is missing or fails; it never raises.
    """
    if renderer_available():
        return True
    npm = shutil.which("npm")
    if npm is None:
        if not quiet:
            print(
                "npm is not installed: cards will show as text in the playground. "
                f"Install Node.js 20+ and run: {install_command()}"
            )
        return False
    verb = "ci" if (STATIC_DIR / "package-lock.json").is_file() else "install"
    command = [npm, verb, "--prefix", str(STATIC_DIR), "--no-audit", "--no-fund"]
    command.append("--ignore-scripts")
    with _install_lock():
        if renderer_available():  # another process installed it meanwhile
            return True
        if not quiet:
            print(f"Installing the Adaptive Cards renderer: {' '.join(command[1:])}")
        try:
            subprocess.run(
                command,
                cwd=STATIC_DIR,
                check=True,
                capture_output=quiet,
                timeout=NPM_TIMEOUT_SECONDS,
            )
        except (OSError, subprocess.SubprocessError) as exc:
            log.warning("installing the card renderer failed: %s", exc)
            if not quiet:
                print(f"Installing the renderer failed ({exc}); run: {install_command()}")
            return False
    return renderer_available()


# -- the blueprint -----------------------------------------------------------------------
def _person_json(person: Person, *, with_token: bool) -> JsonDict:
    body: JsonDict = {
        "id": person.id,
        "email": person.email,
        "displayName": person.display_name,
        "firstName": person.first_name,
    }
    if with_token:
        body["token"] = person.token
    return body


def _no_cache(response: Response) -> Response:
    response.headers["Cache-Control"] = "no-cache"
    return response


def playground_blueprint(ctx: EmulatorContext) -> Blueprint:
    bp = Blueprint("playground", __name__)
    store = ctx.store

    def local_only() -> None:
        if ctx.config.admin_local_only and request.remote_addr not in LOCAL_ADDRESSES:
            abort(403)

    def bot() -> JsonDict:
        person = store.person_by_email(ctx.config.bot_email)
        if person is None:  # pragma: no cover - the bot is always seeded
            return {"email": ctx.config.bot_email, "displayName": ctx.config.bot_name}
        return _person_json(person, with_token=False)

    @bp.get("/")
    def page() -> Response:
        return _no_cache(send_from_directory(STATIC_DIR, PAGE, mimetype="text/html"))

    @bp.get("/playground/vendor/adaptivecards.min.js")
    def renderer() -> Response:
        if not renderer_available():
            abort(404)
        return _no_cache(send_from_directory(RENDERER_DIST, RENDERER_SCRIPT.name))

    @bp.get("/playground/<name>")
    def asset(name: str) -> Response:
        if Path(name).suffix not in SERVED_SUFFIXES or "/" in name or name.startswith("."):
            abort(404)
        return _no_cache(send_from_directory(STATIC_DIR, name))

    @bp.get("/_emulator/playground/people")
    def people() -> Response:
        local_only()
        with store.lock:
            items = [
                _person_json(p, with_token=True)
                for p in store.people.values()
                if not p.is_bot and p.token
            ]
            return jsonify({"items": items, "bot": bot()})

    @bp.get("/_emulator/playground/config")
    def config() -> Response:
        local_only()
        with store.lock:
            found_bot = bot()
        return jsonify(
            {
                "bot": found_bot,
                "lastEventSeq": ctx.bus.log.last_seq,
                "renderer": {
                    "available": renderer_available(),
                    "script": "/playground/vendor/adaptivecards.min.js",
                    "installCommand": install_command(),
                },
            }
        )

    return bp
