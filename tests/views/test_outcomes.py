"""The Ontwikkeling tab (7): a ZRM recorded from the client file, field by field as a person
types it; the second one a few months later drops, and the alert is said at once and stands
on Vandaag; the chart read back from the screen at 80x24, the newest corrected with `e`."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from textual.widgets import DataTable

from tests.conftest import PASSPHRASE
from tests.views.conftest import TODAY, make_app, settle, until
from tests.views.test_forms import _client_file, _screen_text
from wijkteam_tui.domain.terms import AssessmentKind
from wijkteam_tui.store.opening import create_register
from wijkteam_tui.store.outcomes.assessments import record_assessment
from wijkteam_tui.store.records import AssessmentInput, ClientInput
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.clients import create_client
from wijkteam_tui.views.forms.assessment import AssessmentForm
from wijkteam_tui.views.today import TodayScreen

OPENED = date(2025, 3, 1)


@pytest.fixture
def register(tmp_path: Path) -> Iterator[Register]:
    made, _ = create_register(tmp_path / "wijk" / "register.db", "anna", PASSPHRASE)
    yield made
    made.close()


@pytest.fixture
def truus(register) -> int:
    client = create_client(register, ClientInput("Truus Smit", OPENED, casemanager_id=1), TODAY)
    return client.id


async def test_two_zrm_months_apart_a_drop_on_vandaag(register, truus):
    app = make_app(register.path, register=register)
    async with app.run_test(size=(80, 24)) as pilot:
        await _client_file(pilot, truus)
        await pilot.press("7")
        await settle(pilot)
        assert "ZRM (1 acuut … 5 volledig zelfredzaam) · nog geen; n: de eerste" in _screen_text(
            app
        )
        for when, money, housing in (("1-8-2026", "4 budgetbeheer loopt", "4"), ("", "2", "4")):
            await pilot.press("n")
            await settle(pilot)
            form = app.screen
            assert isinstance(form, AssessmentForm)
            await pilot.press(*when)
            await pilot.press("tab", *money, "tab", "tab", "tab", *housing)
            await pilot.press("ctrl+s")
            await until(pilot, lambda: not isinstance(app.screen, AssessmentForm), "saved")
            await settle(pilot)
        said = [n.message for n in app._notifications]
        assert "ZRM gedaald: financiën 4→2 (meting 22-11-2026, vorige 01-08-2026)." in said
        table = app.screen.query_one("#zrm", DataTable)
        assert table.row_count == 2
        money_row = [str(cell) for cell in table.get_row("financien")]
        assert money_row[0] == "financiën" and money_row[2:] == ["4", "2", "▼2", "▼2"]
        assert money_row[1] == "▆▃"
        # `e` on the newest column: correct it; the alert resolves.
        table.move_cursor(row=0, column=3)
        await pilot.press("e")
        await settle(pilot)
        form = app.screen
        assert isinstance(form, AssessmentForm) and form.row is not None
        await pilot.press("tab", "ctrl+u", *"3 toch iets beter", "ctrl+s")
        await until(pilot, lambda: not isinstance(app.screen, AssessmentForm), "corrected")
        await settle(pilot)
        money_row = [str(cell) for cell in table.get_row("financien")]
        assert money_row[2:] == ["4", "3", "▼1", "▼1"]
        await pilot.press("escape")
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)


async def test_a_drop_recorded_elsewhere_stands_on_vandaag(register, truus):
    record_assessment(
        register, truus, AssessmentInput(AssessmentKind.ZRM, date(2026, 6, 1), {"huisvesting": 4}),
        TODAY,
    )  # fmt: skip
    record_assessment(
        register, truus, AssessmentInput(AssessmentKind.ZRM, TODAY, {"huisvesting": 2}), TODAY
    )
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, TodayScreen)
        # The reason as the list has room for it; Enter on the row shows it whole.
        assert "Truus Smit           ZRM gedaald: huisvesti…" in _screen_text(app)
