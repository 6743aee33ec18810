"""The one post path (``bot.answering.outgoing.post``) as proactive posts use it: the audience is
checked right before the attempt, and a fenced-off caller never posts."""

from __future__ import annotations

from bot.access import Verdict
from bot.answering.outgoing import Posted, Withheld, post
from bot.inbox.claims import LostClaim
from handlers.reply import Reply
from tests.reliability.conftest import StackFactory
from tests.reliability.helpers import group


class Fence:
    def __init__(self, held: bool) -> None:
        self.held = held
        self.prints: list[str] = []

    def sending(self, fingerprint: str) -> None:
        if not self.held:
            raise LostClaim("taken over")
        self.prints.append(fingerprint)


def test_a_post_nobody_asked_for_goes_only_to_a_space_of_allowed_people(
    make_stack: StackFactory,
) -> None:
    stack = make_stack()
    room = group(stack, "bob@example.com")
    service = stack.bot.service
    check = service.responder.audience.space_check(room, "digest 1")
    fence = Fence(held=True)
    sent = post(service.webex, fence, room, Reply(markdown="digest"), audience=check)
    assert isinstance(sent, Posted) and len(fence.prints) == 1
    stack.alice.memberships.create(roomId=room, personEmail="eve@evil.com")
    withheld = post(service.webex, fence, room, Reply(markdown="digest"), audience=check)
    assert withheld == Withheld(Verdict.MEMBER_NOT_ALLOWED)
    assert [m["markdown"] for m in stack.bot_messages(room)][1:] == ["digest"]


def test_a_caller_that_lost_its_claim_never_posts(make_stack: StackFactory) -> None:
    stack = make_stack()
    room = group(stack, "bob@example.com")
    service = stack.bot.service
    try:
        post(service.webex, Fence(held=False), room, Reply(markdown="late"))
    except LostClaim:
        pass
    else:
        raise AssertionError("posted without holding the claim")
    assert [m["markdown"] for m in stack.bot_messages(room)][1:] == []
