"""Help, generated from ``manifest.json``: each command's help line and its first
examples in the space's language, plus buttons for the three things people
ask most (summary, needing attention, filter)."""

from __future__ import annotations

from core.query import NEEDING_ATTENTION
from core.statuses import Lang
from handlers.cards.common import card, list_payload, payload, submit
from handlers.cards.limits import check_card
from handlers.cards.safe_text import Json, escape_markdown, text
from handlers.i18n import t
from handlers.manifest import Manifest
from handlers.reply import Reply

EXAMPLES_PER_COMMAND = 2


def help_reply(manifest: Manifest, lang: Lang) -> Reply:
    title = t("help_title", lang, name=manifest.display_name)
    description = getattr(manifest.description, lang)
    body: list[Json] = [
        text(title, size="large", weight="bolder"),
        text(description, size="small", isSubtle=True, spacing="none"),
    ]
    lines = [f"**{escape_markdown(title)}**", escape_markdown(description), ""]
    for command in manifest.commands:
        help_line = getattr(command.help, lang)
        examples = getattr(command.examples, lang)[:EXAMPLES_PER_COMMAND]
        quoted = " · ".join(
            f"“{example}”" if lang == "en" else f"”{example}”" for example in examples
        )
        example_line = t("help_examples", lang, examples=quoted)
        body.append(
            {
                "type": "Container",
                "spacing": "medium",
                "items": [
                    text(help_line, weight="bolder", size="small"),
                    text(example_line, size="small", isSubtle=True, spacing="none"),
                ],
            }
        )
        lines.append(f"- **{escape_markdown(help_line)}** {escape_markdown(example_line)}")
    language = t("help_language", lang)
    body.append(text(language, size="small", isSubtle=True, spacing="medium"))
    lines += ["", escape_markdown(language)]
    actions = [
        submit(t("action_summary", lang), payload("summary")),
        submit(t("action_attention", lang), list_payload(NEEDING_ATTENTION)),
        submit(t("action_filter", lang), payload("filter")),
    ]
    return Reply(markdown="\n".join(lines), card=check_card(card(body, actions, lang=lang)))
