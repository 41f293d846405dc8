"""The team's mail settings: the SMTP server, how to reach it safely, who the mail is from, and
the password, sealed in the register (never in a plain file). A teamleider changes them; every
user's program reads them to send (a reminder, a digest, a test message).

The password is sealed under a subkey of the audit chain's key (`Register.audit_key`): every
unlocking user holds it, on both backends, and no re-key or copy changes it. The seal is bound
to the register's id, so a sealed password copied from another register does not open."""

from __future__ import annotations

import re
from dataclasses import dataclass

from cryptography.exceptions import InvalidTag
from sqlalchemy.orm import Session

from wijkteam_tui.domain.fields import FieldError, clean_email
from wijkteam_tui.errors import ValidationError, WijkteamError
from wijkteam_tui.store.keys.primitives import canonical, derive_subkey, open_secret, seal_secret
from wijkteam_tui.store.mail.models import MailSettings
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.common import acting_teamleider, team_settings

REFUSAL = "Alleen een teamleider kan de mailinstellingen wijzigen."
#: How the connection to the SMTP server is secured: STARTTLS (port 587), TLS from the first
#: byte (port 465), or nothing, which only a relay on this host may do.
SECURITY = ("starttls", "tls", "geen")
LOOPBACK = ("localhost", "127.0.0.1", "::1")
_HOST = re.compile(r"[A-Za-z0-9.:-]{1,255}")
_SEAL_PURPOSE = "wijkteam smtp password seal"


@dataclass(frozen=True, slots=True)
class MailInput:
    host: str
    port: int
    security: str
    sender_address: str
    sender_name: str = ""
    login: str = ""
    reply_to: str = ""


@dataclass(frozen=True, slots=True)
class MailConfig:
    """The settings as they are, with whether a password is set (never the password)."""

    settings: MailInput
    has_password: bool
    version: int


class MailPasswordError(WijkteamError):
    """The sealed password does not open (another register's, or changed)."""


def checked(data: MailInput) -> MailInput:
    """`data` cleaned, or ValidationError (naming the field) in Dutch."""
    host = data.host.strip()
    if not _HOST.fullmatch(host):
        raise ValidationError(
            "Geef de naam of het adres van de mailserver (zoals smtp.voorbeeld.nl).", "host"
        )
    if not 0 < data.port < 65536:
        raise ValidationError("Een poort ligt tussen 1 en 65535 (meestal 587 of 465).", "port")
    if data.security not in SECURITY:
        raise ValidationError("Kies starttls, tls of geen.", "security")
    if data.security == "geen" and host.lower() not in LOOPBACK:
        raise ValidationError(
            "Zonder versleuteling mag alleen een mailserver op deze computer (localhost);"
            " kies --starttls of --tls.",
            "security",
        )
    try:
        sender = clean_email(data.sender_address)
        reply_to = clean_email(data.reply_to)
    except FieldError as error:
        raise ValidationError(str(error), "sender_address") from None
    if not sender:
        raise ValidationError(
            "Geef het adres waar de mail vandaan komt (--from).", "sender_address"
        )
    for value, limit, field in ((data.sender_name, 120, "sender_name"), (data.login, 255, "login")):
        if len(value.strip()) > limit or any(ord(c) < 32 for c in value):
            raise ValidationError(f"Hoogstens {limit} tekens, zonder stuurtekens.", field)
    return MailInput(
        host, data.port, data.security, sender, data.sender_name.strip(), data.login.strip(),
        reply_to,
    )  # fmt: skip


def set_mail(register: Register, data: MailInput, password: str | None) -> None:
    """The team's mail settings (teamleider). `password` None keeps the one there is; "" takes
    it away."""
    acting_teamleider(register, REFUSAL)
    data = checked(data)
    with register.write() as session:
        row = session.get(MailSettings, 1) or MailSettings(id=1)
        for field in MailInput.__dataclass_fields__:
            setattr(row, field, getattr(data, field))
        if password is not None:
            row.password_sealed = _seal(register, session, password) if password else None
        session.add(row)


def mail_config(register: Register) -> MailConfig | None:
    """The team's mail settings, None before a teamleider set them."""
    with register.read() as session:
        row = session.get(MailSettings, 1)
        if row is None:
            return None
        settings = MailInput(
            **{field: getattr(row, field) for field in MailInput.__dataclass_fields__}
        )
        return MailConfig(settings, row.password_sealed is not None, row.version)


def mail_password(register: Register) -> str | None:
    """The SMTP password, opened for sending; None when none is set."""
    with register.read() as session:
        row = session.get(MailSettings, 1)
        if row is None or row.password_sealed is None:
            return None
        try:
            return open_secret(_key(register), row.password_sealed, _aad(session)).decode("utf-8")
        except (ValueError, InvalidTag):
            raise MailPasswordError(
                "Het wachtwoord van de mailserver in dit register is onleesbaar (van een ander"
                " register, of gewijzigd buiten het programma). Een teamleider zet het opnieuw"
                " met: wijkteam mail set."
            ) from None


def _seal(register: Register, session: Session, password: str) -> str:
    return seal_secret(_key(register), password.encode("utf-8"), _aad(session))


def _key(register: Register) -> bytes:
    return derive_subkey(register.audit_key, _SEAL_PURPOSE)


def _aad(session: Session) -> bytes:
    return canonical(
        {"purpose": "smtp password", "register_id": team_settings(session).register_id}
    )
