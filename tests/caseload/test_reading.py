"""Reading a team's spreadsheet as the real programs write it: CSV through Python's csv in the
Dutch Excel dialect (semicolons, Windows-1252), with and without a byte-order mark, and XLSX
through openpyxl, with formula cells whose saved result is read and never evaluated."""

from __future__ import annotations

import csv
import zipfile
from datetime import date, datetime
from pathlib import Path

import pytest

from tests.caseload.files import with_saved_results, workbook
from wijkteam_tui.caseload import sheets as sheets_module
from wijkteam_tui.caseload import values
from wijkteam_tui.caseload.columns import (
    NO_MAPPING,
    Kind,
    layout,
    normal,
    read_mapping,
    sheet_kind,
)
from wijkteam_tui.caseload.sheets import UncalculatedFormula, read_sheets
from wijkteam_tui.domain.terms import Channel, MemberKind, Phase, Regime
from wijkteam_tui.errors import UsageError

HEADER = ["Cliëntnaam", "Geboortedatum", "Telefoon", "Casemanager", "Opmerking"]
ROWS = [
    ["Truus Bakker", "3-12-1950", "06-12345678", "bram", "Zoon belt zondag"],
    ["", "", "", "", ""],
    ["  Henk Çelik ", "03/02/1948", "+31 6 1234 5678", "Bram de Wit", "Café; elke week"],
]


def _rows(path: Path) -> tuple[list[str], list[tuple[int, tuple[object, ...]]]]:
    sheets = list(read_sheets(path))
    assert len(sheets) == 1
    return list(sheets[0].header), list(sheets[0].rows)


@pytest.mark.parametrize(
    ("encoding", "delimiter"),
    [("cp1252", ";"), ("utf-8-sig", ";"), ("utf-8", ","), ("utf-8", "\t")],
)
def test_csv_as_excel_writes_it(tmp_path: Path, encoding: str, delimiter: str) -> None:
    path = tmp_path / "clienten.csv"
    with path.open("w", encoding=encoding, newline="") as handle:
        writer = csv.writer(handle, delimiter=delimiter)
        writer.writerow(HEADER)
        writer.writerows(ROWS)
    header, rows = _rows(path)
    assert header == HEADER
    # The empty row is skipped; the rows keep the numbers the spreadsheet shows.
    assert [number for number, _ in rows] == [2, 4]
    assert rows[1][1][0] == "  Henk Çelik "
    assert rows[1][1][4] == "Café; elke week"


def test_a_cell_with_a_line_break_stays_one_row(tmp_path: Path) -> None:
    path = tmp_path / "clienten.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, delimiter=";")
        writer.writerow(["Naam", "Eigen woorden"])
        writer.writerow(["Truus", "Eerste regel\nTweede regel"])
        writer.writerow(["Henk", "Eén regel"])
    _, rows = _rows(path)
    assert [(n, cells[0]) for n, cells in rows] == [(2, "Truus"), (3, "Henk")]


def test_an_empty_or_damaged_file_is_said(tmp_path: Path) -> None:
    empty = tmp_path / "leeg.csv"
    empty.write_bytes(b"\n\n")
    with pytest.raises(UsageError, match="leeg"):
        list(read_sheets(empty))
    fake = tmp_path / "lijst.xlsx"
    fake.write_bytes(b"PK\x03\x04 dit is geen werkmap")
    with pytest.raises(UsageError, match="geen leesbaar Excel-bestand"):
        list(read_sheets(fake))
    old = tmp_path / "oud.xls"
    old.write_bytes(b"\xd0\xcf\x11\xe0 een oud Excel-bestand")
    with pytest.raises(UsageError, match="bewaar het als"):
        list(read_sheets(old))
    with pytest.raises(UsageError, match="bestaat niet"):
        list(read_sheets(tmp_path / "er-niet.csv"))


def test_xlsx_sheets_with_dates_numbers_and_formulas(tmp_path: Path) -> None:
    clients: list[list[object]] = [
        [],  # an empty row above the header
        ["Naam", "Geboortedatum", "Telefoon", "Huisnummer", "Som", "Link", "Leeg"],
        ["Truus", datetime(1950, 12, 3), 612345678, 12, "=1+1", '=HYPERLINK("x","Klik")', "=A3"],
        [None, None, None],
        ["Henk", 18000, "0612345678", "12a"],
    ]
    network: list[list[object]] = [["Cliëntnummer", "Naam", "Relatie"], [100001, "Bram", "zoon"]]
    path = workbook(
        tmp_path / "caseload.xlsx", {"Cliënten": clients, "Netwerk": network, "Leeg blad": []}
    )
    with_saved_results(path, {"E3": ("n", "2"), "F3": ("str", "Klik")})

    sheets = list(read_sheets(path))
    assert [(s.name, s.header_row) for s in sheets] == [("Cliënten", 2), ("Netwerk", 1)]
    rows = list(sheets[0].rows)
    assert [number for number, _ in rows] == [3, 5]
    truus = rows[0][1]
    assert truus[:4] == ("Truus", datetime(1950, 12, 3), 612345678, 12)
    # The saved results, never evaluated; a formula without one is said as such.
    assert truus[4] == 2 and truus[5] == "Klik"
    assert isinstance(truus[6], UncalculatedFormula)
    with pytest.raises(values.CellError, match="formule zonder opgeslagen uitkomst"):
        values.text(truus[6])
    assert values.date_value(truus[1]) == date(1950, 12, 3)
    assert values.phone(truus[2]) == "0612345678"
    assert values.text(truus[3]) == "12"
    henk = rows[1][1]
    assert values.date_value(henk[1]) == date(1949, 4, 12)  # Excel serial 18000
    assert list(sheets[1].rows) == [(2, (100001, "Bram", "zoon"))]


def test_a_workbook_is_read_twice_only_when_it_holds_a_formula(tmp_path: Path) -> None:
    """The formulas are read beside the saved values only for a workbook that has one, in
    whatever part it keeps it and however its XML names the element."""
    plain = workbook(tmp_path / "plain.xlsx", {"Cliënten": [["Naam"], ["Truus"]]})
    assert not sheets_module._formulas(plain)
    with_formula = workbook(tmp_path / "som.xlsx", {"Cliënten": [["Naam"], ["=1+1"]]})
    assert sheets_module._formulas(with_formula)
    for part, xml in (
        ("elders/blad.xml", b'<x:c r="A2"><x:f>A1</x:f></x:c>'),
        ("xl/worksheets/sheet9.xml", b'<c r="A2"><f t="shared" ref="A2:A9" si="0"/></c>'),
    ):
        crafted = tmp_path / "crafted.xlsx"
        with zipfile.ZipFile(crafted, "w") as archive:
            archive.writestr("[Content_Types].xml", b"<Types/>")
            # Far into the part, across the blocks it is read in.
            archive.writestr(part, b"<sheetData>" + b" " * 65_530 + xml + b"</sheetData>")
        assert sheets_module._formulas(crafted), part


@pytest.mark.parametrize(
    ("cell", "expected"),
    [
        ("3-12-2026", date(2026, 12, 3)),
        ("03/12/2026", date(2026, 12, 3)),
        ("3.12.2026", date(2026, 12, 3)),
        ("2026-12-03", date(2026, 12, 3)),
        (" 2026-12-03 00:00:00", date(2026, 12, 3)),
        ("46359", date(2026, 12, 3)),
        (46359, date(2026, 12, 3)),
        (46359.0, date(2026, 12, 3)),
        (datetime(2026, 12, 3, 14, 5), date(2026, 12, 3)),
        ("", None),
        (None, None),
    ],
)
def test_dates_as_spreadsheets_hold_them(cell: object, expected: date | None) -> None:
    assert values.date_value(cell) == expected  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("cell", "reason"),
    [
        ("31-02-1950", "'31-02-1950' bestaat niet als datum"),
        ("3-12-50", "schrijf het jaar voluit"),
        ("morgen", "is geen datum"),
        (46359.5, "is geen datum"),
        (True, "is geen datum"),
    ],
)
def test_a_wrong_date_says_why(cell: object, reason: str) -> None:
    with pytest.raises(values.CellError, match=reason):
        values.date_value(cell)  # type: ignore[arg-type]


def test_words_of_the_forms() -> None:
    assert values.regime("Jeugdwet") is Regime.YOUTH_ACT
    assert values.regime("wmo zonder voorziening") is Regime.WMO_NO_PROVISION
    assert values.phase("Duurzaam in beeld") is Phase.IN_VIEW
    assert values.member_kind("Mantelzorger") is MemberKind.INFORMAL
    assert values.member_kind("sociale kaart") is MemberKind.RESOURCE
    assert values.channel("Bellen") is Channel.PHONE
    assert values.channel("WhatsApp") is Channel.APP
    assert values.yes_no("Ja") is True and values.yes_no("nee") is False
    assert values.yes_no(True) is True and values.yes_no("") is None
    assert values.supports("praktisch, gezelschap") == "PG"
    assert values.supports("EA") == "AE"
    assert values.ring(2) == 2
    assert values.how_often("elke dinsdag").rrule == "FREQ=WEEKLY;BYDAY=TU"  # type: ignore[union-attr]
    assert values.how_often(14).interval_days == 14  # type: ignore[union-attr]
    assert values.phone("+31 6-1234 5678") == "+31 6-1234 5678"
    for reader, cell, reason in (
        (values.regime, "WLZ", "geen regime"),
        (values.channel, "duif", "geen kanaal"),
        (values.yes_no, "misschien", "ja of nee"),
        (values.ring, "5", "de ring is 1"),
        (values.supports, "geld", "steun is praktisch"),
        (values.how_often, "maandag of dinsdag", "laat de keuze open"),
        (values.how_often, "400", "1 tot 366"),
        (values.phone, "bel maar", "cijfers"),
        (values.email, "truus@", "geen e-mailadres"),
        (values.postcode, "12345", "vier cijfers"),
    ):
        with pytest.raises(values.CellError, match=reason):
            reader(cell)  # type: ignore[operator]


def test_columns_by_their_headers() -> None:
    assert normal("Cliëntnaam") == normal("clientnaam") == "clientnaam"
    header = ("Cliëntnaam", "Geb. datum", "E-mail", "Hoe vaak", "Wie", "Telefoon", "Foo")
    assert sheet_kind("Blad1", header, NO_MAPPING) is Kind.FLAT
    found = layout(Kind.FLAT, header, NO_MAPPING)
    assert found.positions == {
        "name": 0, "birth_date": 1, "email": 2, "how_often": 3, "who": 4, "phone": 5,
    }  # fmt: skip
    assert found.ignored == ("Foo",)
    assert sheet_kind("Netwerk", ("Cliëntnummer", "Naam"), NO_MAPPING) is Kind.MEMBERS
    assert sheet_kind("Blad2", ("Nummer", "Naam", "Relatie"), NO_MAPPING) is Kind.MEMBERS
    assert sheet_kind("Blad3", ("Extern id", "Wie", "Hoe vaak"), NO_MAPPING) is Kind.AGREEMENTS
    assert sheet_kind("Blad4", ("Naam", "Geboortedatum"), NO_MAPPING) is Kind.CLIENTS
    assert sheet_kind("Blad5", ("Kleur", "Maat"), NO_MAPPING) is None
    members = layout(Kind.MEMBERS, ("Clientnummer", "Naam", "Telefoon", "Naam"), NO_MAPPING)
    assert members.positions == {"number": 0, "member": 1, "member_phone": 2}
    assert members.ignored == ("Naam",)


def test_a_mapping_file_overrides(tmp_path: Path) -> None:
    mapping_file = tmp_path / "kolommen.toml"
    mapping_file.write_text(
        '[kolommen]\n"Begeleider" = "Casemanager"\n"Naam" = ""\n"Wie" = "Naam"\n'
        '[bladen]\n"Blad1" = "Cliënten"\n',
        encoding="utf-8",
    )
    mapping = read_mapping(mapping_file)
    assert sheet_kind("blad1", ("Wie",), mapping) is Kind.CLIENTS
    found = layout(Kind.CLIENTS, ("Naam", "Wie", "Begeleider"), mapping)
    assert found.positions == {"name": 1, "casemanager": 2}
    assert found.ignored == ("Naam",)
    for text, reason in (
        ('[kolommen]\n"X" = "Schoenmaat"\n', "geen kolom van de import"),
        ('[bladen]\n"Blad1" = "dieren"\n', "kies cliënten"),
        ("[extra]\n", "onbekend blok"),
        ("kolommen = [\n", "geen geldige TOML"),
    ):
        mapping_file.write_text(text, encoding="utf-8")
        with pytest.raises(UsageError, match=reason):
            read_mapping(mapping_file)
