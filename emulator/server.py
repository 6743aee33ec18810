"""Serving the emulator: in a thread for tests and ``statusbot demo``, or from the CLI.

``python -m emulator.server --port 9000 --user alice@example.com=ALICE_TOKEN``
"""

from __future__ import annotations

import argparse
import logging
import threading
from dataclasses import dataclass

from flask import Flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from emulator.app import context_of, create_app
from emulator.config import EmulatorConfig
from emulator.context import EmulatorContext

__all__ = ["EmulatorConfig", "ServerHandle", "create_app", "main", "run_in_thread"]

log = logging.getLogger(__name__)

SHUTDOWN_POLL_SECONDS = 0.05  # how soon stop() is noticed


class QuietRequestHandler(WSGIRequestHandler):
    """No access log line per request (tests and the demo make thousands)."""

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


@dataclass
class ServerHandle:
    """A running emulator: ``url`` (no trailing slash), ``api_url`` for the SDK."""

    url: str
    app: Flask
    _server: BaseWSGIServer
    _thread: threading.Thread

    @property
    def api_url(self) -> str:
        return self.url + "/v1/"

    @property
    def port(self) -> int:
        return int(self._server.server_port)

    @property
    def context(self) -> EmulatorContext:
        return context_of(self.app)

    def stop(self) -> None:
        ctx = self.context
        ctx.faults.clear()  # wakes stalled requests and delayed deliveries
        self._server.shutdown()
        self._thread.join(timeout=10)
        self._server.server_close()
        ctx.dispatcher.stop()


def run_in_thread(
    config: EmulatorConfig | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
    *,
    log_requests: bool = False,
) -> ServerHandle:
    """Serve on ``host:port`` (0 picks a free port) from a daemon thread."""
    app = create_app(config)
    handler = WSGIRequestHandler if log_requests else QuietRequestHandler
    server = make_server(host, port, app, threaded=True, request_handler=handler)
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": SHUTDOWN_POLL_SECONDS},
        name="webex-emulator",
        daemon=True,
    )
    thread.start()
    shown_host = f"[{host}]" if ":" in host else host
    return ServerHandle(
        url=f"http://{shown_host}:{server.server_port}", app=app, _server=server, _thread=thread
    )


def _user(value: str) -> tuple[str, str]:
    email, sep, token = value.partition("=")
    if not sep or "@" not in email or not token:
        raise argparse.ArgumentTypeError("expected EMAIL=TOKEN")
    return email, token


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="statusbot emulator", description="A local Webex API for Statusbot."
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=9000)
    parser.add_argument("--bot-token", default="BOT_TOKEN")
    parser.add_argument("--bot-email", default="statusbot@webex.bot")
    parser.add_argument("--bot-name", default="Statusbot")
    parser.add_argument(
        "--user",
        type=_user,
        action="append",
        default=[],
        metavar="EMAIL=TOKEN",
        help="a person who can use the API (repeatable)",
    )
    parser.add_argument("--failure-threshold", type=int, default=100)
    parser.add_argument(
        "--delivery-concurrency",
        type=int,
        default=4,
        help="webhook POSTs in flight at once (Webex sends several, in no promised order)",
    )
    parser.add_argument(
        "--allow-remote-admin",
        action="store_true",
        help="serve /_emulator/ to other hosts too (it hands out every token)",
    )
    parser.add_argument("--log-requests", action="store_true")
    return parser.parse_args(argv)


def config_from_args(args: argparse.Namespace) -> EmulatorConfig:
    return EmulatorConfig(
        bot_token=args.bot_token,
        bot_email=args.bot_email,
        bot_name=args.bot_name,
        users=tuple(args.user),
        failure_threshold=args.failure_threshold,
        delivery_concurrency=max(1, args.delivery_concurrency),
        admin_local_only=not args.allow_remote_admin,
    )


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    app = create_app(config_from_args(args))
    try:
        handler = WSGIRequestHandler if args.log_requests else QuietRequestHandler
        server = make_server(args.host, args.port, app, threaded=True, request_handler=handler)
    except (OSError, SystemExit) as exc:  # werkzeug exits when the port is taken
        log.error("cannot listen on %s:%s: %s", args.host, args.port, exc)
        context_of(app).dispatcher.stop()
        return 1
    log.info("Webex emulator on http://%s:%s/v1/", args.host, server.server_port)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        context_of(app).dispatcher.stop()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
