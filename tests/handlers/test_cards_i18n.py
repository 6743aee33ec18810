"""The catalogues: complete in both languages, same parameters, plural forms."""

from __future__ import annotations

import string

import pytest

from handlers.i18n import CATALOGUES, Plural, join_or, number, t


def _templates(entry: object) -> list[str]:
    return [entry.one, entry.other] if isinstance(entry, Plural) else [str(entry)]


def _params(template: str) -> set[str]:
    return {field for _, field, _, _ in string.Formatter().parse(template) if field}


def test_both_languages_have_the_same_keys() -> None:
    assert set(CATALOGUES["en"]) == set(CATALOGUES["sv"])


@pytest.mark.parametrize("key", sorted(CATALOGUES["en"]))
def test_same_parameters_and_plural_shape(key: str) -> None:
    en, sv = CATALOGUES["en"][key], CATALOGUES["sv"][key]
    assert isinstance(en, Plural) == isinstance(sv, Plural)
    params = {frozenset(_params(template)) for template in _templates(en) + _templates(sv)}
    assert len(params) == 1, params


def test_plural_forms_and_numbers() -> None:
    assert t("list_title_all", "en", count=1) == "1 customer"
    assert t("list_title_all", "en", count=2) == "2 customers"
    assert t("list_title_all", "sv", count=1) == "1 kund"
    assert t("list_title_all", "sv", count=0) == "0 kunder"
    assert number(100_000, "en") == "100,000"
    assert number(100_000, "sv") == "100\u00a0000"
    assert join_or(["A", "B", "C"], "en") == "A, B or C"
    assert join_or(["A", "B"], "sv") == "A eller B"


def test_swedish_page_line_counts_customers_in_the_plural() -> None:
    assert "kunder 1–5 av 5" in t("list_page", "sv", page=1, pages=1, first=1, last=5, total=5)
    assert "customers 1–5 of 5" in t("list_page", "en", page=1, pages=1, first=1, last=5, total=5)
    assert "kund 1–1 av 1" in t("list_page", "sv", page=1, pages=1, first=1, last=1, total=1)


def test_swedish_state_is_a_state_not_a_mode() -> None:
    assert t("fact_state", "sv") == "Tillstånd"  # "Läge" reads as a mode or a position
