"""Ending a network member's involvement from the Netwerk tab (`x`): the form, the list that
shows them as former, and the netwerkkaart that no longer has them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from textual.widgets import Input, Select

from tests.conftest import PASSPHRASE
from tests.views.conftest import TODAY, make_app, settle
from tests.views.test_forms import _client_file, _client_with_agreement, _message, _screen_text
from wijkteam_tui.store.models import ContactAgreement, NetworkMember
from wijkteam_tui.store.opening import create_register
from wijkteam_tui.store.register import Register
from wijkteam_tui.views.client_file import ClientFileScreen
from wijkteam_tui.views.client_file.network_map import NetworkMap
from wijkteam_tui.views.forms.end_member import OTHER, EndMemberForm


@pytest.fixture
def register(tmp_path: Path) -> Iterator[Register]:
    made, _ = create_register(tmp_path / "wijk" / "register.db", "anna", PASSPHRASE)
    yield made
    made.close()


@pytest.mark.parametrize("size", [(120, 35), (80, 24)])
async def test_a_member_who_fell_out_is_ended_from_the_netwerk_tab_and_shown_as_former(
    register, size
):
    client_id, agreement_id = _client_with_agreement(register)
    app = make_app(register.path, register=register)
    async with app.run_test(size=size) as pilot:
        await _client_file(pilot, client_id)
        await pilot.press("2", "x")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, EndMemberForm)
        form.query_one("#reason", Select).value = OTHER
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Zeg waarom" in _message(app, "other")
        form.query_one("#other", Input).value = "ruzie over geld"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
        assert "voormalig" in _screen_text(app), "said in words, also at 80 columns"
        await pilot.press("6")
        await settle(pilot)
        assert app.screen.query_one("#ecogram", NetworkMap).members == []
    with register.read() as session:
        (member,) = session.query(NetworkMember).all()
        assert (member.ended_on, member.ended_reason, member.active) == (
            TODAY,
            "ruzie over geld",
            False,
        )
        agreement = session.get(ContactAgreement, agreement_id)
        assert (agreement.end_on, agreement.active) == (TODAY, False)
