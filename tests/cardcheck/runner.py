"""Run validate.js (the official Adaptive Cards library, as a 1.3 host) on cards.

``cardcheck`` is a session fixture: it installs the pinned npm packages once
(``npm ci``, or ``npm install`` without a lock file) when node_modules is
missing, and skips with a reason when Node is not installed.
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

HERE = Path(__file__).resolve().parent
VALIDATOR = HERE / "validate.js"

Check = Callable[[dict[str, dict[str, Any]]], dict[str, list[str]]]


def _install() -> None:
    if (HERE / "node_modules" / "adaptivecards" / "dist" / "adaptivecards.js").exists():
        return
    npm = shutil.which("npm")
    if npm is None:
        pytest.skip("npm is not installed (renderer check skipped)")
    command = [npm, "ci"] if (HERE / "package-lock.json").exists() else [npm, "install"]
    subprocess.run([*command, "--no-audit", "--no-fund"], cwd=HERE, check=True, capture_output=True)


def validate(cards: dict[str, dict[str, Any]], workdir: Path) -> dict[str, list[str]]:
    """Problems per card name (an empty list = the renderer accepts it)."""
    paths = {}
    for name, card in cards.items():
        path = workdir / f"{name}.json"
        path.write_text(json.dumps(card, ensure_ascii=False), encoding="utf-8")
        paths[str(path)] = name
    result = subprocess.run(
        ["node", str(VALIDATOR), *paths], capture_output=True, text=True, timeout=120
    )
    report = json.loads(result.stdout)
    return {paths[path]: problems for path, problems in report.items()}


@pytest.fixture(scope="session")
def cardcheck(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Check]:
    if shutil.which("node") is None:
        pytest.skip("node is not installed (renderer check skipped)")
    _install()
    workdir = tmp_path_factory.mktemp("cards")
    yield lambda cards: validate(cards, workdir)
