"""The proactive commands, typed and clicked, against real stores (SQLite).

Each test asks in a space of its own (``seeded_space``: alerts are number 1, a
daily digest needing attention number 2), through the grammar and the registry
or the submission path, exactly as the worker does.
"""

from __future__ import annotations

from datetime import time
from io import BytesIO
from pathlib import Path
from typing import Any

import pytest

from core.ingest.snapshot import read_snapshot
from core.proactive import AlertRule, Digest, DigestQuestion, ProactiveStore, Schedule
from core.query import Query
from core.sample import SAMPLE_TODAY, bundled_sample_path
from core.sample_changes import changed_sample
from core.statuses import Lang, ProvisioningStatus, SubscriptionStatus
from core.store.store import Store
from handlers.cards.safe_text import escape_markdown
from handlers.cards.subscriptions_card import MAX_ITEMS
from handlers.context import Context
from handlers.grammar.parser import parse
from handlers.registry import handle
from handlers.reply import Reply
from handlers.submissions import handle_submission
from tests.handlers.builders import context, seeded_space
from tests.handlers.test_registry import sample_store  # noqa: F401  (fixture)

ATTENTION = Query(needing_attention=True)


@pytest.fixture(scope="module")
def customers(sample_store: Store) -> Store:  # noqa: F811
    """The bundled sample in SQLite."""
    return sample_store


@pytest.fixture(scope="module")
def proactive(customers: Store) -> ProactiveStore:
    """On the customers' database, as in the bot (change batches are its transitions)."""
    store = ProactiveStore(customers.engine, default_zone="Europe/Stockholm")
    store.create_schema()
    return store


@pytest.fixture
def space(proactive: ProactiveStore) -> str:
    return seeded_space(proactive)


def in_space(customers: Store, proactive: ProactiveStore, room_id: str, lang: Lang) -> Context:
    return context(customers, lang, SAMPLE_TODAY, proactive=proactive, room_id=room_id)  # type: ignore[arg-type]


def ask(text: str, customers: Store, proactive: ProactiveStore, room_id: str) -> Reply:
    parsed = parse(text, today=SAMPLE_TODAY)
    return handle(parsed.command, in_space(customers, proactive, room_id, parsed.lang))


def click(
    data: dict[str, Any],
    customers: Store,
    proactive: ProactiveStore,
    room_id: str,
    lang: Lang = "en",
) -> Reply:
    return handle_submission(data, in_space(customers, proactive, room_id, lang))


# -- alerts -----------------------------------------------------------------------------


def test_alerts_on_with_a_filter_replaces_the_rule(
    customers: Store, proactive: ProactiveStore, space: str
) -> None:
    reply = ask("aviseringar på misslyckad tillhandahållning", customers, proactive, space)
    (rule,) = [item for item in proactive.items(space) if isinstance(item, AlertRule)]
    assert rule.query == Query(provisioning=frozenset({ProvisioningStatus.FAILED}))
    assert rule.number == 3  # a new number: the old alerts (1) no longer mean anything
    assert reply.markdown == (
        "Aviseringar är på (3): jag skriver här när kunder hamnar i: "
        "Tillhandahållandestatus: Det gick inte att tillhandahålla."
    )


def test_alerts_off_then_off_again(customers: Store, proactive: ProactiveStore, space: str) -> None:
    assert (
        ask("alerts off", customers, proactive, space).markdown == "Alerts are off in this space."
    )
    assert not any(isinstance(item, AlertRule) for item in proactive.items(space))
    again = ask("aviseringar av", customers, proactive, space)
    assert again.markdown == "Aviseringar var inte på i det här utrymmet."


def test_a_filter_that_would_go_stale_is_refused_and_nothing_changes(
    customers: Store, proactive: ProactiveStore, space: str
) -> None:
    before = proactive.items(space)
    reply = ask("alerts on expiring this month", customers, proactive, space)
    assert "depends on the day it is asked" in reply.markdown
    assert "expiring in 30 days" in reply.markdown
    assert proactive.items(space) == before


def test_an_alert_batch_that_is_gone_says_so(
    customers: Store, proactive: ProactiveStore, space: str
) -> None:
    reply = click(
        {"statusbot": 1, "action": "alert", "batch": "import-999999", "page": 1},
        customers,
        proactive,
        space,
    )
    assert reply.card is None
    assert "no longer kept" in reply.markdown


# -- subscribe --------------------------------------------------------------------------


def test_subscribe_stores_the_schedule_and_says_when_it_first_runs(
    customers: Store, proactive: ProactiveStore, space: str
) -> None:
    reply = ask("prenumerera varje måndag 09:00 sammanfattning", customers, proactive, space)
    digest = proactive.digest(space, 3)
    assert digest is not None
    assert digest.schedule == Schedule("weekly", time(9), 0)
    assert digest.question == DigestQuestion("summary")
    assert reply.markdown.startswith(
        "Prenumeration startad (3): Varje måndag · Sammanfattning · 09:00 Europe/Stockholm. "
        "Första körningen: "
    )
    assert reply.markdown.endswith(" 09:00.")  # in the space's zone, whatever UTC says


def test_a_typed_name_in_a_subscription_is_escaped(
    customers: Store, proactive: ProactiveStore, space: str
) -> None:
    reply = ask("subscribe daily 08:00 search <@all> *x*", customers, proactive, space)
    assert "&lt;@all&gt; \\*x\\*" in reply.markdown
    assert "<@all>" not in reply.markdown


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("subscribe daily 25:00 summary", "“25\\:00” is not a time of day"),
        ("subscribe", "Say when and what"),
        ("prenumerera dagligen 08:00 vädret", "Jag kan inte läsa ”vädret” som en fråga"),
        ("subscribe weekly funday 09:00 summary", "“funday” is not a day of the week"),
    ],
)
def test_a_bad_schedule_gets_a_reply_that_says_what_to_write(
    customers: Store, proactive: ProactiveStore, space: str, text: str, expected: str
) -> None:
    before = proactive.items(space)
    assert expected in ask(text, customers, proactive, space).markdown
    assert proactive.items(space) == before


def test_a_full_space_takes_no_more_digests(
    customers: Store, proactive: ProactiveStore, space: str
) -> None:
    for _ in range(MAX_ITEMS - 1):
        ask("subscribe daily 08:00 summary", customers, proactive, space)
    digests = [item for item in proactive.items(space) if isinstance(item, Digest)]
    assert len(digests) == MAX_ITEMS
    reply = ask("subscribe daily 09:00 summary", customers, proactive, space)
    assert reply.markdown.startswith(f"This space already has {MAX_ITEMS} digests")
    assert len(proactive.items(space)) == MAX_ITEMS + 1


# -- subscriptions and unsubscribe -----------------------------------------------------------


def test_subscriptions_card_and_its_unsubscribe_button(
    customers: Store, proactive: ProactiveStore, space: str
) -> None:
    card = ask("subscriptions", customers, proactive, space).card
    assert card is not None
    rows = [row for row in card["body"] if row["type"] == "ColumnSet"]
    button = rows[1]["columns"][1]["selectAction"]["data"]
    assert button == {"statusbot": 1, "action": "unsubscribe", "number": 2}
    reply = click(button, customers, proactive, space)
    assert reply.markdown == "Stopped: 2. Daily · Needing attention · 08:00."
    assert [item.number for item in proactive.items(space)] == [1]
    again = click(button, customers, proactive, space)
    assert again.markdown.startswith("There is no number 2 in this space.")


def test_a_click_only_ever_reaches_the_space_it_came_from(
    customers: Store, proactive: ProactiveStore, space: str
) -> None:
    other = seeded_space(proactive)
    click({"statusbot": 1, "action": "unsubscribe", "number": 2}, customers, proactive, other)
    assert [item.number for item in proactive.items(space)] == [1, 2]
    assert [item.number for item in proactive.items(other)] == [1]


@pytest.mark.parametrize(
    "data",
    [
        {"statusbot": 1, "action": "unsubscribe", "number": "2"},
        {"statusbot": 1, "action": "unsubscribe", "number": 0},
        {"statusbot": 1, "action": "unsubscribe", "number": 10**12},
        {"statusbot": 1, "action": "unsubscribe", "number": 2, "room": "elsewhere"},
        {"statusbot": 1, "action": "unsubscribe"},
        {"statusbot": 2, "action": "unsubscribe", "number": 2},
    ],
)
def test_a_tampered_unsubscribe_is_refused_and_removes_nothing(
    customers: Store, proactive: ProactiveStore, space: str, data: dict[str, Any]
) -> None:
    reply = click(data, customers, proactive, space, "sv")
    assert "kort" in reply.markdown.casefold()  # the polite "that card action" sentence
    assert [item.number for item in proactive.items(space)] == [1, 2]


def test_unsubscribe_typed(customers: Store, proactive: ProactiveStore, space: str) -> None:
    assert ask("avsluta prenumeration 7", customers, proactive, space).markdown.startswith(
        "Det finns inget nummer 7"
    )
    assert "unsubscribe all" in ask("unsubscribe", customers, proactive, space).markdown
    stopped = ask("avsluta prenumeration 1", customers, proactive, space)
    assert stopped.markdown == "Avslutat: 1. Aviseringar · Behöver åtgärdas."
    assert ask("unsubscribe all", customers, proactive, space).markdown == (
        "Stopped 1 digest or alert in this space."
    )
    assert ask("avsluta alla prenumerationer", customers, proactive, space).markdown == (
        "Det fanns inga utskick eller aviseringar att avsluta här."
    )


# -- send now -----------------------------------------------------------------------------


def test_send_now_answers_with_the_digest_and_records_the_run(
    customers: Store, proactive: ProactiveStore, space: str
) -> None:
    reply = ask("skicka 2 nu", customers, proactive, space)
    assert reply.card is not None
    assert reply.markdown.startswith("**Dagligen · Behöver åtgärdas · 08:00 Europe/Stockholm**")
    digest = proactive.digest(space, 2)
    assert digest is not None and digest.last_outcome == "sent"
    assert digest.last_run is not None


def test_send_now_with_nothing_to_report(
    customers: Store, proactive: ProactiveStore, space: str
) -> None:
    ask("subscribe daily 08:00 search no such customer anywhere", customers, proactive, space)
    reply = ask("send 3 now", customers, proactive, space)
    assert reply.card is None
    assert reply.markdown == "Digest 3 has nothing to report right now."
    digest = proactive.digest(space, 3)
    assert digest is not None and digest.last_outcome == "nothing"


def test_send_now_of_the_alerts_or_of_nothing(
    customers: Store, proactive: ProactiveStore, space: str
) -> None:
    assert "is this space's alerts" in ask("send 1 now", customers, proactive, space).markdown
    assert "no number 9" in ask("send 9 now", customers, proactive, space).markdown


# -- time zone --------------------------------------------------------------------------------


def test_timezone_shown_set_and_refused_with_a_valid_example(
    customers: Store, proactive: ProactiveStore, space: str
) -> None:
    shown = ask("timezone", customers, proactive, space).markdown
    assert shown.startswith("This space's time zone is Europe/Stockholm.")
    assert ask("tidszon america/new_york", customers, proactive, space).markdown == (
        "Det här utrymmets tidszon är nu America/New\\_York: utskicken körs efter dess lokala tid."
    )
    assert proactive.zone_of(space) == "America/New_York"
    assert ask("timezone Stockholm", customers, proactive, space).markdown == (
        "“Stockholm” is not a time zone I know. Did you mean “Europe/Stockholm”?"
    )
    bad = ask("timezone <@all>", customers, proactive, space).markdown
    assert bad == (
        "“&lt;@all&gt;” is not a time zone I know. Write a name from the tz database, "
        "for example “Europe/Stockholm”."
    )
    assert proactive.zone_of(space) == "America/New_York"


def test_without_a_space_the_commands_say_where_they_work(customers: Store) -> None:
    for text in ("alerts on", "subscriptions", "send 2 now", "timezone UTC", "unsubscribe all"):
        parsed = parse(text, today=SAMPLE_TODAY)
        reply = handle(parsed.command, context(customers, "en", SAMPLE_TODAY))  # type: ignore[arg-type]
        assert reply.markdown.startswith("Digests and alerts belong to a Webex space"), text


def test_an_alert_card_pages_through_its_batch_for_the_clicking_space(tmp_path: Path) -> None:
    """A real batch: the next day's sample imported after the baseline; the card's
    buttons name the batch, the submission reads it again for the space that clicks."""
    store = Store.open(f"sqlite:///{tmp_path / 'batch.db'}")
    try:
        store.import_snapshot(read_snapshot(bundled_sample_path()), today=SAMPLE_TODAY, source="t")
        proactive = ProactiveStore(store.engine)
        proactive.create_schema()
        watching, deaf = seeded_space(proactive), seeded_space(proactive)
        proactive.set_alerts(deaf, Query(subscription={SubscriptionStatus.ACTIVE}), created_by="t")
        text, names = changed_sample()
        store.import_snapshot(
            read_snapshot(BytesIO(text.encode())), today=SAMPLE_TODAY, source="next day"
        )
        last = store.last_import()
        assert last is not None
        page = {"statusbot": 1, "action": "alert", "batch": f"import-{last['id']}", "page": 0}
        reply = click(page, store, proactive, watching)
        assert reply.card is not None
        assert reply.markdown.startswith(f"**{len(names)} customers changed status**")
        for name in names:
            assert escape_markdown(name) in reply.markdown
        nothing = click(page, store, proactive, deaf)  # its rule watches none of these
        assert nothing.card is None and "no longer kept" in nothing.markdown
    finally:
        store.close()
