"""A run of `wijkteam remind`: every reminder due today composed, claimed, sent over one
connection and recorded, each on its own (store/mail/reminders.py keeps them at most once).

A message is plain text with the moment as a calendar entry (`afspraak.ics`, one all-day event,
METHOD:PUBLISH so that a calendar adds it without asking for an answer; its UID comes from the
agreement and the moment, so a second reminder of the same moment updates the entry). Its
subject and sender name never hold one of the team's sensitive words (domain/reminders.py).
"""

from __future__ import annotations

from collections.abc import Callable
from contextlib import ExitStack
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from email.message import EmailMessage
from email.utils import formataddr, formatdate, make_msgid

from icalendar import Calendar, Event

from wijkteam_tui.domain.reminders import RETRY, fill, sensitive_in
from wijkteam_tui.mail.smtp import AddressRefused, MailError, MaybeSent, Outbox
from wijkteam_tui.store.clock import utc_now
from wijkteam_tui.store.mail import reminders
from wijkteam_tui.store.mail.config import MailInput, mail_config, mail_password
from wijkteam_tui.store.mail.reminders import Due, Wording
from wijkteam_tui.store.register import Register

PRODID = "-//wijkteam//herinnering//NL"
#: What the calendar entry calls the moment, per channel code.
_SUMMARY = {
    "telefoon": "Bellen met {client}",
    "bezoek": "Langsgaan bij {client}",
    "beeldbellen": "Beeldbellen met {client}",
    "app": "Berichtje aan {client}",
    "inloop": "Inloop met {client}",
}


@dataclass
class RunReport:
    """What a run did: sent, failed (with why), skipped because another run has them, and
    earlier claims found interrupted."""

    due: list[Due]
    sent: list[Due] = field(default_factory=list)
    failed: list[tuple[Due, str]] = field(default_factory=list)
    taken: int = 0
    interrupted: int = 0


class NoMailSettings(MailError):
    """The team has no mail server set."""


def compose(settings: MailInput, due: Due, wording: Wording, today: date) -> EmailMessage:
    """The message for `due`: the team's text filled in, and the moment as a calendar entry."""
    sensitive = wording.sensitive
    key = RETRY if due.kind == RETRY else due.channel.value
    text = fill(wording.texts[key], due.filling, sensitive)
    mail = EmailMessage()
    name = "" if sensitive_in(settings.sender_name, sensitive) else settings.sender_name
    mail["From"] = formataddr((name, settings.sender_address))
    mail["To"] = due.address
    if settings.reply_to:
        mail["Reply-To"] = settings.reply_to
    mail["Subject"] = text.subject
    mail["Date"] = formatdate(localtime=True)
    domain = settings.sender_address.rpartition("@")[2]
    mail["Message-ID"] = make_msgid(f"herinnering.{due.agreement_id}", domain=domain)
    mail.set_content(text.body)
    mail.add_attachment(
        calendar_entry(due, wording.register_id, today),
        subtype="calendar",
        filename="afspraak.ics",
        params={"method": "PUBLISH"},
    )
    return mail


def calendar_entry(due: Due, register_id: str, today: date) -> str:
    """One all-day event on the moment (for a retry: today, the day to try again)."""
    on = today if due.kind == RETRY else due.due_on
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "PUBLISH")
    event = Event()
    event.add(
        "uid",
        f"herinnering-{due.kind}-{due.agreement_id}-{due.due_on.isoformat()}"
        f"-{register_id}@wijkteam",
    )
    event.add("dtstamp", utc_now().replace(microsecond=0))
    event.add("dtstart", on)
    event.add("dtend", on + timedelta(days=1))
    summary = _SUMMARY[due.channel.value].format(client=due.filling.values()["client"])
    event.add("summary", summary)
    event.add("transp", "TRANSPARENT")
    calendar.add_component(event)
    return str(calendar.to_ical().decode("utf-8"))


def run(
    register: Register,
    today: date,
    *,
    dry_run: bool = False,
    casemanager: int | None = None,
    progress: Callable[[Due, str], None] | None = None,
    now: datetime | None = None,
) -> RunReport:
    """Send every reminder due `today` (`dry_run`: only list them). Each is claimed before it
    is sent and recorded after, so that no run sends one twice."""
    report = RunReport(reminders.due_reminders(register, today, casemanager=casemanager))
    if dry_run:
        return report
    report.interrupted = reminders.interrupted(register, now)
    if not report.due:
        return report
    config = mail_config(register)
    if config is None:
        raise NoMailSettings(
            "Er is nog geen mailserver ingesteld; een teamleider doet dat met: wijkteam mail set."
        )
    wording = reminders.wording(register)
    with ExitStack() as stack:
        outbox: Outbox | None = None
        broken: MailError | None = None
        try:
            outbox = stack.enter_context(Outbox(config.settings, mail_password(register)))
        except MailError as unusable:
            broken = unusable
        for due in report.due:
            mail = compose(config.settings, due, wording, today)
            claimed = reminders.claim(register, due, str(mail["Message-ID"]), today)
            if claimed is None:
                report.taken += 1
                continue
            why, maybe_sent = _send(outbox, broken, mail, due)
            reminders.record(register, claimed, due.client_id, why, maybe_sent=maybe_sent)
            if why:
                report.failed.append((due, why))
            else:
                report.sent.append(due)
            if progress is not None:
                progress(due, why)
    return report


def _send(
    outbox: Outbox | None, broken: MailError | None, mail: EmailMessage, due: Due
) -> tuple[str, bool]:
    """("", False) when `mail` went out, else (why not in Dutch, whether it may have gone)."""
    if outbox is None:
        assert broken is not None
        return str(broken), False
    if not due.filling.phone:
        return (
            "geen telefoonnummer om te noemen: zet het nummer van de casemanager"
            " (wijkteam user phone) of van het team (teaminstellingen)",
            False,
        )
    try:
        outbox.send(mail)
    except AddressRefused as refused:
        return f"adres geweigerd: {refused}", False
    except MaybeSent as gone:
        return str(gone), True
    except MailError as error:
        return str(error), False
    return "", False
