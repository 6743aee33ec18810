"""Typed text, English or Swedish, to one ``Command`` and the language it was asked in.

``parse`` cleans the text, then tries an **ordered** list of rules
(``handlers.registry.RULES``: each command kind's rules, in the registry's
order), each a regex matched against the *whole* cleaned text (anchored, never
a substring: "delhi" is not "hi"). The first rule whose captures validate into
the pydantic command models wins; a rule whose captures do not validate (a
name of 101 characters, a horizon of 20 years, "paid trials") counts as not
matching and the next rule is tried. The last rule reads a customer-list
question as a sequence of phrases (``handlers.grammar.phrases``). Text no rule
reads becomes ``Unknown`` with up to three close manifest examples.

Decisions:

* Cleaning: Unicode NFC; control characters and line breaks become spaces and
  invisible format characters are dropped (ZWJ/ZWNJ kept, scripts need them);
  lone surrogates become U+FFFD; runs of spaces collapse to one; ``?!.,:;``
  (and ``¿¡…``) are trimmed at both ends. Any case.
* Emoji at either end ("show expiring in 30 days 🎉") are decoration, as
  "please" and "!" are: text no rule reads is tried again without them. Only
  then, so a name keeps its emoji ("customer Acme 🚀" looks for "Acme 🚀").
* Mentions: every ``bot_names`` entry (optionally with ``@``) is removed where
  it stands as a separate word at the start or the end, repeatedly ("@Statusbot,
  help" and "help @Statusbot"). Not in the middle: "customer Statusbot AB"
  keeps its name.
* Empty text (a bare mention) is ``ShowHelp``. Greetings ("hi", "hej") too.
* Language: a vote of the grammar words read (names and the value of
  "language X" left out); a tie, e.g. "filter", falls back to
  ``default_lang`` (the space's language). See ``handlers.grammar.lang``.
  For "language sv" ``Parsed.lang`` is the language of the words ("en"); the
  chosen language is ``SetLanguage.lang``.
* Names after "customer"/"kund" (also "customer:", "details for", "detaljer
  för", "status of", and "search"/"sök"/"named"/"som heter" for a list) keep
  their case and characters; only the cleaning above applies (so a trailing
  "." is gone and inner spaces are single), and one pair of surrounding quotes
  is removed. Longer than 100 characters → ``Unknown`` (truncating could show
  the wrong customer).
* Horizons: "in N days/weeks/months/years" = N × 1/7/30/365 days, counted from
  today, inclusive ("a month" = 30 days). "before DATE" is exclusive
  (``expiring_before`` = DATE, kept as typed so the reply says the same date);
  "by"/"until"/"senast"/"till och med" DATE is inclusive. "this/next week" ends
  on Sunday (ISO weeks), "this/next month" and "this/next year" on their last
  day; a horizon always starts today. "expiring" alone means 60 days, "expiring
  soon" 30.
* Typed expiry words are a horizon, never a bucket: "Går ut inom 60 dagar"
  (a Partner Hub label) means 0–60 days of both kinds, as status-reference.md
  asks of questions; the bucket itself is reachable by its key ("expiring_60")
  or the filter card. Every other status label (both languages) selects its
  status. "expired" alone means {suspended, trial_expired}; "manual
  provisioning" both manual statuses.
* "page N" is 1-based for people (``ListCustomers.page`` = N − 1) and goes
  with a question ("show suspended page 2"); "page 2" alone and "next page"
  need conversation state and are ``Unknown`` here.
* Suggestions come from ``manifest.json`` (loaded once, lazily), closest by
  ``difflib`` ratio ≥ 0.5, in the detected language; none may be close.
* Input longer than 500 characters is ``Unknown`` without being read; the
  ``Unknown.text`` echo is cut at 200 characters.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from functools import lru_cache

from core.statuses import Lang
from handlers.command import Parsed, Unknown
from handlers.commands.help import ShowHelp
from handlers.grammar.lang import detect_lang, suggest
from handlers.registry import RULES

__all__ = ["MAX_ECHO_LENGTH", "MAX_TEXT_LENGTH", "RULES", "clean", "parse"]

MAX_TEXT_LENGTH = 500
MAX_ECHO_LENGTH = 200


def parse(
    text: str,
    *,
    today: date,
    bot_names: Sequence[str] = (),
    default_lang: Lang = "en",
) -> Parsed:
    """The command ``text`` asks for and the language it asks in. Never raises.

    ``today`` anchors relative horizons ("this month"); ``bot_names`` are the
    names a mention of the bot shows as (Webex puts the bot's first name in
    the text); ``default_lang`` decides when the words do not ("filter").
    """
    cleaned = clean(text, bot_names)
    if not cleaned:
        return Parsed(command=ShowHelp(), lang=default_lang)
    if len(cleaned) <= MAX_TEXT_LENGTH:
        undecorated = _trim_emoji(cleaned).strip(_TRIM)
        for candidate in dict.fromkeys((cleaned, undecorated)):
            parsed = _read(candidate, today, default_lang)
            if parsed is not None:
                return parsed
    echo = cleaned[:MAX_ECHO_LENGTH]
    lang = detect_lang(echo, default_lang)
    unknown = Unknown(
        text=echo if len(cleaned) <= MAX_ECHO_LENGTH else echo + "…",
        suggestions=suggest(echo, lang),
    )
    return Parsed(command=unknown, lang=lang)


def _read(text: str, today: date, default_lang: Lang) -> Parsed | None:
    """The first rule that reads the whole of ``text`` and validates, or None."""
    for rule in RULES:
        match = rule.pattern.fullmatch(text)
        if match is None:
            continue
        try:
            command, words = rule.build(match, today)
        except (ValueError, OverflowError):  # captures that are no valid command
            continue
        return Parsed(command=command, lang=detect_lang(words, default_lang))
    return None


_TRIM = " ?!.,:;¿¡…"
_JOINERS = frozenset("\u200c\u200d")


def clean(text: str, bot_names: Sequence[str] = ()) -> str:
    """``text`` as the rules read it (see the decisions above): one line, trimmed, no mention."""
    kept = []
    for char in text:
        category = unicodedata.category(char)
        if char.isspace() or category in ("Cc", "Zl", "Zp"):
            kept.append(" ")
        elif category == "Cs":
            kept.append("\ufffd")
        elif category != "Cf" or char in _JOINERS:
            kept.append(char)
    text = " ".join(unicodedata.normalize("NFC", "".join(kept)).split())
    mention = _mention_pattern(tuple(bot_names))
    while True:
        trimmed = text.strip(_TRIM)
        if mention is not None:
            trimmed = mention.sub("", trimmed).strip(_TRIM)
        if trimmed == text:
            return text
        text = trimmed


#: Parts of an emoji that are not symbols themselves: variation selectors, the
#: joiner of sequences, the keycap, skin tones, tag characters (flags).
_EMOJI_PARTS = frozenset("\ufe0e\ufe0f\u200d\u20e3") | {chr(c) for c in range(0x1F3FB, 0x1F400)}


def _is_emoji_part(char: str) -> bool:
    return (
        (unicodedata.category(char) == "So" and char != "\ufffd")
        or char in _EMOJI_PARTS
        or 0xE0020 <= ord(char) <= 0xE007F
    )


def _trim_emoji(text: str) -> str:
    """``text`` without emoji (symbols and their joiners) and spaces at either end."""
    start, end = 0, len(text)
    while start < end and (_is_emoji_part(text[start]) or text[start].isspace()):
        start += 1
    while end > start and (_is_emoji_part(text[end - 1]) or text[end - 1].isspace()):
        end -= 1
    return text[start:end]


@lru_cache(maxsize=32)
def _mention_pattern(bot_names: tuple[str, ...]) -> re.Pattern[str] | None:
    names = sorted({" ".join(name.split()) for name in bot_names} - {""}, key=len, reverse=True)
    if not names:
        return None
    either = "|".join(re.escape(name) for name in names)
    return re.compile(
        rf"^@?(?:{either})(?=$|[\s{re.escape(_TRIM)}])|(?:^|(?<=\s))@?(?:{either})$",
        re.IGNORECASE,
    )
