"""Properties of the grammar over any text: it never raises, and its answers are stable."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from core.statuses import LANGS, Lang
from handlers.command import Parsed, Unknown
from handlers.grammar.lang import ENGLISH_WORDS, SWEDISH_WORDS
from handlers.grammar.parser import parse
from handlers.grammar.time_words import NUMBER_WORDS
from handlers.manifest import load_manifest

TODAY = date(2026, 11, 27)
BOT = ["Statusbot"]

_EXAMPLE_WORDS = sorted(
    {
        word
        for command in load_manifest().commands
        for example in (*command.examples.en, *command.examples.sv)
        for word in example.split()
    }
)
GRAMMAR_WORDS = st.sampled_from(
    sorted(ENGLISH_WORDS | SWEDISH_WORDS | set(NUMBER_WORDS))
    + _EXAMPLE_WORDS
    + ["@Statusbot", "Statusbot", "customer", "kund", "export", "exportera", "language", "språk"]
    + ["0", "1", "99999", "2027-03-31", "2027-02-30", "9999-12-31", "expiring_30", "(Cisco)"]
    + ["?", "!", ".", ",", ":", ";", "&", "\n", "\u200f", "\x00", "🚀", "شركة", "Å", '"', "*"]
)
GRAMMAR_TEXT = st.lists(GRAMMAR_WORDS, max_size=12).map(" ".join)
ANY_CHARACTER = st.one_of(
    st.characters(),
    st.characters(categories=["Cs"]),  # lone surrogates
    st.characters(categories=["Cc", "Cf", "Zl", "Zp", "Zs", "Mn"]),
)
ANY_TEXT = st.one_of(st.text(), st.text(ANY_CHARACTER), GRAMMAR_TEXT)


def _check(parsed: Parsed) -> None:
    assert isinstance(parsed, Parsed)
    assert parsed.lang in ("en", "sv")
    command = parsed.command
    assert type(command).model_validate(command.model_dump()) == command  # a valid model
    if isinstance(parsed.command, Unknown):
        assert len(parsed.command.suggestions) <= 3
        assert len(parsed.command.text) <= 201


@given(st.text())
def test_never_raises_on_any_text(text: str) -> None:
    _check(parse(text, today=TODAY, bot_names=BOT))


@given(st.text(ANY_CHARACTER), st.sampled_from(LANGS))
def test_never_raises_on_control_format_and_surrogate_characters(text: str, lang: Lang) -> None:
    _check(parse(text, today=TODAY, bot_names=BOT, default_lang=lang))


@settings(max_examples=500)
@given(GRAMMAR_TEXT, st.dates())
def test_never_raises_on_texts_built_from_grammar_words(text: str, today: date) -> None:
    _check(parse(text, today=today, bot_names=BOT))


@given(ANY_TEXT, st.lists(st.text(max_size=20), max_size=3))
def test_never_raises_whatever_the_bot_names(text: str, names: list[str]) -> None:
    _check(parse(text, today=TODAY, bot_names=names))


@settings(max_examples=300)
@given(GRAMMAR_TEXT)
def test_a_mention_and_trailing_punctuation_change_nothing(text: str) -> None:
    plain = parse(text, today=TODAY, bot_names=BOT)
    assert parse(f"@Statusbot {text}", today=TODAY, bot_names=BOT) == plain
    assert parse(f"{text}?!", today=TODAY, bot_names=BOT) == plain
    assert parse(f"  {text}  ", today=TODAY, bot_names=BOT) == plain


@given(GRAMMAR_TEXT)
def test_parsing_is_deterministic(text: str) -> None:
    assert parse(text, today=TODAY) == parse(text, today=TODAY)


def test_huge_input_is_refused_politely() -> None:
    """Huge texts are not read (MAX_TEXT_LENGTH), so they can't be used to stall
    the bot; the answer is Unknown with a short echo. (Speed is measured in
    benchmarks/, never asserted here.)"""
    for text in ("a" * 100_000, "show " * 20_000, "customer " + "x" * 100_000, "\u200f" * 50_000):
        parsed = parse(text, today=TODAY, bot_names=BOT)
        _check(parsed)
        assert parsed.command.kind in ("unknown", "help")
