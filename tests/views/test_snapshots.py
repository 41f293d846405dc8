"""Snapshots of every screen at 80x24 and 120x35 (pytest-textual-snapshot).

Update after a deliberate change with `pytest tests/views --snapshot-update`, then look at
the pictures in `tests/views/__snapshots__/`."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import text
from textual.widgets import Input

from tests.views.conftest import TODAY, copy_register, make_app, settle
from wijkteam_tui.store.keys import changes as crypto
from wijkteam_tui.store.opening import create_register, open_register
from wijkteam_tui.store.read.today import today_list
from wijkteam_tui.views.client_file import ClientFileScreen
from wijkteam_tui.views.clients import ClientsScreen

SIZES = [(80, 24), (120, 35)]
FIXED_RECOVERY_KEY = "ABCD-EFGH-IJKL-MNOP-QRST-UVWX-YZ23-4567"


async def _steady(pilot) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    # A tab's underline slides to the chosen tab: on a busy machine it can still be on its
    # way when the picture is taken.
    await pilot.wait_for_scheduled_animations()
    for field in pilot.app.screen.query(Input):
        field.cursor_blink = False
    await pilot.pause()


def _first_overdue_client(app) -> int:  # type: ignore[no-untyped-def]
    return today_list(app.register, app.register.user.id, TODAY).overdue[0].client_id


async def _open_file_and_press(pilot, client_id: int, *keys: str) -> None:  # type: ignore[no-untyped-def]
    await settle(pilot)
    pilot.app.push_screen(ClientFileScreen(client_id))
    await settle(pilot)
    await pilot.press(*keys)
    await settle(pilot)


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from the temp folder so that paths on screen are the same every time."""
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.fixture
def demo_app(in_tmp: Path, demo_template: Path):  # type: ignore[no-untyped-def]
    copy_register(demo_template, Path("demo.db"))
    register = open_register(Path("demo.db"), "demo", "demo")
    yield make_app(Path("demo.db"), register=register)
    register.close()


async def _create_register(pilot) -> None:  # type: ignore[no-untyped-def]
    """Set-up filled in and sent: the recovery key is shown next."""
    screen = pilot.app.screen
    for name, value in (
        ("team", "Wijkteam Noord"),
        ("user", "anna"),
        ("passphrase", "paard batterij nietje"),
        ("repeat", "paard batterij nietje"),
    ):
        screen.query_one(f"#{name}", Input).value = value
    screen.query_one("#repeat", Input).focus()
    await pilot.press("enter")


@pytest.mark.parametrize("size", SIZES)
def test_setup_screen(snap_compare, in_tmp, size):
    app = make_app(Path("nieuw") / "register.db")

    async def fill(pilot):  # type: ignore[no-untyped-def]
        for name, value in (("team", "Wijkteam Noord"), ("user", "anna")):
            pilot.app.screen.query_one(f"#{name}", Input).value = value
        pilot.app.screen.query_one("#passphrase", Input).value = "kort"
        await _steady(pilot)

    assert snap_compare(app, terminal_size=size, run_before=fill)


@pytest.mark.parametrize("size", SIZES)
def test_recovery_key_screen(snap_compare, in_tmp, size, monkeypatch):
    monkeypatch.setattr(crypto, "new_recovery_key", lambda: FIXED_RECOVERY_KEY)
    app = make_app(Path("nieuw") / "register.db")

    async def create(pilot):  # type: ignore[no-untyped-def]
        await _create_register(pilot)
        await _steady(pilot)

    assert snap_compare(app, terminal_size=size, run_before=create)


@pytest.mark.parametrize("size", SIZES)
def test_unlock_screen_after_a_wrong_passphrase(snap_compare, in_tmp, size):
    register, _ = create_register(Path("register.db"), "anna", "het goede wachtwoord")
    register.close()
    app = make_app(Path("register.db"), user_hint="anna")

    async def wrong(pilot):  # type: ignore[no-untyped-def]
        pilot.app.screen.query_one("#passphrase", Input).value = "fout"
        await pilot.press("enter")
        await _steady(pilot)

    assert snap_compare(app, terminal_size=size, run_before=wrong)


@pytest.mark.parametrize("size", SIZES)
def test_vandaag(snap_compare, demo_app, size):
    assert snap_compare(demo_app, terminal_size=size, run_before=_steady)


@pytest.mark.parametrize("size", SIZES)
def test_clients_with_a_search(snap_compare, demo_app, size):
    async def search(pilot):  # type: ignore[no-untyped-def]
        await settle(pilot)
        pilot.app.push_screen(ClientsScreen())
        await settle(pilot)
        pilot.app.screen.query_one("#search", Input).value = "de"
        await _steady(pilot)

    assert snap_compare(demo_app, terminal_size=size, run_before=search)


@pytest.mark.parametrize("size", SIZES)
def test_contact_from_an_aandachtspunt_offers_the_agreements(snap_compare, demo_app, size):
    async def contact(pilot):  # type: ignore[no-untyped-def]
        await settle(pilot)
        pilot.app.screen.query_one("#alerts").focus()
        await pilot.press("c")
        await _steady(pilot)

    assert snap_compare(demo_app, terminal_size=size, run_before=contact)


@pytest.mark.parametrize("size", SIZES)
def test_leaving_before_the_recovery_key_is_written_down(snap_compare, in_tmp, size, monkeypatch):
    monkeypatch.setattr(crypto, "new_recovery_key", lambda: FIXED_RECOVERY_KEY)
    app = make_app(Path("nieuw") / "register.db")

    async def leave(pilot):  # type: ignore[no-untyped-def]
        await _create_register(pilot)
        await settle(pilot)
        await pilot.press("ctrl+q")
        await _steady(pilot)

    assert snap_compare(app, terminal_size=size, run_before=leave)


@pytest.mark.parametrize("size", SIZES)
def test_new_client_form(snap_compare, demo_app, size):
    async def new_client(pilot):  # type: ignore[no-untyped-def]
        await settle(pilot)
        pilot.app.push_screen(ClientsScreen())
        await settle(pilot)
        await pilot.press("ctrl+n")
        await _steady(pilot)

    assert snap_compare(demo_app, terminal_size=size, run_before=new_client)


@pytest.mark.parametrize("size", SIZES)
def test_client_form_with_wrong_fields(snap_compare, demo_app, size):
    client_id = _first_overdue_client(demo_app)

    async def edit(pilot):  # type: ignore[no-untyped-def]
        await _open_file_and_press(pilot, client_id, "e")
        form = pilot.app.screen
        form.query_one("#birth_date", Input).value = "31-02-1950"
        form.query_one("#postcode", Input).value = "12AB"
        await pilot.press("ctrl+s")
        await _steady(pilot)

    assert snap_compare(demo_app, terminal_size=size, run_before=edit)


@pytest.mark.parametrize("size", SIZES)
def test_agreement_form_with_its_preview(snap_compare, demo_app, size):
    client_id = _first_overdue_client(demo_app)

    async def new_agreement(pilot):  # type: ignore[no-untyped-def]
        await _open_file_and_press(pilot, client_id, "3", "n")
        pilot.app.screen.query_one("#how_often", Input).value = "eerste maandag van de maand"
        await _steady(pilot)

    assert snap_compare(demo_app, terminal_size=size, run_before=new_agreement)


#: Screens reached from Vandaag with keys alone: each group of keys is pressed when the screen
#: before has settled.
FROM_VANDAAG = {
    "contact_dialog": [("c", "b", "z")],
    "help": [("f1",)],
    "locked": [("ctrl+l",)],
    "command_palette": [("ctrl+p",)],
    "sociale_kaart": [("k",)],
    "herinneringen": [("m",)],
    "resource_form": [("k",), ("ctrl+n",)],
    "team_screen": [("t",), ("down",)],
    "team_settings_form": [("t",), ("i",)],
    "reassign_form": [("t",), ("o",)],
    "absence_form": [("w",)],
}


@pytest.mark.parametrize("keys", FROM_VANDAAG.values(), ids=FROM_VANDAAG.keys())
@pytest.mark.parametrize("size", SIZES)
def test_from_vandaag(snap_compare, demo_app, size, keys):
    async def press(pilot):  # type: ignore[no-untyped-def]
        for group in keys:
            await settle(pilot)
            await pilot.press(*group)
        await _steady(pilot)

    assert snap_compare(demo_app, terminal_size=size, run_before=press)


#: Screens reached with keys in the file of the first client on Vandaag's overdue list: the
#: five tabs, a timeline row in full and the forms and dialogs opened from the file.
IN_THE_FILE = {
    "tab_overzicht": ("1",),
    "tab_netwerk": ("2",),
    "tab_afspraken": ("3",),
    "tab_signaleringsplan": ("4",),
    "tab_tijdlijn": ("5",),
    "a_row_in_full": ("5", "enter"),
    "member_form": ("2", "e"),
    "signal_form": ("4", "e"),
    "threshold_form": ("g",),
    "export_dialog": ("d",),
    "assessment_form": ("7", "n"),
}


@pytest.mark.parametrize("keys", IN_THE_FILE.values(), ids=IN_THE_FILE.keys())
@pytest.mark.parametrize("size", SIZES)
def test_in_the_file(snap_compare, demo_app, size, keys, monkeypatch):
    monkeypatch.setenv("HOME", "/home/medewerker")  # the export dialog shows where it writes
    client_id = _first_overdue_client(demo_app)

    async def press(pilot):  # type: ignore[no-untyped-def]
        await _open_file_and_press(pilot, client_id, *keys)
        await _steady(pilot)

    assert snap_compare(demo_app, terminal_size=size, run_before=press)


@pytest.mark.parametrize("size", SIZES)
def test_phase_form_closing_shows_the_retention_date(snap_compare, demo_app, size):
    from textual.widgets import Select

    from wijkteam_tui.domain.terms import Phase

    client_id = _first_overdue_client(demo_app)

    async def closing(pilot):  # type: ignore[no-untyped-def]
        await _open_file_and_press(pilot, client_id, "f")
        pilot.app.screen.query_one("#target", Select).value = Phase.CLOSED
        await _steady(pilot)

    assert snap_compare(demo_app, terminal_size=size, run_before=closing)


def _with_request(app) -> int:  # type: ignore[no-untyped-def]
    """A client of the demo with an informal agreement, and a request for it waiting."""
    from wijkteam_tui.domain.terms import Phase
    from wijkteam_tui.store.read.client_file import client_file
    from wijkteam_tui.store.write.phases import request_sign_off

    for item in today_list(app.register, app.register.user.id, TODAY).overdue:
        file = client_file(app.register, item.client_id, TODAY)
        if file.phase is not Phase.IN_VIEW and not file.in_view_missing and not file.sign_off:
            request_sign_off(app.register, file.id, "Dochter en buurman bellen elke week.", TODAY)
            return file.id
    raise AssertionError("the demo has a client that can go to duurzaam in beeld")


@pytest.mark.parametrize("size", SIZES)
def test_vandaag_of_a_teamleider_with_a_request_waiting(snap_compare, demo_app, size):
    _with_request(demo_app)
    assert snap_compare(demo_app, terminal_size=size, run_before=_steady)


@pytest.mark.parametrize("size", SIZES)
def test_sign_off_form(snap_compare, demo_app, size):
    client_id = _with_request(demo_app)

    async def decide(pilot):  # type: ignore[no-untyped-def]
        await _open_file_and_press(pilot, client_id, "k")
        await _steady(pilot)

    assert snap_compare(demo_app, terminal_size=size, run_before=decide)


@pytest.mark.parametrize("size", SIZES)
def test_alert_form(snap_compare, demo_app, size):
    alert = today_list(demo_app.register, demo_app.register.user.id, TODAY).alerts[0]

    async def resolve(pilot):  # type: ignore[no-untyped-def]
        await _open_file_and_press(pilot, alert.client_id, "a")
        await _steady(pilot)

    assert snap_compare(demo_app, terminal_size=size, run_before=resolve)


def _network_app(folder: Path, members: int):  # type: ignore[no-untyped-def]
    """A register with one client and `members` network members (some with an agreement)."""
    from tests.conftest import PASSPHRASE
    from tests.views.test_ecogram import KINDS, NAMES
    from wijkteam_tui.domain.terms import Channel
    from wijkteam_tui.store.records import AgreementInput, ClientInput, MemberInput
    from wijkteam_tui.store.write.agreements import add_agreement
    from wijkteam_tui.store.write.clients import create_client
    from wijkteam_tui.store.write.network import add_member

    register, _ = create_register(folder / "kaart.db", "anna", PASSPHRASE, team_name="Noord")
    client = create_client(register, ClientInput("Kees Bakker", TODAY), TODAY)
    for i, name in enumerate(NAMES[:members]):
        kind = KINDS[i] if members > 3 else KINDS[i * 5]
        made = add_member(
            register,
            client.id,
            MemberInput(name, kind, supports="PGAE"[: i % 4 + 1], ring=i % 3 + 1),
            TODAY,
        )
        if i % 3 == 0:
            add_agreement(
                register,
                client.id,
                AgreementInput(Channel.PHONE, TODAY, member_id=made.id, interval_days=7),
                TODAY,
            )
    return register, make_app(register.path, register=register), client.id


@pytest.mark.parametrize("members", [0, 3, 15])
@pytest.mark.parametrize("size", SIZES)
def test_netwerkkaart(snap_compare, in_tmp, size, members):
    register, app, client_id = _network_app(in_tmp, members)

    async def kaart(pilot):  # type: ignore[no-untyped-def]
        await _open_file_and_press(pilot, client_id, "6")
        await _steady(pilot)

    try:
        assert snap_compare(app, terminal_size=size, run_before=kaart)
    finally:
        register.close()


#: Three screens with NO_COLOR set (Textual then draws in monochrome): every state must still
#: read from words and shapes (✓/☐, "te laat", the netwerkkaart's ● ■ ▲ and ! ✓).
IN_MONOCHROME = {
    "vandaag": (),
    "clienten": ("slash",),
    "netwerkkaart": ("enter", "6"),
    "herinneringen": ("m",),
}


@pytest.mark.parametrize("keys", IN_MONOCHROME.values(), ids=IN_MONOCHROME.keys())
def test_in_monochrome(snap_compare, in_tmp, demo_template, monkeypatch, keys):
    monkeypatch.setenv("NO_COLOR", "1")
    copy_register(demo_template, Path("demo.db"))
    register = open_register(Path("demo.db"), "demo", "demo")
    app = make_app(Path("demo.db"), register=register)
    assert app.no_color

    async def press(pilot):  # type: ignore[no-untyped-def]
        for key in keys:
            await settle(pilot)
            await pilot.press(key)
        await _steady(pilot)

    try:
        assert snap_compare(app, terminal_size=(80, 24), run_before=press)
    finally:
        register.close()


def _most_assessed(register) -> int:  # type: ignore[no-untyped-def]
    """The demo client with the most ZRM assessments (a drop among them, if any has one)."""
    with register.read() as session:
        return int(
            session.execute(
                text(
                    "SELECT a.client_id FROM assessments a"
                    " LEFT JOIN alerts al ON al.client_id = a.client_id AND al.rule = 'zrm_daling'"
                    " WHERE a.kind = 'zrm' GROUP BY a.client_id"
                    " ORDER BY count(al.id) DESC, count(DISTINCT a.id) DESC, a.client_id LIMIT 1"
                )
            ).scalar_one()
        )


@pytest.mark.parametrize("size", [*SIZES, "monochrome"])
def test_ontwikkeling(snap_compare, in_tmp, demo_template, monkeypatch, size):
    """The Ontwikkeling tab of a client with several ZRM and a drop: the bars read without
    colour (NO_COLOR at 80x24), and at 80 columns the two newest assessments side by side."""
    if size == "monochrome":
        monkeypatch.setenv("NO_COLOR", "1")
    copy_register(demo_template, Path("demo.db"))
    register = open_register(Path("demo.db"), "demo", "demo")
    app = make_app(Path("demo.db"), register=register)
    client_id = _most_assessed(register)

    async def press(pilot):  # type: ignore[no-untyped-def]
        await _open_file_and_press(pilot, client_id, "7")
        await _steady(pilot)

    try:
        terminal = (80, 24) if size == "monochrome" else size
        assert snap_compare(app, terminal_size=terminal, run_before=press)
    finally:
        register.close()
