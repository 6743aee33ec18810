"""manifest.json: valid, complete, its examples understood, its schema committed."""

from __future__ import annotations

import json
import re
import typing
from datetime import date
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest

from core.statuses import LANGS, Lang
from handlers.grammar.parser import parse
from handlers.manifest import (
    MANIFEST_PATH,
    SCHEMA_PATH,
    CommandId,
    Manifest,
    ManifestError,
    load_manifest,
    packaged_path,
    schema_text,
    write_packaged,
    write_schema,
)
from handlers.registry import ids

TODAY = date(2026, 11, 27)
REPO = Path(__file__).resolve().parents[2]
STATUS_REFERENCE = REPO / "tests" / "fixtures" / "status-reference.md"
MANIFEST = load_manifest()


def _raw() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(MANIFEST_PATH.read_text(encoding="utf-8"))
    return data


def _load(tmp_path: Path, data: object) -> Manifest:
    path = tmp_path / "manifest.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return load_manifest(path)


def test_the_default_manifest_is_the_repositorys() -> None:
    assert MANIFEST_PATH == REPO / "manifest.json"
    assert MANIFEST.name == "statusbot"
    assert MANIFEST.display_name == "Statusbot"


def test_every_registered_command_has_exactly_one_entry() -> None:
    assert sorted(command.id for command in MANIFEST.commands) == sorted(ids())


EXAMPLES = [
    (example, command.id, lang)
    for command in MANIFEST.commands
    for lang in LANGS
    for example in getattr(command.examples, lang)
]


@pytest.mark.parametrize(("example", "command_id", "lang"), EXAMPLES)
def test_every_example_parses_to_its_command_and_language(
    example: str, command_id: CommandId, lang: Lang
) -> None:
    other: Lang = "sv" if lang == "en" else "en"
    in_both = example in getattr(MANIFEST.command(command_id).examples, other)
    parsed = parse(example, today=TODAY, default_lang=lang if in_both else other)
    assert parsed.command.kind == command_id
    assert parsed.lang == lang


def _reference_examples() -> list[tuple[str, Lang]]:
    """The two columns of status-reference.md's "Words users type" block."""
    text = STATUS_REFERENCE.read_text(encoding="utf-8")
    block = text.split("## Words users type", 1)[1]
    rows = [line for line in block.splitlines() if line.startswith("    ") and line.strip()]
    pairs = [re.split(r"\s{2,}", row.strip()) for row in rows]
    return [(en, "en") for en, _ in pairs] + [(sv, "sv") for _, sv in pairs]


def test_every_status_reference_example_is_in_the_manifest() -> None:
    examples = _reference_examples()
    assert len(examples) == 20
    for example, lang in examples:
        listed = [text for text, _ in MANIFEST.examples(lang)]
        assert example in listed, f"{example!r} ({lang}) is missing from manifest.json"


def test_the_bot_registers_the_webhooks_it_needs() -> None:
    needed = {
        ("messages", "created"),
        ("attachmentActions", "created"),
        ("memberships", "created"),
        ("memberships", "deleted"),
    }
    assert needed <= {(webhook.resource, webhook.event) for webhook in MANIFEST.webhooks}


def test_the_committed_schema_is_generated_from_the_model(tmp_path: Path) -> None:
    assert SCHEMA_PATH.read_text(encoding="utf-8") == schema_text(), (
        "manifest.schema.json is stale: run `python -m handlers.manifest`"
    )
    written = write_schema(tmp_path / "schema.json")
    assert written.read_text(encoding="utf-8") == schema_text()


def test_the_manifest_validates_against_its_schema() -> None:
    jsonschema.validate(_raw(), json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda data: data["commands"][2]["examples"].pop("sv"),
            "manifest.json: commands.2.examples.sv: Field required",
        ),
        (
            lambda data: data["commands"][0]["help"].update(en="two\nlines"),
            "manifest.json: commands.0.help.en: String should match pattern",
        ),
        (
            lambda data: data["commands"][1].update(id="exports"),
            "manifest.json: commands.1.id: 'exports' is no command (expected one of"
            f" {', '.join(ids())})",
        ),
        (
            lambda data: data["commands"].append(data["commands"][0]),
            f"manifest.json: commands: 'list' is listed twice (entries 0 and {len(ids())})",
        ),
        (
            lambda data: data["commands"][5]["examples"]["en"].append("summary"),
            "manifest.json: commands: example 'summary' (en) documents both 'summary' and 'help'",
        ),
        (
            lambda data: data["commands"][0]["examples"].update(en=[]),
            "manifest.json: commands.0.examples.en: List should have at least 1 item",
        ),
        (
            lambda data: data["webhooks"][1].update(event="deleted"),
            "manifest.json: webhooks.1.event: attachmentActions has no event 'deleted'",
        ),
        (
            lambda data: data["webhooks"][0].update(filter="mentionedPeople"),
            "manifest.json: webhooks.0.filter: 'mentionedPeople' is not key=value",
        ),
        (
            lambda data: data["webhooks"][3].update(name=data["webhooks"][2]["name"]),
            "manifest.json: webhooks: webhook names must be unique",
        ),
        (lambda data: data.update(colour="blue"), "manifest.json: colour: Extra inputs"),
        (lambda data: data.pop("display_name"), "manifest.json: display_name: Field required"),
    ],
)
def test_validation_errors_name_the_field(
    tmp_path: Path, change: typing.Callable[[dict[str, Any]], object], message: str
) -> None:
    data = _raw()
    change(data)
    with pytest.raises(ManifestError) as raised:
        _load(tmp_path, data)
    assert message in str(raised.value)
    assert raised.value.path == tmp_path / "manifest.json"


def test_a_filter_webex_accepts_is_valid(tmp_path: Path) -> None:
    data = _raw()
    data["webhooks"][0]["filter"] = "roomType=group&mentionedPeople=me"
    assert _load(tmp_path, data).webhooks[0].filter == "roomType=group&mentionedPeople=me"


def test_every_problem_is_reported(tmp_path: Path) -> None:
    data = _raw()
    data.pop("name")
    data["commands"][3]["help"].pop("en")
    with pytest.raises(ManifestError) as raised:
        _load(tmp_path, data)
    assert raised.value.problems == ["name: Field required", "commands.3.help.en: Field required"]


def test_unreadable_and_malformed_files_are_clear(tmp_path: Path) -> None:
    missing = tmp_path / "manifest.json"
    with pytest.raises(ManifestError, match=r"^manifest.json: cannot read"):
        load_manifest(missing)
    missing.write_text('{"name": "statusbot",\n  oops}', encoding="utf-8")
    with pytest.raises(ManifestError, match=r"^manifest.json: not valid JSON \(line 2, column 3\)"):
        load_manifest(missing)
    missing.write_bytes(b'{"name": "\xff"}')
    with pytest.raises(ManifestError, match=r"^manifest.json: not UTF-8"):
        load_manifest(missing)


def test_the_packaged_copy_is_the_repositorys_manifest() -> None:
    """The bot reads ``handlers/data/manifest.json`` (a wheel ships only packages)."""
    assert packaged_path().read_bytes() == MANIFEST_PATH.read_bytes(), (
        "handlers/data/manifest.json differs from manifest.json: run `python -m handlers.manifest`"
    )


def test_refreshing_the_packaged_copy_copies_it_exactly(tmp_path: Path) -> None:
    source = tmp_path / "manifest.json"
    source.write_bytes(MANIFEST_PATH.read_bytes())
    assert write_packaged(source).read_bytes() == MANIFEST_PATH.read_bytes()
