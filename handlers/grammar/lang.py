"""Which language a question was asked in, and the examples closest to text not understood.

Language is a vote of words: each word of the question that the grammar read
(customer names and a chosen language's name left out) counts for English or
Swedish when it is in one of the two vocabularies below; words in neither
("filter", "status", "Cisco", numbers, dates) do not vote. More Swedish than
English words means "sv", more English means "en", a tie means the caller's
default (the space's language). The vocabularies are disjoint, and every word a
grammar rule or phrase can read is in one of them or in ``NEUTRAL_WORDS`` (tests
check both, so a new phrase cannot silently answer in the wrong language).
"""

from __future__ import annotations

import difflib
import re
from functools import cache

from core.statuses import Lang
from handlers.manifest import load_manifest


def _vocabulary(words: str) -> frozenset[str]:
    return frozenset(words.split())


ENGLISH_WORDS: frozenset[str] = _vocabulary(
    """
    sources source data
    show me list find display get give view which what who are is have has having the a an of
    my our with that and or in on for please pls currently now where whose all everything
    everyone customers customer clients organisations organizations orgs subscriptions
    subscription accounts expiring expire expires expired ending end ends ended running run
    runs out lapsing lapse lapses lapsed renewal renewing renew renews up due coming going
    about to within over during next this current week weeks month months year years day
    days today tomorrow from before by until through thru no not later than soon shortly
    trial trials paid active running ongoing suspended cancelled canceled unpaid renewed failed
    failing failure failures error errors unable could couldn cannot can able provision
    provisioning provisioned being progress fully manual manually awaiting pending waiting
    missing details needing need needs requiring require requires attention action needed
    required issues problems named called name contains matching page help commands hi
    hello hey usage summary overview stats statistics export as language lang english
    swedish set change switch speak answer reply search look one two three four five six
    seven eight nine ten eleven twelve fourteen fifteen twenty thirty forty fifty sixty
    ninety open choose select filters card any whats renewals expiration
    expirations expiry expiries do does how work you respond talk lookup some be account
    at state statuses mo mos wk wks yr yrs automatic
    alert alerts off turn stop subscribe unsubscribe digest digests send right time zone
    timezone daily every each weekday weekdays weekly monday tuesday wednesday thursday friday
    saturday sunday mondays tuesdays wednesdays thursdays fridays saturdays sundays mon tue
    tues wed thu thur thurs fri sat sun number
    """
)

SWEDISH_WORDS: frozenset[str] = _vocabulary(
    """
    källor källorna datakällor datakällorna källa datakälla
    visa mig lista hitta ge vilka vilken vilket vad vem som med har är och eller de den det
    denna detta här mina min våra vår på i för tack snälla nu just alla allt samtliga kunder
    kunderna kund organisationer organisationerna prenumerationer prenumerationerna
    prenumeration prenumerationen konton går gå gått ut löper löpt upphör upphört att gälla
    slutar tar slut förfaller förnyas utgående kommer inom under om närmaste kommande nästa
    vecka veckor veckan veckorna månad månader månaden månaderna mån år året åren dag dagar
    dagen dagarna dygn idag imorgon morgon framåt från före innan senast till fram slutet av
    månadsskiftet årsskiftet snart provperiod provperioder provperioden provperioderna prov
    period perioden provprenumeration provprenumerationer provkonto provkonton testperiod
    testperioder betald betalda aktiv aktiva pågående avbrutna avbrutits avbrutet avbruten
    avstängd avstängda uppsagda obetalda utgångna utgången avslutad avslutade misslyckad
    misslyckade misslyckades tillhandahållning tillhandahållningen tillhandahållande
    tillhandahållandet tillhandahållas tillhandahålla tillhandahålls tillhandahållad
    tillhandahållen tillhandahållet tillhandahållna etablering etableringen gick inte kunde
    fel manuell manuellt manuella partnern inväntar väntar saknar etableringsuppgifter
    etablerings uppgifter behöver kräver åtgärd åtgärdas åtgärder åtgärda uppmärksamhet
    problem heter namn namnet vars innehåller matchar sida hjälp kommandon hej hallå tjena
    sammanfattning sammanfattningen översikt översikten statistik statistiken sammandrag
    exportera språk språket svenska engelska svensk byt ändra sätt tala svara sök efter slå
    upp detaljer information en ett två tre fyra fem sex sju åtta nio tio elva tolv
    fjorton femton tjugo trettio fyrtio fyrtiofem sextio nittio öppna välj filtret filtren
    filterkortet kan du göra jag prata sammandraget kunden din filtrera perioder dygnen tom
    avisering aviseringar aviseringarna stäng prenumerera avprenumerera avsluta stoppa skicka
    kör direkt utskick utskicken tidszon tidszonen dagligen vardag vardagar veckovis varje kl
    klockan måndag tisdag onsdag torsdag fredag lördag söndag måndagar tisdagar onsdagar
    torsdagar fredagar lördagar söndagar tis ons tors fre lör sön nummer automatiskt
    """
)

#: Words the grammar reads that rightly vote for neither language: the same in
#: both ("filter", "status"), names ("Cisco"), and the single letters of
#: abbreviations ("30d", "t.o.m.", "can't").
NEUTRAL_WORDS: frozenset[str] = _vocabulary(
    "filter status cisco partner auto d m o s t v w y nr tz"
)

_WORD = re.compile(r"[^\W\d_]+")


def detect_lang(words: str, default: Lang) -> Lang:
    """ "sv" when more of ``words`` are Swedish than English, "en" when fewer, else ``default``."""
    swedish = english = 0
    for word in _WORD.findall(words.casefold()):
        swedish += word in SWEDISH_WORDS
        english += word in ENGLISH_WORDS
    if swedish == english:
        return default
    return "sv" if swedish > english else "en"


#: Suggestions must be at least this similar (difflib ratio) to be offered.
SUGGESTION_CUTOFF = 0.5
MAX_SUGGESTIONS = 3


@cache
def _examples(lang: Lang) -> tuple[str, ...]:
    return tuple(dict.fromkeys(example for example, _ in load_manifest().examples(lang)))


def suggest(text: str, lang: Lang) -> tuple[str, ...]:
    """Up to three manifest examples in ``lang`` closest to ``text``, closest first."""
    folded = {example.casefold(): example for example in _examples(lang)}
    close = difflib.get_close_matches(
        text.casefold(), folded, n=MAX_SUGGESTIONS, cutoff=SUGGESTION_CUTOFF
    )
    return tuple(folded[example] for example in close)
