"""Which column holds what: the layout the import reads and the team export writes.

A caseload comes as sheets of clients, network and agreements (Cliënten, Netwerk, Afspraken:
the layout `wijkteam export team` writes, with Ontwikkeling: one row per ZRM or Positieve
Gezondheid, a column per domain and one for its note) or as one flat sheet with a row per
agreement ("wie belt wie"). Rows of the network, agreement and outcome sheets name their
client by client number or by external id (the id in the system the caseload came from); a
flat sheet repeats the client on each of its rows.

Columns are found by their header, Dutch or common English, whatever their case, accents,
spaces or punctuation ("Cliëntnaam", "clientnaam", "Naam cliënt" …). What a sheet holds follows
from its name or, failing that, from its columns. A mapping file (TOML) names what the headers
cannot say:

    [kolommen]
    "Begeleider" = "Casemanager"     # this header is the column Casemanager
    "Opmerkingen" = ""               # not read

    [bladen]
    "Blad1" = "cliënten"             # cliënten, netwerk, afspraken, ontwikkeling or plat
"""

from __future__ import annotations

import tomllib
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from pathlib import Path

from wijkteam_tui.domain.outcomes import DOMAINS
from wijkteam_tui.domain.terms import AssessmentKind
from wijkteam_tui.errors import UsageError


class Kind(StrEnum):
    CLIENTS = "cliënten"
    MEMBERS = "netwerk"
    AGREEMENTS = "afspraken"
    OUTCOMES = "ontwikkeling"
    FLAT = "plat"


@dataclass(frozen=True)
class Column:
    """A field of the import: its key, the header the export writes, and the other headers
    it is known by."""

    key: str
    header: str
    aliases: tuple[str, ...] = ()


_CLIENT_REF = (
    Column("number", "Cliëntnummer", ("clientnr", "clientnummer", "nummer", "dossiernummer",
                                      "dossiernr", "client number", "client no")),
    Column("external_id", "Extern id", ("externid", "externe id", "id", "extern nummer",
                                        "bron id", "external id", "source id")),
)  # fmt: skip
_CLIENT_FIELDS = (
    Column("name", "Naam", ("clientnaam", "naam client", "client", "volledige naam", "name",
                            "full name", "client name")),
    Column("birth_date", "Geboortedatum", ("geb datum", "gebdatum", "geboren", "geboren op",
                                           "date of birth", "birth date", "dob", "birthdate")),
    Column("street", "Straat", ("adres", "straatnaam", "street", "address")),
    Column("house_number", "Huisnummer", ("huisnr", "nr", "house number", "number house")),
    Column("postcode", "Postcode", ("postal code", "zip", "zipcode")),
    Column("city", "Plaats", ("woonplaats", "city", "town")),
    Column("phone", "Telefoon", ("telefoonnummer", "tel", "telnr", "mobiel", "phone",
                                 "telephone", "mobile")),
    Column("regime", "Regime", ("wet", "kader", "wettelijk kader", "law")),
    Column("casemanager", "Casemanager", ("case manager", "medewerker", "consulent",
                                          "begeleider wijkteam", "contactpersoon wijkteam")),
    Column("phase", "Fase", ("phase", "stage")),
    Column("opened_on", "Startdatum", ("start", "aangemeld", "aangemeld op", "datum aanmelding",
                                       "aanmelddatum", "opened", "opened on", "start date")),
    Column("own_words", "Eigen woorden", ("in eigen woorden", "hulpvraag eigen woorden",
                                          "own words")),
    Column("strengths", "Krachten", ("sterke punten", "wat gaat goed", "strengths")),
    Column("meaningful", "Van betekenis", ("wat is van betekenis", "betekenisvol",
                                           "meaningful")),
)  # fmt: skip
_MEMBER_FIELDS = (
    Column("member", "Naam", ("netwerklid", "naam netwerklid", "wie", "member", "name")),
    Column("relation", "Relatie", ("relatie tot client", "verhouding", "relation",
                                   "relationship")),
    Column("member_kind", "Soort", ("soort netwerklid", "type", "kind")),
    Column("ring", "Ring", ("cirkel", "kring", "circle")),
    Column("supports", "Steun", ("soort steun", "ondersteuning", "support", "steunt met")),
    Column("member_phone", "Telefoon", ("telefoonnummer", "tel", "mobiel", "phone")),
    Column("email", "E-mail", ("email", "mail", "e mailadres", "emailadres", "e-mail address")),
    Column("consent", "Toestemming", ("toestemming delen", "toestemming om te delen",
                                      "consent")),
    Column("consent_on", "Toestemming op", ("datum toestemming", "toestemming datum",
                                            "consent date", "consent on")),
    Column("consent_review_on", "Toestemming herzien op", ("herzien op", "review date")),
    Column("remind", "Herinneren per mail", ("herinneringen per mail", "herinneren",
                                             "mail reminders", "remind by mail")),
    Column("remind_on", "Herinneren sinds", ("toestemming herinneren op",
                                             "herinneren toestemming op", "remind since")),
    Column("remind_review_on", "Herinneren herzien op", ("herinneren opnieuw vragen op",
                                                         "remind review date")),
    Column("availability", "Bereikbaar", ("bereikbaarheid", "beschikbaar", "beschikbaarheid",
                                          "availability")),
    Column("member_notes", "Notities", ("notitie", "notes")),
    Column("out_of_hours", "Buiten kantoortijd", ("buiten kantooruren", "out of hours")),
)  # fmt: skip
_AGREEMENT_FIELDS = (
    Column("who", "Wie", ("met wie", "uitvoerder", "wie belt", "contact met", "who")),
    Column("channel", "Kanaal", ("hoe", "contactvorm", "manier", "channel", "how")),
    Column("how_often", "Hoe vaak", ("frequentie", "interval", "elke", "how often",
                                     "frequency")),
    Column("start_on", "Start", ("startdatum", "vanaf", "ingang", "start date", "from")),
    Column("last_contact", "Laatste contact", ("laatst gesproken", "laatste contactmoment",
                                               "last contact")),
    Column("description", "Omschrijving", ("afspraak", "toelichting", "description")),
    Column("end_on", "Einde", ("einddatum", "tot", "end date", "until")),
    Column("shared", "Gedeeld", ("delen", "in gedeeld document", "shared")),
)  # fmt: skip
#: Before a domain's code in the key of its score's column and of its note's.
SCORE, NOTE = "score:", "note:"


#: Other names a domain goes by in the systems a caseload comes from (older ZRM versions).
_DOMAIN_ALIASES = {
    "werk_opleiding": ("werk en opleiding", "werk opleiding"),
    "tijdsbesteding": ("dagbesteding",),
    "middelengebruik": ("verslaving",),
    "basale_adl": ("adl",),
    "instrumentele_adl": ("iadl",),
    "maatschappelijke_participatie": ("participatie",),
}


def _domain_columns(code: str, label: str) -> tuple[Column, Column]:
    """A domain's score ("Financiën": 1–5 or n.v.t.; "Zingeving": 0–10) and its note."""
    header = label[:1].upper() + label[1:]
    names = (label, *_DOMAIN_ALIASES.get(code, ()))
    return (
        Column(SCORE + code, header, names[1:]),
        Column(
            NOTE + code,
            f"{header} (toelichting)",
            tuple(f"{way} {name}" for name in names for way in ("toelichting", "notitie"))
            + tuple(f"{name} notitie" for name in names),
        ),
    )


#: An outcome row: the kind, the day, the client's own words, then per domain of either kind
#: its score and its note.
_OUTCOME_FIELDS = (
    Column("kind", "Soort", ("meting", "instrument", "soort meting", "kind")),
    Column("assessed_on", "Datum", ("datum meting", "meetdatum", "gemeten op", "afgenomen op",
                                    "date", "assessed on")),
    Column("own_words", "Eigen woorden", ("in eigen woorden", "own words")),
    *(
        column
        for kind in AssessmentKind
        for domain in DOMAINS[kind]
        for column in _domain_columns(domain.code, domain.label)
    ),
)  # fmt: skip
#: A flat sheet: the client, and on each row one agreement with whom it is made.
_FLAT_FIELDS = (
    *_CLIENT_REF,
    *_CLIENT_FIELDS,
    Column("who", "Wie", ("met wie", "netwerklid", "naam netwerklid", "uitvoerder", "who")),
    Column("relation", "Relatie", ("relatie tot client", "relation")),
    Column("member_kind", "Soort", ("soort netwerklid", "kind")),
    Column("member_phone", "Telefoon wie", ("telefoon netwerklid", "tel netwerklid",
                                            "telefoon contact")),
    Column("email", "E-mail wie", ("email netwerklid", "e-mail netwerklid", "email")),
    *(column for column in _AGREEMENT_FIELDS if column.key != "who"),
)  # fmt: skip

COLUMNS: dict[Kind, tuple[Column, ...]] = {
    Kind.CLIENTS: (*_CLIENT_REF, *_CLIENT_FIELDS),
    Kind.MEMBERS: (*_CLIENT_REF, *_MEMBER_FIELDS),
    Kind.AGREEMENTS: (*_CLIENT_REF, *_AGREEMENT_FIELDS),
    Kind.OUTCOMES: (*_CLIENT_REF, *_OUTCOME_FIELDS),
    Kind.FLAT: _FLAT_FIELDS,
}
#: The sheet names the export writes (and others a team may use).
SHEET_NAMES: dict[Kind, tuple[str, ...]] = {
    Kind.CLIENTS: ("Cliënten", "clients", "client", "clientenlijst"),
    Kind.MEMBERS: ("Netwerk", "netwerkleden", "network", "members"),
    Kind.AGREEMENTS: ("Afspraken", "contactafspraken", "agreements"),
    Kind.OUTCOMES: ("Ontwikkeling", "metingen", "zrm", "outcomes", "assessments"),
    Kind.FLAT: ("Plat", "wie belt wie", "flat"),
}
IGNORE = ""


def normal(text: str) -> str:
    """A header as compared: lower case, without accents, spaces or punctuation."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if ch.isalnum() and not unicodedata.combining(ch))


@dataclass(frozen=True)
class Mapping:
    """What a mapping file says: headers to column headers (or IGNORE), sheets to kinds."""

    columns: dict[str, str]
    sheets: dict[str, Kind]


NO_MAPPING = Mapping({}, {})


def read_mapping(path: Path) -> Mapping:
    """A mapping file (TOML), checked: every target a column the import knows."""
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError:
        raise UsageError(f"Het kolommenbestand {path} bestaat niet.") from None
    except (OSError, UnicodeDecodeError) as error:
        raise UsageError(f"Het kolommenbestand {path} kan niet worden gelezen ({error}).") from None
    except tomllib.TOMLDecodeError as error:
        raise UsageError(
            f"Het kolommenbestand {path.name} is geen geldige TOML: {error}."
        ) from None
    unknown = set(data) - {"kolommen", "bladen"}
    if unknown:
        raise UsageError(
            f"{path.name}: onbekend blok [{sorted(unknown)[0]}]; alleen [kolommen] en [bladen]."
        )
    known = {normal(c.header) for columns in COLUMNS.values() for c in columns}
    columns: dict[str, str] = {}
    for header, target in dict(data.get("kolommen", {})).items():
        if not isinstance(target, str) or (target and normal(target) not in known):
            headers = sorted({c.header for cs in COLUMNS.values() for c in cs})
            raise UsageError(
                f"{path.name}: '{header}' = '{target}': dat is geen kolom van de import"
                f' (wel: {", ".join(headers)}; of "" om niet in te lezen).'
            )
        columns[normal(header)] = normal(target)
    sheets: dict[str, Kind] = {}
    for sheet, kind in dict(data.get("bladen", {})).items():
        found = next((k for k in Kind if normal(k.value) == normal(str(kind))), None)
        if found is None:
            raise UsageError(
                f"{path.name}: blad '{sheet}' = '{kind}': kies cliënten, netwerk, afspraken,"
                " ontwikkeling of plat."
            )
        sheets[normal(sheet)] = found
    return Mapping(columns, sheets)


@dataclass(frozen=True)
class Layout:
    """What a sheet holds and where: the kind, the position of each field's column, the
    headers chosen for each field and the headers not read."""

    kind: Kind
    positions: dict[str, int]
    chosen: dict[str, str]
    ignored: tuple[str, ...]


def _lookup(kind: Kind) -> dict[str, str]:
    table: dict[str, str] = {}
    for column in COLUMNS[kind]:
        for name in (column.header, *column.aliases):
            table.setdefault(normal(name), column.key)
    return table


def _header_key(kind: Kind, header: str, mapping: Mapping) -> str | None:
    normalised = normal(header)
    if normalised in mapping.columns:
        target = mapping.columns[normalised]
        if target == IGNORE:
            return None
        # The mapping names the export's header; in this kind of sheet that is this field.
        return _lookup(kind).get(target)
    return _lookup(kind).get(normalised)


def _named_kind(name: str, mapping: Mapping) -> Kind | None:
    """What a sheet holds by its name: as the mapping says, or one of SHEET_NAMES (a CSV
    file's sheet is named after the file: "team-netwerk" of `export team`)."""
    if normal(name) in mapping.sheets:
        return mapping.sheets[normal(name)]
    for kind, names in SHEET_NAMES.items():
        if normal(name) in {normal(n) for n in names}:
            return kind
    return next(
        (kind for kind, names in SHEET_NAMES.items() if normal(name).endswith(normal(names[0]))),
        None,
    )


def sheet_kind(name: str, header: tuple[str, ...], mapping: Mapping) -> Kind | None:
    """What a sheet holds: as the mapping says, by its name, or by its columns."""
    named = _named_kind(name, mapping)
    if named is not None:
        return named
    scored = {_header_key(Kind.OUTCOMES, h, mapping) for h in header}
    if sum(1 for key in scored if key and key.startswith(SCORE)) >= 2:
        return Kind.OUTCOMES
    keys = {_header_key(Kind.FLAT, h, mapping) for h in header}
    client_keys = {"name", "birth_date", "street", "postcode", "casemanager"}
    if "how_often" in keys:
        return Kind.FLAT if keys & client_keys else Kind.AGREEMENTS
    member_keys = {_header_key(Kind.MEMBERS, h, mapping) for h in header}
    if member_keys & {"relation", "member_kind", "ring", "supports", "consent"}:
        return Kind.MEMBERS
    if "name" in keys:
        return Kind.CLIENTS
    return None


def layout(kind: Kind, header: tuple[str, ...], mapping: Mapping) -> Layout:
    """Where each field is in a sheet of `kind` with this header (the first column with a
    header wins; a second one for the same field is listed as not read)."""
    positions: dict[str, int] = {}
    chosen: dict[str, str] = {}
    ignored: list[str] = []
    for position, header_text in enumerate(header):
        if not header_text.strip():
            continue
        key = _header_key(kind, header_text, mapping)
        if key is None or key in positions:
            ignored.append(header_text)
            continue
        positions[key] = position
        chosen[key] = header_text
    return Layout(kind, positions, chosen, tuple(ignored))


def header_of(kind: Kind, key: str) -> str:
    """The header the export writes for a field."""
    return next(column.header for column in COLUMNS[kind] if column.key == key)
