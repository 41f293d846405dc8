"""The Auditlog screen (teamleider, `a` on Team): newest first, filtered by client, user and
first day; `v` checks the chain and says where it broke; a snapshot at a fixed time."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from textual.widgets import DataTable, Input, Static

from tests.conftest import PASSPHRASE
from tests.views.conftest import TODAY, from_team, make_app, settle
from tests.views.test_snapshots import SIZES, _steady
from wijkteam_tui.store import services
from wijkteam_tui.store.audit import chain
from wijkteam_tui.store.opening import create_register, open_register
from wijkteam_tui.store.records import ClientInput
from wijkteam_tui.store.register import Register
from wijkteam_tui.views.audit import AuditScreen

AT = datetime(2026, 11, 22, 9, 15)


@pytest.fixture
def register(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Register]:
    """anna with two clients; every event at 22 November 09:15 UTC."""
    monkeypatch.setattr(chain, "now", lambda: AT)
    path = tmp_path / "wijk" / "register.db"
    made, _ = create_register(path, "anna", PASSPHRASE, team_name="Wijkteam Zuid")
    services.create_client(made, ClientInput("Fatima El Amrani", TODAY), TODAY)
    services.create_client(made, ClientInput("Kees Bakker", TODAY), TODAY)
    made.close()
    opened = open_register(path, "anna", PASSPHRASE)
    yield opened
    opened.close()


def _rows(app) -> list[list[str]]:  # type: ignore[no-untyped-def]
    table = app.screen.query_one("#audit-table", DataTable)
    return [[str(c) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def _audit(pilot) -> AuditScreen:  # type: ignore[no-untyped-def]
    return await from_team(pilot, "a", AuditScreen)


async def test_newest_first_filtered_and_checked(register):
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        screen = await _audit(pilot)
        rows = _rows(app)
        assert rows[0][2].startswith("gebruiker ingelogd"), "newest first"
        assert int(rows[0][5]) > int(rows[-1][5])
        screen.query_one("#audit-client", Input).value = "100002"
        await pilot.press("f", "enter")
        await settle(pilot)
        assert {row[3].strip() for row in _rows(app)} == {"100002"}
        screen.query_one("#audit-from", Input).value = "31-02-2026"
        screen.query_one("#audit-from", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        assert "bestaat niet als datum" in str(screen.query_one("#audit-summary", Static).content)
        screen.query_one("#audit-table", DataTable).focus()
        await pilot.press("v")
        await settle(pilot)
        summary = str(screen.query_one("#audit-summary", Static).content)
        assert summary.startswith("Auditlog in orde: ")
        with register.raw() as raw:
            raw.execute("UPDATE audit_events SET detail = 'x' WHERE seq = 3")
        await pilot.press("v")
        await settle(pilot)
        summary = str(screen.query_one("#audit-summary", Static).content)
        assert summary.startswith("BREUK bij volgnummer 3: ")


@pytest.mark.parametrize("size", SIZES)
def test_audit_screen(snap_compare, register, size):
    async def audit_screen(pilot):  # type: ignore[no-untyped-def]
        await _audit(pilot)
        await _steady(pilot)

    assert snap_compare(make_app(register.path, register=register), terminal_size=size,
                        run_before=audit_screen)  # fmt: skip
