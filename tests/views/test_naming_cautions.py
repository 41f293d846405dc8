"""A form whose free text goes into the shared agreements says, beside the field and before
saving, when it names a member who may not be shared; saving again saves it as typed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import select
from textual.widgets import Input, Select, Static, TextArea

from tests.conftest import PASSPHRASE
from tests.views.conftest import TODAY, make_app, settle
from wijkteam_tui.domain.terms import MemberKind, SignalPhase
from wijkteam_tui.store.models import NetworkMember, Signal
from wijkteam_tui.store.opening import create_register
from wijkteam_tui.store.records import ClientInput, MemberInput, SignalInput
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.clients import create_client
from wijkteam_tui.store.write.network import add_member
from wijkteam_tui.store.write.plan import add_signal
from wijkteam_tui.views.client_file import ClientFileScreen
from wijkteam_tui.views.forms.export import ExportForm
from wijkteam_tui.views.forms.member import MemberForm
from wijkteam_tui.views.forms.signal import SignalForm

KEES_CAUTION = "noemt Kees Geheim, die niet heeft ingestemd met delen"


@pytest.fixture
def register(tmp_path: Path) -> Iterator[Register]:
    made, _ = create_register(tmp_path / "wijk" / "register.db", "anna", PASSPHRASE)
    yield made
    made.close()


def _client_with_kees(register: Register) -> int:
    client = create_client(register, ClientInput("Truus Smit", TODAY), TODAY)
    add_member(
        register,
        client.id,
        MemberInput("Kees Geheim", MemberKind.INFORMAL, phone="06-87654321"),
        TODAY,
    )
    return client.id


async def test_a_plan_row_naming_kees_is_cautioned_at_the_field_then_saved_as_typed(register):
    client_id = _client_with_kees(register)
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        app.push_screen(ClientFileScreen(client_id))
        await settle(pilot)
        await pilot.press("4", "n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, SignalForm)
        form.query_one("#signs", TextArea).text = "Slaapt slecht"
        form.query_one("#whom_to_call", TextArea).text = "Kees (buurman, 0687654321)"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form, "not saved yet: the caution comes first"
        assert KEES_CAUTION in form.message("whom_to_call")
        assert "noemt" not in form.message("signs")
        said = str(form.query_one("#form-message", Static).render())
        assert "komt daar (niet gedeeld) te staan. Ctrl+S nogmaals slaat het zo op." in said
        with register.read() as session:
            assert session.scalars(select(Signal)).all() == []
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not form
    with register.read() as session:
        assert session.scalars(select(Signal.whom_to_call)).all() == ["Kees (buurman, 0687654321)"]


async def test_a_consenting_members_relation_naming_kees_is_cautioned(register):
    client_id = _client_with_kees(register)
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        app.push_screen(ClientFileScreen(client_id))
        await settle(pilot)
        await pilot.press("n")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, MemberForm)
        await pilot.press(*"Ans Open", "enter", *"vriendin van K. Geheim")
        form.query_one("#consent_to_share", Select).value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert KEES_CAUTION in form.message("relation")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not form
    with register.read() as session:
        assert session.scalars(select(NetworkMember.relation)).all() == [
            "",
            "vriendin van K. Geheim",
        ]


async def test_sharing_lists_who_is_named_and_writes_nothing_when_that_changed(register, tmp_path):
    client_id = _client_with_kees(register)
    add_signal(register, client_id, SignalInput(SignalPhase.RED, "Kees komt niet"))
    target = tmp_path / "truus.md"
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        app.push_screen(ClientFileScreen(client_id))
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ExportForm)
        assert (
            "Niet gedeeld: Kees Geheim, die niet heeft ingestemd met delen, wordt genoemd in het"
            " signaleringsplan (rood, signalen): daar staat (niet gedeeld)." in form.intro_text
        )
        form.query_one("#file_format", Select).value = "md"
        form.query_one("#path", Input).value = str(target)
        add_signal(register, client_id, SignalInput(SignalPhase.GREEN, "K. Geheim belt"))
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is form
        assert "is veranderd sinds dit formulier openging" in str(
            form.query_one("#form-message", Static).render()
        )
        assert not target.exists()
        form.dismiss(None)
        await settle(pilot)
        await pilot.press("d")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ExportForm)
        assert "het signaleringsplan (groen, signalen)" in form.intro_text
        form.query_one("#file_format", Select).value = "md"
        form.query_one("#path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is not form
    assert "Geheim" not in target.read_text(encoding="utf-8")
