"""A real local HTTP server for the URL source tests: each test sets what a
path answers (status, headers, body, a stall), and sees every request."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

Handler = Callable[[Request], Response]


class _Quiet(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


@dataclass
class LocalServer:
    """``routes[path]`` answers requests to ``path``; ``seen`` lists them."""

    routes: dict[str, Handler] = field(default_factory=dict)
    seen: list[Request] = field(default_factory=list)
    url: str = ""
    port: int = 0
    release: threading.Event = field(default_factory=threading.Event)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        self.seen.append(request)
        handler = self.routes.get(request.path)
        response = handler(request) if handler else Response("not found", status=404)
        return response(environ, start_response)


def serve(server: LocalServer, host: str = "127.0.0.1") -> Iterator[LocalServer]:
    wsgi: BaseWSGIServer = make_server(host, 0, server, threaded=True, request_handler=_Quiet)
    thread = threading.Thread(target=wsgi.serve_forever, kwargs={"poll_interval": 0.05})
    thread.daemon = True
    thread.start()
    server.port = wsgi.server_port
    server.url = f"http://{host}:{wsgi.server_port}"
    try:
        yield server
    finally:
        server.release.set()  # let stalled handlers finish
        wsgi.shutdown()
        thread.join(timeout=5)
        wsgi.server_close()
