"""Dutch wherever a person looks, and found by what it does: the command palette (no English
entry of Textual's, each entry once, Delen found by "pdf" or "afdrukken"), the key bar of an
open list, tick boxes that differ by shape, counted words and the audit log's field names."""

from __future__ import annotations

import html
import re
from datetime import timedelta
from pathlib import Path

import pytest
from textual.command import CommandList, CommandPalette
from textual.widgets import Checkbox, Select, Static

from tests.conftest import PASSPHRASE
from tests.views.conftest import TODAY, make_app, settle, static_text, until
from wijkteam_tui.domain.terms import Role
from wijkteam_tui.store.opening import create_register
from wijkteam_tui.store.records import ClientInput, ResourceInput
from wijkteam_tui.store.users import add_user
from wijkteam_tui.store.write.clients import create_client
from wijkteam_tui.store.write.network import add_resource
from wijkteam_tui.views.client_file import ClientFileScreen
from wijkteam_tui.views.clients import ClientsScreen
from wijkteam_tui.views.forms.client import ClientForm
from wijkteam_tui.views.forms.reassign import ReassignForm
from wijkteam_tui.views.resources import SocialMapScreen
from wijkteam_tui.views.ticks import TICKED, UNTICKED
from wijkteam_tui.views.unlock import UnlockScreen
from wijkteam_tui.views.users import UsersScreen

#: What Textual's own widgets and screens call their keys: none of it may reach a person.
ENGLISH = (
    "Copy selected text",
    "Page Down",
    "Page Up",
    "Focus Previous",
    "Focus Next",
    "Dismiss menu",
    "Quit",
    "Keys",
    "Screenshot",
    "Theme",
    "Maximize",
    "Show selected",
    "Scroll",
    "Cursor",
    "Select",
    "Toggle",
)


def _screen_text(app) -> str:  # type: ignore[no-untyped-def]
    svg = app.export_screenshot()
    return html.unescape("".join(re.findall(r">([^<]*)</text>", svg))).replace("\xa0", " ")


@pytest.fixture
def register(tmp_path: Path):  # type: ignore[no-untyped-def]
    made, _ = create_register(tmp_path / "register.db", "anna", PASSPHRASE, team_name="Noord")
    yield made
    made.close()


async def _palette(pilot, typed: str = "") -> list[str]:  # type: ignore[no-untyped-def]
    """The entries the command palette lists after `typed`: each name with its help."""
    await pilot.press("ctrl+p")
    await until(pilot, lambda: isinstance(pilot.app.screen, CommandPalette), "the palette")
    if typed:
        await pilot.press(*typed)
    # The palette searches in a worker of its own, which settle() waits for.
    await settle(pilot)
    commands = pilot.app.screen.query_one(CommandList)
    entries = [str(option.prompt) for option in commands.options]
    await pilot.press("escape")
    await settle(pilot)
    return entries


async def test_the_palette_lists_every_entry_once_in_dutch_on_every_screen(register):
    client = create_client(register, ClientInput("Kees Bakker", TODAY), TODAY)
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        seen = {"Vandaag": await _palette(pilot)}
        app.push_screen(ClientFileScreen(client.id))
        await settle(pilot)
        seen["dossier"] = await _palette(pilot)
        await pilot.press("e")
        await settle(pilot)
        assert isinstance(app.screen, ClientForm)
        seen["formulier"] = await _palette(pilot)
    for where, entries in seen.items():
        assert entries, where
        for entry in entries:
            lines = entry.splitlines()
            assert len(lines) == len(set(lines)), f"{where}: {entry!r} says its name twice"
            for english in ENGLISH:
                assert english not in entry, f"{where}: {entry!r}"
    assert any(entry.startswith("Delen") for entry in seen["dossier"])


@pytest.mark.parametrize("typed", ["pdf", "afdrukken", "print", "crisiskaart", "export", "agenda"])
async def test_the_palette_finds_delen_by_what_it_does(register, typed):
    client = create_client(register, ClientInput("Kees Bakker", TODAY), TODAY)
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        app.push_screen(ClientFileScreen(client.id))
        await settle(pilot)
        entries = await _palette(pilot, typed)
    assert [entry.splitlines()[0] for entry in entries] == ["Delen"]


async def test_an_open_list_is_closed_with_a_key_named_in_dutch(register):
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        app.push_screen(ClientsScreen())
        await settle(pilot)
        app.screen.query_one("#phase", Select).focus()
        await pilot.press("enter")
        await settle(pilot)
        shown = _screen_text(app)
    assert "Menu sluiten" in shown
    assert "Dismiss" not in shown


async def test_a_tick_box_says_ticked_or_not_by_its_shape(register):
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        app.push_screen(ClientsScreen())
        await settle(pilot)
        assert f"{UNTICKED}  Open aandachtspunt" in _screen_text(app)
        assert TICKED not in _screen_text(app)
        app.screen.query_one("#with-alert", Checkbox).value = True
        await settle(pilot)
        assert f"{TICKED}  Open aandachtspunt" in _screen_text(app)


async def test_a_list_of_choices_shows_its_ticks(register):
    clients = [(c.id, c.number) for c in (
        create_client(register, ClientInput(name, TODAY), TODAY) for name in ("Kees", "Ans")
    )]  # fmt: skip
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        app.push_screen(ReassignForm(None, "anna", clients, []))
        await settle(pilot)
        app.screen.query_one("#clients").focus()
        await pilot.press("space")
        await settle(pilot)
        shown = _screen_text(app)
    assert re.search(rf"{TICKED}\s+{clients[0][1]}", shown)
    assert re.search(rf"{UNTICKED}\s+{clients[1][1]}", shown)
    assert "▐X▌" not in shown


@pytest.mark.parametrize(
    ("others", "said"), [(0, "van wie 1 kan inloggen"), (1, "van wie 2 kunnen inloggen")]
)
async def test_the_users_summary_counts_in_dutch(register, others, said):
    for n in range(others):
        add_user(register, f"bram{n}", Role.MEDEWERKER, passphrase="een lang wachtwoord 1")
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        app.push_screen(UsersScreen())
        await settle(pilot)
        assert said in _screen_text(app)


async def test_one_resource_is_one_voorziening(register):
    add_resource(register, ResourceInput("Buurthuis De Linde", "buurthuis"))
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        app.push_screen(SocialMapScreen())
        await settle(pilot)
        shown = _screen_text(app)
    assert "1 voorziening ·" in shown


async def test_an_empty_vandaag_says_how_to_start(register):
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        hint = app.screen.query_one("#start-hint", Static)
        assert hint.display
        said = static_text(hint)
        assert "Ctrl+N" in said and "Team → Gebruikers" in said
    # Something to do (a client out of view for 100 days): the lists speak for themselves.
    mine = ClientInput("Kees Bakker", TODAY - timedelta(days=100), casemanager_id=register.user.id)
    create_client(register, mine, TODAY)
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert not app.screen.query_one("#start-hint", Static).display


async def test_the_unlock_screen_names_the_register_and_after_a_lock_its_team(register):
    app = make_app(register.path, register=register)
    async with app.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, UnlockScreen)
        said = " ".join(static_text(app.screen.query_one("#unlock-where", Static)).split())
        assert said == f"Noord · {register.path}"
    fresh = make_app(register.path)
    async with fresh.run_test(size=(120, 35)) as pilot:
        await settle(pilot)
        assert isinstance(fresh.screen, UnlockScreen)
        said = " ".join(static_text(fresh.screen.query_one("#unlock-where", Static)).split())
        assert said == f"Register: {register.path}"
