"""A caseload file read into clients with their network and agreements: three sheets in any
order, or one flat sheet ("wie belt wie") in Dutch Excel's CSV; every problem at once, named by
sheet, row and column; rows tied to their client by number, external id or name."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path

import pytest

from tests.caseload.files import workbook
from wijkteam_tui.caseload.columns import Kind
from wijkteam_tui.caseload.entries import Reference
from wijkteam_tui.caseload.reading import read_caseload
from wijkteam_tui.caseload.sheets import rows_again
from wijkteam_tui.domain.terms import Channel, MemberKind, Phase
from wijkteam_tui.errors import UsageError


def test_three_sheets_in_any_order(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "caseload.xlsx",
        {
            "Netwerk": [
                ["Cliëntnummer", "Naam", "Relatie", "Soort", "Steun", "Toestemming"],
                ["A-1", "Bram Bakker", "zoon", "informeel", "praktisch", "ja"],
                ["A-9", "Els Visser", "buurvrouw", "informeel", "G", "nee"],
            ],
            "Afspraken": [
                ["Clientnr", "Wie", "Hoe", "Hoe vaak", "Laatste contact"],
                ["A-1", "Bram Bakker", "Bellen", "elke zondag", "29-11-2026"],
            ],
            "Cliënten": [
                ["Cliëntnummer", "Naam", "Geboortedatum", "Fase", "Casemanager"],
                ["A-1", "Truus Bakker", "3-12-1950", "duurzaam in beeld", "anna"],
            ],
        },
    )
    reading = read_caseload(path)
    assert [(s.name, s.kind, s.rows) for s in reading.sheets] == [
        ("Netwerk", Kind.MEMBERS, 2),
        ("Afspraken", Kind.AGREEMENTS, 1),
        ("Cliënten", Kind.CLIENTS, 1),
    ]
    assert reading.problems == []
    (truus,) = reading.clients
    assert (truus.number, truus.name, truus.birth_date, truus.phase, truus.casemanager) == (
        "A-1", "Truus Bakker", date(1950, 12, 3), Phase.IN_VIEW, "anna",
    )  # fmt: skip
    (bram,) = truus.members
    assert (bram.name, bram.kind, bram.supports, bram.consent) == (
        "Bram Bakker", MemberKind.INFORMAL, "P", True,
    )  # fmt: skip
    (calls,) = truus.agreements
    assert (calls.who, calls.channel, calls.how.rrule, calls.last_contact) == (
        "Bram Bakker", Channel.PHONE, "FREQ=WEEKLY;BYDAY=SU", date(2026, 11, 29),
    )  # fmt: skip
    # A-9 is not in the file: maybe in the register, decided when the import is planned.
    assert [(ref, m.name) for ref, m in reading.members_elsewhere] == [
        (Reference("A-9"), "Els Visser")
    ]


FLAT_HEADER = ["Cliënt", "Geb. datum", "Adres", "Casemanager", "Wie", "Relatie", "Hoe",
               "Hoe vaak", "Laatste contact"]  # fmt: skip


def test_a_flat_sheet_in_dutch_excel_csv_with_every_problem_at_once(tmp_path: Path) -> None:
    path = tmp_path / "wie belt wie.csv"
    rows = [
        FLAT_HEADER,
        ["Truus Bakker", "3-12-1950", "Kerkstraat", "Bram", "Bram", "zoon", "telefoon",
         "elke zondag", "29-11-2026"],
        ["Truus Bakker", "3-12-1950", "Kerkstraat", "Bram", "Els", "buurvrouw", "bezoek",
         "elke 14 dagen", ""],
        ["Henk Çelik", "31-02-1950", "Dorpsweg", "Bram", "Fatma", "dochter", "app",
         "maandag of dinsdag", "gisteren"],
        ["", "1-1-1960", "", "", "", "", "bezoek", "elke week", ""],
        ["Ria Smit", "1-1-1940", "", "", "", "", "", "", ""],
    ]  # fmt: skip
    with path.open("w", encoding="cp1252", newline="") as handle:
        csv.writer(handle, delimiter=";").writerows(rows)
    reading = read_caseload(path)
    assert [(s.kind, s.rows) for s in reading.sheets] == [(Kind.FLAT, 5)]
    assert reading.sheets[0].layout is not None
    assert reading.sheets[0].layout.ignored == ()
    # One client from two rows, with both members and agreements.
    (truus,) = reading.clients
    assert [m.name for m in truus.members] == ["Bram", "Els"]
    assert [(a.who, a.how.interval_days) for a in truus.agreements] == [("Bram", None), ("Els", 14)]
    assert [str(p) for p in reading.problems] == [
        "wie belt wie, rij 4, Geb. datum: '31-02-1950' bestaat niet als datum.",
        "wie belt wie, rij 4, Hoe vaak: Een afspraak ligt vast, 'of' laat de keuze open. Kies"
        " één moment of noem ze allebei, bijv. eerste maandag en eerste dinsdag van de maand.",
        "wie belt wie, rij 4, Laatste contact: 'gisteren' is geen datum (zoals 3-12-2026 of"
        " 2026-12-03).",
        "wie belt wie, rij 5, Cliënt: de naam is leeg.",
        "wie belt wie, rij 6, Hoe: het kanaal is leeg.",
        "wie belt wie, rij 6, Hoe vaak: hoe vaak is leeg.",
    ]
    # The refused rows as they were, read again for the error sheet.
    header, rejected = rows_again(reading.sources, {"wie belt wie": {4, 5, 6}})["wie belt wie"]
    assert list(header) == FLAT_HEADER
    assert sorted(rejected) == [4, 5, 6]
    assert rejected[4][0] == "Henk Çelik"
    # Not when the file changed since: those rows may not be the ones the report named.
    with path.open("a", encoding="cp1252", newline="") as handle:
        handle.write("Kees;1-1-1950;;;;;bezoek;elke week;\r\n")
    with pytest.raises(UsageError, match="is veranderd sinds het gelezen werd"):
        rows_again(reading.sources, {"wie belt wie": {4}})


def test_duplicates_and_missing_columns_are_said(tmp_path: Path) -> None:
    path = workbook(
        tmp_path / "dubbel.xlsx",
        {
            "Cliënten": [
                ["Naam", "Geboortedatum"],
                ["Truus Bakker", "3-12-1950"],
                ["truus bakker ", "03/12/1950"],
                ["Truus Bakker", "4-12-1950"],
            ],
            "Afspraken": [["Cliëntnummer", "Wie"], ["1", "Bram"]],
            "Notities": [["Kleur", "Maat"], ["rood", "L"]],
        },
    )
    reading = read_caseload(path)
    assert [c.birth_date for c in reading.clients] == [date(1950, 12, 3), date(1950, 12, 4)]
    assert [str(p) for p in reading.problems] == [
        "Cliënten, rij 3, Naam: dezelfde naam en geboortedatum als Cliënten, rij 2; staat deze"
        " cliënt er twee keer in?",
        "blad Afspraken: er is geen kolom Kanaal of Hoe vaak; noem hem zo of wijs hem aan in"
        " een kolommenbestand (--columns).",
    ]
    assert [(s.name, s.kind) for s in reading.sheets][-1] == ("Notities", None)


def test_the_rows_of_a_refused_client_go_with_it(tmp_path: Path) -> None:
    """A client row with a problem takes its network and agreement rows along: named as
    belonging to it (not as a client nobody has), and on the error sheet with it."""
    path = workbook(
        tmp_path / "c.xlsx",
        {
            "Netwerk": [["Cliëntnummer", "Naam", "Relatie"], ["7", "Bram", "zoon"]],
            "Cliënten": [["Cliëntnummer", "Naam", "Geboortedatum"], ["7", "Truus", "31-02-1950"]],
            "Afspraken": [
                ["Cliëntnummer", "Wie", "Kanaal", "Hoe vaak"],
                ["7", "Bram", "bezoek", "elke week"],
            ],
        },
    )
    reading = read_caseload(path)
    assert [str(p) for p in reading.problems] == [
        "Cliënten, rij 2, Geboortedatum: '31-02-1950' bestaat niet als datum.",
        "Netwerk, rij 2: hoort bij Truus (Cliënten, rij 2), die niet wordt geïmporteerd.",
        "Afspraken, rij 2: hoort bij Truus (Cliënten, rij 2), die niet wordt geïmporteerd.",
    ]
    assert len(reading.clients) == len(reading.members_elsewhere) == 0
    assert len(reading.agreements_elsewhere) == 0
    assert sorted((p.sheet, p.row) for p in reading.problems) == [
        ("Afspraken", 2), ("Cliënten", 2), ("Netwerk", 2)
    ]  # fmt: skip


def test_a_client_number_belongs_to_one_client(tmp_path: Path) -> None:
    """Two clients under one number or external id: the second row is refused (the register
    would give it another number without a word), and the rows naming it go to the first."""
    path = workbook(
        tmp_path / "c.xlsx",
        {
            "Cliënten": [
                ["Cliëntnummer", "Extern id", "Naam"],
                ["7", "A-7", "Truus Bakker"],
                ["7", "", "Henk Çelik"],
                ["8", "A-7", "Ria Smit"],
            ],
            "Netwerk": [["Cliëntnummer", "Naam"], ["7", "Bram Bakker"]],
        },
    )
    reading = read_caseload(path)
    assert [str(p) for p in reading.problems] == [
        "Cliënten, rij 3, Cliëntnummer: cliëntnummer 7 staat ook op Cliënten, rij 2 (Truus"
        " Bakker); een cliëntnummer hoort bij één cliënt.",
        "Cliënten, rij 4, Extern id: extern id A-7 staat ook op Cliënten, rij 2 (Truus"
        " Bakker); een extern id hoort bij één cliënt.",
    ]
    (truus,) = reading.clients
    assert [m.name for m in truus.members] == ["Bram Bakker"]
