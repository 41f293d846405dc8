"""Vandaag of a colleague who covers an absent one: the absent colleague's overdue visit is in
the list with ↪ before the client's name, and a line above the lists says whom they cover until
when. A teamleider whose colleague is away uncovered with work waiting is told so on Vandaag, and
the Team screen says who is away and who covers."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from textual.widgets import DataTable, Input, Select, Static

from tests.conftest import PASSPHRASE
from tests.views.conftest import TODAY, make_app, settle
from tests.views.test_forms import _screen_text
from wijkteam_tui.domain.terms import Channel, MemberKind, Role
from wijkteam_tui.store import services
from wijkteam_tui.store.cover.absences import absences, add_absence
from wijkteam_tui.store.models import User
from wijkteam_tui.store.opening import create_register
from wijkteam_tui.store.records import AgreementInput, ClientInput, MemberInput
from wijkteam_tui.store.users import add_user
from wijkteam_tui.views.forms.absence import AbsenceForm


def _bram_with_work(tmp_path: Path):
    register, _ = create_register(tmp_path / "wijk" / "register.db", "anna", PASSPHRASE)
    try:
        add_user(register, "bram", Role.MEDEWERKER, passphrase="bram zijn lange zin")
        with register.read() as session:
            bram = session.scalars(select(User.id).where(User.name == "bram")).one()
        kees = services.create_client(
            register, ClientInput("Kees Bakker", TODAY - timedelta(days=90), casemanager_id=bram),
            TODAY,
        )  # fmt: skip
        ria = services.add_member(
            register, kees.id, MemberInput("Ria Bakker", MemberKind.INFORMAL), TODAY
        )
        services.add_agreement(
            register,
            kees.id,
            AgreementInput(
                Channel.VISIT, TODAY - timedelta(days=21), member_id=ria.id, interval_days=14
            ),
            TODAY,
        )
    except BaseException:
        register.close()
        raise
    return register


async def test_the_cover_sees_the_absent_colleagues_work_marked(tmp_path: Path):
    register = _bram_with_work(tmp_path)
    try:
        add_absence(register, "bram", TODAY, TODAY + timedelta(days=7), cover="anna", today=TODAY)
        app = make_app(register.path, register=register)
        async with app.run_test(size=(120, 35)) as pilot:
            await settle(pilot)
            text = _screen_text(app)
            assert (
                "↪ U neemt waar voor bram (afwezig t/m zo 29 nov 2026); die cliënten staan met ↪"
                " in de lijsten." in text
            )
            assert "↪ Kees Bakker" in text
    finally:
        register.close()


async def test_the_teamleider_sees_who_is_away_and_uncovered(tmp_path: Path):
    register = _bram_with_work(tmp_path)
    try:
        add_absence(register, "bram", TODAY, None, cover=None, today=TODAY)
        app = make_app(register.path, register=register)
        async with app.run_test(size=(120, 35)) as pilot:
            await settle(pilot)
            text = _screen_text(app)
            assert (
                "Niemand neemt waar: bram (afwezig tot nader bericht): 1 te laat, 0 urgent." in text
            )
            await pilot.press("t")
            await settle(pilot)
            summary = str(app.screen.query_one("#team-summary", Static).render())
            assert "Afwezig: bram tot nader bericht (niemand neemt waar): 1 te laat" in summary
    finally:
        register.close()


async def test_absence_recorded_with_the_form_on_team_and_for_oneself(tmp_path: Path):
    register = _bram_with_work(tmp_path)
    try:
        app = make_app(register.path, register=register)
        async with app.run_test(size=(120, 35)) as pilot:
            await settle(pilot)
            await pilot.press("t")
            await settle(pilot)
            table = app.screen.query_one("#team-table", DataTable)
            keys = [row.value for row in table.rows]
            table.move_cursor(row=keys.index(str(_id(register, "bram"))))
            await pilot.press("w")
            await settle(pilot)
            form = app.screen
            assert isinstance(form, AbsenceForm)
            form.query_one("#until_on", Input).value = "+1w"
            form.query_one("#cover", Select).value = "anna"
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert not isinstance(app.screen, AbsenceForm)
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("w")  # on Vandaag: one's own
            await settle(pilot)
            form = app.screen
            assert isinstance(form, AbsenceForm)
            assert form.title_text == "Afwezigheid van anna"
            form.query_one("#from_on", Input).value = "+2w"
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert not isinstance(app.screen, AbsenceForm)
        rows = [(r.name, r.cover, r.until_text()) for r in absences(register, TODAY)]
        assert rows == [
            ("bram", "anna", "t/m zo 29 nov 2026"),
            ("anna", "", "tot nader bericht"),
        ]
    finally:
        register.close()


async def test_covers_by_client_in_the_form(tmp_path: Path):
    """A client of bram's given to another colleague in the form: what was typed is said back
    in names as it is typed; a part that is not NUMMER=NAAM is refused at the field."""
    register = _bram_with_work(tmp_path)
    try:
        add_user(register, "cem", Role.MEDEWERKER, display_name="Cem Yilmaz")
        app = make_app(register.path, register=register)
        async with app.run_test(size=(120, 35)) as pilot:
            await settle(pilot)
            await pilot.press("t")
            await settle(pilot)
            table = app.screen.query_one("#team-table", DataTable)
            keys = [row.value for row in table.rows]
            table.move_cursor(row=keys.index(str(_id(register, "bram"))))
            await pilot.press("w")
            await settle(pilot)
            form = app.screen
            assert isinstance(form, AbsenceForm)
            form.query_one("#cover", Select).value = "anna"
            field = form.query_one("#by_client", Input)
            field.value = "100001 cem"
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, AbsenceForm)
            assert "Schrijf per cliënt NUMMER=NAAM" in _screen_text(app)
            field.value = "100001=cem"
            await settle(pilot)
            assert "100001 → Cem Yilmaz" in _screen_text(app)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert not isinstance(app.screen, AbsenceForm)
        [row] = absences(register, TODAY)
        assert (row.name, row.cover, row.by_client) == ("bram", "anna", ("100001 → Cem Yilmaz",))
    finally:
        register.close()


def _id(register, name: str) -> int:
    with register.read() as session:
        return session.scalars(select(User.id).where(User.name == name)).one()
