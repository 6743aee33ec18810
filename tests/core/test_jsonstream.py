from __future__ import annotations

import io
import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.ingest.jsonstream import JsonArrayError, iter_json_array

JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | st.text(),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(), inner, max_size=3),
    max_leaves=8,
)


@given(
    items=st.lists(JSON, max_size=8), indent=st.sampled_from([None, 0, 2]), chunk=st.integers(1, 64)
)
def test_every_item_comes_back_whatever_the_chunk_and_layout(
    items: list[object], indent: int | None, chunk: int
) -> None:
    text = json.dumps(items, indent=indent)
    read = [item for _, _, item in iter_json_array(io.StringIO(text), chunk=chunk)]
    assert read == items


def test_lines_point_at_each_item() -> None:
    text = '[\n  {"a": 1},\n\n  {"b": [\n 2]},\n  3\n]'
    assert [(line, index) for line, index, _ in iter_json_array(io.StringIO(text), chunk=4)] == [
        (2, 0),
        (4, 1),
        (6, 2),
    ]


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ('{"a": 1}', "expected a JSON list"),
        ("", "expected a JSON list"),
        ("[1, 2", "not closed"),
        ("[1 2]", "expected ,"),
        ("[1, nope]", "not valid JSON"),
    ],
)
def test_broken_text_says_what_and_where(text: str, reason: str) -> None:
    with pytest.raises(JsonArrayError, match=reason):
        list(iter_json_array(io.StringIO(text), chunk=3))
