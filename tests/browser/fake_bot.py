"""A tiny stand-in bot for the playground's browser test: a REAL webhook receiver.

It is served by werkzeug on a free local port, registers its webhooks through
the real ``webexpythonsdk`` as the bot, checks every delivery's
``X-Spark-Signature`` (HMAC-SHA1 of the raw body with the webhook secret),
answers 204 at once and works afterwards, as a Webex bot should:

* ``show expiring in 30 days`` → a small Adaptive Card (schema 1.3) with an
  ``Input.Text``, an ``Action.Submit`` and an ``Action.OpenUrl`` button;
* a submission of that card → ``clicked: {inputs as JSON}``;
* ``send a file`` → a text file attached (multipart upload);
* anything else → ``echo: <text>`` as a reply in the message's thread.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import tempfile
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from webexpythonsdk import WebexAPI
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server
from werkzeug.wrappers import Request, Response

SECRET = "playground-test-secret"
EXPIRING_COMMAND = "show expiring in 30 days"
FILE_COMMAND = "send a file"
CARD_SCHEMA = "http://adaptivecards.io/schemas/adaptive-card.json"
CARD_TYPE = "application/vnd.microsoft.card.adaptive"

EXPIRING_CARD: dict[str, Any] = {
    "type": "AdaptiveCard",
    "$schema": CARD_SCHEMA,
    "version": "1.3",
    "body": [
        {
            "type": "TextBlock",
            "text": "Expiring within 30 days",
            "weight": "Bolder",
            "size": "Medium",
        },
        {
            "type": "FactSet",
            "facts": [
                {"title": "Acme Oy", "value": "Meetings · expires 2026-12-10"},
                {"title": "Borealis AB", "value": "Calling · expires 2026-12-19"},
            ],
        },
        {"type": "Input.Text", "id": "note", "label": "Note", "placeholder": "Add a note"},
    ],
    "actions": [
        {
            "type": "Action.Submit",
            "title": "Show Acme Oy",
            "data": {"command": "show", "customer": "acme"},
        },
        {"type": "Action.OpenUrl", "title": "Open the list", "url": "OPEN_URL"},
    ],
}


class _QuietHandler(WSGIRequestHandler):
    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        return None


@dataclass
class FakeBot:
    """Call :meth:`start` with the emulator's API URL; :meth:`stop` when done."""

    api_url: str
    token: str
    secret: str = SECRET
    url: str = ""
    errors: list[str] = field(default_factory=list)
    actions: list[dict[str, Any]] = field(default_factory=list)
    _server: BaseWSGIServer | None = None
    _threads: list[threading.Thread] = field(default_factory=list)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.api = WebexAPI(
            access_token=self.token, base_url=self.api_url, wait_on_rate_limit=False
        )
        self.me = self.api.people.me()

    # -- serving ---------------------------------------------------------------------
    def start(self) -> FakeBot:
        server = make_server("127.0.0.1", 0, self, threaded=True, request_handler=_QuietHandler)
        self._server = server
        self._spawn(server.serve_forever, 0.05)
        self.url = f"http://127.0.0.1:{server.server_port}/webhook"
        for resource in ("messages", "attachmentActions"):
            self.api.webhooks.create(
                name=f"playground test {resource}",
                targetUrl=self.url,
                resource=resource,
                event="created",
                secret=self.secret,
            )
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        for thread in self._threads:
            thread.join(timeout=5)

    def _spawn(self, target: Callable[..., Any], *args: Any) -> None:
        thread = threading.Thread(target=target, args=args, daemon=True)
        with self._lock:
            self._threads.append(thread)
        thread.start()

    # -- the webhook receiver ------------------------------------------------------------
    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = Request(environ)
        body = request.get_data()
        expected = hmac.new(self.secret.encode(), body, hashlib.sha1).hexdigest()
        given = request.headers.get("X-Spark-Signature", "")
        if not hmac.compare_digest(expected, given):
            self.errors.append(f"bad signature on {request.path}")
            return Response(b"bad signature", status=403)(environ, start_response)
        self._spawn(self._safely, json.loads(body))
        return Response(status=204)(environ, start_response)

    def _safely(self, envelope: dict[str, Any]) -> None:
        try:
            self.handle(envelope)
        except Exception as exc:  # reported by the test, never lost in a thread
            self.errors.append(f"{type(exc).__name__}: {exc}")

    def handle(self, envelope: dict[str, Any]) -> None:
        data = envelope["data"]
        if envelope["resource"] == "attachmentActions":
            action = self.api.attachment_actions.get(data["id"])
            with self._lock:
                self.actions.append({"messageId": action.messageId, "inputs": dict(action.inputs)})
            inputs = json.dumps(action.inputs, sort_keys=True)
            self.api.messages.create(roomId=action.roomId, text=f"clicked: {inputs}")
            return
        if data.get("personId") == self.me.id:
            return
        message = self.api.messages.get(data["id"])
        text = self._without_mention(message.text or "")
        if text.lower() == EXPIRING_COMMAND:
            self.api.messages.create(
                roomId=message.roomId,
                markdown="**Expiring within 30 days**: Acme Oy, Borealis AB",
                attachments=[{"contentType": CARD_TYPE, "content": self._card()}],
            )
        elif text.lower() == FILE_COMMAND:
            self._send_file(message.roomId)
        else:
            self.api.messages.create(
                roomId=message.roomId,
                parentId=message.parentId or message.id,
                markdown=f"echo: **{text}**",
            )

    def _card(self) -> dict[str, Any]:
        """The card, its Action.OpenUrl pointing at the emulator (no outside network)."""
        card = json.loads(json.dumps(EXPIRING_CARD))
        card["actions"][1]["url"] = self.open_url
        return card

    @property
    def open_url(self) -> str:
        return self.api_url.removesuffix("/v1/") + "/playground/playground.css"

    def _without_mention(self, text: str) -> str:
        for name in (self.me.displayName, self.me.firstName):
            if name and text.startswith(name):
                text = text[len(name) :]
        return text.strip()

    def _send_file(self, room_id: str) -> None:
        with tempfile.TemporaryDirectory() as folder:
            path = Path(folder) / "expiring.csv"
            path.write_text("customer,expires\nAcme Oy,2026-12-10\n", encoding="utf-8")
            self.api.messages.create(roomId=room_id, text="Here it is", files=[str(path)])
