"""The "Data as of" line and the stale warning, in English and Swedish."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from core.sources.freshness import DataStatus, Freshness
from handlers.cards.common import card
from handlers.cards.data_lines import local_time, with_data_lines
from handlers.cards.safe_text import text
from handlers.reply import Reply

NOW = datetime(2026, 11, 30, 9, 0, tzinfo=UTC)
REPLY = Reply(markdown="**3 customers**", card=card([text("3 customers")], lang="en"))


def status(as_of: datetime | None, stale: bool, origin: str = "export") -> DataStatus:
    fresh = Freshness(as_of, origin, stale, as_of)  # type: ignore[arg-type]
    return DataStatus(fresh, (), "Europe/Stockholm", timedelta(minutes=60))


def texts(reply: Reply) -> list[str]:
    assert reply.card is not None
    return [block["inlines"][0]["text"] for block in reply.card["body"][1:]]


def test_fresh_data_says_when_and_from_what() -> None:
    english = with_data_lines(REPLY, status(NOW - timedelta(minutes=45), False), NOW, "en")
    assert texts(english) == ["Data as of 09:15, Partner Hub export"]  # Stockholm, UTC+1
    assert english.markdown.endswith("_Data as of 09\\:15, Partner Hub export_")  # escaped
    swedish = with_data_lines(REPLY, status(NOW, False, "wholesale"), NOW, "sv")
    assert texts(swedish) == ["Uppgifter per 10:00, Webex Wholesale"]


def test_stale_data_is_said_plainly() -> None:
    old = NOW - timedelta(days=1, hours=3)
    english = with_data_lines(REPLY, status(old, True), NOW, "en")
    assert texts(english) == [
        "Data as of 2026-11-29 07:00, Partner Hub export",
        "The last successful sync was 2026-11-29 07:00, more than 60 minutes ago: "
        "this data may be out of date.",
    ]
    swedish = with_data_lines(REPLY, status(old, True), NOW, "sv")
    assert "för mer än 60 minuter sedan: uppgifterna kan vara inaktuella." in texts(swedish)[1]
    assert "**Senaste lyckade synkningen" in swedish.markdown


def test_no_status_no_lines() -> None:
    assert with_data_lines(REPLY, None, NOW, "en") == REPLY
    never = DataStatus(Freshness(None, "export", True, None), (), "UTC", timedelta(hours=1))
    assert texts(with_data_lines(REPLY, never, NOW, "en")) == [
        "No sync of the sources has succeeded yet: this data may be out of date."
    ]


def test_times_are_in_the_partners_zone() -> None:
    late = datetime(2026, 11, 29, 23, 30, tzinfo=UTC)
    assert local_time(late, NOW, "Europe/Stockholm") == "00:30"
    assert local_time(late, NOW, "UTC") == "2026-11-29 23:30"
