"""The bot's manifest: who it is, the commands it understands, the webhooks it needs.

``manifest.json`` at the top of the repository holds what help, grammar
suggestions and webhook registration show: per command kind (one entry for
each kind in ``handlers.registry.KINDS``, no more) its help line and examples
in both languages, in the order help shows them. This
module validates it with pydantic and turns every validation error into a
``ManifestError`` that names the file and the field::

    manifest.json: commands.2.examples.sv: Field required

``manifest.schema.json`` beside it is generated from ``Manifest`` (run
``python -m handlers.manifest``); a test keeps the committed copy in step, and
editors use it through the manifest's ``$schema`` key.

``manifest.json`` stays at the top of the repository (where people edit it and
editors find its schema), but a wheel ships only packages, so the bot reads the
copy packaged as ``handlers/data/manifest.json`` through ``importlib.resources``:
the same code then works in a source checkout, an editable install and a plain
``pip install .``. ``python -m handlers.manifest`` refreshes that copy with the
schema, and a test fails while the two differ.
"""

from __future__ import annotations

import json
import shutil
from importlib.resources import files
from pathlib import Path
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    StringConstraints,
    ValidationError,
    ValidationInfo,
    field_validator,
)

from core.statuses import Lang

REPO_ROOT = Path(__file__).resolve().parent.parent
MANIFEST_PATH = REPO_ROOT / "manifest.json"
SCHEMA_PATH = REPO_ROOT / "manifest.schema.json"
#: The copy the bot reads, inside the ``handlers`` package (package data).
PACKAGED_NAME = "data/manifest.json"


def _known_command(command_id: str) -> str:
    """Refuse an id no kind in ``handlers.registry.KINDS`` has (imported late: the
    registry's help command reads this module)."""
    from handlers.registry import ids

    known = ids()
    if command_id not in known:
        raise ValueError(f"{command_id!r} is no command (expected one of {', '.join(known)})")
    return command_id


def _command_ids_schema(schema: dict[str, Any]) -> None:
    from handlers.registry import ids

    schema["enum"] = list(ids())


#: The id of a command kind in ``handlers.registry.KINDS`` (``unknown`` is none).
CommandId = Annotated[
    str, AfterValidator(_known_command), Field(json_schema_extra=_command_ids_schema)
]
Resource = Literal["messages", "attachmentActions", "memberships", "rooms"]
Event = Literal["created", "updated", "deleted", "migrated"]

#: The events Webex offers per resource, and the filter keys it accepts
#: (webex-facts.md, Webhooks).
WEBHOOK_EVENTS: dict[str, frozenset[str]] = {
    "messages": frozenset({"created", "deleted"}),
    "attachmentActions": frozenset({"created"}),
    "memberships": frozenset({"created", "updated", "deleted"}),
    "rooms": frozenset({"created", "updated", "migrated"}),
}
WEBHOOK_FILTER_KEYS: dict[str, frozenset[str]] = {
    "messages": frozenset(
        {"roomId", "roomType", "personId", "personEmail", "mentionedPeople", "hasFiles"}
        | {"hasAttachments"}
    ),
    "attachmentActions": frozenset({"messageId", "personId", "roomId"}),
    "memberships": frozenset({"roomId", "personId", "personEmail", "isModerator"}),
    "rooms": frozenset({"type", "isLocked"}),
}

OneLine = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=200, pattern=r"^[^\r\n]+$"),
]
Example = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=100, pattern=r"^[^\r\n]+$"),
]


class _Strict(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class LocalizedText(_Strict):
    """One line in each language the bot speaks."""

    en: OneLine
    sv: OneLine


class LocalizedExamples(_Strict):
    """What a person may type, in each language; the first ones are shown in help."""

    en: Annotated[list[Example], Field(min_length=1)]
    sv: Annotated[list[Example], Field(min_length=1)]


class CommandSpec(_Strict):
    id: CommandId
    help: LocalizedText
    examples: LocalizedExamples


class Webhook(_Strict):
    """One webhook the bot registers (reconciled at start, never blindly re-created)."""

    name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    resource: Resource
    event: Event
    filter: str | None = None

    @field_validator("event")
    @classmethod
    def _event_exists(cls, event: str, info: ValidationInfo) -> str:
        resource = info.data.get("resource")
        if resource is not None and event not in WEBHOOK_EVENTS[resource]:
            allowed = ", ".join(sorted(WEBHOOK_EVENTS[resource]))
            raise ValueError(f"{resource} has no event {event!r} (expected one of {allowed})")
        return event

    @field_validator("filter")
    @classmethod
    def _filter_keys(cls, value: str | None, info: ValidationInfo) -> str | None:
        if value is None:
            return None
        resource = info.data.get("resource")
        allowed = WEBHOOK_FILTER_KEYS.get(resource or "", frozenset())
        for part in value.split("&"):
            key, equals, _ = part.partition("=")
            if not equals or key not in allowed:
                keys = ", ".join(sorted(allowed)) or "none"
                raise ValueError(f"{part!r} is not key=value with a key Webex filters on ({keys})")
        return value


class Manifest(_Strict):
    """The bot's identity, its commands with examples (en, sv) and its webhooks."""

    schema_: str | None = Field(default=None, alias="$schema")
    name: Annotated[str, StringConstraints(pattern=r"^[a-z][a-z0-9-]{0,63}$")]
    display_name: Annotated[str, StringConstraints(min_length=1, max_length=100)]
    description: LocalizedText
    commands: Annotated[list[CommandSpec], Field(min_length=1)]
    webhooks: Annotated[list[Webhook], Field(min_length=1)]

    @field_validator("commands")
    @classmethod
    def _one_entry_per_command(cls, commands: list[CommandSpec]) -> list[CommandSpec]:
        seen: dict[str, int] = {}
        owner: dict[tuple[str, str], str] = {}
        for index, command in enumerate(commands):
            if command.id in seen:
                raise ValueError(
                    f"{command.id!r} is listed twice (entries {seen[command.id]} and {index})"
                )
            seen[command.id] = index
            for lang, examples in (("en", command.examples.en), ("sv", command.examples.sv)):
                for example in examples:
                    key = (lang, example.casefold())
                    if key in owner and owner[key] != command.id:
                        raise ValueError(
                            f"example {example!r} ({lang}) documents both"
                            f" {owner[key]!r} and {command.id!r}"
                        )
                    owner[key] = command.id
        from handlers.registry import ids

        missing = [command_id for command_id in ids() if command_id not in seen]
        if missing:
            raise ValueError(
                f"no entry for {', '.join(map(repr, missing))}: every command in"
                " handlers.registry.KINDS needs its help line and examples"
            )
        return commands

    @field_validator("webhooks")
    @classmethod
    def _unique_webhooks(cls, webhooks: list[Webhook]) -> list[Webhook]:
        names = [webhook.name for webhook in webhooks]
        duplicates = sorted({name for name in names if names.count(name) > 1})
        if duplicates:
            raise ValueError(f"webhook names must be unique: {', '.join(duplicates)}")
        return webhooks

    def command(self, command_id: CommandId) -> CommandSpec:
        return next(command for command in self.commands if command.id == command_id)

    def examples(self, lang: Lang) -> list[tuple[str, CommandId]]:
        """Every example in ``lang`` with the command it documents, in manifest order."""
        return [
            (example, command.id)
            for command in self.commands
            for example in getattr(command.examples, lang)
        ]


class ManifestError(Exception):
    """The manifest cannot be read or is not valid; the message names file and field."""

    def __init__(self, path: Path, problems: list[str]) -> None:
        self.path = path
        self.problems = problems
        super().__init__("\n".join(f"{path.name}: {problem}" for problem in problems))


def load_manifest(path: Path | None = None) -> Manifest:
    """Read and validate the manifest (default: the packaged copy of ``manifest.json``)."""
    resource = files("handlers").joinpath(PACKAGED_NAME) if path is None else path
    path = Path("manifest.json") if path is None else path
    try:
        raw = json.loads(resource.read_text(encoding="utf-8"))
    except OSError as error:
        raise ManifestError(path, [f"cannot read ({error.strerror or error})"]) from error
    except json.JSONDecodeError as error:
        raise ManifestError(
            path, [f"not valid JSON (line {error.lineno}, column {error.colno}): {error.msg}"]
        ) from error
    except UnicodeDecodeError as error:
        raise ManifestError(path, [f"not UTF-8 ({error.reason})"]) from error
    try:
        return Manifest.model_validate(raw)
    except ValidationError as error:
        raise ManifestError(path, _problems(error)) from error


def _problems(error: ValidationError) -> list[str]:
    problems = []
    for detail in error.errors(include_url=False):
        where = ".".join(str(part) for part in detail["loc"])
        message = detail["msg"]
        if detail["type"] == "value_error":
            message = str(detail.get("ctx", {}).get("error", message))
        problems.append(f"{where}: {message}" if where else message)
    return problems


def schema_text() -> str:
    """The JSON Schema of ``Manifest``, as committed in ``manifest.schema.json``."""
    schema = Manifest.model_json_schema(by_alias=True)
    return json.dumps(schema, indent=2, ensure_ascii=False) + "\n"


def write_schema(path: Path | None = None) -> Path:
    """Regenerate ``manifest.schema.json`` (``python -m handlers.manifest``)."""
    path = SCHEMA_PATH if path is None else path
    path.write_text(schema_text(), encoding="utf-8")
    return path


def packaged_path() -> Path:
    """Where the packaged copy lives in a source checkout (``python -m handlers.manifest``)."""
    return Path(__file__).resolve().parent / PACKAGED_NAME


def write_packaged(source: Path | None = None) -> Path:
    """Copy the repository's ``manifest.json`` into the package, byte for byte."""
    target = packaged_path()
    target.parent.mkdir(exist_ok=True)
    shutil.copyfile(MANIFEST_PATH if source is None else source, target)
    return target


if __name__ == "__main__":
    print(f"wrote {write_schema()}")
    print(f"wrote {write_packaged()}")
