"""Partner Hub exports as they are: which heading holds which field, which value
means which status.

Partner Hub's Customers export has undocumented columns, and partners (and
Excel in Swedish) rename headings, so asking for our canonical CSV means asking
people to rewrite every export. Instead the CSV reader passes its headings and
values through a ``ColumnMapping``: common English and Swedish headings and
values are known without one, and a TOML file (``--columns mapping.toml`` or
``STATUSBOT_COLUMNS``) names the rest::

    date_format = "%d/%m/%Y"          # optional: how the file writes dates

    [columns]                          # "heading in the file" = "field"
    "Organisation" = "customer_name"

    [values.subscription_kind]         # "value in the file" = "canonical value"
    "Köpt" = "paid"

When a file still lacks a required field, ``explain`` says which headings it
found, which fields are missing, and the mapping to write.
"""

from __future__ import annotations

import tomllib
from collections.abc import Iterable, Mapping
from datetime import datetime
from pathlib import Path
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

#: The canonical CSV columns (data-contract.md), in their order.
FIELDS = (
    "customer_id",
    "customer_name",
    "subscription_id",
    "subscription_kind",
    "subscription_state",
    "start_date",
    "end_date",
    "service",
    "provisioning_status",
)
ValueField = Literal["subscription_kind", "subscription_state", "provisioning_status"]
_DATE_FIELDS = ("start_date", "end_date")


def fold(text: str) -> str:
    """Headings and values compare without case, edge spaces, BOM or doubled spaces."""
    return " ".join(text.replace("\ufeff", "").casefold().split())


#: Headings recognised with no mapping (folded), English and Swedish.
KNOWN_HEADINGS: dict[str, str] = {
    heading: field
    for field, headings in {
        "customer_id": ("customer id", "customer org id", "organization id", "org id", "kund-id",
                        "kundid", "kund id", "organisations-id", "organisationsid"),
        "customer_name": ("customer name", "customer", "company name", "organization name",
                          "kundnamn", "kund", "företagsnamn", "organisationsnamn"),
        "subscription_id": ("subscription id", "subscription", "prenumerations-id",
                            "prenumerationsid", "prenumeration id", "abonnemangs-id"),
        "subscription_kind": ("subscription type", "type", "trial or paid", "prenumerationstyp",
                              "typ", "abonnemangstyp"),
        "subscription_state": ("subscription state", "state", "prenumerationstillstånd",
                               "tillstånd"),
        "start_date": ("start date", "startdatum", "start"),
        "end_date": ("end date", "expiration date", "expiry date", "slutdatum", "utgångsdatum",
                     "slutar"),
        "service": ("service", "services", "offer", "tjänst", "tjänster", "erbjudande"),
        "provisioning_status": ("provisioning status", "status", "etableringsstatus",
                                "tillhandahållandestatus", "tillhandahållningsstatus"),
    }.items()
    for heading in headings
}  # fmt: skip

#: Values recognised with no mapping (folded) beyond what the model accepts.
KNOWN_VALUES: dict[str, dict[str, str]] = {
    "subscription_kind": {"betald": "paid", "betalad": "paid", "köpt": "paid",
                          "provperiod": "trial", "prov": "trial", "testperiod": "trial"},
    "subscription_state": {"aktiv": "active", "avbruten": "suspended",
                           "har avbrutits": "suspended", "avstängd": "suspended",
                           "uppsagd": "cancelled"},
    "provisioning_status": {},
}  # fmt: skip


class MappingInvalid(ValueError):
    """The mapping file itself is wrong; ``str()`` says where and how to fix it."""


class ColumnMapping(BaseModel):
    """A heading → field map, value → canonical value maps, and a date format."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    columns: dict[str, str] = Field(default_factory=dict)
    values: dict[ValueField, dict[str, str]] = Field(default_factory=dict)
    date_format: str | None = None

    @field_validator("columns")
    @classmethod
    def _known_fields(cls, value: dict[str, str]) -> dict[str, str]:
        for heading, field in value.items():
            if field not in FIELDS:
                known = ", ".join(FIELDS)
                raise ValueError(f"{heading!r} = {field!r}: not a field (use one of {known})")
        return {fold(heading): field for heading, field in value.items()}

    @field_validator("values")
    @classmethod
    def _folded_values(
        cls, value: dict[ValueField, dict[str, str]]
    ) -> dict[ValueField, dict[str, str]]:
        return {field: {fold(k): v for k, v in pairs.items()} for field, pairs in value.items()}

    def header(self, headings: Iterable[str]) -> list[str]:
        """Each heading's canonical field, or the folded heading when it names none.

        A field named by two headings keeps the first: the second stays as it is
        (so it is ignored, as extra columns are).
        """
        result: list[str] = []
        for heading in headings:
            folded = fold(heading)
            field = (
                folded
                if folded in FIELDS
                else self.columns.get(folded) or KNOWN_HEADINGS.get(folded, folded)
            )
            result.append(folded if field in result else field)
        return result

    def row(self, row: dict[str, str | None]) -> dict[str, str | None]:
        """Values translated to canonical ones; anything unknown passes on as it is,
        so the model's own error names it."""
        for field in ("subscription_kind", "subscription_state", "provisioning_status"):
            value = row.get(field)
            if value:
                folded = fold(value)
                mine = self.values.get(field, {})
                row[field] = mine.get(folded) or KNOWN_VALUES[field].get(folded, value)
        if self.date_format:
            for field in _DATE_FIELDS:
                value = row.get(field)
                if value and value.strip():
                    try:
                        parsed = datetime.strptime(value.strip(), self.date_format).date()
                        row[field] = parsed.isoformat()
                    except ValueError:
                        pass  # left as it is: the model says "not a date"
        return row

    def explain(self, found: Iterable[str], missing: Iterable[str]) -> str:
        """Why the header is not enough, and the mapping file that would fix it."""
        found = [heading.strip() for heading in found if heading.strip()]
        missing = list(missing)
        known = set(self.header(found)) & set(FIELDS)
        spare = [h for h, f in zip(found, self.header(found), strict=True) if f not in known]
        lines = [
            "the file does not say which column holds "
            + ", ".join(missing)
            + ". Headings found: "
            + (", ".join(repr(h) for h in found) or "none")
            + ". Write a mapping file (statusbot import --columns mapping.toml, or "
            "STATUSBOT_COLUMNS=mapping.toml) naming the heading of each:",
            "[columns]",
        ]
        for index, field in enumerate(missing):
            heading = spare[index] if index < len(spare) else "heading in your file"
            lines.append(f'"{heading}" = "{field}"')
        return "\n".join(lines)


DEFAULT_MAPPING = ColumnMapping()


def load_mapping(path: Path) -> ColumnMapping:
    """A mapping from a TOML file, or MappingInvalid saying what to fix."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except OSError as error:
        raise MappingInvalid(f"{path}: cannot read it ({error.strerror})") from None
    except tomllib.TOMLDecodeError as error:
        raise MappingInvalid(f"{path}: not TOML ({error})") from None
    return mapping_from(data, where=str(path))


def mapping_from(data: Mapping[str, object], *, where: str = "mapping") -> ColumnMapping:
    try:
        return ColumnMapping.model_validate(data)
    except ValidationError as error:
        problem = error.errors()[0]
        place = ".".join(str(part) for part in problem["loc"]) or "(file)"
        reason = str(problem["msg"]).removeprefix("Value error, ")
        raise MappingInvalid(f"{where}: {place}: {reason}") from None
