"""`wijkteam digest --mail` (teamleider): each colleague with an e-mail address gets the week by
mail: a medewerker their own figures, a teamleider the team's and everyone's. The same text as
`wijkteam digest` (export/digest.py): no client's name, only how much is late and where. One
connection for all; a refused address or a server that fails is said per person, and each mail
sent is in the audit log (to whom, never the figures)."""

from __future__ import annotations

from contextlib import ExitStack
from dataclasses import dataclass, replace
from datetime import date

from sqlalchemy import select

from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import UsageError
from wijkteam_tui.export.digest import digest_text
from wijkteam_tui.mail.smtp import MailError, Outbox, message
from wijkteam_tui.store.audit.chain import Event
from wijkteam_tui.store.audit.log import record
from wijkteam_tui.store.mail.config import mail_config, mail_password
from wijkteam_tui.store.models import User
from wijkteam_tui.store.read.team import digest_data
from wijkteam_tui.store.read.today import team_info
from wijkteam_tui.store.register import Register

REFUSAL = "Alleen een teamleider stuurt de weekoverzichten per mail."


@dataclass(frozen=True, slots=True)
class DigestMail:
    name: str
    address: str
    #: Why it did not go ("" when it went).
    error: str = ""


def _recipients(register: Register) -> list[tuple[int, str, Role, str]]:
    with register.read() as session:
        return [
            (row.id, row.name, row.role, row.email)
            for row in session.execute(
                select(User.id, User.name, User.role, User.email)
                .where(User.active.is_(True), User.email != "")
                .order_by(User.name)
            )
        ]


def send_digests(register: Register, day: date) -> list[DigestMail]:
    """The week up to `day` to every active colleague with an address; what happened to each."""
    register.require_teamleider(REFUSAL)
    config = mail_config(register)
    if config is None:
        raise UsageError(
            "Er is nog geen mailserver ingesteld; een teamleider doet dat met: wijkteam mail set."
        )
    digest = digest_data(register, day)
    review, trend = digest.review, digest.trend
    info = team_info(register)
    trends = {series.user_id: series for series in trend.per_user}
    week = day.isocalendar().week
    subject = f"Weekoverzicht {info.name}, week {week}"
    done: list[DigestMail] = []
    with ExitStack() as stack:
        outbox: Outbox | None = None
        broken = ""
        try:
            outbox = stack.enter_context(Outbox(config.settings, mail_password(register)))
        except MailError as error:
            broken = str(error)
        for user_id, name, role, address in _recipients(register):
            whole = role is Role.TEAMLEIDER
            mine = review if whole else replace(
                review, rows=[row for row in review.rows if row.user_id == user_id]
            )  # fmt: skip
            text = digest_text(
                mine, trends, trend.team if whole else None, team_name=info.name,
                wijk=info.wijk, today=day, whole_team=whole,
                covered=[c for c in digest.covered if whole or c.cover_id == user_id],
            )  # fmt: skip
            why = broken
            if outbox is not None and not why:
                try:
                    outbox.send(message(config.settings, address, subject, text))
                except MailError as error:
                    why = str(error)
            record(
                register,
                Event("digest-mail", "users", name, outcome="fout" if why else "ok",
                      detail=f"weekoverzicht week {week} naar {address}"),
            )  # fmt: skip
            done.append(DigestMail(name, address, why))
    return done
