"""The one wrapper around webexpythonsdk: typed answers, bounded retries, nothing secret logged.

Every call goes through ``WebexClient.call``: a 429 sleeps ``Retry-After`` when that is at
most ``RetryPolicy.max_retry_after`` (longer fails at once: the SDK's own
``wait_on_rate_limit`` would park a worker for an hour); 5xx, connection errors and
timeouts back off exponentially with jitter; any other 4xx fails at once. Logs and
``WebexError`` carry the call, the status and the tracking id, never the token or a body.

The in-process plan is deliberately short (seconds): the inbox workers release an
event whose call still fails and try it again later under ``bot.inbox.retry_plan`` (minutes),
so no thread is parked and no lease is outlasted. ``call(once=True)`` makes one attempt:
the inbox posts that way, so each post attempt is preceded by a fresh access check.

Webex has no idempotency key: a ``POST /messages`` that timed out may have been posted,
and retrying it may post twice. ``send`` retries by default (a reply twice beats none);
the inbox, which records ``sending`` → ``sent``, passes ``once=True`` and gets
``WebexError(ambiguous=True)`` to decide itself (``list_recent_bot_messages``).

The answers' types and their parsing live in ``bot.webex.models``, the errors and the retry
policy in ``bot.webex.errors``.
"""

from __future__ import annotations

import logging
import math
import random
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from webexpythonsdk import WebexAPI

from bot.webex.errors import RetryPolicy, WebexError, failure_of
from bot.webex.models import (
    BotIdentity,
    CardSubmission,
    IncomingMessage,
    Json,
    Member,
    PersonInfo,
    _str,
)
from handlers.cards.limits import fit_text
from handlers.reply import Reply, ReplyFile

T = TypeVar("T")
log = logging.getLogger("statusbot.webex")

PAGE_SIZE = 100


def _safe_filename(name: str) -> str:
    cleaned = name.replace("\\", "/").rsplit("/", 1)[-1].replace("\x00", "").strip()
    return cleaned if cleaned not in ("", ".", "..") else "file"


def _tracking(error: WebexError) -> str:
    """ ", tracking id X" for the log, or nothing when Webex never answered."""
    return f", tracking id {error.tracking_id}" if error.tracking_id else ""


class WebexClient:
    """The bot's Webex API. One client may serve several threads (a pooled session).

    ``timeout`` is per HTTP request; the SDK takes whole seconds, so it is rounded up.
    """

    def __init__(
        self,
        token: str,
        api_url: str,
        *,
        retry: RetryPolicy | None = None,
        timeout: float = 20.0,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        if not token:
            raise ValueError("a Webex access token is required")
        self._api = WebexAPI(
            access_token=token,
            base_url=api_url if api_url.endswith("/") else api_url + "/",
            single_request_timeout=max(1, math.ceil(timeout)),
            wait_on_rate_limit=False,
        )
        self._retry = retry or RetryPolicy()
        self._sleep = sleep
        self._me: BotIdentity | None = None

    def call(
        self,
        what: str,
        fn: Callable[[Any], T],
        *,
        idempotent: bool = True,
        retry_ambiguous: bool = True,
        once: bool = False,
    ) -> T:
        """``fn(sdk)`` under the retry policy; every Webex request goes through here.

        ``fn`` must do all its I/O inside (materialise list generators), so a retry
        repeats all of it. ``what`` names the call in logs and errors. ``once``: a
        single attempt; the caller retries (later, after checking again).
        """
        policy = self._retry
        attempts = 1 if once else policy.attempts
        for attempt in range(1, attempts + 1):
            try:
                result = fn(self._api)
            except Exception as exc:
                error = failure_of(what, exc, idempotent)
                if error is None:
                    raise
            else:
                log.debug("%s: ok (attempt %d)", what, attempt)
                return result
            if error.status_code == 429:
                wait = error.retry_after or 0.0
                give_up = wait > policy.max_retry_after
            else:
                wait = policy.backoff(attempt, random.random())
                give_up = not error.retryable or (error.ambiguous and not retry_ambiguous)
            if give_up or attempt == attempts:
                # A plain 4xx is the caller's to judge (a 404 may be expected); say it quietly.
                level = logging.WARNING if error.retryable else logging.INFO
                log.log(
                    level,
                    "%s; gave up after %d attempt(s)%s",
                    error.reason,
                    attempt,
                    _tracking(error),
                )
                raise error from None
            log.info(
                "%s; retry %d of %d in %.2fs%s",
                error.reason,
                attempt,
                attempts - 1,
                wait,
                _tracking(error),
            )
            self._sleep(wait)
        raise AssertionError("unreachable: the loop returns or raises")

    # -- reading --------------------------------------------------------------------------
    def me(self) -> BotIdentity:
        d = self.call("get me", lambda api: api.people.me().to_dict())
        self._me = BotIdentity.from_json(d)
        return self._me

    def _my_id(self) -> str:
        return (self._me or self.me()).id

    def message(self, message_id: str) -> IncomingMessage:
        d = self.call("get message", lambda api: api.messages.get(message_id).to_dict())
        return IncomingMessage.from_json(d)

    def attachment_action(self, action_id: str) -> CardSubmission:
        d = self.call(
            "get card action", lambda api: api.attachment_actions.get(action_id).to_dict()
        )
        return CardSubmission.from_json(d)

    def person(self, person_id: str) -> PersonInfo:
        d = self.call("get person", lambda api: api.people.get(person_id).to_dict())
        return PersonInfo.from_json(d)

    def room_members(self, room_id: str) -> list[Member]:
        """Everyone in the room (every page)."""
        found = self.call(
            "list memberships",
            lambda api: [m.to_dict() for m in api.memberships.list(roomId=room_id, max=PAGE_SIZE)],
        )
        return [Member.from_json(m) for m in found]

    def list_recent_bot_messages(
        self, room_id: str, since: datetime
    ) -> list[IncomingMessage] | None:
        """The bot's own messages in a 1:1 room since ``since``, newest first: to reconcile
        after a crash between sending and recording.

        ``None`` for a group room: there Webex lets a bot list only with
        ``mentionedPeople=me`` (the messages that mention it), never its own, so the
        caller has to choose at-least-once or at-most-once.
        """
        room = self.call("get room", lambda api: api.rooms.get(room_id).to_dict())
        if room.get("type") != "direct":
            return None
        me, since = self._my_id(), since if since.tzinfo else since.replace(tzinfo=UTC)

        def collect(api: Any) -> list[IncomingMessage]:
            found = []
            for item in api.messages.list(roomId=room_id, max=PAGE_SIZE):
                message = IncomingMessage.from_json(item.to_dict())
                if message.created is not None and message.created < since:
                    break  # newest first: the rest is older
                if message.person_id == me:
                    found.append(message)
            return found

        return self.call("list messages", collect)

    # -- writing --------------------------------------------------------------------------
    def send(
        self,
        room_id: str,
        reply: Reply,
        *,
        parent_id: str | None = None,
        retry_ambiguous: bool = True,
        once: bool = False,
    ) -> str:
        """Post ``reply``; return the message id (the card's, when a file follows it).

        Markdown always goes (the fallback where cards don't show), cut to Webex's 7439
        bytes with a warning rather than failing. A Webex message carries a card or a
        file, not both: then the card goes first and the file follows as a second
        message in the same thread; if that one fails, the card is already posted.
        """
        markdown = fit_text(reply.markdown)
        if markdown != reply.markdown:
            size = len(reply.markdown.encode("utf-8"))
            log.warning(
                "send to %s: markdown of %d bytes cut to %d",
                room_id,
                size,
                len(markdown.encode("utf-8")),
            )
        base: Json = {"roomId": room_id, "parentId": parent_id}
        # Our own plain text: Webex would derive it from the markdown, backslashes and all.
        words = {"markdown": markdown, "text": fit_text(reply.text)}
        if reply.file is not None and reply.card is None:
            return self._post_file(base | words, reply.file, retry_ambiguous, once)
        card = words | {"attachments": reply.attachments() or None}
        message_id = self._post(base | card, retry_ambiguous, once)
        if reply.file is not None:
            self._post_file(base, reply.file, retry_ambiguous, False)
        return message_id

    def _post(self, fields: Json, retry_ambiguous: bool, once: bool) -> str:
        args = {key: value for key, value in fields.items() if value is not None}
        created = self.call(
            "post message",
            lambda api: api.messages.create(**args).to_dict(),
            idempotent=False,
            retry_ambiguous=retry_ambiguous,
            once=once,
        )
        return _str(created, "id")

    def _post_file(self, fields: Json, file: ReplyFile, retry_ambiguous: bool, once: bool) -> str:
        """Upload through a temporary file with the reply's file name (the SDK posts a
        path and takes the content type from the name), removed afterwards."""
        with tempfile.TemporaryDirectory(prefix="statusbot-upload-") as folder:
            path = Path(folder) / _safe_filename(file.filename)
            path.write_bytes(file.data)
            return self._post(fields | {"files": [str(path)]}, retry_ambiguous, once)

    def leave_room(self, room_id: str) -> None:
        """Delete the bot's own membership; nothing to do when it is no longer a member
        (Webex then answers 404 for the room)."""
        me = self._my_id()
        try:
            found = self.call(
                "find own membership",
                lambda api: [
                    m.to_dict() for m in api.memberships.list(roomId=room_id, personId=me)
                ],
            )
        except WebexError as error:
            if error.status_code == 404:
                return
            raise
        if found:
            membership_id = _str(found[0], "id")
            self.call("leave room", lambda api: api.memberships.delete(membership_id))
