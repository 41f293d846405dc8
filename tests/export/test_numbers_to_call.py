"""The number to call beside the casemanager: their own, recorded with the user, else the
team's office number from Teaminstellingen; both validated like every phone field."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from datetime import date

import pytest
from sqlalchemy import select

from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import RoleError, ValidationError
from wijkteam_tui.export import card, document, markdown, pdf
from wijkteam_tui.store import services, sharing, users
from wijkteam_tui.store.models import User
from wijkteam_tui.store.opening import open_register
from wijkteam_tui.store.read.edit import team_settings_for_edit
from wijkteam_tui.store.records import ClientInput
from wijkteam_tui.store.write.settings import update_team_settings

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None,
    reason="pdftotext ontbreekt; installeer het met: sudo apt-get install poppler-utils",
)

TODAY = date(2026, 11, 22)


def _text(data: bytes, tmp_path) -> str:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    command = ["pdftotext", "-enc", "UTF-8", str(path), "-"]
    result = subprocess.run(command, capture_output=True, check=True)
    return result.stdout.decode("utf-8")


def _doc(register, client_id):
    return document.build(sharing.sharing_facts(register, client_id), TODAY, 1)


def _set_office(register, number: str) -> None:
    current, version = team_settings_for_edit(register)
    update_team_settings(register, version, replace(current, office_phone=number))


def _user_id(register, name: str) -> int:
    with register.read() as session:
        return session.scalar(select(User.id).where(User.name == name))


def test_every_format_prints_the_casemanager_s_own_number_else_the_office(register, tmp_path):
    users.add_user(
        register, "bram", Role.MEDEWERKER, display_name="Bram Bos", phone="06 1234 5678",
        passphrase="bram zijn wachtwoord",
    )  # fmt: skip
    client = services.create_client(
        register, ClientInput("Truus Smit", TODAY, casemanager_id=_user_id(register, "bram")), TODAY
    ).id
    _set_office(register, "020 765 4321")
    doc = _doc(register, client)
    assert "Casemanager: Bram Bos, 06 1234 5678" in markdown.render(doc)
    assert "Bram Bos, 06 1234 5678" in _text(pdf.render(doc), tmp_path)
    assert "Bram Bos, 06 1234 5678" in _text(card.render(doc), tmp_path)

    users.set_phone(register, "bram", "")
    doc = _doc(register, client)
    office = "Bram Bos, 020 765 4321 (kantoor van het team)"
    assert f"Casemanager: {office}" in markdown.render(doc)
    assert office in " ".join(_text(pdf.render(doc), tmp_path).split())
    assert office in " ".join(_text(card.render(doc), tmp_path).split())


def test_a_bad_number_is_refused_at_its_field_and_nothing_is_saved(register):
    with pytest.raises(ValidationError) as refused:
        users.add_user(register, "cem", Role.MEDEWERKER, phone="bel maar", passphrase="x" * 12)
    assert refused.value.field == "phone"
    assert "cijfers" in str(refused.value)
    assert not users.can_log_in(register, "cem")
    with pytest.raises(ValidationError) as refused:
        _set_office(register, "12")
    assert refused.value.field == "office_phone"
    assert str(refused.value) == "Een telefoonnummer heeft 10 tot 15 cijfers (nu 2)."
    assert team_settings_for_edit(register)[0].office_phone == ""


def test_a_medewerker_sets_their_own_number_and_only_their_own(register):
    users.add_user(register, "bram", Role.MEDEWERKER, passphrase="bram zijn wachtwoord")
    users.add_user(register, "cem", Role.MEDEWERKER, passphrase="cem zijn wachtwoord")
    users.set_phone(register, "cem", "06 3333 4444")
    bram = open_register(register.location, "bram", "bram zijn wachtwoord")
    try:
        assert users.set_phone(bram, "bram", " 06  1111 2222 ") == "06 1111 2222"
        assert users.user_phone(bram, "bram") == "06 1111 2222"
        with pytest.raises(RoleError):
            users.set_phone(bram, "cem", "06 5555 6666")
        # The refusal comes first, whatever was typed.
        with pytest.raises(RoleError):
            users.set_phone(bram, "cem", "06-9999")
    finally:
        bram.close()
    assert users.user_phone(register, "cem") == "06 3333 4444"
