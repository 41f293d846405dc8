"""Importeren (teamleider, `m` on Team): the file's path and Enter give the dry run's report
and change nothing; Ctrl+S imports after a question, with a progress bar, the good rows when
some have problems (the others in the error sheet beside the file); a medewerker is refused by
the store; a snapshot of the report."""

from __future__ import annotations

import csv
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input, ProgressBar, Static

from tests.caseload.files import workbook
from tests.conftest import PASSPHRASE
from tests.views.conftest import from_team, make_app, settle, static_text
from tests.views.test_snapshots import SIZES, _steady
from wijkteam_tui.domain.terms import Role
from wijkteam_tui.store import keys as crypto
from wijkteam_tui.store.opening import create_register, open_register
from wijkteam_tui.store.read.search import search_clients
from wijkteam_tui.store.register import Register
from wijkteam_tui.views.caseload_import import ImportScreen
from wijkteam_tui.views.confirm import ConfirmDialog

BRAM = "bram zijn wachtwoord"
ROWS = [
    ["Cliëntnaam", "Geb. datum", "Adres", "Huisnr", "Casemanager", "Wie", "Relatie", "Hoe",
     "Hoe vaak", "Laatste contact"],
    ["Truus Bakker", "3-12-1950", "Kerkstraat", "12", "anna", "Bram Bakker", "zoon", "bellen",
     "elke zondag", "15-11-2026"],
    ["Truus Bakker", "3-12-1950", "Kerkstraat", "12", "anna", "Els Visser", "buurvrouw",
     "bezoek", "elke 14 dagen", ""],
    ["Henk Çelik", "31-02-1948", "Dorpsweg", "3a", "anna", "", "", "bezoek", "elke maand", ""],
    ["Kees de Vries", "1-1-1950", "Dorpsweg", "5", "anna", "", "", "bezoek", "elke week", ""],
]  # fmt: skip


@pytest.fixture
def register(tmp_path: Path) -> Iterator[Register]:
    path = tmp_path / "wijk" / "register.db"
    made, _ = create_register(path, "anna", PASSPHRASE, team_name="Wijkteam Zuid")
    made.close()
    crypto.add_user_slot(
        path, crypto.unlock(path, "anna", PASSPHRASE), "bram", Role.MEDEWERKER, BRAM
    )
    opened = open_register(path, "anna", PASSPHRASE)
    yield opened
    opened.close()


def _sheet(folder: Path) -> Path:
    path = folder / "wie-belt-wie.csv"
    with path.open("w", encoding="cp1252", newline="") as out:
        csv.writer(out, delimiter=";").writerows(ROWS)
    return path


async def _import_screen(pilot) -> ImportScreen:  # type: ignore[no-untyped-def]
    return await from_team(pilot, "m", ImportScreen)


async def _dry_run(pilot, path: str) -> str:  # type: ignore[no-untyped-def]
    screen = pilot.app.screen
    screen.query_one("#import-file", Input).value = path
    await pilot.press("enter")
    await settle(pilot)
    return " ".join(static_text(screen.query_one("#import-report-text", Static)).split())


async def test_a_dry_run_then_the_good_rows_in(register, tmp_path):
    sheet = _sheet(tmp_path)
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await _import_screen(pilot)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is screen, "nothing to import before a file is read"

        said = await _dry_run(pilot, str(tmp_path / "er-niet.csv"))
        assert "bestaat niet" in said

        said = await _dry_run(pilot, str(sheet))
        assert "Cliënten: 2 nieuw, 0 bijgewerkt, 0 al zo in het register." in said
        assert "rij 4, Geb. datum: '31-02-1948' bestaat niet als datum." in said
        assert "Dit was een proefimport: er is niets veranderd." in said
        assert search_clients(register, "dorpsweg") == []

        await pilot.press("ctrl+s")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, ConfirmDialog)
        assert (
            "2 nieuwe cliënten" in dialog.question and "De rij met een probleem" in dialog.question
        )
        await pilot.press("j")
        await settle(pilot)
        assert app.screen is screen
        said = " ".join(static_text(screen.query_one("#import-report-text", Static)).split())
        assert (
            "Geïmporteerd: 2 nieuwe cliënten, 0 bijgewerkt, 2 netwerkleden, 3 afspraken,"
            " 1 contactmoment, 0 metingen." in said
        )
        bar = screen.query_one("#import-progress", ProgressBar)
        assert (bar.progress, bar.total) == (2, 2)
    errors = tmp_path / "wie-belt-wie-fouten.csv"
    assert stat.S_IMODE(errors.stat().st_mode) == 0o600
    assert "Henk" in errors.read_text(encoding="utf-8-sig")
    assert [hit.name for hit in search_clients(register, "dorpsweg")] == ["Kees de Vries"]
    assert [hit.name for hit in search_clients(register, "kerkstraat")] == ["Truus Bakker"]


async def test_a_file_changed_after_the_dry_run_is_read_again_first(register, tmp_path):
    """The error sheet takes its rows from the file: changed since the dry run, the import
    is refused as a whole (nothing in, no error sheet) until the file is read again."""
    sheet = _sheet(tmp_path)
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await _import_screen(pilot)
        said = await _dry_run(pilot, str(sheet))
        assert "Cliënten: 2 nieuw" in said
        with sheet.open("a", encoding="cp1252", newline="") as out:
            csv.writer(out, delimiter=";").writerow(
                ["Ans Smit", "2-2-1950", "Laan", "1", "anna", "", "", "bezoek", "elke week", ""]
            )
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)
        said = " ".join(static_text(screen.query_one("#import-report-text", Static)).split())
        assert said == "wie-belt-wie.csv is veranderd sinds het gelezen werd; lees het opnieuw in."
        assert search_clients(register, "dorpsweg") == []
        assert not (tmp_path / "wie-belt-wie-fouten.csv").exists()
        # Read again, it imports.
        said = await _dry_run(pilot, str(sheet))
        assert "Cliënten: 3 nieuw" in said
        await pilot.press("ctrl+s")
        await settle(pilot)
        await pilot.press("j")
        await settle(pilot)
        said = " ".join(static_text(screen.query_one("#import-report-text", Static)).split())
        assert said.startswith("Geïmporteerd: 3 nieuwe cliënten")
    assert [hit.name for hit in search_clients(register, "laan")] == ["Ans Smit"]


async def test_a_medewerker_is_refused(register, tmp_path):
    path = register.path
    register.close()
    bram = open_register(path, "bram", BRAM)
    app = make_app(path, register=bram)
    async with app.run_test(size=(120, 35)) as pilot:
        # Team (and so `m`) is not offered to a medewerker; even pushed, the store refuses.
        await settle(pilot)
        app.push_screen(ImportScreen())
        await settle(pilot)
        said = await _dry_run(pilot, str(_sheet(tmp_path)))
        assert "Alleen een teamleider kan een caseload importeren." in said
    bram.close()


@pytest.mark.parametrize("size", SIZES)
def test_import_screen(snap_compare, register, size, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    _sheet(tmp_path)

    async def shown(pilot):  # type: ignore[no-untyped-def]
        await _import_screen(pilot)
        await _dry_run(pilot, "wie-belt-wie.csv")
        await _steady(pilot)

    assert snap_compare(make_app(register.path, register=register), terminal_size=size,
                        run_before=shown)  # fmt: skip


async def test_at_80_columns_each_line_of_the_report_fits(register, tmp_path):
    """The report is wrapped before it is shown (the command line prints the same lines): at
    80 columns, with the scroll bar, no line breaks again in the middle (an outcome sheet's
    headers and its problems are long)."""
    path = tmp_path / "caseload.xlsx"
    workbook(
        path,
        {
            "Cliënten": [["Cliëntnummer", "Naam", "Startdatum"], ["7", "Riet Bakker", "1-2-2026"]],
            "Ontwikkeling": [
                ["Cliëntnummer", "Soort", "Datum", "Financiën", "Financiën (toelichting)",
                 "Huisvesting", "Sociaal netwerk", "Justitie", "Eigen woorden"],
                ["7", "ZRM", "1-4-2026", 4, "op orde", 4, 3, "n.v.t.", None],
                ["7", "Positieve Gezondheid", "1-11-2026", None, None, None, None, None, "Zo."],
            ],
        },
    )  # fmt: skip
    app = make_app(register.path, register=register)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await _import_screen(pilot)
        await _dry_run(pilot, str(path))
        shown = screen.query_one("#import-report-text", Static)
        # The report's lines; the screen's closing advice is one paragraph it wraps itself.
        *lines, advice = static_text(shown).rstrip().splitlines()
        assert advice.startswith("Dit was een proefimport")
        assert any("Financiën (toelichting)" in line for line in lines)
        said = " ".join(" ".join(lines).split())
        assert "Ontwikkeling, rij 3, Soort: geen enkel domein van de Positieve Gezondheid" in said
        too_long = [line for line in lines if len(line) > shown.content_region.width]
        assert not too_long, (shown.content_region.width, too_long)
