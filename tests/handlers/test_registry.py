"""The command registry: every kind complete, in order, and read by everything.

A kind is complete when its model's ``kind`` is its id, it has grammar rules
whose words all vote (or are declared neutral), a manifest entry whose examples
in both languages parse to it, and a reply of the declared shape (a card within
Webex's limits and a markdown fallback) whose buttons come back as registered
payloads. ``kind_problems`` names what is missing; a test feeds it an
incomplete kind to show it does.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any, Literal

import pytest

from core.ingest.snapshot import read_snapshot
from core.proactive import ProactiveStore
from core.sample import SAMPLE_TODAY, bundled_sample_path
from core.statuses import LANGS
from core.store.store import Store
from handlers.cards.limits import CARD_BUDGET, MAX_BUTTONS, TEXT_LIMIT, card_size, count_buttons
from handlers.command import Command, CommandKind, fixed, rule
from handlers.commands.summary import ShowSummary
from handlers.grammar.lang import ENGLISH_WORDS, NEUTRAL_WORDS, SWEDISH_WORDS
from handlers.grammar.parser import parse
from handlers.grammar.phrases import PHRASES
from handlers.manifest import Manifest, load_manifest
from handlers.registry import KINDS, PAYLOADS, RULES, handle, ids
from handlers.reply import Reply
from handlers.submissions import parse_submission
from tests.handlers.builders import context, seeded_space
from tests.handlers.pattern_words import pattern_words

MANIFEST = load_manifest()
#: Named groups whose text does not vote: customer names, a chosen language.
NOT_VOTING = frozenset({"name", "value", "said"})
VOTING = ENGLISH_WORDS | SWEDISH_WORDS | NEUTRAL_WORDS


def kind_problems(kind: CommandKind[Any], manifest: Manifest, today: date) -> list[str]:
    """What ``kind`` lacks to be a command people can use (empty: nothing)."""
    problems = []
    if kind.model.model_fields["kind"].default != kind.id:
        problems.append(f"{kind.id}: the model's kind does not default to {kind.id!r}")
    if not kind.rules:
        problems.append(f"{kind.id}: no grammar rule")
    for each in kind.rules:
        silent = sorted(pattern_words(each.pattern, NOT_VOTING) - VOTING)
        if silent:
            problems.append(f"{kind.id}: rule {each.name!r} reads words nobody votes on: {silent}")
    entry = next((command for command in manifest.commands if command.id == kind.id), None)
    if entry is None:
        return [*problems, f"{kind.id}: no manifest entry (help line and examples, en and sv)"]
    for lang in LANGS:
        for example in getattr(entry.examples, lang):
            parsed = parse(example, today=today, default_lang=lang)
            if parsed.command.kind != kind.id:
                problems.append(f"{kind.id}: example {example!r} parses as {parsed.command.kind}")
    return problems


@pytest.mark.parametrize("kind", KINDS, ids=[kind.id for kind in KINDS])
def test_every_kind_is_complete(kind: CommandKind[Any]) -> None:
    assert kind_problems(kind, MANIFEST, SAMPLE_TODAY) == []


class Ping(Command):
    kind: Literal["ping"] = "ping"


class Mislabelled(Command):
    kind: Literal["summary"] = "sumary"


def _answer(command: Any, context: Any) -> Reply:
    return Reply(markdown="pong")


def test_an_incomplete_kind_is_named() -> None:
    ping = CommandKind(model=Ping, rules=(), handle=_answer)
    assert kind_problems(ping, MANIFEST, SAMPLE_TODAY) == [
        "ping: no grammar rule",
        "ping: no manifest entry (help line and examples, en and sv)",
    ]
    gimme = rule("gimme", r"gimme (?:summary|stats)", fixed(ShowSummary()))
    silent = CommandKind(model=ShowSummary, rules=(gimme,), handle=_answer)
    assert kind_problems(silent, MANIFEST, SAMPLE_TODAY) == [
        "summary: rule 'gimme' reads words nobody votes on: ['gimme']"
    ]
    mislabelled = CommandKind(model=Mislabelled, rules=(gimme,), handle=_answer)
    assert kind_problems(mislabelled, MANIFEST, SAMPLE_TODAY)[0] == (
        "summary: the model's kind does not default to 'summary'"
    )
    entries = [
        entry.model_copy(update={"examples": entry.examples.model_copy(update={"en": ["help"]})})
        if entry.id == "summary"
        else entry
        for entry in MANIFEST.commands
    ]
    wrong = MANIFEST.model_copy(update={"commands": entries})
    (summary,) = (kind for kind in KINDS if kind.id == "summary")
    assert kind_problems(summary, wrong, SAMPLE_TODAY) == ["summary: example 'help' parses as help"]


def test_ids_are_unique_and_the_catch_all_is_last() -> None:
    assert len(set(ids())) == len(KINDS)
    assert len({rule.name for rule in RULES}) == len(RULES)
    assert RULES[-1].name == "list" and RULES[-1].pattern.pattern == ".+"


def test_every_list_phrase_votes() -> None:
    silent = {
        phrase.name: sorted(pattern_words(phrase.pattern, NOT_VOTING) - VOTING)
        for phrase in PHRASES
    }
    assert {name: words for name, words in silent.items() if words} == {}


def test_neutral_words_vote_for_neither_language() -> None:
    assert NEUTRAL_WORDS.isdisjoint(ENGLISH_WORDS | SWEDISH_WORDS)


@pytest.fixture(scope="module")
def sample_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Store]:
    path: Path = tmp_path_factory.mktemp("registry") / "sample.db"
    store = Store.open(f"sqlite:///{path}")
    store.import_snapshot(read_snapshot(bundled_sample_path()), today=SAMPLE_TODAY, source="t")
    yield store
    store.close()


def _submits(card: Any) -> Iterator[dict[str, Any]]:
    """The data of every Action.Submit in a card (buttons and selectable rows)."""
    if isinstance(card, dict):
        if card.get("type") == "Action.Submit":
            yield card["data"]
        for value in card.values():
            yield from _submits(value)
    elif isinstance(card, list):
        for item in card:
            yield from _submits(item)


#: Buttons only on cards the scheduler posts, never on a reply to an example
#: (tests/handlers/test_proactive_cards.py covers them).
POSTED_ONLY = frozenset({"alert"})


@pytest.fixture(scope="module")
def proactive_store(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ProactiveStore]:
    path: Path = tmp_path_factory.mktemp("registry") / "proactive.db"
    store = ProactiveStore.open(f"sqlite:///{path}")
    yield store
    store.close()


def test_every_example_gets_a_reply_of_its_kinds_shape(
    sample_store: Store, proactive_store: ProactiveStore
) -> None:
    """Each kind's examples answer with markdown within the text limit, a card when
    the kind says so (within the size and button limits), and buttons that come
    back as registered payloads; between them, every payload has a button."""
    actions: set[str] = set()
    for kind in KINDS:
        entry = MANIFEST.command(kind.id)
        for lang in LANGS:
            for example in getattr(entry.examples, lang):
                command = parse(example, today=SAMPLE_TODAY, default_lang=lang).command
                space = seeded_space(proactive_store)  # each example in a space of its own
                asked = context(
                    sample_store,  # type: ignore[arg-type]
                    lang,
                    SAMPLE_TODAY,
                    proactive=proactive_store,
                    room_id=space,
                )
                reply = handle(command, asked)
                where = f"{kind.id}: {example!r}"
                assert reply.markdown and len(reply.markdown.encode()) <= TEXT_LIMIT, where
                assert (reply.card is not None) == kind.card, where
                if reply.card is None:
                    continue
                assert card_size(reply.card) <= CARD_BUDGET, where
                assert count_buttons(reply.card) <= MAX_BUTTONS, where
                for data in _submits(reply.card):
                    parse_submission(data).command()  # comes back as a valid command
                    actions.add(data["action"])
    assert actions | POSTED_ONLY == set(PAYLOADS)
