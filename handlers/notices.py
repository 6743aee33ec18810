"""What the bot says at the edge: refusals, greetings, apologies.

None of these carries customer data. They are replies like any other (markdown
always, a card where it helps), so the edge never writes a sentence itself.
"""

from __future__ import annotations

from core.statuses import Lang
from handlers.cards.common import card
from handlers.cards.help_card import help_reply
from handlers.cards.limits import check_card
from handlers.cards.safe_text import md, text
from handlers.i18n import t
from handlers.manifest import Manifest
from handlers.reply import Reply


def _notice(key: str, lang: Lang, **params: str) -> Reply:
    sentence = t(key, lang, **params)
    return Reply(
        markdown=md(key, lang, **params),
        card=check_card(card([text(sentence, wrap=True)], lang=lang)),
    )


def refusal(lang: Lang, *, space: bool) -> Reply:
    """Why the bot won't answer here; it reveals nothing about any customer."""
    return _notice("refused_space" if space else "refused_asker", lang)


def retracted(lang: Lang) -> Reply:
    """Why the bot deleted its earlier answers here (bot.retraction); no data, no count,
    so a retried notice is the same message."""
    return _notice("retracted", lang)


def greeting(manifest: Manifest, lang: Lang) -> Reply:
    """Posted when the bot joins a space: who it is, then what it can do."""
    help_card = help_reply(manifest, lang)
    hello = t("greeting", lang, name=manifest.display_name)
    body = [text(hello, weight="bolder")]
    if help_card.card is not None:
        body += help_card.card.get("body", [])
    markdown = md("greeting", lang, name=manifest.display_name) + "\n\n" + help_card.markdown
    actions = help_card.card.get("actions", []) if help_card.card else []
    return Reply(markdown=markdown, card=check_card(card(body, actions, lang=lang)))


def outsider_greeting(manifest: Manifest, lang: Lang, *, leaving: bool) -> Reply:
    key = "leaving" if leaving else "greeting_refused"
    return _notice(key, lang, name=manifest.display_name)


def failure(lang: Lang) -> Reply:
    """An apology when the bot could not answer (the log has the detail)."""
    return _notice("failed", lang)


def maybe_unanswered(lang: Lang) -> Reply:
    """Where the answer may or may not be out and the bot can't look (a group space after
    an ambiguous post, or a kill while posting): never a second answer, but a word so
    the asker is not left in silence."""
    return _notice("maybe_unanswered", lang)
