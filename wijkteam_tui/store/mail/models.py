"""The team's mail: its settings (one row, changed by a teamleider: store/mail/config.py), its
own wording of reminders, and every reminder claimed, sent or failed (store/mail/reminders.py).

The SMTP password is sealed (AES-256-GCM under a subkey of the audit chain's key, which every
unlocking user holds on both backends and which no re-key changes), so that it is in no plain
file, no database dump and no back-up as text."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from wijkteam_tui.store.clock import utc_now
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
    #: Words (a diagnosis, an organisation) that may never be in a reminder's subject or
    #: sender name, one per line.
    sensitive_words: Mapped[str] = mapped_column(Text, default="", server_default="")


class Reminder(Versioned, Base):
    """A reminder to a network member of one due moment of an agreement: claimed before it
    is sent (so a crash between sending and recording never sends it twice), then sent or
    failed. One row per agreement, moment and kind: "vooraf" (before the moment) or
    "opnieuw" (after a contact logged as niet bereikt, `due_on` that contact's date)."""

    __tablename__ = "reminders"
    __table_args__ = (
        UniqueConstraint("agreement_id", "due_on", "kind"),
        Index("ix_reminders_client_claimed", "client_id", "claimed_at"),
        Index("ix_reminders_status_due", "status", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    client_id: Mapped[int] = mapped_column(ForeignKey("clients.id", ondelete="CASCADE"))
    agreement_id: Mapped[int] = mapped_column(
        ForeignKey("contact_agreements.id", ondelete="CASCADE")
    )
    member_id: Mapped[int | None] = mapped_column(
        ForeignKey("network_members.id", ondelete="SET NULL")
    )
    due_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(8))
    address: Mapped[str] = mapped_column(String(254))
    #: "bezig" (claimed, being sent), "verzonden", "mislukt" (tried again by the next run) or
    #: "onderbroken" (a run stopped between claiming and recording: maybe sent, never again).
    status: Mapped[str] = mapped_column(String(12))
    attempts: Mapped[int] = mapped_column(Integer, default=1)
    error: Mapped[str] = mapped_column(Text, default="")
    message_id: Mapped[str] = mapped_column(String(200), default="")
    #: Who ran it (the account of `wijkteam remind` or the medewerker who sent it).
    user_id: Mapped[int | None] = mapped_column(ForeignKey("users.id"))
    claimed_at: Mapped[datetime] = mapped_column(DateTime, default=utc_now)
    sent_at: Mapped[datetime | None] = mapped_column(DateTime)


class MailText(Versioned, Base):
    """The team's own wording of a reminder: per channel (its code) for the reminder before a
    moment, and "opnieuw" for the one after niet bereikt. Without a row the default text of
    mail/texts.py is used."""

    __tablename__ = "mail_texts"

    key: Mapped[str] = mapped_column(String(16), primary_key=True)
    subject: Mapped[str] = mapped_column(String(200))
    body: Mapped[str] = mapped_column(Text)
