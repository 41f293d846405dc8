"""A teamleider adds users and gives new passphrases in the store (the Gebruikers screen and
`wijkteam user add/reset` call these): a key slot, the user's row, the key file's generation and
an audit event in one step; a one-time passphrase must be replaced at the next unlock."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from tests.conftest import unlock_as
from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import (
    AuthenticationError,
    OneTimePassphraseError,
    UsageError,
    ValidationError,
    WrongPassphraseError,
)
from wijkteam_tui.store import keys as crypto
from wijkteam_tui.store.audit import log
from wijkteam_tui.store.models import TeamSettings, User
from wijkteam_tui.store.opening import open_register, replace_one_time
from wijkteam_tui.store.users import add_user, deactivate_user, reset_passphrase, user_overview

BRAM = "bram zijn wachtwoord"


def _user_events(register, name: str) -> list[str]:
    return [e.detail for e in log.events(register) if e.action == "user" and e.object_id == name]


def _generations(register) -> tuple[int, int]:
    """(the register's recorded key file generation, the key file's own)."""
    with register.read() as session:
        settings = session.get(TeamSettings, 1)
        assert settings is not None
        recorded = settings.key_generation
    return recorded, register.keys.current().generation


def test_a_new_user_gets_a_one_time_passphrase_to_replace(register):
    given = add_user(register, "cem", Role.MEDEWERKER, display_name="Cem Demir")
    assert len(given) == 24 and given.count("-") == 4
    recorded, own = _generations(register)
    assert recorded == own
    with pytest.raises(OneTimePassphraseError):
        open_register(register.location, "cem", given)
    cem = unlock_as(register.location, "cem", given, one_time_ok=True)
    assert cem.role is Role.MEDEWERKER
    replace_one_time(register.location, "cem", given, "cem zijn eigen wachtwoord")
    open_register(register.location, "cem", "cem zijn eigen wachtwoord").close()

    rows = {row.name: row for row in user_overview(register)}
    assert rows["cem"].display_name == "Cem Demir"
    assert rows["cem"].role is Role.MEDEWERKER and rows["cem"].can_log_in
    assert _user_events(register, "cem") == [
        "toegevoegd als medewerker, met een eenmalig wachtwoord"
    ]


def test_the_register_records_the_key_file_it_wrote(register):
    add_user(register, "cem", Role.TEAMLEIDER, passphrase="een wachtwoord voor cem")
    assert _generations(register)[0] == _generations(register)[1]
    # A typed passphrase is not a one-time one.
    assert unlock_as(register.location, "cem", "een wachtwoord voor cem").role is Role.TEAMLEIDER


@pytest.mark.parametrize(
    ("name", "display_name", "field", "says"),
    [
        ("anna", "", "name", "bestaat al"),
        ("ça", "", "name", "gebruikersnaam"),
        ("", "", "name", "gebruikersnaam"),
        ("cem", "x" * 121, "display_name", "Hoogstens 120"),
    ],
)
def test_a_wrong_user_is_refused_at_its_field_and_nothing_changes(
    register, name, display_name, field, says
):
    slots = register.keys.current()
    with pytest.raises(ValidationError, match=says) as refused:
        add_user(register, name, Role.MEDEWERKER, display_name=display_name)
    assert refused.value.field == field
    assert register.keys.current() == slots
    assert [row.name for row in user_overview(register)] == ["anna"]


def test_a_switched_off_user_gets_access_again_under_the_same_row(register, bram):
    with register.read() as session:
        before = session.scalar(select(User.id).where(User.name == "bram"))
    deactivate_user(register, "bram")
    with pytest.raises((AuthenticationError, WrongPassphraseError)):
        # Locally the slot is gone; on a server the role cannot sign in any more.
        unlock_as(register.location, "bram", BRAM)
    add_user(register, "bram", Role.MEDEWERKER)
    with register.read() as session:
        again = session.scalars(select(User).where(User.name == "bram")).all()
    assert [(u.id, u.active) for u in again] == [(before, True)]
    assert _user_events(register, "bram")[-1] == (
        "opnieuw toegang gegeven als medewerker, met een eenmalig wachtwoord"
    )


def test_a_reset_ends_the_old_passphrase_and_forces_a_change(register, bram):
    given = reset_passphrase(register, "bram")
    with pytest.raises(WrongPassphraseError):
        unlock_as(register.location, "bram", BRAM)
    with pytest.raises(OneTimePassphraseError):
        unlock_as(register.location, "bram", given)
    slot = unlock_as(register.location, "bram", given, one_time_ok=True).key_file.user_slot("bram")
    assert slot is not None and slot.must_change
    assert _user_events(register, "bram")[-1] == "eenmalig wachtwoord gegeven door de teamleider"
    assert _generations(register)[0] == _generations(register)[1]


def test_a_reset_of_oneself_or_of_someone_without_access_is_refused(register, bram):
    with pytest.raises(ValidationError, match="Uw eigen wachtwoord"):
        reset_passphrase(register, "anna")
    deactivate_user(register, "bram")
    with pytest.raises(ValidationError, match="geen toegang"):
        reset_passphrase(register, "bram")
    with pytest.raises(ValidationError, match="geen toegang"):
        reset_passphrase(register, "niemand")


def test_a_name_that_differs_from_another_only_in_case_is_refused(register, bram):
    """ "Anna" beside "anna" would be two people who look like one in every list and in the
    audit log: refused in the store and in the key slots themselves (both backends)."""
    slots = register.keys.current().users()
    with pytest.raises(ValidationError, match="Er is al een gebruiker 'anna'") as refused:
        add_user(register, "Anna", Role.MEDEWERKER)
    assert refused.value.field == "name"
    with pytest.raises(UsageError, match="alleen in hoofdletters"):
        crypto.add_user_slot(
            register.keys, register.unlocked, "ANNA", Role.MEDEWERKER, "een wachtwoord voor ANNA"
        )
    assert register.keys.current().users() == slots
    # A name without access any more is still taken: its history names that person.
    deactivate_user(register, "bram")
    with pytest.raises(ValidationError, match="Er is al een gebruiker 'bram'"):
        add_user(register, "Bram", Role.MEDEWERKER)
    assert register.keys.current().users() == [("anna", Role.TEAMLEIDER)]
    assert [row.name for row in user_overview(register)] == ["anna", "bram"]
