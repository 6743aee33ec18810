"""The emulator's pure pieces: ids, names, mention rendering, filters, fault specs."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import emulator
from emulator import ids
from emulator.config import display_name_from_email, is_bot_email
from emulator.faults import FaultInjector, api_fault_from, delivery_fault_from
from emulator.matching import filter_problem
from emulator.mentions import render
from emulator.models import Person

BOT = Person(
    id="BOT", email="statusbot@webex.bot", display_name="Statusbot", org_id="O", created=""
)
ALICE = Person(id="ALICE", email="a@x.com", display_name="Alice Smith", org_id="O", created="")


def resolve(kind: str, target: str) -> Person | None:
    people = {"BOT": BOT, "ALICE": ALICE, BOT.email: BOT, ALICE.email: ALICE}
    return people.get(target)


def test_emulator_imports_nothing_from_the_bot() -> None:
    for path in Path(emulator.__file__).parent.rglob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom)
                else []
            )
            for name in names:
                assert name.split(".")[0] not in {"core", "handlers", "bot"}, (path, name)


@given(st.sampled_from([ids.PEOPLE, ids.ROOM, ids.MESSAGE]), st.uuids())
def test_ids_round_trip(kind: str, raw: object) -> None:
    webex_id = ids.encode_id(kind, str(raw))
    assert re.fullmatch(r"[A-Za-z0-9_-]+", webex_id)
    assert ids.decode_id(webex_id) == (kind, str(raw))


def test_ids_look_like_webex_ones() -> None:
    assert ids.encode_id("PEOPLE", "f5b36187-c8dd-4727-8b2f-f9c447f29046") == (
        "Y2lzY29zcGFyazovL3VzL1BFT1BMRS9mNWIzNjE4Ny1jOGRkLTQ3MjctOGIyZi1mOWM0NDdmMjkwNDY"
    )
    assert ids.decode_id("not an id") is None
    assert ids.iso_timestamp(1_800_000_000.5) == "2027-01-15T08:00:00.500Z"


@pytest.mark.parametrize(
    ("email", "name"),
    [
        ("alice@example.com", "Alice"),
        ("alice.smith@example.com", "Alice Smith"),
        ("jean-luc_picard@x.org", "Jean Luc Picard"),
    ],
)
def test_display_names_from_email(email: str, name: str) -> None:
    assert display_name_from_email(email) == name


def test_bots_are_told_by_their_domain() -> None:
    assert is_bot_email("Statusbot@Webex.Bot") and not is_bot_email("bot@example.com")


def test_mentions_render_to_ids_html_and_first_names() -> None:
    out = render("<@personId:BOT> status <@personEmail:a@x.com> and **bold** `x`", resolve)
    assert out.mentioned_people == ["BOT", "ALICE"]
    assert out.text == "Statusbot status Alice and bold x"
    assert out.html == (
        '<p><spark-mention data-object-type="person" data-object-id="BOT">Statusbot'
        "</spark-mention> status "
        '<spark-mention data-object-type="person" data-object-id="ALICE">Alice'
        "</spark-mention> and <strong>bold</strong> <code>x</code></p>"
    )


def test_mentions_keep_labels_and_groups_and_escape_html() -> None:
    out = render("<@personId:BOT|Bot> <@all> <b>hi</b> <@personEmail:nobody@x.com|Nobody>", resolve)
    assert out.text == "Bot All <b>hi</b> Nobody"
    assert out.mentioned_people == ["BOT"] and out.mentioned_groups == ["all"]
    assert "&lt;b&gt;hi&lt;/b&gt;" in out.html and "<b>" not in out.html


@given(st.text(max_size=200))
def test_rendering_never_fails_and_never_leaks_markup(markdown: str) -> None:
    out = render(markdown, resolve)
    assert out.html.startswith("<p>") and out.html.endswith("</p>")
    assert "<script" not in out.html.lower()


@pytest.mark.parametrize(
    ("resource", "text", "ok"),
    [
        ("messages", None, True),
        ("messages", "roomId=R&mentionedPeople=me", True),
        ("messages", "hasFiles=true", True),
        ("messages", "messageId=M", False),
        ("attachmentActions", "messageId=M", True),
        ("memberships", "personEmail=a%40x.com", True),
        ("memberships", "roomId=", False),
        ("rooms", "type=group", True),
    ],
)
def test_filter_validation(resource: str, text: str | None, ok: bool) -> None:
    assert (filter_problem(resource, text) is None) is ok


def test_fault_specs() -> None:
    assert api_fault_from({"status": 429}).retry_after == 1
    assert api_fault_from({"method": "post", "status": 500}).method == "POST"
    with pytest.raises(ValueError):
        api_fault_from({"status": 503, "count": 0})
    with pytest.raises(ValueError):
        api_fault_from({"status": True})
    assert delivery_fault_from({"duplicate": 2}).duplicate == 2
    with pytest.raises(ValueError):
        delivery_fault_from({"duplicate": 0})


def test_fault_counts_and_matching() -> None:
    faults = FaultInjector(seed=1)
    faults.add_api({"path": "/v1/messages", "method": "POST", "status": 503, "count": 2})
    assert faults.take_api("GET", "/v1/messages") is None
    assert faults.take_api("POST", "/v1/messages/x") is None
    assert faults.take_api("POST", "/v1/messages") is not None
    assert faults.take_api("POST", "/v1/messages") is not None
    assert faults.take_api("POST", "/v1/messages") is None
    assert faults.to_json() == {"api": [], "delivery": [], "fired": []}


def test_percent_faults_fire_sometimes() -> None:
    faults = FaultInjector(seed=3)
    faults.add_api({"status": 503, "percent": 50})
    fired = sum(faults.take_api("GET", "/v1/rooms") is not None for _ in range(200))
    assert 0 < fired < 200
