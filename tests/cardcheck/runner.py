"""Run validate.js (the official Adaptive Cards library, as a 1.3 host) on cards.

``cardcheck`` is a session fixture. The library is the one the playground
serves, installed by ``emulator.playground.ensure_renderer`` (the one code path
that runs npm, with ``--ignore-scripts``); without Node or the renderer the
checks skip locally and fail under CI (``tests.prerequisites``).
"""

from __future__ import annotations

import json
import shutil
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from emulator.playground import RENDERER_DIST, ensure_renderer, install_command
from tests.prerequisites import missing

HERE = Path(__file__).resolve().parent
VALIDATOR = HERE / "validate.js"
LIBRARY = RENDERER_DIST / "adaptivecards.js"

Check = Callable[[dict[str, dict[str, Any]]], dict[str, list[str]]]


def validate(cards: dict[str, dict[str, Any]], workdir: Path) -> dict[str, list[str]]:
    """Problems per card name (an empty list = the renderer accepts it)."""
    paths = {}
    for name, card in cards.items():
        path = workdir / f"{name}.json"
        path.write_text(json.dumps(card, ensure_ascii=False), encoding="utf-8")
        paths[str(path)] = name
    result = subprocess.run(
        ["node", str(VALIDATOR), str(LIBRARY), *paths], capture_output=True, text=True, timeout=120
    )
    report = json.loads(result.stdout)
    return {paths[path]: problems for path, problems in report.items()}


@pytest.fixture(scope="session")
def cardcheck(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Check]:
    if shutil.which("node") is None:
        missing("node is not installed (the card renderer checks need it); install Node.js 20+")
    if not ensure_renderer(quiet=True) or not LIBRARY.is_file():
        missing(f"the Adaptive Cards renderer is not installed; run: {install_command()}")
    workdir = tmp_path_factory.mktemp("cards")
    yield lambda cards: validate(cards, workdir)
