"""The phrases a customer-list question is made of, and the scanner that reads them.

A list question ("show trials expiring in 60 days", "visa kunder som behöver
åtgärdas") is a sequence of phrases. ``PHRASES`` is their **ordered** table:
at each position ``scan`` tries them in order, each anchored at that position
and ending at a word boundary, and the first that matches wins. There is no
backtracking, so a phrase comes before any shorter phrase it starts with
("failed provisioning" before "provisioning", "active trials" before
"active", "end of month" before the verb "end").

Each phrase adds to a ``Draft``; ``Draft.to_query`` validates the result into
``core.query.Query`` (pydantic), so a horizon of 20 years or a name of 500
characters fails there, not here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from core.query import Query
from core.statuses import ProvisioningStatus as Prov
from core.statuses import SubscriptionKind as Kind
from core.statuses import SubscriptionStatus as Sub
from handlers.grammar.time_words import (
    BY_DATE,
    BY_PERIOD,
    WITHIN,
    is_exclusive,
    last_day_by_date,
    last_day_of_period,
    within_days,
)

#: "show expiring" with no horizon: Partner Hub's furthest bucket.
DEFAULT_EXPIRING_DAYS = 60
#: "expiring soon" / "går ut snart".
SOON_DAYS = 30


@dataclass
class Draft:
    """What the phrases of one question said so far (mutable while scanning)."""

    provisioning: set[Prov] = field(default_factory=set)
    subscription: set[Sub] = field(default_factory=set)
    kind: Kind | None = None
    within_days: int | None = None
    by: date | None = None
    before: date | None = None  # "before D": D itself, as typed
    expiring: bool = False
    needing_attention: bool = False
    name: str | None = None
    page: int | None = None
    #: Saw a verb, a noun or a filter, not only fillers ("me", "som").
    content: bool = False

    def set_kind(self, kind: Kind) -> None:
        if self.kind not in (None, kind):
            raise ValueError("both paid and trial")
        self.kind = kind

    def set_within(self, days: int) -> None:
        if self.within_days is not None:
            raise ValueError("two horizons in days")
        self.within_days = days

    def set_by(self, last_day: date) -> None:
        if self.by is not None or self.before is not None:
            raise ValueError("two horizon dates")
        self.by = last_day

    def set_before(self, first_day_not_covered: date) -> None:
        self.set_by(first_day_not_covered - timedelta(days=1))  # validates the pair
        self.by, self.before = None, first_day_not_covered

    def to_query(self) -> Query:
        within = self.within_days
        if self.expiring and within is None and self.by is None and self.before is None:
            within = DEFAULT_EXPIRING_DAYS
        return Query(
            provisioning=frozenset(self.provisioning),
            subscription=frozenset(self.subscription),
            expiring_within_days=within,
            expiring_by=self.by,
            expiring_before=self.before,
            kind=self.kind,
            name=self.name,
            needing_attention=self.needing_attention,
        )


Action = Callable[[re.Match[str], Draft, date], None]


@dataclass(frozen=True, slots=True)
class Phrase:
    name: str
    pattern: re.Pattern[str]
    action: Action
    content: bool = True


def _compile(*alternatives: str) -> re.Pattern[str]:
    """Alternatives in order, to be matched at a position, ending at a word boundary."""
    return re.compile(rf"(?:{'|'.join(alternatives)})(?=[\s,;&]|$)", re.IGNORECASE)


def _statuses(name: str, statuses: Iterable[Prov | Sub], *alternatives: str) -> Phrase:
    chosen = tuple(statuses)

    def add(match: re.Match[str], draft: Draft, today: date) -> None:
        for status in chosen:
            if isinstance(status, Prov):
                draft.provisioning.add(status)
            else:
                draft.subscription.add(status)

    return Phrase(name, _compile(*alternatives), add)


def _kind(kind: Kind, *alternatives: str) -> Phrase:
    def add(match: re.Match[str], draft: Draft, today: date) -> None:
        draft.set_kind(kind)

    return Phrase(f"kind {kind.value}", _compile(*alternatives), add)


def _words(name: str, *alternatives: str, content: bool) -> Phrase:
    def nothing(match: re.Match[str], draft: Draft, today: date) -> None:
        return None

    return Phrase(name, _compile(*alternatives), nothing, content=content)


def _within(match: re.Match[str], draft: Draft, today: date) -> None:
    draft.set_within(within_days(match))


def _soon(match: re.Match[str], draft: Draft, today: date) -> None:
    draft.set_within(SOON_DAYS)


def _by_date(match: re.Match[str], draft: Draft, today: date) -> None:
    last_day = last_day_by_date(match)
    if is_exclusive(match):  # kept as typed, so the reply heads it with the same date
        draft.set_before(last_day + timedelta(days=1))
    else:
        draft.set_by(last_day)


def _by_period(match: re.Match[str], draft: Draft, today: date) -> None:
    draft.set_by(last_day_of_period(match, today))


# --- other actions ------------------------------------------------------------


def _attention(match: re.Match[str], draft: Draft, today: date) -> None:
    draft.needing_attention = True


def _expiring(match: re.Match[str], draft: Draft, today: date) -> None:
    draft.expiring = True


def _name(match: re.Match[str], draft: Draft, today: date) -> None:
    if draft.name is not None:
        raise ValueError("two names")
    draft.name = match.group("name")


def _page(match: re.Match[str], draft: Draft, today: date) -> None:
    if draft.page is not None:
        raise ValueError("two pages")
    draft.page = int(match.group("page")) - 1  # people count pages from 1


def _key(match: re.Match[str], draft: Draft, today: date) -> None:
    key = match.group(0).casefold()
    if key in _PROVISIONING_KEYS:
        draft.provisioning.add(Prov(key))
    else:
        draft.subscription.add(Sub(key))


_PROVISIONING_KEYS = frozenset(status.value for status in Prov)
_KEYS = sorted(
    (status.value for status in (*Prov, *Sub) if "_" in status.value), key=len, reverse=True
)
#: The ordered phrase table (see the module docstring for why order matters).
PHRASES: tuple[Phrase, ...] = (
    Phrase(
        "name",
        _compile(
            r"(?:named|called|whose name contains|with (?:the )?name|som heter"
            r"|med namn(?:et)?|vars namn innehåller|matching|som matchar) (?P<name>.+)"
        ),
        _name,
    ),
    Phrase("page", _compile(r"(?:page|sida) (?P<page>[0-9]{1,5})"), _page, content=False),
    Phrase("status key", _compile(*_KEYS), _key),
    Phrase(
        "needing attention",
        _compile(
            r"(?:that |which |who )?(?:needs?|needing|requires?|requiring) (?:my |our |some )?"
            r"(?:attention|action)",
            r"(?:attention|action) (?:needed|required)",
            r"needing_attention|attention|issues|problems",
            r"(?:som )?(?:behöver|kräver) (?:min |vår |din )?(?:åtgärd(?:as|er)?|åtgärda"
            r"|uppmärksamhet)",
            r"att åtgärda|problem",
        ),
        _attention,
    ),
    _statuses(
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
    _statuses(
        "manual (partner)",
        [Prov.MANUAL_PARTNER],
        r"manual(?:ly)?(?: provisioning| provisioned)? \(?(?:by (?:the )?)?partner\)?",
        r"manuell[at]?(?: tillhandahållande| tillhandahållning)? \(?(?:av )?partnern?\)?",
    ),
    _statuses(
        "manual (Cisco)",
        [Prov.MANUAL_CISCO],
        r"manual(?:ly)?(?: provisioning| provisioned)? \(?(?:by )?cisco\)?",
        r"manuell[at]?(?: tillhandahållande| tillhandahållning)? \(?(?:av )?cisco\)?",
    ),
    _statuses(
        "manual",
        [Prov.MANUAL_PARTNER, Prov.MANUAL_CISCO],
        r"manual(?:ly)?(?: provisioning| provisioned)?",
        r"manuell[at]?(?: tillhandahållande| tillhandahållning)?",
    ),
    _statuses(
        "awaiting details",
        [Prov.PENDING_DETAILS],
        r"(?:awaiting|pending|waiting for|waiting on|missing) (?:provisioning )?details",
        r"(?:inväntar|väntar på|saknar) (?:etableringsuppgifter|etablerings uppgifter|uppgifter)",
    ),
    _statuses(
        "provisioned",
        [Prov.PROVISIONED],
        r"(?:fully )?provisioned|tillhandahåll(?:ad|en|et|na)",
    ),
    _statuses(
        "provisioning",
        [Prov.PROVISIONING],
        r"being provisioned|provisioning in progress|in provisioning|provisioning",
        r"under tillhandahållande|tillhandahållande|tillhandahållning|tillhandahålls",
    ),
    _statuses(
        "trial expired",
        [Sub.TRIAL_EXPIRED],
        r"trials? (?:that )?(?:has |have )?(?:expired|ended|lapsed)|(?:expired|ended) trials?",
        r"(?:provperiod(?:en|er|erna)?|prov period(?:en)?) (?:som )?(?:har )?"
        r"(?:gått ut|löpt ut|upphört)",
        r"(?:utgångna|utgången|avslutade?) provperiod(?:er)?",
    ),
    _statuses(
        "trial active",
        [Sub.TRIAL_ACTIVE],
        r"(?:active|running|ongoing|current) trials?|trials? (?:that are )?active",
        r"(?:aktiva?|pågående) provperiod(?:er)?|(?:provperiod(?:en)?|prov period) aktiv",
    ),
    _statuses(
        "suspended",
        [Sub.SUSPENDED],
        r"suspended|cancell?ed|not renewed|unpaid",
        r"(?:har )?avbrutits|avbrutna|avbrutet|avbruten|avstängda?|uppsagda|obetalda",
    ),
    _statuses(
        "expired",
        [Sub.SUSPENDED, Sub.TRIAL_EXPIRED],
        r"expired|ended|lapsed",
        r"(?:har )?(?:gått ut|löpt ut|upphört)|utgångna|utgången",
    ),
    _statuses("active", [Sub.ACTIVE], r"active|aktiva?"),
    _kind(
        Kind.TRIAL,
        r"trials?(?: subscriptions?| accounts?)?",
        r"provperiod(?:erna|er|en)?|prov period(?:en|er)?|provprenumeration(?:er)?"
        r"|provkonto(?:n)?|testperiod(?:er)?",
    ),
    _kind(Kind.PAID, r"paid(?: subscriptions?)?", r"betalda?(?: prenumerationer)?"),
    Phrase(
        "by date",
        _compile(BY_DATE),
        _by_date,
    ),
    Phrase(
        "within",
        _compile(WITHIN),
        _within,
    ),
    Phrase("by period", _compile(BY_PERIOD), _by_period),
    Phrase("soon", _compile(r"soon|shortly|snart"), _soon),
    Phrase(
        "expiring",
        _compile(
            r"(?:(?:going|about|due) to )?(?:expiring|expires?|ending|ends?|running out"
            r"|runs? out|lapsing|lapses?|(?:coming )?up for renewal|due for renewal|renewing"
            r"|renews?|(?:renewals?|expirations?|expiry|expiries)(?: due)?|due)",
            r"(?:kommer att )?(?:går ut|gå ut|löper ut|upphör(?: att gälla)?|slutar|tar slut"
            r"|förfaller|förnyas|utgående)",
        ),
        _expiring,
    ),
    _words(
        "verb",
        r"show(?: me)?|list|find|display|get|give me|view|filter(?: by| on)?",
        r"visa(?: mig)?|lista|hitta|ge mig|filtrera(?: på)?",
        content=True,
    ),
    _words(
        "noun",
        r"all|everything|everyone|customers|clients|organi[sz]ations|orgs|subscriptions?"
        r"|accounts",
        r"alla|allt|samtliga|kunder(?:na)?|organisationer(?:na)?|prenumerationer(?:na)?"
        r"|prenumeration(?:en)?|konton",
        content=True,
    ),
    _words(
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
