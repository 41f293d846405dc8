"""Herinneringen (Mail, `m` on Vandaag), driven as a medewerker would: what goes out today for
their own clients only, `v` sends it through a real SMTP relay on loopback, what went out and
what failed (with why) are listed after, and Enter opens the client's file."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from textual.widgets import DataTable, Static

from tests import mail_server
from tests.conftest import PASSPHRASE
from tests.views.conftest import TODAY, make_app, settle, until
from wijkteam_tui.domain.terms import Channel, MemberKind, Role
from wijkteam_tui.store import services
from wijkteam_tui.store.mail.config import MailInput, set_mail
from wijkteam_tui.store.models import User
from wijkteam_tui.store.opening import create_register, open_register
from wijkteam_tui.store.records import AgreementInput, ClientInput, MemberInput
from wijkteam_tui.store.users import add_user, set_phone
from wijkteam_tui.views.client_file import ClientFileScreen
from wijkteam_tui.views.reminders import RemindersScreen

BRAM = "een lange zin van bram"


@pytest.fixture
def relay() -> Iterator[mail_server.MailServer]:
    started = mail_server.start_relay()
    yield started
    started.stop()


def _client(register, name: str, member: str, address: str, casemanager: int) -> None:
    client = services.create_client(
        register, ClientInput(name, TODAY - timedelta(days=30), casemanager_id=casemanager), TODAY
    )
    helper = services.add_member(
        register,
        client.id,
        MemberInput(member, MemberKind.INFORMAL, email=address, remind_by_mail=True),
        TODAY,
    )
    services.add_agreement(
        register,
        client.id,
        AgreementInput(
            Channel.PHONE, TODAY - timedelta(days=6), member_id=helper.id, interval_days=7
        ),
        TODAY,
    )


@pytest.fixture
def team(tmp_path: Path, relay) -> Path:
    """Anna (teamleider) with Kees; Bram (medewerker) with Truus and Henk: each with a
    member reminded of a call tomorrow. Mail through the relay."""
    path = tmp_path / "wijk" / "register.db"
    register, _ = create_register(path, "anna", PASSPHRASE)
    try:
        add_user(register, "bram", Role.MEDEWERKER, passphrase=BRAM)
        with register.read() as session:
            bram = session.scalars(select(User).where(User.name == "bram")).one()
        set_phone(register, "anna", "0611112222")
        set_phone(register, "bram", "0622223333")
        set_mail(register, MailInput("localhost", relay.port, "geen", "team@wijk.example"), "")
        _client(register, "Kees Bakker", "Fenna de Vries", "fenna@example.nl", register.user.id)
        _client(register, "Truus Smit", "Anton Smit", "anton@example.nl", bram.id)
        _client(register, "Henk Visser", "Ria Visser", "ria@example.nl", bram.id)
    finally:
        register.close()
    return path


def _rows(app) -> list[list[str]]:  # type: ignore[no-untyped-def]
    table = app.screen.query_one("#reminders-table", DataTable)
    return [[str(cell) for cell in table.get_row_at(i)] for i in range(table.row_count)]


async def test_a_medewerker_sees_and_sends_their_own_clients_reminders(team, relay):
    register = open_register(team, "bram", BRAM)
    app = make_app(team, register=register)
    try:
        async with app.run_test(size=(80, 24)) as pilot:
            await settle(pilot)
            await pilot.press("m")
            await settle(pilot)
            assert isinstance(app.screen, RemindersScreen)
            rows = _rows(app)
            # Anna's client Kees is not Bram's: not in his list.
            assert sorted((r[1], r[2], r[4]) for r in rows) == [
                ("Henk Visser", "Ria Visser", "gaat vandaag"),
                ("Truus Smit", "Anton Smit", "gaat vandaag"),
            ]
            relay.inbox.refuse = {"ria@example.nl"}
            await pilot.press("v")
            await until(pilot, lambda: len(relay.inbox.messages) == 1, "the message sent")
            await settle(pilot)
            statuses = sorted(r[4] for r in _rows(app))
            assert statuses[0].startswith("mislukt: adres")
            assert statuses[1] == "verzonden"
            summary = str(app.screen.query_one("#reminders-summary", Static).render())
            assert "1 verzonden, 1 mislukt" in summary
            assert [m["To"] for m in relay.inbox.read()] == ["anton@example.nl"]
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ClientFileScreen)
    finally:
        register.close()


async def test_a_teamleider_sees_the_team_and_is_told_when_nothing_can_go(team, relay):
    register = open_register(team, "anna", PASSPHRASE)
    app = make_app(team, register=register)
    try:
        async with app.run_test(size=(120, 35)) as pilot:
            await settle(pilot)
            await pilot.press("m")
            await settle(pilot)
            assert sorted(r[1] for r in _rows(app)) == ["Henk Visser", "Kees Bakker", "Truus Smit"]
            relay.stop()
            await pilot.press("v")
            await settle(pilot)
            await until(
                pilot,
                lambda: sorted(r[4][:7] for r in _rows(app)) == ["mislukt"] * 3,
                "the failures listed",
            )
            assert relay.inbox.messages == []
            # The chosen row in full: why it failed.
            detail = str(app.screen.query_one("#reminders-detail", Static).render())
            assert "is niet bereikbaar" in detail
    finally:
        register.close()
