"""The followed language in the shared store: written when it changes (and once a day),
forgotten with the inbox's retention when the space has chosen no language."""

from __future__ import annotations

from datetime import timedelta

from bot.answering.followed_lang import FollowedLanguages
from bot.inbox.store import Inbox
from tests.bot.inbox.support import Clock


def test_a_space_keeps_its_language_cheaply_and_is_forgotten_when_silent(
    inbox: Inbox, clock: Clock
) -> None:
    langs = FollowedLanguages(inbox)
    assert langs.read("room-1").reply_lang("en") == "en"
    langs.remember("room-1", "sv", langs.read("room-1"))
    spoke = langs.read("room-1")
    assert (spoke.chosen, spoke.followed, spoke.reply_lang("en")) == (None, "sv", "sv")
    clock.now += timedelta(hours=1)
    langs.remember("room-1", "sv", spoke)  # unchanged within a day: no write
    assert langs.read("room-1") == spoke
    clock.now += timedelta(days=1)
    langs.remember("room-1", "sv", spoke)  # a day on: written again, the space is alive
    assert langs.read("room-1").written_at == clock.now
    inbox.set_space_language("room-2", "en")  # chosen: never forgotten
    langs.remember("room-2", "sv", langs.read("room-2"))
    assert langs.read("room-2").reply_lang("sv") == "en"  # the choice wins
    langs.remember("room-3", "en", langs.read("room-3"))
    clock.now += timedelta(days=8)
    langs.remember("room-3", "sv", langs.read("room-3"))  # switched: written at once
    inbox.prune(timedelta(days=7))
    assert langs.read("room-1").followed is None  # silent for 8 days: forgotten
    assert (langs.read("room-2").chosen, langs.read("room-3").followed) == ("en", "sv")
