"""Svenska meningar om uppgifternas källor och ålder (kortens rad "Uppgifter per",
kommandot ``källor``). Nycklar och {parametrar} som i ``sources_en.py``."""

from __future__ import annotations

from handlers.i18n.plural import Entry, Plural

CATALOGUE: dict[str, Entry] = {
    "data_as_of": "Uppgifter per {time}, {origin}",
    "data_origin_export": "Partner Hub-export",
    "data_origin_wholesale": "Webex Wholesale",
    "data_origin_mixed": "Partner Hub-export och Webex Wholesale",
    "data_origin_import": "importerade för hand",
    "data_stale": Plural(
        "Senaste lyckade synkningen var {time}, för mer än {count} minut sedan: "
        "uppgifterna kan vara inaktuella.",
        "Senaste lyckade synkningen var {time}, för mer än {count} minuter sedan: "
        "uppgifterna kan vara inaktuella.",
    ),
    "data_never_synced": (
        "Ingen synkning av källorna har lyckats än: uppgifterna kan vara inaktuella."
    ),
    "sources_title": "Datakällor",
    "sources_none": (
        "Inga källor är inställda: uppgifterna kommer från ”statusbot import”. "
        "Med STATUSBOT_SOURCES kommer de in av sig själva."
    ),
    "sources_all": "Alla källor tillsammans",
    "sources_kind_export": "Partner Hub-export",
    "sources_kind_wholesale": "Webex Wholesale",
    "sources_last_success": "Senaste lyckade synkning: {time}",
    "sources_never": "aldrig",
    "sources_ok": "Inga fel sedan dess.",
    "sources_error_invalid": "Senaste fel ({time}): uppgifterna avvisades, inget ändrades.",
    "sources_error_unavailable": "Senaste fel ({time}): källan gick inte att nå.",
    "sources_error_waiting": "Senaste försök ({time}): filen skrevs fortfarande.",
    "sources_error_detail": "Detalj: {detail}",
    "sources_failing": Plural("{count} misslyckande i rad.", "{count} misslyckanden i rad."),
    "sources_next_run": "Nästa körning: {time}",
    "sources_zone": "Tider i {zone}.",
}
