"""Shared pieces of the emulator suite: constants, SDK clients, a webhook receiver,
and validation against Cisco's published Messaging API schemas.

Plain code (not fixtures; those are in conftest.py), imported as
``tests.emulator.emulator_support``.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import jsonschema
import requests
from referencing import Registry, Resource
from webexpythonsdk import WebexAPI
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

from emulator.server import ServerHandle

BOT_TOKEN = "BOT_TOKEN"
BOT_EMAIL = "statusbot@webex.bot"
ALICE_TOKEN = "ALICE_TOKEN"
BOB_TOKEN = "BOB_TOKEN"
FAILURE_THRESHOLD = 3

#: Cisco's published messaging spec, as the repository carries it (a clean clone tests alike).
MESSAGING_SPEC = Path(__file__).resolve().parents[1] / "fixtures" / "openapi" / "messaging.json"

JsonDict = dict[str, Any]


# -- clients ---------------------------------------------------------------------------
def sdk(handle: ServerHandle, token: str) -> WebexAPI:
    return WebexAPI(access_token=token, base_url=handle.api_url, wait_on_rate_limit=False)


def flush(http: requests.Session, handle: ServerHandle) -> None:
    """Wait until the emulator has attempted every queued webhook delivery."""
    answer = http.post(handle.url + "/_emulator/flush", params={"timeout": 10}).json()
    assert answer == {"idle": True}


# -- a webhook receiver -------------------------------------------------------------------
@dataclass
class Received:
    headers: dict[str, str]
    body: bytes

    def json(self) -> JsonDict:
        parsed: JsonDict = json.loads(self.body)
        return parsed


@dataclass
class Receiver:
    url: str = ""
    status: int = 200
    requests: list[Received] = field(default_factory=list)
    _cond: threading.Condition = field(default_factory=threading.Condition)

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        with self._cond:
            self.requests.append(Received(dict(request.headers), request.get_data()))
            self._cond.notify_all()
        return Response(b"", status=self.status)(environ, start_response)

    def wait_for(self, count: int, timeout: float = 10.0) -> list[Received]:
        with self._cond:
            self._cond.wait_for(lambda: len(self.requests) >= count, timeout=timeout)
            assert len(self.requests) >= count, f"expected {count}, got {len(self.requests)}"
            return list(self.requests)

    def bodies(self) -> list[JsonDict]:
        with self._cond:
            return [r.json() for r in self.requests]


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


def _serve(app: Any) -> tuple[BaseWSGIServer, threading.Thread]:
    server = make_server("127.0.0.1", 0, app, threaded=True, request_handler=_QuietHandler)
    thread = threading.Thread(
        target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True
    )
    thread.start()
    return server, thread


def serve_receiver(target: Receiver) -> Callable[[], None]:
    """Serve ``target`` on a free local port, set its ``url``; returns ``stop``."""
    server, thread = _serve(target)
    target.url = f"http://127.0.0.1:{server.server_port}/webhook"

    def stop() -> None:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()

    return stop


# -- Cisco's schemas ------------------------------------------------------------------------
def load_schema_document() -> JsonDict:
    """Cisco's messaging spec (``tests/fixtures/openapi/messaging.json``)."""
    document: JsonDict = json.loads(MESSAGING_SPEC.read_text(encoding="utf-8"))
    return document


class SchemaChecker:
    def __init__(self, document: JsonDict) -> None:
        self.schemas: JsonDict = document["components"]["schemas"]
        self.registry: Registry[Any] = Registry().with_resource("spec", Resource.opaque(document))

    def validate(self, instance: JsonDict, name: str, extra_keys: tuple[str, ...] = ()) -> None:
        """Valid against ``name`` and using only field names it declares (plus ``extra_keys``).

        ``attachments`` on messages is left out: Cisco's ``Attachment`` describes files,
        so every card message fails it (webex-facts.md).
        """
        instance = _without_attachments(instance)
        schema = {"$ref": f"spec#/components/schemas/{name}"}
        validator = jsonschema.Draft202012Validator(schema, registry=self.registry)
        validator.validate(instance)
        self._known_keys(instance, self.schemas[name], set(extra_keys), name)

    def _known_keys(self, instance: Any, schema: JsonDict, extra: set[str], where: str) -> None:
        """Top-level fields, and those of each of ``items``, must be declared ones."""
        if "$ref" in schema:
            schema = self.schemas[schema["$ref"].rsplit("/", 1)[1]]
        properties = schema.get("properties", {})
        unknown = set(instance) - set(properties) - extra
        assert not unknown, f"{where}: fields not in Cisco's schema: {sorted(unknown)}"
        if "items" in instance and "items" in properties:
            for item in instance["items"]:
                self._known_keys(item, properties["items"]["items"], extra, f"{where}.items")


def _without_attachments(instance: JsonDict) -> JsonDict:
    if "items" in instance and isinstance(instance["items"], list):
        return {**instance, "items": [_without_attachments(i) for i in instance["items"]]}
    return {k: v for k, v in instance.items() if k != "attachments"}
