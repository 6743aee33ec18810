"""``export expiring in 30 days``: every matching customer as a CSV file.

The same words as a list (``handlers.grammar.phrases``) after the verb, with
"as csv" allowed and no page. The file itself is ``handlers.export``.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Literal

from core.query import Query
from handlers.cards.describe import describe
from handlers.cards.safe_text import md
from handlers.command import Command, CommandKind, Payload, rule
from handlers.commands.list import customers_json
from handlers.context import Context
from handlers.export import CONTENT_TYPE, export_csv, export_filename
from handlers.grammar.phrases import scan
from handlers.reply import Reply, ReplyFile


class ExportCustomers(Command):
    """Every customer matching a query, as a CSV file."""

    kind: Literal["export"] = "export"
    query: Query = Query()


class ExportAction(Payload):
    """The list card's "Export CSV" button."""

    action: Literal["export"]
    query: Query = Query()

    def command(self) -> Command:
        return ExportCustomers(query=self.query)


_CSV = re.compile(
    r"(?:^|\s)(?:(?:as|to|in|som|till|i) )?(?:an? |en )?csv(?: files?| filen| fil)?(?=\s|$)",
    re.IGNORECASE,
)


def _export(match: re.Match[str], today: date) -> tuple[Command, str]:
    rest = _CSV.sub("", match.group("rest") or "")
    scanned = scan(rest, today)
    if scanned is None or scanned[0].page is not None:
        raise ValueError("not an export question")
    draft, words = scanned
    return ExportCustomers(query=draft.to_query()), " ".join([match.group("verb"), *words])


def export_customers(command: ExportCustomers, context: Context) -> Reply:
    today, lang = context.today, context.lang
    export = export_csv(context.store.iter_customers(command.query, today), today, lang)
    title = describe(command.query, export.customers, lang, markdown=True).title
    if export.customers == 0:
        return Reply(markdown=f"**{title}**\n\n{md('export_empty', lang)}")
    done = md("export_done", lang, count=export.customers, rows=export.rows)
    return Reply(
        markdown=f"**{title}**\n\n{done}",
        file=ReplyFile(
            filename=export_filename(today), content_type=CONTENT_TYPE, data=export.data
        ),
    )


KIND = CommandKind(
    model=ExportCustomers,
    rules=(rule("export", r"(?P<verb>export|exportera)(?: (?P<rest>.+))?", _export),),
    handle=export_customers,
    card=False,
    payloads=(ExportAction,),
    as_json=lambda command, context: customers_json(command.query, context),
)
