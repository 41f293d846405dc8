"""Wissen from the client file (`w`, teamleider): what goes and that the retention term runs are
said first; a wrong number is refused at the form and erases nothing; the right one erases and
the file closes. A medewerker is refused by the store. And a snapshot of the form."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input

from tests.conftest import PASSPHRASE
from tests.views.conftest import TODAY, make_app, settle, until
from tests.views.test_forms import _client_file, _screen_text
from tests.views.test_snapshots import SIZES, _steady
from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import ValidationError
from wijkteam_tui.store import erasure
from wijkteam_tui.store import keys as crypto
from wijkteam_tui.store.opening import create_register, open_register
from wijkteam_tui.store.records import ClientInput
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.clients import create_client
from wijkteam_tui.views.client_file import ClientFileScreen
from wijkteam_tui.views.forms.erase import EraseForm

BRAM = "bram zijn wachtwoord"


@pytest.fixture
def register(tmp_path: Path) -> Iterator[Register]:
    made, _ = create_register(tmp_path / "wijk" / "register.db", "anna", PASSPHRASE)
    yield made
    made.close()


async def test_a_wrong_number_erases_nothing_and_the_right_one_erases(register):
    client = create_client(register, ClientInput("Truus Smit", TODAY), TODAY)
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await _client_file(pilot, client.id)
        await pilot.press("w")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, EraseForm)
        text = _screen_text(app)
        assert "Dit kan niet ongedaan worden gemaakt" in text
        assert "Het dossier is nog open" in text
        form.query_one("#reason", Input).value = "Verzoek van de cliënt."
        form.query_one("#override", Input).value = "De cliënt trekt de hulp in."
        form.query_one("#confirm", Input).value = "999999"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EraseForm), "kept open"
        assert f"Typ ter bevestiging het cliëntnummer {client.number}" in _screen_text(app)
        assert erasure.erasure_facts(register, client.id, TODAY).number == client.number
        form.query_one("#confirm", Input).value = client.number
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, (EraseForm, ClientFileScreen)), "the file closed"
    with pytest.raises(ValidationError, match="bestaat niet"):
        erasure.erasure_facts(register, client.id, TODAY)


async def test_a_medewerker_is_refused(register):
    client = create_client(register, ClientInput("Truus Smit", TODAY), TODAY)
    crypto.add_user_slot(
        register.path, crypto.unlock(register.path, "anna", PASSPHRASE), "bram",
        Role.MEDEWERKER, BRAM,
    )  # fmt: skip
    bram = open_register(register.path, "bram", BRAM)
    try:
        app = make_app(bram.path, register=bram)
        async with app.run_test(size=(120, 35)) as pilot:
            await _client_file(pilot, client.id)
            await pilot.press("w")
            await settle(pilot)
            assert isinstance(app.screen, ClientFileScreen)
            await until(
                pilot,
                lambda: any(
                    "Alleen een teamleider wist een cliënt" in n.message for n in app._notifications
                ),
                "the refusal to a medewerker",
            )
    finally:
        bram.close()


@pytest.mark.parametrize("size", SIZES)
def test_erase_form(snap_compare, register, size):
    client = create_client(register, ClientInput("Truus Smit", TODAY), TODAY)

    async def erase(pilot):  # type: ignore[no-untyped-def]
        await _client_file(pilot, client.id)
        await pilot.press("w")
        await _steady(pilot)

    assert snap_compare(make_app(register.path, register=register), terminal_size=size,
                        run_before=erase)  # fmt: skip
