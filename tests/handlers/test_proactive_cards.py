"""Alert, digest and subscriptions cards: content, paging, both languages, safety, limits."""

from __future__ import annotations

import json
from datetime import UTC, datetime, time
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from core.proactive import AlertRule, Digest, DigestQuestion, Schedule, StatusChange
from core.query import Query
from core.statuses import Lang
from handlers.cards.alert_card import ALERT_PAGE_SIZE, alert_reply
from handlers.cards.digest_card import digest_reply
from handlers.cards.limits import (
    CARD_BUDGET,
    MAX_BUTTONS,
    TEXT_LIMIT,
    card_size,
    count_buttons,
    text_size,
)
from handlers.cards.subscriptions_card import MAX_ITEMS, subscriptions_reply
from handlers.reply import Reply
from tests.cardcheck.runner import Check, cardcheck  # noqa: F401  (fixture)
from tests.handlers import builders
from tests.handlers.builders import TODAY
from tests.handlers.test_cards import FORBIDDEN_RAW, _runs, strings_outside_text_runs

LANGS: tuple[Lang, ...] = ("en", "sv")
ZONE = "Europe/Stockholm"
AT = datetime(2026, 11, 27, 7, 5, tzinfo=UTC)  # 08:05 in Stockholm


def change(
    index: int,
    *,
    name: str | None = None,
    dimension: str = "provisioning",
    old: str | None = "provisioned",
    new: str | None = "failed",
    customer_id: str | None = None,
) -> StatusChange:
    return StatusChange(
        customer_id=customer_id or f"cust-{index:06d}",
        customer_name=name if name is not None else builders.HOSTILE_NAMES[index % 10],
        dimension=dimension,
        old=old,
        new=new,
        at=AT,
    )


def digest(
    number: int = 2,
    question: DigestQuestion | None = None,
    schedule: Schedule | None = None,
    *,
    last_outcome: str | None = None,
) -> Digest:
    return Digest(
        number=number,
        room_id="room-1",
        schedule=schedule or Schedule("daily", time(8, 0)),
        question=question or DigestQuestion("list", Query(needing_attention=True)),
        next_run=datetime(2026, 11, 28, 7, 0, tzinfo=UTC),
        last_run=AT if last_outcome else None,
        last_outcome=last_outcome,
    )


def rule(number: int = 1, query: Query | None = None) -> AlertRule:
    return AlertRule(
        number=number,
        room_id="room-1",
        query=query or Query(needing_attention=True),
        last_run=AT,
        last_outcome="sent",
    )


def mixed_items() -> list[Digest | AlertRule]:
    return [
        digest(
            3, DigestQuestion("summary"), Schedule("weekly", time(9, 0), 0), last_outcome="nothing"
        ),
        rule(1, Query(name="<@all> *x*")),
        digest(2, last_outcome="withheld"),
        digest(
            4,
            DigestQuestion("list", Query(name="Evil <@all> Corp")),
            Schedule("weekdays", time(7, 30)),
        ),
    ]


def proactive_replies() -> dict[str, Reply]:
    replies: dict[str, Reply] = {}
    for lang in LANGS:
        one = [change(0), change(0, dimension="subscription", old=None, new="expiring_30")]
        replies[f"alert-one-{lang}"] = alert_reply(one, lang, batch="b1", zone=ZONE)
        many = [change(i) for i in range(35)]
        for page in range(4):
            replies[f"alert-many-{page}-{lang}"] = alert_reply(many, lang, page=page, batch="b2")
        odd = [change(1, old="nonsense", new=None), change(2, old="failed", new="provisioned")]
        replies[f"alert-odd-{lang}"] = alert_reply(odd, lang, batch="b3")
        store = builders.FakeStore(total=42)
        for label, item in (
            ("attention", digest()),
            ("summary", digest(question=DigestQuestion("summary"))),
            ("named", digest(question=DigestQuestion("list", Query(name="<@all>")))),
        ):
            built = digest_reply(item, store, TODAY, ZONE, lang)
            assert built is not None
            replies[f"digest-{label}-{lang}"] = built
        replies[f"subs-{lang}"] = subscriptions_reply(mixed_items(), ZONE, lang)
        replies[f"subs-empty-{lang}"] = subscriptions_reply([], ZONE, lang)
        lots = [digest(n) for n in range(1, MAX_ITEMS + 1)]
        replies[f"subs-full-{lang}"] = subscriptions_reply(lots, ZONE, lang)
    return replies


REPLIES = proactive_replies()


def within_limits(reply: Reply) -> None:
    assert reply.card is not None
    assert reply.card["version"] == "1.3"
    assert count_buttons(reply.card) <= MAX_BUTTONS
    assert card_size(reply.card) <= CARD_BUDGET
    assert 0 < text_size(reply.markdown) <= TEXT_LIMIT


@pytest.mark.parametrize("name", sorted(REPLIES))
def test_cards_are_1_3_within_limits_and_never_put_data_in_markup(name: str) -> None:
    reply = REPLIES[name]
    within_limits(reply)
    for value in strings_outside_text_runs(reply.card):
        for raw in FORBIDDEN_RAW:
            assert raw not in value, (raw, value)
    for raw in FORBIDDEN_RAW:
        assert raw not in reply.markdown, raw
    assert '"type": "TextBlock"' not in json.dumps(reply.card)


def test_official_renderer_accepts_every_proactive_card(cardcheck: Check) -> None:  # noqa: F811
    cards = {name: reply.card for name, reply in REPLIES.items() if reply.card is not None}
    report = cardcheck(cards)
    assert set(report) == set(cards)
    assert {name: problems for name, problems in report.items() if problems} == {}


# -- alerts ---------------------------------------------------------------------------


def test_alert_groups_a_customer_and_shows_from_to_and_when() -> None:
    changes = [
        change(0, name="Acme", old="provisioned", new="failed"),
        change(0, name="Acme", dimension="subscription", old="active", new="expiring_30"),
        change(1, name="Globex", old=None, new="provisioning"),
    ]
    reply = alert_reply(changes, "en", batch="b", zone=ZONE)
    texts = [run["text"] for run in _runs(reply.card)]
    assert texts[0] == "2 customers changed status"
    assert "Times in Europe/Stockholm." in texts
    assert texts.count("2026-11-27 08:05") == 2  # one per customer, in the space's zone
    line = "".join(texts[texts.index("Acme") : texts.index("Globex")])
    assert "Provisioning status: ● Provisioned → ● Unable to provision" in line
    assert "Subscription status: ● Active → ● Expiring within 30 days" in line
    assert "New customer → ● Provisioning" in "".join(texts[texts.index("Globex") :])
    assert "**Acme** — Provisioning status: Provisioned → Unable to provision" in reply.markdown
    assert reply.markdown.startswith("**2 customers changed status**")


def test_alert_puts_the_most_urgent_first_and_rows_open_details() -> None:
    changes = [
        change(0, name="Calm", old="provisioning", new="provisioned"),
        change(1, name="Burning", old="provisioned", new="failed"),
    ]
    reply = alert_reply(changes, "en", batch="b")
    assert reply.card is not None
    rows = [item for item in reply.card["body"] if "selectAction" in item]
    assert [row["selectAction"]["data"]["id"] for row in rows] == ["cust-000001", "cust-000000"]
    assert reply.markdown.index("Burning") < reply.markdown.index("Calm")


def test_a_large_batch_is_paged_like_a_list() -> None:
    changes = [change(i, name=f"Customer {i:02d}") for i in range(25)]
    first = alert_reply(changes, "en", batch="batch-7")
    assert first.card is not None
    assert [a["title"] for a in first.card["actions"]] == ["Next ›", "Needing attention"]
    assert first.card["actions"][0]["data"] == {
        "statusbot": 1,
        "action": "alert",
        "batch": "batch-7",
        "page": 1,
    }
    middle = alert_reply(changes, "en", batch="batch-7", page=1)
    assert middle.card is not None
    assert [a["data"].get("page") for a in middle.card["actions"][:2]] == [0, 2]
    assert "Page 2 of 3 · customers 11–20 of 25" in middle.markdown
    rows = [item for item in middle.card["body"] if "selectAction" in item]
    assert len(rows) == ALERT_PAGE_SIZE
    gone = alert_reply(changes, "en", batch="batch-7", page=99)  # tampered or stale
    assert "Page 3 of 3" in gone.markdown
    assert "Customer 24" in gone.markdown


def test_alert_in_swedish() -> None:
    reply = alert_reply([change(0, name="Åre AB")], "sv", batch="b", zone=ZONE)
    assert reply.markdown.startswith("**1 kund har bytt status**")
    assert "Tillhandahållandestatus: Tillhandahållad → Det gick inte att tillhandahålla" in (
        reply.markdown
    )
    assert "aviseringar av" in reply.markdown


alphabet = st.sampled_from([*"🚀👩\u200dåäö&<>*_[]\\a ", "\n", "𝔘"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    names=st.lists(st.text(alphabet=alphabet, min_size=1, max_size=300), min_size=1, max_size=60),
    ids=st.text(alphabet=alphabet, min_size=1, max_size=200),
    page=st.integers(0, 10),
    lang=st.sampled_from(LANGS),
)
def test_alert_cards_stay_within_limits_whatever_the_data(
    names: list[str], ids: str, page: int, lang: Lang
) -> None:
    changes = [
        change(i, name=name, customer_id=f"{ids}{i}", dimension=dim)
        for i, name in enumerate(names)
        for dim in ("provisioning", "subscription")
    ]
    for index in range(0, len(changes), 2):
        changes[index + 1] = change(
            index // 2,
            name=names[index // 2],
            customer_id=f"{ids}{index // 2}",
            dimension="subscription",
            old="active",
            new="suspended",
        )
    within_limits(alert_reply(changes, lang, page=page, batch="b" * 100, zone=ZONE))


# -- digests --------------------------------------------------------------------------


def test_digest_is_the_list_card_headed_with_its_subscription() -> None:
    store = builders.FakeStore(total=12)
    reply = digest_reply(digest(), store, TODAY, ZONE, "en")
    assert reply is not None and reply.card is not None
    texts = [run["text"] for run in _runs(reply.card)]
    assert texts[:2] == [
        "Daily · Needing attention · 08:00 Europe/Stockholm",
        "12 customers needing attention",
    ]
    assert reply.markdown.startswith("**Daily · Needing attention · 08:00 Europe/Stockholm**")
    assert store.queries == [(Query(needing_attention=True), 0, 10)]
    titles = [action["title"] for action in reply.card["actions"]]
    assert titles == ["Next ›", "Export CSV", "Filter…"]  # the list's own buttons


def test_digest_with_nothing_to_report_posts_nothing() -> None:
    assert digest_reply(digest(), builders.FakeStore(total=0), TODAY, ZONE, "en") is None
    empty = builders.FakeStore(the_summary=builders.summary(0))
    assert (
        digest_reply(digest(question=DigestQuestion("summary")), empty, TODAY, ZONE, "en") is None
    )


def test_summary_digest_in_swedish_names_its_weekday() -> None:
    item = digest(question=DigestQuestion("summary"), schedule=Schedule("weekly", time(9, 0), 0))
    reply = digest_reply(item, builders.FakeStore(), TODAY, ZONE, "sv")
    assert reply is not None
    assert reply.markdown.startswith(
        "**Varje måndag · Sammanfattning · 09:00 Europe/Stockholm**\n\n**Sammanfattning av 60"
    )


def test_digest_page_past_the_end_shows_the_last_page() -> None:
    store = builders.FakeStore(total=15)
    reply = digest_reply(digest(), store, TODAY, ZONE, "en", page=5)
    assert reply is not None
    assert "Page 2 of 2" in reply.markdown
    assert [offset for _, offset, _ in store.queries] == [50, 10]


def test_digest_heading_escapes_a_typed_name() -> None:
    item = digest(question=DigestQuestion("list", Query(name="*x* <@all>")))
    reply = digest_reply(item, builders.FakeStore(total=1), TODAY, ZONE, "en")
    assert reply is not None
    first = reply.markdown.splitlines()[0]
    assert first == "**Daily · Name contains “\\*x\\* &lt;@all&gt;” · 08:00 Europe/Stockholm**"


# -- subscriptions --------------------------------------------------------------------


def test_subscriptions_card_lists_each_item_with_its_unsubscribe() -> None:
    reply = subscriptions_reply(mixed_items(), ZONE, "en")
    assert reply.card is not None
    rows = [item for item in reply.card["body"] if item["type"] == "ColumnSet"]
    unsubscribes = [row["columns"][1]["selectAction"] for row in rows]
    assert [u["data"] for u in unsubscribes] == [
        {"statusbot": 1, "action": "unsubscribe", "number": n} for n in (1, 2, 3, 4)
    ]
    assert {u["title"] for u in unsubscribes} == {"Unsubscribe"}
    texts = [run["text"] for run in _runs(reply.card)]
    assert "1. Alerts · Name contains “<@all> *x*”" in texts
    assert "2. Daily · Needing attention · 08:00" in texts
    assert "3. Every Monday · Summary · 09:00" in texts
    assert "4. Weekdays · Name contains “Evil <@all> Corp” · 07:30" in texts
    assert "Next run: 2026-11-28 08:00 · Not run yet" in texts  # 07:00 UTC, in Stockholm
    assert "Next run: 2026-11-28 08:00 · Last run: 2026-11-27 08:05, nothing to report" in texts
    assert "Last run: 2026-11-27 08:05, sent" in texts
    assert "Times are in Europe/Stockholm. Type “timezone ZONE” to change it." in texts
    assert count_buttons(reply.card) == 0


def test_subscriptions_markdown_in_swedish() -> None:
    reply = subscriptions_reply(mixed_items(), ZONE, "sv")
    assert reply.markdown.startswith("**Utskick och aviseringar i det här utrymmet**")
    assert "- **3. Varje måndag · Sammanfattning · 09:00** — Nästa körning:" in reply.markdown
    assert "senaste körning" in reply.markdown.casefold()
    assert "stoppad: någon i utrymmet får inte se kunddata" in reply.markdown
    assert "avsluta prenumeration N" in reply.markdown


@pytest.mark.parametrize("lang", LANGS)
def test_a_full_space_fits_one_card_and_the_text_lists_every_item(lang: Lang) -> None:
    named = Query(name="Åre Skidskola och Fjällturism Aktiebolag", kind="trial")
    items: list[Digest | AlertRule] = [
        digest(n, DigestQuestion("list", named), last_outcome="withheld")
        for n in range(2, MAX_ITEMS + 2)
    ]
    items.append(rule(1, named))
    reply = subscriptions_reply(items, ZONE, lang)
    within_limits(reply)
    assert reply.card is not None
    rows = [row for row in reply.card["body"] if row["type"] == "ColumnSet"]
    assert len(rows) == MAX_ITEMS + 1
    for number in range(1, MAX_ITEMS + 2):
        assert f"**{number}. " in reply.markdown


def test_rows_that_cannot_fit_are_counted() -> None:
    items = [digest(n, DigestQuestion("list", Query(name="x" * 100))) for n in range(1, 80)]
    reply = subscriptions_reply(items, ZONE, "sv")
    within_limits(reply)
    texts = [run["text"] for run in _runs(reply.card)]
    assert any(
        text.endswith("till fick inte plats på kortet; textversionen listar dem.") for text in texts
    )


def test_no_subscriptions_says_how_to_start_one() -> None:
    for lang, words in (("en", "alerts on"), ("sv", "aviseringar på")):
        reply = subscriptions_reply([], ZONE, lang)
        assert words in reply.markdown
        assert any(words in run["text"] for run in _runs(reply.card))


def _data(node: Any) -> list[dict[str, Any]]:
    """Every submit payload in a card."""
    found: list[dict[str, Any]] = []
    if isinstance(node, dict):
        if node.get("type") == "Action.Submit":
            found.append(node["data"])
        for value in node.values():
            found += _data(value)
    elif isinstance(node, list):
        for item in node:
            found += _data(item)
    return found


def test_payloads_carry_no_room_id() -> None:
    for reply in REPLIES.values():
        for data in _data(reply.card):
            assert "room" not in json.dumps(data).casefold()
