"""A missing prerequisite skips locally and fails under CI, never silently passes."""

from __future__ import annotations

import pytest

from tests.prerequisites import in_ci, missing


@pytest.mark.parametrize("value", ["true", "1", "yes"])
def test_under_ci_a_missing_prerequisite_fails(monkeypatch: pytest.MonkeyPatch, value: str) -> None:
    monkeypatch.setenv("CI", value)
    assert in_ci()
    with pytest.raises(pytest.fail.Exception, match=r"install it \(required in CI\)"):
        missing("no thing; install it")


@pytest.mark.parametrize("value", [None, "", "false", "0"])
def test_locally_it_skips_with_the_reason(
    monkeypatch: pytest.MonkeyPatch, value: str | None
) -> None:
    if value is None:
        monkeypatch.delenv("CI", raising=False)
    else:
        monkeypatch.setenv("CI", value)
    assert not in_ci()
    with pytest.raises(pytest.skip.Exception, match=r"^no thing; install it$"):
        missing("no thing; install it")
