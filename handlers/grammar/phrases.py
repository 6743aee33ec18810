"""The phrases a customer-list question is made of, and the scanner that reads them.

A list question ("show trials expiring in 60 days", "visa kunder som behöver
åtgärdas") is a sequence of phrases. ``PHRASES`` is their **ordered** table:
at each position ``scan`` tries them in order, each anchored at that position
and ending at a word boundary, and the first that matches wins. There is no
backtracking, so a phrase comes before any shorter phrase it starts with
("failed provisioning" before "provisioning", "active trials" before
"active", "end of month" before the verb "end").

Each phrase adds to a ``Draft`` (``handlers.grammar.draft``), which becomes the
``core.query.Query``.
"""

from __future__ import annotations

import re
from datetime import date

from core.statuses import ProvisioningStatus as Prov
from core.statuses import SubscriptionKind as Kind
from core.statuses import SubscriptionStatus as Sub
from handlers.grammar import actions as do
from handlers.grammar.actions import Phrase
from handlers.grammar.draft import Draft
from handlers.grammar.time_words import BY_DATE, BY_PERIOD, WITHIN

_KEYS = sorted(
    (status.value for status in (*Prov, *Sub) if "_" in status.value), key=len, reverse=True
)
#: The ordered phrase table (see the module docstring for why order matters).
PHRASES: tuple[Phrase, ...] = (
    Phrase(
        "name",
        do.compile_phrase(
            r"(?:named|called|whose name contains|with (?:the )?name|som heter"
            r"|med namn(?:et)?|vars namn innehåller|matching|som matchar) (?P<name>.+)"
        ),
        do.named,
    ),
    Phrase(
        "page", do.compile_phrase(r"(?:page|sida) (?P<page>[0-9]{1,5})"), do.paged, content=False
    ),
    Phrase("status key", do.compile_phrase(*_KEYS), do.status_key),
    Phrase(
        "needing attention",
        do.compile_phrase(
            r"(?:that |which |who )?(?:needs?|needing|requires?|requiring) (?:my |our |some )?"
            r"(?:attention|action)",
            r"(?:attention|action) (?:needed|required)",
            r"needing_attention|attention|issues|problems",
            r"(?:som )?(?:behöver|kräver) (?:min |vår |din )?(?:åtgärd(?:as|er)?|åtgärda"
            r"|uppmärksamhet)",
            r"att åtgärda|problem",
        ),
        do.attention,
    ),
    do.statuses(
        "failed",
        [Prov.FAILED],
        r"(?:failed|failing) (?:provisioning|to provision)",
        r"provisioning (?:failed|failures?|errors?)",
        r"(?:unable|failed|could not|couldn't|cannot|can't|can not|not able) (?:to )?(?:be )?"
        r"provision(?:ed)?",
        r"failed|failing|failures?|errors?",
        r"misslyckade? (?:tillhandahållning|tillhandahållande|etablering)",
        r"(?:tillhandahållningen|tillhandahållandet|etableringen) misslyckades",
        r"det gick inte att tillhandahålla",
        r"(?:som )?(?:inte kunde|kunde inte) tillhandahållas",
        r"misslyckade?|fel",
    ),
    do.statuses(
        "manual (partner)",
        [Prov.MANUAL_PARTNER],
        r"manual(?:ly)?(?: provisioning| provisioned)? \(?(?:by (?:the )?)?partner\)?",
        r"manuell[at]?(?: tillhandahållande| tillhandahållning)? \(?(?:av )?partnern?\)?",
    ),
    do.statuses(
        "manual (Cisco)",
        [Prov.MANUAL_CISCO],
        r"manual(?:ly)?(?: provisioning| provisioned)? \(?(?:by )?cisco\)?",
        r"manuell[at]?(?: tillhandahållande| tillhandahållning)? \(?(?:av )?cisco\)?",
    ),
    do.statuses(
        "manual",
        [Prov.MANUAL_PARTNER, Prov.MANUAL_CISCO],
        r"manual(?:ly)?(?: provisioning| provisioned)?",
        r"manuell[at]?(?: tillhandahållande| tillhandahållning)?",
    ),
    do.statuses(
        "awaiting details",
        [Prov.PENDING_DETAILS],
        r"(?:awaiting|pending|waiting for|waiting on|missing) (?:provisioning )?details",
        r"(?:inväntar|väntar på|saknar) (?:etableringsuppgifter|etablerings uppgifter|uppgifter)",
    ),
    do.statuses(
        "provisioned",
        [Prov.PROVISIONED],
        r"(?:fully )?provisioned|tillhandahåll(?:ad|en|et|na)",
    ),
    do.statuses(
        "provisioning",
        [Prov.PROVISIONING],
        r"being provisioned|provisioning in progress|in provisioning|provisioning",
        r"under tillhandahållande|tillhandahållande|tillhandahållning|tillhandahålls",
    ),
    do.statuses(
        "trial expired",
        [Sub.TRIAL_EXPIRED],
        r"trials? (?:that )?(?:has |have )?(?:expired|ended|lapsed)|(?:expired|ended) trials?",
        r"(?:provperiod(?:en|er|erna)?|prov period(?:en)?) (?:som )?(?:har )?"
        r"(?:gått ut|löpt ut|upphört)",
        r"(?:utgångna|utgången|avslutade?) provperiod(?:er)?",
    ),
    do.statuses(
        "trial active",
        [Sub.TRIAL_ACTIVE],
        r"(?:active|running|ongoing|current) trials?|trials? (?:that are )?active",
        r"(?:aktiva?|pågående) provperiod(?:er)?|(?:provperiod(?:en)?|prov period) aktiv",
    ),
    do.statuses(
        "suspended",
        [Sub.SUSPENDED],
        r"suspended|cancell?ed|not renewed|unpaid",
        r"(?:har )?avbrutits|avbrutna|avbrutet|avbruten|avstängda?|uppsagda|obetalda",
    ),
    do.statuses(
        "expired",
        [Sub.SUSPENDED, Sub.TRIAL_EXPIRED],
        r"expired|ended|lapsed",
        r"(?:har )?(?:gått ut|löpt ut|upphört)|utgångna|utgången",
    ),
    do.statuses("active", [Sub.ACTIVE], r"active|aktiva?"),
    do.of_kind(
        Kind.TRIAL,
        r"trials?(?: subscriptions?| accounts?)?",
        r"provperiod(?:erna|er|en)?|prov period(?:en|er)?|provprenumeration(?:er)?"
        r"|provkonto(?:n)?|testperiod(?:er)?",
    ),
    do.of_kind(Kind.PAID, r"paid(?: subscriptions?)?", r"betalda?(?: prenumerationer)?"),
    Phrase(
        "by date",
        do.compile_phrase(BY_DATE),
        do.by_date,
    ),
    Phrase(
        "within",
        do.compile_phrase(WITHIN),
        do.within,
    ),
    Phrase("by period", do.compile_phrase(BY_PERIOD), do.by_period),
    Phrase("soon", do.compile_phrase(r"soon|shortly|snart"), do.soon),
    Phrase(
        "expiring",
        do.compile_phrase(
            r"(?:(?:going|about|due) to )?(?:expiring|expires?|ending|ends?|running out"
            r"|runs? out|lapsing|lapses?|(?:coming )?up for renewal|due for renewal|renewing"
            r"|renews?|(?:renewals?|expirations?|expiry|expiries)(?: due)?|due)",
            r"(?:kommer att )?(?:går ut|gå ut|löper ut|upphör(?: att gälla)?|slutar|tar slut"
            r"|förfaller|förnyas|utgående)",
        ),
        do.expiring,
    ),
    do.words(
        "verb",
        r"show(?: me)?|list|find|display|get|give me|view|filter(?: by| on)?",
        r"visa(?: mig)?|lista|hitta|ge mig|filtrera(?: på)?",
        content=True,
    ),
    do.words(
        "noun",
        r"all|everything|everyone|customers|clients|organi[sz]ations|orgs|subscriptions?"
        r"|accounts",
        r"alla|allt|samtliga|kunder(?:na)?|organisationer(?:na)?|prenumerationer(?:na)?"
        r"|prenumeration(?:en)?|konton",
        content=True,
    ),
    do.words(
        "filler",
        r"the|me|my|our|with|that|which|who|what(?:'s|’s)?|whats|are|is|have|has|having|any|a|an"
        r"|of|and|or|in"
        r"|on|for|please|pls|currently|now|status|statuses|state|where|whose",
        r"som|med|har|är|och|eller|de|den|det|mina|min|våra|vår|på|i|för|tack|snälla|nu"
        r"|just nu|vilka|vilken|vilket|vad",
        content=False,
    ),
)

_SEPARATORS = re.compile(r"[\s,;&]+")


def scan(text: str, today: date) -> tuple[Draft, list[str]] | None:
    """Read ``text`` as a sequence of phrases; None if some part is no phrase.

    Returns the draft and the grammar words read (names left out), which decide
    the language. Actions raise ``ValueError`` on contradictions ("paid trials").
    """
    draft = Draft()
    words: list[str] = []
    position = 0
    while True:
        separators = _SEPARATORS.match(text, position)
        if separators is not None:
            position = separators.end()
        if position >= len(text):
            return draft, words
        for phrase in PHRASES:
            match = phrase.pattern.match(text, position)
            if match is not None and match.end() > position:
                break
        else:
            return None
        phrase.action(match, draft, today)
        draft.content = draft.content or phrase.content
        named = match.groupdict().get("name")
        words.append(text[position : match.start("name")] if named else match.group(0))
        position = match.end()
