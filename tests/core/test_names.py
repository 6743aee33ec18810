"""Names are matched as Webex delivers them: the bot's idea of that is the emulator's."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from core.names import as_delivered, closest, fold
from emulator.mentions import plain_from_markdown
from tests.handlers.builders import HOSTILE_NAMES as CARD_NAMES
from tests.hostile_data import HOSTILE_NAMES


@given(st.text(alphabet="ab *_`[]():/.\n", max_size=40))
def test_as_delivered_drops_what_webex_drops(text: str) -> None:
    assert as_delivered(text) == plain_from_markdown(text)


def test_the_test_names_are_delivered_as_the_emulator_delivers_them() -> None:
    for name in (*HOSTILE_NAMES, *CARD_NAMES):
        assert as_delivered(name) == plain_from_markdown(name), name
    assert fold("Acme *Bold* [x](http://evil)") == "acme bold x"
    assert fold("Back`tick`  AB") == "backtick ab"


def test_closest_names_are_alike_enough_and_best_first() -> None:
    names = ["Göteborgs Energi", "Göteborgs Bygg AB", "Malmö Stad"]
    assert closest("göteborg enrgi", names) == ["Göteborgs Energi", "Göteborgs Bygg AB"]
    assert closest("xyzzy", names) == []
