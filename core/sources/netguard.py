"""Keeping a URL source off the partner's own network.

A URL in the settings is fetched from inside the bot's network, so a URL (or a
DNS answer, or a redirect) pointing at 127.0.0.1, 10.x, 169.254.169.254 (cloud
metadata) and the like would let whoever controls it read internal services.
The check is made on the address the socket actually connected to, not on
the name: a name that resolves to a public address for a check and a private
one for the connection (DNS rebinding) is still refused. Operators who really
serve exports on their own network say so with
``STATUSBOT_SOURCES_ALLOW_PRIVATE=true``.
"""

from __future__ import annotations

import ipaddress
import socket
from typing import Any

import requests
from requests.adapters import HTTPAdapter
from urllib3.connection import HTTPConnection, HTTPSConnection
from urllib3.connectionpool import HTTPConnectionPool, HTTPSConnectionPool


class BlockedAddress(Exception):
    """The connection went to an address that is not public; ``address`` says which."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__(f"{address} is not a public address")


def is_public(address: str) -> bool:
    """True for a globally routable unicast address (IPv4-mapped IPv6 unwrapped)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


class _Guard:
    """Mixed into urllib3's connections: check the peer right after connecting."""

    def _new_conn(self) -> socket.socket:
        sock: socket.socket = super()._new_conn()  # type: ignore[misc]
        peer = str(sock.getpeername()[0])
        if not is_public(peer):
            sock.close()
            raise BlockedAddress(peer)
        return sock


class _GuardedHTTPConnection(_Guard, HTTPConnection):
    pass


class _GuardedHTTPSConnection(_Guard, HTTPSConnection):
    pass


class _GuardedHTTPPool(HTTPConnectionPool):
    ConnectionCls = _GuardedHTTPConnection


class _GuardedHTTPSPool(HTTPSConnectionPool):
    ConnectionCls = _GuardedHTTPSConnection


class _GuardedAdapter(HTTPAdapter):
    def init_poolmanager(self, *args: Any, **kwargs: Any) -> None:
        super().init_poolmanager(*args, **kwargs)
        self.poolmanager.pool_classes_by_scheme = {
            "http": _GuardedHTTPPool,
            "https": _GuardedHTTPSPool,
        }


def session(*, allow_private: bool) -> requests.Session:
    """A session that never uses proxies from the environment (the check is on
    the peer, which a proxy would hide) and, unless ``allow_private``, refuses
    non-public peers with BlockedAddress."""
    result = requests.Session()
    result.trust_env = False
    if not allow_private:
        adapter = _GuardedAdapter(max_retries=0)
        result.mount("http://", adapter)
        result.mount("https://", adapter)
    return result
