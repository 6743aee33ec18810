"""The one way the bot posts: access checked again, fenced record, one attempt.

Every post the bot makes (an answer, a refusal, a greeting, an apology, and
proactive digests and alerts) goes through :func:`post`, which does three
things in this order, each for a reason:

1. **The audience is checked again, right before the attempt** (issue 11):
   someone may have joined the space since the question was asked, or since
   the last attempt of a retried post. A post nobody asked for (a digest, an
   alert) goes only when ``audience()`` still says ``ALLOWED``; otherwise
   nothing is posted and :class:`Withheld` says why. (Answers to questions
   check before the answer is built, in the same attempt: a command may change
   things a refused asker must not; ``bot.answering.responder``.)
2. **``fence.sending(fingerprint)`` is committed first**: it fails with
   ``LostClaim`` when the caller no longer holds the work (another worker
   took it over), so a fenced-off worker never posts; and after a crash the
   record says the post may be out.
3. **One attempt** (``once=True``): the caller decides what a failure means
   (:class:`NotPosted` is safe to retry later, after checking again;
   :class:`MaybePosted` may have been posted and has to be settled), using
   ``bot.inbox.retry_plan`` for when.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from bot.access import Verdict
from bot.webex.client import WebexClient
from bot.webex.errors import WebexError
from handlers.cards.limits import fit_text
from handlers.reply import Reply


class Fence(Protocol):
    """What a post is recorded against (an inbox claim, a proactive run)."""

    def sending(self, fingerprint: str) -> None:
        """Commit that the post is about to go out; raise when no longer allowed to."""


@dataclass(frozen=True, slots=True)
class Posted:
    message_id: str


@dataclass(frozen=True, slots=True)
class Withheld:
    """The audience check refused: nothing was posted."""

    verdict: Verdict


@dataclass(frozen=True, slots=True)
class NotPosted:
    """Webex certainly did not post it (429, 503, 4xx, no connection)."""

    error: WebexError


@dataclass(frozen=True, slots=True)
class MaybePosted:
    """500/502/504 or a timeout on the post: Webex may have posted it."""

    error: WebexError


PostResult = Posted | Withheld | NotPosted | MaybePosted


def fingerprint(reply: Reply) -> str:
    """What identifies a posted reply: its markdown as Webex stores it (cut to the limit)."""
    return hashlib.sha256(fit_text(reply.markdown).encode("utf-8")).hexdigest()[:32]


def post(
    webex: WebexClient,
    fence: Fence,
    room_id: str,
    reply: Reply,
    *,
    audience: Callable[[], Verdict] | None = None,
    parent_id: str | None = None,
) -> PostResult:
    """Post ``reply`` to ``room_id`` once, as described above.

    ``audience`` is given for every reply that carries customer data and left
    out for notices that carry none (refusals, greetings, apologies).
    """
    if audience is not None:
        verdict = audience()
        if verdict is not Verdict.ALLOWED:
            return Withheld(verdict)
    fence.sending(fingerprint(reply))
    try:
        message_id = webex.send(room_id, reply, parent_id=parent_id, once=True)
    except WebexError as error:
        return MaybePosted(error) if error.ambiguous else NotPosted(error)
    return Posted(message_id)
