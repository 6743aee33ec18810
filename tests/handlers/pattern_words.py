"""The words a grammar pattern can read, found by walking the parsed regex.

The language vote (``handlers.grammar.lang``) only counts words it knows, so a
rule whose words are in neither vocabulary silently answers in the wrong
language. This expands a pattern into every word it can match: alternatives
and optional parts are followed, separators (spaces, ``\\s``, character classes,
excluded groups) end a word. Words may span pieces (``tillhandahåll(?:ad|en)``),
so each alternative is kept as its first and last partial word, and whole words
in between are collected as they are completed.
"""

from __future__ import annotations

import re
from re import _constants as c  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

#: (the partial word before the first separator, the one after the last; None: no separator).
Fragment = tuple[str, str | None]
_SEPARATOR: Fragment = ("", "")
_EMPTY: Fragment = ("", None)
_LETTERS = re.compile(r"[^\W\d_]+")


def _join(a: Fragment, b: Fragment, words: set[str]) -> Fragment:
    (lead_a, trail_a), (lead_b, trail_b) = a, b
    if trail_a is None:
        return (lead_a + lead_b, trail_b) if trail_b is not None else (lead_a + lead_b, None)
    if trail_b is None:
        return lead_a, trail_a + lead_b
    words.add(trail_a + lead_b)
    return lead_a, trail_b


def _sequence(items: Any, skip: frozenset[int], words: set[str]) -> set[Fragment]:
    result = {_EMPTY}
    for op, av in items:
        options = _item(op, av, skip, words)
        result = {_join(a, b, words) for a in result for b in options}
    return result


def _item(op: Any, av: Any, skip: frozenset[int], words: set[str]) -> set[Fragment]:
    if op is c.LITERAL:
        char = chr(av)
        return {_SEPARATOR} if char.isspace() else {(char, None)}
    if op is c.BRANCH:
        return set().union(*(_sequence(branch, skip, words) for branch in av[1]))
    if op is c.SUBPATTERN:
        group, _, _, pattern = av
        return {_SEPARATOR} if group in skip else _sequence(pattern, skip, words)
    if op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT):
        low, high, pattern = av
        once = _sequence(pattern, skip, words)
        options = set() if low > 0 else {_EMPTY}
        options |= once
        if high > 1:
            options |= {_join(a, b, words) for a in once for b in once}
        return options
    if op is c.IN and all(kind is c.LITERAL for kind, _ in av):
        # [sz], and what the parser makes of (?:en|et): "e" then [nt]
        return set().union(*(_item(kind, code, skip, words) for kind, code in av))
    if op in (c.AT, c.ASSERT, c.ASSERT_NOT):
        return {_EMPTY}
    return {_SEPARATOR}  # a character class, any character, a back reference


def pattern_words(pattern: re.Pattern[str], skip_groups: frozenset[str] = frozenset()) -> set[str]:
    """Every letter-only word ``pattern`` can match, casefolded; ``skip_groups`` are
    named groups whose text does not vote (names, a chosen language)."""
    parsed = _parser.parse(pattern.pattern, pattern.flags)
    skip = frozenset(
        parsed.state.groupdict[name] for name in skip_groups if name in pattern.groupindex
    )
    words: set[str] = set()
    for lead, trail in _sequence(parsed, skip, words):
        words.update((lead, trail or ""))
    return {word for text in words for word in _LETTERS.findall(text.casefold())}
