"""What the bot answers: markdown for every client, a card for those that show one."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from core.statuses import Lang
from handlers.markdown_text import markdown_to_text

CARD_CONTENT_TYPE = "application/vnd.microsoft.card.adaptive"


@dataclass(frozen=True, slots=True)
class ReplyFile:
    """A file to upload with the reply (one per message, as Webex allows)."""

    filename: str
    content_type: str
    data: bytes


@dataclass(frozen=True, slots=True)
class Reply:
    """One message: ``markdown`` always (the fallback, under Webex's text limit),
    ``card`` (an Adaptive Card 1.3 body) when there is one, ``file`` when the
    answer is a file. ``language`` is set when the command changed the space's
    reply language ("auto": follow each question's language again); the edge stores
    it. ``refusal`` is set when the reply declines (a reason key such as
    ``card_invalid``, for the edge's audit log and metrics; never shown)."""

    markdown: str
    card: dict[str, Any] | None = None
    file: ReplyFile | None = None
    language: Lang | Literal["auto"] | None = None
    refusal: str | None = None

    @property
    def text(self) -> str:
        """The plain text beside the markdown (notifications, clients without rich
        text, the terminal): the same words, no backslashes or markup."""
        return markdown_to_text(self.markdown)

    def attachments(self) -> list[dict[str, Any]]:
        if self.card is None:
            return []
        return [{"contentType": CARD_CONTENT_TYPE, "content": self.card}]
