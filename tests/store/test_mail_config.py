"""The team's mail settings on both backends: set by a teamleider and read by everyone, the SMTP
password only sealed in the register (bound to it: a changed or moved seal does not open), kept
when not given and taken away when given empty; the change in the audit log by field name."""

from __future__ import annotations

import pytest

from tests.conftest import execute_raw
from wijkteam_tui.errors import RoleError, ValidationError
from wijkteam_tui.store.audit import log
from wijkteam_tui.store.mail.config import (
    MailInput,
    MailPasswordError,
    mail_config,
    mail_password,
    set_mail,
)

SETTINGS = MailInput(
    "smtp.voorbeeld.nl", 587, "starttls", "team@voorbeeld.nl", "Wijkteam Zuid", "team", ""
)
SECRET = "een geheim van de mailserver"


def _raw_seal(register) -> str:
    with register.read_connection() as conn:
        return conn.exec_driver_sql("SELECT password_sealed FROM mail_settings").scalar_one()


def test_set_read_and_sealed(register, bram):
    assert mail_config(register) is None and mail_password(register) is None
    set_mail(register, SETTINGS, SECRET)
    config = mail_config(bram)
    assert config is not None
    assert (config.settings, config.has_password, config.version) == (SETTINGS, True, 1)
    assert mail_password(bram) == SECRET
    sealed = _raw_seal(register)
    assert SECRET not in sealed and SECRET.encode().hex() not in sealed
    # Not given: the password stays; given empty: it goes.
    set_mail(register, MailInput(**{**_fields(SETTINGS), "port": 2525}), None)
    assert mail_password(register) == SECRET and mail_config(register).settings.port == 2525
    set_mail(register, SETTINGS, "")
    assert mail_password(register) is None and not mail_config(register).has_password
    changes = [e for e in log.events(register) if e.object_type == "mail_settings"]
    assert [e.action for e in changes] == ["create", "update", "update"]
    assert all(SECRET not in e.detail for e in changes)


def test_a_changed_seal_does_not_open(register):
    set_mail(register, SETTINGS, SECRET)
    sealed = _raw_seal(register)
    flipped = sealed[:20] + ("A" if sealed[20] != "A" else "B") + sealed[21:]
    execute_raw(register, f"UPDATE mail_settings SET password_sealed = '{flipped}'")
    with pytest.raises(MailPasswordError, match="onleesbaar"):
        mail_password(register)


def test_only_a_teamleider_and_only_safe_settings(register, bram):
    with pytest.raises(RoleError):
        set_mail(bram, SETTINGS, SECRET)
    for change, field in (
        ({"host": "smtp voorbeeld"}, "host"),
        ({"port": 0}, "port"),
        ({"security": "geen"}, "security"),
        ({"sender_address": "geen-adres"}, "sender_address"),
        ({"sender_name": "Wijk\x1bteam"}, "sender_name"),
    ):
        with pytest.raises(ValidationError) as refused:
            set_mail(register, MailInput(**{**_fields(SETTINGS), **change}), SECRET)
        assert refused.value.field == field
    # A relay on this host may be reached without encryption.
    set_mail(
        register, MailInput(**{**_fields(SETTINGS), "host": "localhost", "security": "geen"}), ""
    )
    assert mail_config(register) is not None


def _fields(data: MailInput) -> dict[str, object]:
    return {name: getattr(data, name) for name in MailInput.__dataclass_fields__}
