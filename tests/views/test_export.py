"""Delen from the client file: the warning and who is left out before writing, the file
written 0600 where the person said, a refusal to overwrite kept at the form, and the version."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import Input, Select

from tests.conftest import PASSPHRASE
from tests.views.conftest import TODAY, make_app, settle
from tests.views.test_forms import _client_file, _screen_text
from wijkteam_tui.domain.terms import MemberKind
from wijkteam_tui.store.opening import create_register
from wijkteam_tui.store.records import ClientInput, MemberInput
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.clients import create_client
from wijkteam_tui.store.write.network import add_member
from wijkteam_tui.views.client_file import ClientFileScreen
from wijkteam_tui.views.forms.export import ExportForm


@pytest.fixture
def register(tmp_path: Path) -> Iterator[Register]:
    made, _ = create_register(tmp_path / "wijk" / "register.db", "anna", PASSPHRASE)
    yield made
    made.close()


async def test_sharing_writes_the_chosen_format_where_the_person_said(register, tmp_path):
    client = create_client(register, ClientInput("Truus Smit", TODAY), TODAY)
    add_member(register, client.id, MemberInput("Kees Geheim", MemberKind.INFORMAL), TODAY)
    add_member(
        register,
        client.id,
        MemberInput(
            "Fenna de Vries",
            MemberKind.INFORMAL,
            consent_to_share=True,
            consent_on=date(2026, 11, 1),
        ),
        TODAY,
    )
    target = tmp_path / "truus.md"
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await _client_file(pilot, client.id)
        await pilot.press("d")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, ExportForm)
        text = _screen_text(app)
        # The proposed name follows the format: a wallet card never lands on the A4 PDF.
        path = form.query_one("#path", Input)
        assert path.value.endswith(f"afspraken-{client.number}.pdf")
        form.query_one("#file_format", Select).value = "kaart"
        await settle(pilot)
        assert path.value.endswith(f"crisiskaart-{client.number}.pdf")
        form.query_one("#file_format", Select).value = "ics"
        await settle(pilot)
        assert path.value.endswith(f"afspraken-{client.number}.ics")
        path.value = str(tmp_path / "mijn-eigen-naam.ics")
        form.query_one("#file_format", Select).value = "md"
        await settle(pilot)
        assert path.value == str(tmp_path / "mijn-eigen-naam.ics"), "a name typed stays"
        assert "leesbaar, onversleuteld document met persoonsgegevens" in text
        assert "Niet gedeeld: 1 netwerklid staat er niet in: geen toestemming" in text
        form.query_one("#file_format", Select).value = "md"
        form.query_one("#path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        written = target.read_text(encoding="utf-8")
        assert "Fenna de Vries" in written and "Kees" not in written and "versie 1" in written
        # The plan changes: the next export is a new version (an unchanged one keeps its).
        from wijkteam_tui.domain.terms import SignalPhase
        from wijkteam_tui.store.records import SignalInput
        from wijkteam_tui.store.write.plan import add_signal

        add_signal(register, client.id, SignalInput(SignalPhase.ORANGE, "Slaapt slecht"))

        await pilot.press("d")
        await settle(pilot)
        form = app.screen
        form.query_one("#file_format", Select).value = "md"
        form.query_one("#path", Input).value = str(target)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ExportForm), "kept open: the file exists"
        said = " ".join(_screen_text(app).replace("│", " ").split())  # wrapped where it fits
        assert "bestaat al" in said
        form.query_one("#replace", Select).value = True
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ClientFileScreen)
    assert "versie 2" in target.read_text(encoding="utf-8"), "the refused try used no version"
