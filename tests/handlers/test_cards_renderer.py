"""Every card template passes the official Adaptive Cards renderer as a 1.3 host."""

from __future__ import annotations

from tests.cardcheck.runner import Check, cardcheck  # noqa: F401  (fixture)
from tests.handlers.test_cards import REPLIES


def test_official_renderer_accepts_every_card(cardcheck: Check) -> None:  # noqa: F811
    cards = {name: reply.card for name, reply in REPLIES.items() if reply.card is not None}
    report = cardcheck(cards)
    assert set(report) == set(cards)
    assert {name: problems for name, problems in report.items() if problems} == {}


def test_renderer_check_catches_what_webex_cannot_show(cardcheck: Check) -> None:  # noqa: F811
    bad = {
        "type": "AdaptiveCard",
        "$schema": "http://adaptivecards.io/schemas/adaptive-card.json",
        "version": "1.3",
        "body": [{"type": "Table"}, {"type": "Input.ChoiceSet", "id": "x", "style": "filtered"}],
        "actions": [{"type": "Action.Submit", "title": str(i)} for i in range(6)],
    }
    problems = cardcheck({"bad": bad})["bad"]
    assert any("Table" in problem for problem in problems)
    assert any("1.5" in problem for problem in problems)
    assert any("TooManyActions" in problem for problem in problems)
