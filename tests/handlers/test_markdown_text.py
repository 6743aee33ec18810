"""A reply's plain ``text``: its markdown's words with no backslash or markup left."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from core.query import Query
from handlers.cards.list_card import list_reply
from handlers.cards.safe_text import escape_markdown, md, plain
from handlers.grammar.parser import parse
from handlers.markdown_text import markdown_to_text
from handlers.registry import handle
from handlers.reply import Reply
from tests.handlers import builders
from tests.handlers.builders import HOSTILE_NAMES, TODAY


@given(st.text())
def test_escaped_data_reads_back_as_itself(value: str) -> None:
    assert markdown_to_text(escape_markdown(value)) == plain(value)
    assert markdown_to_text(f"**{escape_markdown(value)}**") == plain(value)


def test_catalogue_sentences_keep_their_parameters_literal() -> None:
    sentence = md("unknown", "en", text="show expiring in -5 days")
    assert "\\-5" in sentence
    assert markdown_to_text(sentence) == "Sorry, I didn't understand “show expiring in -5 days”."


def _reply_to(text: str) -> Reply:
    return handle(parse(text, today=TODAY).command, builders.context())


def test_an_invalid_date_and_its_suggestion_read_clean() -> None:
    reply = _reply_to("expiring before 2027-02-30")
    assert "2027\\-02\\-30" in reply.markdown  # markdown stays escaped
    assert "\\" not in reply.text
    assert "“expiring before 2027-02-30”" in reply.text
    assert "“expiring before 2027-03-31”" in reply.text


def test_swedish_replies_read_clean_too() -> None:
    reply = handle(
        parse("visa går ut inom -5 dagar", today=TODAY).command, builders.context(lang="sv")
    )
    assert "-5" in reply.text
    assert "\\" not in reply.text


def test_hostile_names_are_plain_characters_in_the_text_and_inert_in_markdown() -> None:
    page = builders.page(len(HOSTILE_NAMES), size=len(HOSTILE_NAMES))
    reply = list_reply(page, Query(), 0, "en")
    assert "Acme *Bold* [x](http://evil)" in reply.text
    assert "Evil <@all> Corp" in reply.text
    assert "<b>Bold</b> & <script>alert(1)</script>" in reply.text
    assert "Acme \\*Bold\\* \\[x\\]\\(http\\:" in reply.markdown
    assert "<@all>" not in reply.markdown
    assert "**" not in reply.text
