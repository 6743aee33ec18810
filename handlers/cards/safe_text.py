"""Text that is safe to show: customer data as typed, never read as markup.

Safety (security-and-reliability.md, Output). Customer data never goes into
markup:

* In cards, any text that contains data (names, ids, service names, a typed
  search) is a ``TextRun`` inside a ``RichTextBlock``. Adaptive Cards do not
  process markdown in a TextRun (only TextBlock does), so ``*x*``, ``[x](y)``,
  ``<@all>`` and ``<b>`` show as typed; ``plain`` only removes control and
  bidi-override characters, which could break lines or reorder what people see.
  TextBlock, FactSet and ChoiceSet titles only ever hold catalogue text,
  numbers, dates and status labels.
* In the markdown fallback, ``escape_markdown`` backslash-escapes every
  CommonMark punctuation character and writes ``&``, ``<`` and ``>`` as
  entities, so no name can start a mention (``<@all>``), an HTML tag, a link or
  any formatting.
"""

from __future__ import annotations

import unicodedata
from typing import Any

from core.statuses import Lang
from handlers.i18n import t

Json = dict[str, Any]

#: Longest name shown in a list row or a fallback line (the detail card shows it whole).
ROW_NAME_CHARS = 60


_MARKDOWN_PUNCTUATION = frozenset("\\`*_{}[]()#+-.!|~:")
_ENTITIES = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
_BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def plain(text: str) -> str:
    """Data made safe to show as plain text: control characters (newlines,
    tabs, NUL) become spaces, bidi overrides go; emoji joiners stay."""
    cleaned = []
    for char in text:
        if char in _BIDI_CONTROLS:
            continue
        cleaned.append(" " if unicodedata.category(char) in ("Cc", "Zl", "Zp") else char)
    return "".join(cleaned)


def shorten(text: str, limit: int = ROW_NAME_CHARS) -> str:
    """``text`` cut to ``limit`` code points, with an ellipsis when it was cut."""
    text = plain(text)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def escape_markdown(text: str) -> str:
    """``text`` shown literally by a Webex markdown renderer (see module docstring)."""
    out = []
    for char in plain(text):
        if char in _ENTITIES:
            out.append(_ENTITIES[char])
        elif char in _MARKDOWN_PUNCTUATION:
            out.append("\\" + char)
        else:
            out.append(char)
    return "".join(out)


def md(key: str, lang: Lang, **params: Any) -> str:
    """A catalogue sentence for the markdown fallback: the (trusted) template as
    written, every string parameter escaped."""
    return t(
        key,
        lang,
        **{name: escape_markdown(v) if isinstance(v, str) else v for name, v in params.items()},
    )


def text_run(value: str, **style: Any) -> Json:
    """A TextRun: shown as is, never read as markdown (so data may go here)."""
    run: Json = {"type": "TextRun", "text": plain(value)}
    run.update({key: item for key, item in style.items() if item is not None})
    return run


def rich(
    *runs: Json, spacing: str | None = None, separator: bool = False, align: str | None = None
) -> Json:
    block: Json = {"type": "RichTextBlock", "inlines": list(runs)}
    if spacing:
        block["spacing"] = spacing
    if align:
        block["horizontalAlignment"] = align
    if separator:
        block["separator"] = True
    return block


def text(value: str, *, spacing: str | None = None, align: str | None = None, **style: Any) -> Json:
    """One line (it wraps) of safe text: a RichTextBlock with one TextRun."""
    return rich(text_run(value, **style), spacing=spacing, align=align)
