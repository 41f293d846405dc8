"""A colleague switched off while working locks at once, and a team server that goes away and
comes back is told and resumed: on a local register and on a real PostgreSQL server that the
test stops and starts under an open app."""

from __future__ import annotations

import asyncio
import time
from datetime import date

import pytest
from textual.widgets import OptionList

from tests.conftest import PASSPHRASE, NewRegister
from tests.helpers import run_cli
from tests.views.conftest import TODAY, make_app, settle
from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import AccessEndedError, ServerUnreachableError
from wijkteam_tui.store import services
from wijkteam_tui.store.opening import open_register
from wijkteam_tui.store.read.search import search_clients
from wijkteam_tui.store.records import ClientInput
from wijkteam_tui.store.users import add_user, deactivate_user
from wijkteam_tui.views.today import TodayScreen
from wijkteam_tui.views.unlock import UnlockScreen

BRAM = "bram zijn wachtwoord"


async def _until(pilot, condition, limit: float = 10.0) -> None:  # type: ignore[no-untyped-def]
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > limit:
            raise AssertionError(f"not seen within {limit} s")
        await pilot.pause(0.05)


@pytest.mark.parametrize("backend", ["sqlite", "postgresql"])
async def test_a_colleague_switched_off_while_working_is_locked_out_at_once(
    new_register: NewRegister,
):
    anna = new_register.register
    add_user(anna, "bram", Role.MEDEWERKER, passphrase=BRAM)
    bram = open_register(new_register.path, "bram", BRAM)
    app = make_app(new_register.path, register=bram)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        await asyncio.to_thread(deactivate_user, anna, "bram")
        await _until(pilot, lambda: isinstance(app.screen, UnlockScreen))
        await settle(pilot)
        assert app.register is None
        assert "toegang" in str(app.screen.query_one("#unlock-reason").render())
    # Whatever bram's program still tries, nothing more is written in his name.
    with pytest.raises(AccessEndedError):
        services.create_client(bram, ClientInput("Na Het Uitschakelen", TODAY), TODAY)


def _colleague_adds_an_overdue_agreement(where) -> None:  # type: ignore[no-untyped-def]
    """A colleague's own program (its own connections): a client of anna's whose neighbour
    was to call every week since October."""
    from wijkteam_tui.domain.terms import Channel, MemberKind
    from wijkteam_tui.store.records import AgreementInput, MemberInput

    colleague = open_register(where, "anna", PASSPHRASE)
    try:
        anna = colleague.user.id
        start = date(2026, 10, 1)
        client = services.create_client(
            colleague, ClientInput("Truus Buiten", start, casemanager_id=anna), TODAY
        )
        kees = services.add_member(
            colleague, client.id, MemberInput("Kees Buurman", MemberKind.INFORMAL), TODAY
        )
        services.add_agreement(
            colleague,
            client.id,
            AgreementInput(Channel.PHONE, start, member_id=kees.id, interval_days=7),
            TODAY,
        )
    finally:
        colleague.close()


@pytest.mark.parametrize("backend", ["postgresql"])
async def test_a_server_that_goes_away_and_comes_back_is_told_and_resumed(
    new_register: NewRegister, postgres
):
    register = new_register.register
    app = make_app(new_register.path, register=register)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        shown: list[str] = []
        app.notify = lambda message, **_: shown.append(str(message))  # type: ignore[method-assign]
        await asyncio.to_thread(postgres.stop_server)
        try:
            await _until(pilot, lambda: any("niet bereikbaar" in m for m in shown))
            assert str(new_register.path) in next(m for m in shown if "niet bereikbaar" in m)
            assert isinstance(app.screen, TodayScreen) and app.register is register
            # The command line says the same, in one line, without a traceback.
            env = {"WIJKTEAM_USER": "anna", "WIJKTEAM_PASSPHRASE": PASSPHRASE}
            listed = await asyncio.to_thread(
                run_cli, "overdue", "--db", str(new_register.path), env=env
            )
            assert listed.returncode == 1 and "niet bereikbaar" in listed.stderr
            assert "Traceback" not in listed.stderr and len(listed.stderr.splitlines()) == 1
            # A save while it is gone: refused in Dutch, nothing half-saved.
            with pytest.raises(ServerUnreachableError, match="niet bereikbaar"):
                await asyncio.to_thread(
                    services.create_client, register, ClientInput("Tijdens Storing", TODAY), TODAY
                )
        finally:
            await asyncio.to_thread(postgres.start_server)
        await _until(pilot, lambda: any("weer bereikbaar" in m for m in shown))
        made = await asyncio.to_thread(
            services.create_client, register, ClientInput("Na De Storing", TODAY), TODAY
        )
        assert made.id
        # Listening is back too: a colleague's change shows on Vandaag by itself.
        overdue = app.screen.query_one("#overdue", OptionList)
        before = overdue.option_count
        await asyncio.to_thread(_colleague_adds_an_overdue_agreement, new_register.path)
        await _until(pilot, lambda: overdue.option_count == before + 1)
    found = open_register(new_register.path, "anna", PASSPHRASE)
    try:
        names = {hit.name for hit in search_clients(found, "Storing")}
    finally:
        found.close()
    assert names == {"Na De Storing"}


@pytest.mark.parametrize("backend", ["postgresql"])
async def test_a_dialog_that_was_loading_during_an_outage_loads_when_the_server_is_back(
    new_register: NewRegister, postgres
):
    """The contact dialog opened while the server is gone says so where its agreements would
    be; a save is refused with the note kept; once the server is back the agreements come by
    themselves and the same save goes through, with the register's write lock as before."""
    from textual.widgets import Input, Static

    from wijkteam_tui.domain.terms import Channel, MemberKind
    from wijkteam_tui.store.models import ContactMoment as Contact
    from wijkteam_tui.store.records import AgreementInput, MemberInput
    from wijkteam_tui.views.contact import ContactRequest, LogContactScreen
    from wijkteam_tui.views.forms.client import ClientForm

    register = new_register.register
    client = services.create_client(register, ClientInput("Truus Storing", TODAY), TODAY)
    kees = services.add_member(
        register, client.id, MemberInput("Kees Buurman", MemberKind.INFORMAL), TODAY
    )
    services.add_agreement(
        register,
        client.id,
        AgreementInput(Channel.PHONE, TODAY, member_id=kees.id, interval_days=7),
        TODAY,
    )
    app = make_app(new_register.path, register=register)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        shown: list[str] = []
        app.notify = lambda message, **_: shown.append(str(message))  # type: ignore[method-assign]
        await asyncio.to_thread(postgres.stop_server)
        try:
            await _until(pilot, lambda: any("niet bereikbaar" in m for m in shown))
            app.push_screen(LogContactScreen(ContactRequest(client.id, "Truus Storing")))
            await settle(pilot)
            dialog = app.screen
            assert isinstance(dialog, LogContactScreen)

            def agreements() -> str:
                return str(dialog.query_one("#contact-agreements", Static).render())

            await _until(pilot, lambda: "zodra hij terug is" in agreements())
            assert "niet bereikbaar" in agreements()
            await pilot.press("o", *"belde even")
            await pilot.press("enter")
            message = dialog.query_one("#contact-message", Static)
            await _until(pilot, lambda: "niet bereikbaar" in str(message.render()))
            assert app.screen is dialog
            assert dialog.query_one("#note", Input).value == "belde even"
            # A form's save goes to the server, which is gone: refused, what was typed stays.
            app.push_screen(ClientForm([]))
            await settle(pilot)
            form = app.screen
            assert isinstance(form, ClientForm)
            await pilot.press(*"Nieuwe Buur")
            await pilot.press("ctrl+s")
            said = form.query_one("#form-message", Static)
            await _until(pilot, lambda: "niet bereikbaar" in str(said.render()))
            assert app.screen is form and form.query_one("#name", Input).value == "Nieuwe Buur"
            form.dismiss(None)
            await settle(pilot)
        finally:
            await asyncio.to_thread(postgres.start_server)
        await _until(pilot, lambda: "Kees Buurman" in agreements(), limit=20)
        assert str(message.render()) == ""
        await pilot.press("enter")
        await _until(pilot, lambda: app.screen is not dialog)
    with register.read() as session:
        from sqlalchemy import select

        contacts = session.scalars(select(Contact)).all()
    assert [(c.note, c.agreement_id is not None) for c in contacts] == [("belde even", True)]
