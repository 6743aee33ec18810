"""The plain ``text`` of a reply, read back from its markdown.

Webex shows a message's ``text`` where markdown is not rendered: notifications,
previews, clients without rich text, and the terminal of ``statusbot ask``. Left
to itself it derives that text from the markdown and keeps our backslashes
("2027\\-02\\-30", "Acme \\*Bold\\*"), so the bot sends a clean ``text`` of its own.

Deriving it from the markdown (rather than writing every reply twice) keeps one
source for what a reply says. It works because of how our markdown is made
(``handlers.cards.safe_text``): data and every catalogue parameter go through
``escape_markdown`` (each punctuation character backslash-escaped, ``& < >`` as
entities) and builders add only ``**`` for bold. So an escaped character is
content and an unescaped ``*``, ``_`` or backtick is formatting. The plain text
is never rendered as markdown, so a hostile name in it is only characters.
"""

from __future__ import annotations

import re

_ENTITIES = {"&amp;": "&", "&lt;": "<", "&gt;": ">"}
_TOKEN = re.compile(r"\\([!-/:-@\[-`{-~])|(&amp;|&lt;|&gt;)|([*_`])")


def markdown_to_text(markdown: str) -> str:
    """``markdown`` as plain text: escapes and entities undone, formatting dropped."""

    def replace(match: re.Match[str]) -> str:
        escaped, entity, _formatting = match.groups()
        if escaped is not None:
            return str(escaped)
        if entity is not None:
            return _ENTITIES[entity]
        return ""

    return _TOKEN.sub(replace, markdown)
