"""English sentences about the data's sources and age (cards' "Data as of" line,
the ``sources`` command). Keys and {parameters} must match ``sources_sv.py``."""

from __future__ import annotations

from handlers.i18n.plural import Entry, Plural

CATALOGUE: dict[str, Entry] = {
    "data_as_of": "Data as of {time}, {origin}",
    "data_origin_export": "Partner Hub export",
    "data_origin_wholesale": "Webex Wholesale",
    "data_origin_mixed": "Partner Hub export and Webex Wholesale",
    "data_origin_import": "imported by hand",
    "data_stale": Plural(
        "The last successful sync was {time}, more than {count} minute ago: "
        "this data may be out of date.",
        "The last successful sync was {time}, more than {count} minutes ago: "
        "this data may be out of date.",
    ),
    "data_never_synced": "No sync of the sources has succeeded yet: this data may be out of date.",
    "sources_title": "Data sources",
    "sources_none": (
        "No sources are set up: the data comes from “statusbot import”. "
        "STATUSBOT_SOURCES makes it come in by itself."
    ),
    "sources_all": "All sources together",
    "sources_kind_export": "Partner Hub export",
    "sources_kind_wholesale": "Webex Wholesale",
    "sources_last_success": "Last successful sync: {time}",
    "sources_never": "never",
    "sources_ok": "No errors since.",
    "sources_error_invalid": "Last error ({time}): the data was refused, nothing was applied.",
    "sources_error_unavailable": "Last error ({time}): the source could not be reached.",
    "sources_error_waiting": "Last attempt ({time}): the file was still being written.",
    "sources_error_detail": "Detail: {detail}",
    "sources_failing": Plural("{count} failure in a row.", "{count} failures in a row."),
    "sources_next_run": "Next run: {time}",
    "sources_zone": "Times in {zone}.",
}
