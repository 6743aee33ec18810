"""Markdown as Webex renders it: mentions become ids, ``html`` and plain ``text``.

Outgoing syntax: ``<@personEmail:x@y|Name>``, ``<@personId:ID|Name>``, ``<@all>``.
The plain text shows only the name (the first name when none is given), which
is why a bot finds its own first name in the text of a message mentioning it.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from emulator.models import Person

MENTION = re.compile(
    r"<@(?:(?P<kind>personEmail|personId):(?P<target>[^|>]+)(?:\|(?P<label>[^>]*))?"
    r"|(?P<all>all)(?:\|(?P<all_label>[^>]*))?)>"
)
_LINK = re.compile(r"\[([^\]]+)\]\(([^)\s]+)\)")
_BOLD = re.compile(r"\*\*(.+?)\*\*|__(.+?)__")
_ITALIC = re.compile(r"(?<![\*\w])\*(?!\s)(.+?)(?<!\s)\*(?!\*)")
_CODE = re.compile(r"`([^`]*)`")


@dataclass
class Rendered:
    text: str
    html: str
    mentioned_people: list[str] = field(default_factory=list)
    mentioned_groups: list[str] = field(default_factory=list)


def plain_from_markdown(markdown: str) -> str:
    text = _LINK.sub(r"\1", markdown)
    text = _BOLD.sub(lambda m: m.group(1) or m.group(2), text)
    text = _ITALIC.sub(r"\1", text)
    return _CODE.sub(r"\1", text)


def html_from_markdown(markdown: str) -> str:
    out = html_lib.escape(markdown, quote=False)
    out = _CODE.sub(r"<code>\1</code>", out)
    out = _LINK.sub(r'<a href="\2">\1</a>', out)
    out = _BOLD.sub(lambda m: f"<strong>{m.group(1) or m.group(2)}</strong>", out)
    out = _ITALIC.sub(r"<em>\1</em>", out)
    return out.replace("\n", "<br/>")


def render(markdown: str, resolve: Callable[[str, str], Person | None]) -> Rendered:
    """Render ``markdown``; ``resolve(kind, target)`` finds the mentioned person."""
    texts: list[str] = []
    htmls: list[str] = []
    people: list[str] = []
    groups: list[str] = []
    pos = 0
    for match in MENTION.finditer(markdown):
        before = markdown[pos : match.start()]
        texts.append(plain_from_markdown(before))
        htmls.append(html_from_markdown(before))
        pos = match.end()
        if match.group("all"):
            label = match.group("all_label") or "All"
            texts.append(label)
            htmls.append(
                '<spark-mention data-object-type="groupMention" data-group-type="all">'
                f"{html_lib.escape(label)}</spark-mention>"
            )
            if "all" not in groups:
                groups.append("all")
            continue
        person = resolve(match.group("kind"), match.group("target").strip())
        if person is None:
            label = match.group("label") or match.group("target")
            texts.append(label)
            htmls.append(html_lib.escape(label))
            continue
        label = match.group("label") or person.first_name
        texts.append(label)
        htmls.append(
            f'<spark-mention data-object-type="person" data-object-id="{person.id}">'
            f"{html_lib.escape(label)}</spark-mention>"
        )
        if person.id not in people:
            people.append(person.id)
    rest = markdown[pos:]
    texts.append(plain_from_markdown(rest))
    htmls.append(html_from_markdown(rest))
    return Rendered(
        text="".join(texts),
        html="<p>" + "".join(htmls) + "</p>",
        mentioned_people=people,
        mentioned_groups=groups,
    )
