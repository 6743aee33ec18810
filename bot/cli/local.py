"""Serving the bot in a thread: for ``statusbot demo`` and the end-to-end tests.

Production uses ``statusbot run`` (gunicorn, ``bot.cli.run``). This runs the very
same app and workers on werkzeug's threaded server, which is enough for one
person trying the bot and for tests that drive it over real HTTP.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from bot.service import Bot
from bot.web.app import create_app


class _Quiet(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


@dataclass
class BotServer:
    url: str
    service: Bot
    _server: BaseWSGIServer
    _thread: threading.Thread

    @property
    def webhook_url(self) -> str:
        return self.url + "/webhooks/webex"

    def stop(self) -> None:
        self._server.shutdown()
        self._thread.join(timeout=10)
        self._server.server_close()
        self.service.stop()


def serve_in_thread(service: Bot, host: str = "127.0.0.1", port: int = 0) -> BotServer:
    """Serve the webhook endpoint and start the inbox workers."""
    server = make_server(host, port, create_app(service), threaded=True, request_handler=_Quiet)
    thread = threading.Thread(
        target=server.serve_forever,
        kwargs={"poll_interval": 0.05},
        name="statusbot-http",
        daemon=True,
    )
    thread.start()
    service.start()
    return BotServer(f"http://{host}:{server.server_port}", service, server, thread)
