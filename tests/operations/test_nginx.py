"""Slow clients meet nginx, not gunicorn (issue 11, item 3).

Twenty connections announce a 60,000-byte body and trickle it a byte at a time;
while they hang on, a signed delivery and /healthz go through the shipped nginx
config (deploy/nginx/statusbot.conf) to ``statusbot run`` and are answered. The
same twenty straight at gunicorn hold its threads, and the delivery is not
answered: that is why the config exists. Loopback only, bounded in time.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest
import requests

from emulator.server import ServerHandle
from tests.operations.nginx import Nginx
from tests.operations.process import StatusbotRun
from tests.operations.test_readyz_run import PATIENCE, delivery_request

SLOW_CLIENTS = 20
ANNOUNCED = 60_000


class SlowBodies:
    """Connections that announce a body and send it one byte per ``interval``."""

    def __init__(self, port: int, *, count: int = SLOW_CLIENTS, interval: float = 0.5) -> None:
        self._port = port
        self._count = count
        self._interval = interval
        self._stop = threading.Event()
        self._sockets: list[socket.socket] = []
        self._thread = threading.Thread(target=self._trickle, daemon=True)

    def __enter__(self) -> SlowBodies:
        head = (
            "POST /webhooks/webex HTTP/1.1\r\nHost: statusbot\r\n"
            "Content-Type: application/json\r\nX-Spark-Signature: 0\r\n"
            f"Content-Length: {ANNOUNCED}\r\n\r\n{{"
        ).encode()
        for _ in range(self._count):
            connection = socket.create_connection(("127.0.0.1", self._port), timeout=5)
            connection.sendall(head)
            self._sockets.append(connection)
        self._thread.start()
        return self

    def _trickle(self) -> None:
        while not self._stop.wait(self._interval):
            for connection in self._sockets:
                with contextlib.suppress(OSError):  # dropped by the server: one defence
                    connection.send(b" ")

    def __exit__(self, *_exc: object) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        for connection in self._sockets:
            connection.close()


@pytest.fixture
def nginx(bot: StatusbotRun, tmp_path: Path) -> Iterator[Nginx]:
    proxy = Nginx(tmp_path / "nginx", bot.port).start()
    try:
        yield proxy
    finally:
        proxy.stop()


def test_slow_bodies_through_nginx_do_not_delay_a_signed_delivery(
    bot: StatusbotRun, nginx: Nginx, emulator: ServerHandle
) -> None:
    with SlowBodies(nginx.port):
        answer = requests.post(**delivery_request(nginx.url, emulator), timeout=PATIENCE)
        # the emulator may have delivered the same question first: then it is a duplicate
        assert answer.status_code == 200
        assert answer.json() in ({"status": "stored"}, {"status": "duplicate"})
        assert requests.get(nginx.url + "/healthz", timeout=PATIENCE).status_code == 200
    # what the internet may reach, and what it may not
    assert requests.get(nginx.url + "/webhooks/webex", timeout=10).status_code == 403
    assert requests.get(nginx.url + "/anything", timeout=10).status_code == 404
    too_big = requests.post(nginx.url + "/webhooks/webex", data=b"x" * 70_000, timeout=10)
    assert too_big.status_code == 413


def test_slow_bodies_straight_at_gunicorn_hold_up_the_delivery(
    bot: StatusbotRun, emulator: ServerHandle
) -> None:
    """The control: without nginx the same clients win (so the test above can fail)."""
    with SlowBodies(bot.port), pytest.raises(requests.Timeout):
        requests.post(**delivery_request(bot.url, emulator), timeout=5)
