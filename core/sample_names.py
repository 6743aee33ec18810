"""Company names for the sample data: word lists per language, and the draw.

``core.sample`` calls ``company_name`` once per generated customer. The lists and
their weights are part of what makes ``generate`` deterministic: changing a word,
a weight or the order of draws changes every sample after it (and the bundled
``core/data/sample.csv``, which a test compares).
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TypeVar

_T = TypeVar("_T")


def weighted(pairs: Iterable[tuple[_T, int]]) -> tuple[_T, ...]:
    """Each item repeated by its weight, for ``rng.choice``.

    ``rng.choices`` with weights is several times slower, and these small
    integer weights make the table short.
    """
    return tuple(item for item, weight in pairs for _ in range(weight))


@dataclass(frozen=True, slots=True)
class _NameParts:
    """One language's way of naming a company: first + qualifier + second + form.

    Combining four word lists gives over 200,000 names from a few hundred
    words, in each language's own order and spacing.
    """

    template: str
    first: tuple[str, ...]
    second: tuple[str, ...]
    qualifier: tuple[str, ...]
    form: tuple[str, ...]


def _language(first: str, second: str, qualifiers: str, forms: str, sep: str = " ") -> _NameParts:
    """Word lists from text: words split on spaces, affixes on ``|`` (empty = none).

    Most real names have no qualifier ("Nord", "Group"), so three draws in five
    get none; an empty legal form is listed in ``forms`` as often as it is wanted.
    Japanese names take no spaces and put the qualifier before the trade.
    """

    def affixes(text: str) -> tuple[str, ...]:
        return tuple(sep + item if item else "" for item in text.split("|"))

    qualified = affixes(qualifiers)
    return _NameParts(
        "{first} {second}{qualifier}{form}" if sep else "{first}{qualifier}{second}{form}",
        tuple(first.split(" ")),
        tuple(second.split(" ")),
        ("",) * (len(qualified) * 3 // 2) + qualified,
        affixes(forms),
    )


# Weights per language: a Nordic partner with international customers.
_NAME_LANGUAGES: tuple[tuple[_NameParts, int], ...] = (
    (
        _language(
            "Åre Göteborgs Malmö Ängelholms Västerås Örebro Umeå Luleå Jönköpings Växjö "
            "Norrköpings Linköpings Östersunds Gävle Borås Sundsvalls Karlstads Kalmar "
            "Skövde Trollhättans Falu Piteå Skellefteå Härnösands Kiruna Visby Ystads "
            "Höganäs Älmhults Södertälje Mölndals Sollentuna Täby Nacka Lidingö "
            "Hässleholms Kristianstads Halmstads Varbergs Strömstads",
            "Skidskola Energi Bygg Fastigheter Tandvård Redovisning Åkeri Städservice "
            "Bilservice Revision Advokatbyrå Trädgård Mekaniska Elektriska Bageri Rörteknik "
            "Måleri Vårdcentral Hamn Logistik Glas Plåt Data Kraft Vatten Bostäder Färg "
            "Golv Snickeri Resebyrå Optik Veterinär Förskola Hotell Sågverk",
            "Nord|Syd|Väst|Öst|Norden|Sverige|Teknik|Service|Partner|Konsult|Center|Invest",
            "AB|AB|AB||HB|KB|Ekonomisk Förening|& Söner AB",
        ),
        35,
    ),
    (
        _language(
            "Øresund Aalborg Århus Bergen Tromsø Trondheim Stavanger Bodø Ålesund Drammen "
            "Odense Esbjerg Køge Næstved Hillerød Frederiksberg Sønderborg Fredrikstad "
            "Lillehammer Kristiansand Haugesund Hørsholm Randers Vejle Kolding Hamar",
            "Logistik Fiskeri Rederi Bryggeri Entreprenør Regnskab Tandlæge Maskin Elektro "
            "Transport Byggeservice Havn Energi Kraft Boligselskab Møbler Rådgivning "
            "Snekkeri Rørlegger Bakeri",
            "Nord|Syd|Vest|Øst|Norge|Danmark|Gruppen|Service|Partner|Teknikk",
            "AS|AS|A/S|A/S|ApS||ASA",
        ),
        12,
    ),
    (
        _language(
            "Hämeenlinna Jyväskylä Seinäjoki Kemijärvi Äänekoski Pietarsaari Mänttä "
            "Vääksy Espoo Vantaa Tampere Oulu Turku Kuopio Lahti Pori Rovaniemi Ylöjärvi "
            "Järvenpää Kerava Lappeenranta Mikkeli",
            "Sähkö Rakennus Kuljetus Metsä Konepaja Kiinteistöt Tilitoimisto "
            "Hammaslääkärit Leipomo Lämpö Vesi Kalastus Puutarha Ohjelmisto Putki Maalaus",
            "Group|Palvelu|Invest|Pohjola|Itä|Länsi",
            "Oy|Oy|Oy Ab|Ky|",
        ),
        8,
    ),
    (
        _language(
            "Zürich München Köln Düsseldorf Nürnberg Würzburg Lübeck Göttingen Münster "
            "Osnabrück Saarbrücken Tübingen Jülich Fürth Gießen Bremen Hamburg Basel Bern "
            "Graz Linz Wien Salzburg Innsbruck",
            "Versicherung Maschinenbau Bäckerei Brauerei Logistik Immobilien Elektrotechnik "
            "Metallbau Druckerei Steuerberatung Zahnärzte Automobile Glasbau Spedition "
            "Holzbau Käserei Uhrenmanufaktur Energie Stadtwerke",
            "Süd|Nord|West|Ost|Gruppe|Service|Technik|Holding|International",
            "GmbH|GmbH|AG|KG|GmbH & Co. KG||e.K.",
        ),
        12,
    ),
    (
        _language(
            "Café Boulangerie Pâtisserie Hôtel Brasserie Crèmerie Librairie Pharmacie "
            "Clinique Cabinet Atelier Garage Fromagerie Imprimerie Bistrot Maison",
            "Noir Lefèvre Mérimée Bérénice Éole Rivière Château-Thierry Genève Besançon "
            "Orléans Nîmes Angoulême Évry Sète Sévigné Dupré Étoile Forêt Lumière Côte-d'Or",
            "& Fils|Frères|Conseil|Services|Groupe",
            "SARL|SA|SAS|||EURL",
        ),
        8,
    ),
    (
        _language(
            "Northwind Alpine Harbor Summit Pinnacle Redwood Evergreen Granite Crescent "
            "Riverside Oakridge Silverline Brightwater Bluefield Ironbridge Kingsway "
            "Lakeside Meridian Northgate Stonebridge Westbrook Highland Clearwater Foxhill "
            "Ashford Bayview Cedarwood Fairfield Greystone Millbrook",
            "Logistics Consulting Healthcare Dental Engineering Holdings Media Foods Energy "
            "Capital Legal Realty Systems Networks Analytics Pharma Motors Hospitality "
            "Insurance Retail Marine Aviation Software Security",
            "Nordic|Europe|International|Group|Partners|Services|Solutions",
            "Ltd|Inc.|LLC|plc||Limited",
        ),
        15,
    ),
    (
        _language(
            "Ünal Öztürk Yılmaz Çelik Şahin Doğan Güneş Aydın Kılıç Çetin Koç Özdemir "
            "Akgül Başaran Gündoğdu Uğur",
            "İnşaat Tekstil Gıda Lojistik Turizm Mobilya Enerji Yazılım Otomotiv Kimya "
            "Makine Tarım Elektrik Sağlık",
            "ve Ortakları|Grup|Dış Ticaret|Mühendislik",
            "A.Ş.|Ltd. Şti.||San. ve Tic. A.Ş.",
        ),
        5,
    ),
    (
        _language(
            "東京 大阪 名古屋 横浜 京都 札幌 福岡 神戸 仙台 広島 千葉 静岡 新潟 金沢",
            "商事 物産 電機 精工 建設 運輸 製薬 食品 不動産 化学 通信 工業 重工 印刷",
            "中央|第一|国際|総合|日本",
            "株式会社|（株）",
            sep="",
        ),
        5,
    ),
)
_NAME_TABLE = weighted(_NAME_LANGUAGES)


def company_name(rng: random.Random, used: set[str]) -> str:
    """A company name, new unless 20 draws in a row were taken (then a repeat).

    The word lists hold about 200,000 combinations, so a retry is rare and a
    repeat rarer; real partner lists have the odd repeat too, and ids are
    unique regardless.
    """
    for _ in range(20):
        parts = rng.choice(_NAME_TABLE)
        name = parts.template.format(
            first=rng.choice(parts.first),
            second=rng.choice(parts.second),
            qualifier=rng.choice(parts.qualifier),
            form=rng.choice(parts.form),
        )
        if name not in used:
            break
    used.add(name)
    return name
