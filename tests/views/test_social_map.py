"""The sociale kaart: searched as you type, an entry added and changed, a colleague's change in
between refused, and an entry linked to a network member from the member form."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Select

from tests.conftest import PASSPHRASE
from tests.views.conftest import TODAY, make_app, settle
from tests.views.test_forms import _client_file, _message, _screen_text
from wijkteam_tui.domain.terms import MemberKind
from wijkteam_tui.store.models import NetworkMember
from wijkteam_tui.store.opening import create_register, open_register
from wijkteam_tui.store.read.edit import resource_for_edit, resources
from wijkteam_tui.store.records import ClientInput, ResourceInput
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.clients import create_client
from wijkteam_tui.store.write.network import add_resource, update_resource
from wijkteam_tui.views.forms.member import MemberForm
from wijkteam_tui.views.forms.resource import ResourceForm
from wijkteam_tui.views.resources import SocialMapScreen
from wijkteam_tui.views.today import TodayScreen


@pytest.fixture
def register(tmp_path: Path) -> Iterator[Register]:
    made, _ = create_register(tmp_path / "wijk" / "register.db", "anna", PASSPHRASE)
    add_resource(made, ResourceInput("Buurthuis De Schakel", "buurthuis", address="Lindelaan 4"))
    add_resource(made, ResourceInput("Moskee Al Fath", "moskee", contact_person="Yusuf Öztürk"))
    add_resource(made, ResourceInput("Voedselbank Middelwijk", "voedselbank"))
    yield made
    made.close()


def _rows(app) -> int:  # type: ignore[no-untyped-def]
    return app.screen.query_one("#social", DataTable).row_count


async def test_search_as_you_type_add_and_change(register):
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        await pilot.press("k")
        await settle(pilot)
        assert isinstance(app.screen, SocialMapScreen)
        assert _rows(app) == 3
        await pilot.press(*"ozturk")  # accents need not be typed
        assert _rows(app) == 1
        assert "Moskee Al Fath" in _screen_text(app)
        await pilot.press(*["backspace"] * 6)
        assert _rows(app) == 3

        await pilot.press("ctrl+n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ResourceForm)
        form.query_one("#phone", Input).value = "bel me"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Naam is verplicht." in _message(app, "name")
        assert "cijfers" in _message(app, "phone")
        form.query_one("#name", Input).value = "Repair Café"
        form.query_one("#category", Input).value = "inloop"
        form.query_one("#opening_hours", Input).value = "za 10:00-13:00"
        form.query_one("#phone", Input).value = "06 1234 5678"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SocialMapScreen)
        assert _rows(app) == 4

        await pilot.press(*"repair", "enter")
        await settle(pilot)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ResourceForm)
        assert form.query_one("#name", Input).value == "Repair Café"
        form.query_one("#contact_person", Input).value = "Henk"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SocialMapScreen)
        assert "Henk" in _screen_text(app)
    (cafe,) = [r for r in resources(register) if r.name == "Repair Café"]
    assert (cafe.category, cafe.opening_hours, cafe.contact_person, cafe.phone) == (
        "inloop",
        "za 10:00-13:00",
        "Henk",
        "06 1234 5678",
    )


async def test_a_colleagues_change_in_between_is_refused(register):
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        app.push_screen(SocialMapScreen())
        await settle(pilot)
        await pilot.press("down", "e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ResourceForm)
        form.query_one("#opening_hours", Input).value = "di 14:00-16:00"
        other = open_register(register.path, "anna", PASSPHRASE)
        try:
            first = resources(other)[0]
            details, version = resource_for_edit(other, first.id)
            update_resource(other, first.id, version, replace(details, phone="010 1234567"))
        finally:
            other.close()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "Iemand anders heeft dit intussen gewijzigd" in _screen_text(app)
        assert form.query_one("#opening_hours", Input).value == "di 14:00-16:00"


async def test_a_network_member_is_linked_to_a_resource(register):
    client = create_client(register, ClientInput("Kees Bakker", TODAY), TODAY)
    schakel = next(r for r in resources(register) if r.name.startswith("Buurthuis"))
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await _client_file(pilot, client.id)
        await pilot.press("2", "n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, MemberForm)
        form.query_one("#name", Input).value = "Schaakclub in De Schakel"
        form.query_one("#kind", Select).value = MemberKind.RESOURCE
        form.query_one("#resource_id", Select).value = schakel.id
        await pilot.press("ctrl+s")
        await settle(pilot)
    with register.read() as session:
        member = session.query(NetworkMember).one()
        assert (member.kind, member.resource_id) == (MemberKind.RESOURCE, schakel.id)
