"""The team's mail settings: one row, changed by a teamleider (store/mail/config.py).

The SMTP password is sealed (AES-256-GCM under a subkey of the audit chain's key, which every
unlocking user holds on both backends and which no re-key changes), so that it is in no plain
file, no database dump and no back-up as text."""

from __future__ import annotations

from sqlalchemy import CheckConstraint, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from wijkteam_tui.store.schema import Base, Versioned


class MailSettings(Versioned, Base):
    __tablename__ = "mail_settings"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    host: Mapped[str] = mapped_column(String(255))
    port: Mapped[int] = mapped_column(Integer)
    #: "starttls", "tls" (implicit TLS) or "geen" (only for a relay on this host).
    security: Mapped[str] = mapped_column(String(8))
    login: Mapped[str] = mapped_column(String(255), default="")
    sender_name: Mapped[str] = mapped_column(String(120), default="")
    sender_address: Mapped[str] = mapped_column(String(254))
    reply_to: Mapped[str] = mapped_column(String(254), default="")
    #: base64(nonce ‖ AES-GCM ciphertext) of the password, or None without a login.
    password_sealed: Mapped[str | None] = mapped_column(Text, default=None)
