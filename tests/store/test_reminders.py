"""Reminders to the network, on both backends, against a real SMTP server on loopback: which are
due (and which never: no consent, withdrawn, lapsed, ended, snoozed, closed, off), what the
message says (read back with `email`, its calendar entry with `icalendar` and checked against
the engine's next due date), at most once, a refused address, a server that is gone, the retry
after niet bereikt, the timeline and the audit log."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, replace
from datetime import date, datetime, timedelta

import icalendar
import pytest

from tests import mail_server
from tests.conftest import execute_raw
from tests.store.conftest import TODAY
from wijkteam_tui.domain.reminders import BEFORE, NEUTRAL_SUBJECT, RETRY
from wijkteam_tui.domain.terms import Channel, MemberKind, Outcome, Phase, Role
from wijkteam_tui.mail.remind import run
from wijkteam_tui.store import services
from wijkteam_tui.store.audit import log
from wijkteam_tui.store.cover.absences import add_absence
from wijkteam_tui.store.mail import reminders
from wijkteam_tui.store.mail.config import MailInput, set_mail
from wijkteam_tui.store.mail.models import Reminder
from wijkteam_tui.store.models import ContactAgreement
from wijkteam_tui.store.read.client_file import client_timeline
from wijkteam_tui.store.read.edit import agreement_for_edit, member_for_edit
from wijkteam_tui.store.records import AgreementInput, ClientInput, ContactInput, MemberInput
from wijkteam_tui.store.users import add_user, set_phone

OPENED = TODAY - timedelta(days=30)


@pytest.fixture
def relay() -> Iterator[mail_server.MailServer]:
    started = mail_server.start_relay()
    yield started
    started.stop()


@dataclass
class Team:
    register: object
    client_id: int
    fenna: int
    call: int


def _mail_to(register, port: int) -> None:
    set_mail(
        register,
        MailInput("localhost", port, "geen", "team@wijkteam.example", "Wijkteam Oost",
                  reply_to="balie@wijkteam.example"),
        "",
    )  # fmt: skip


@pytest.fixture
def team(register, relay) -> Team:
    """Kees (casemanager anna, 06-11112222) with daughter Fenna, who consented to be reminded
    and calls every week, next on TODAY + 1."""
    set_phone(register, "anna", "0611112222")
    _mail_to(register, relay.port)
    kees = services.create_client(
        register, ClientInput("Kees Bakker", OPENED, casemanager_id=register.user.id), TODAY
    )
    fenna = services.add_member(
        register,
        kees.id,
        MemberInput(
            "Fenna de Vries", MemberKind.INFORMAL, relation="dochter", email="fenna@example.nl",
            remind_by_mail=True,
        ),
        TODAY,
    )  # fmt: skip
    start = TODAY - timedelta(days=6)  # first due a week after the start
    call = services.add_agreement(
        register,
        kees.id,
        AgreementInput(Channel.PHONE, start, member_id=fenna.id, interval_days=7),
        TODAY,
    )
    return Team(register, kees.id, fenna.id, call.id)


def _next_due(register, agreement_id: int) -> date:
    with register.read() as session:
        return session.get(ContactAgreement, agreement_id).next_due


def test_a_reminder_goes_the_day_before_and_says_only_what_it_may(team, relay):
    register = team.register
    due = _next_due(register, team.call)
    assert due == TODAY + timedelta(days=1)
    assert reminders.due_reminders(register, TODAY - timedelta(days=1)) == []

    report = run(register, TODAY)

    assert [(d.kind, d.due_on, d.address) for d in report.sent] == [
        (BEFORE, due, "fenna@example.nl")
    ]
    [mail] = relay.inbox.read()
    assert mail["To"] == "fenna@example.nl"
    assert mail["From"] == "Wijkteam Oost <team@wijkteam.example>"
    assert mail["Reply-To"] == "balie@wijkteam.example"
    assert mail["Subject"] == "Bellen met Kees: maandag 23 november"
    body = mail.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert body.startswith("Beste Fenna,\n")
    assert "Je had met Kees afgesproken om elke week even te bellen." in body
    assert "De volgende keer is maandag 23 november." in body
    assert "anna (0611112222)" in body
    [attachment] = list(mail.iter_attachments())
    assert attachment.get_content_type() == "text/calendar"
    assert attachment.get_filename() == "afspraak.ics"
    calendar = icalendar.Calendar.from_ical(attachment.get_content())
    assert str(calendar["method"]) == "PUBLISH"
    [event] = calendar.walk("VEVENT")
    assert event.decoded("dtstart") == due  # the engine's next due moment
    assert event.decoded("dtend") == due + timedelta(days=1)
    assert str(event["summary"]) == "Bellen met Kees"


def test_never_twice_for_one_moment(team, relay):
    assert len(run(team.register, TODAY).sent) == 1
    again = run(team.register, TODAY)
    assert (again.due, again.sent) == ([], [])
    # Nor on the moment's own day.
    assert run(team.register, TODAY + timedelta(days=1)).sent == []
    assert len(relay.inbox.messages) == 1


def test_days_before_per_agreement_and_off(team, relay):
    register = team.register
    data, version = agreement_for_edit(register, team.call)
    services.update_agreement(
        register, team.call, version, replace(data, remind_days_before=0), TODAY
    )
    assert reminders.due_reminders(register, TODAY) == []
    assert len(reminders.due_reminders(register, TODAY + timedelta(days=1))) == 1
    data, version = agreement_for_edit(register, team.call)
    services.update_agreement(
        register, team.call, version, replace(data, remind_days_before=None), TODAY
    )
    assert reminders.due_reminders(register, TODAY + timedelta(days=1)) == []
    # Never for a moment already past.
    data, version = agreement_for_edit(register, team.call)
    services.update_agreement(
        register, team.call, version, replace(data, remind_days_before=3), TODAY
    )
    assert reminders.due_reminders(register, TODAY + timedelta(days=2)) == []


def _member(register, member_id: int) -> MemberInput:
    return member_for_edit(register, member_id)[1]


@pytest.mark.parametrize(
    "why_not",
    ["no consent", "withdrawn", "lapsed", "ended", "snoozed", "agreement ended", "closed"],
)
def test_no_reminder_without_a_reason_to_send_one(team, relay, why_not):
    register = team.register
    version = member_for_edit(register, team.fenna)[2]
    if why_not == "no consent":
        data = replace(_member(register, team.fenna), remind_by_mail=False)
        services.update_member(register, team.fenna, version, data, TODAY)
    elif why_not == "withdrawn":
        services.stop_reminding(register, team.fenna, version)
    elif why_not == "lapsed":
        data = replace(
            _member(register, team.fenna),
            remind_on=TODAY - timedelta(days=400),
            remind_review_on=TODAY - timedelta(days=1),
        )
        services.update_member(register, team.fenna, version, data, TODAY)
    elif why_not == "ended":
        services.end_member(
            register, team.fenna, version, ended_on=TODAY, reason="verhuisd", today=TODAY
        )
    elif why_not == "snoozed":
        services.snooze_agreement(
            register, team.call, TODAY + timedelta(days=10), "Op vakantie.", TODAY
        )
    elif why_not == "agreement ended":
        services.end_agreement(register, team.call, TODAY, TODAY)
    else:
        services.change_phase(register, team.client_id, Phase.CLOSED, "Afgerond.", TODAY)
    report = run(register, TODAY)
    assert (report.due, report.sent, relay.inbox.messages) == ([], [], [])


def test_a_refused_address_fails_alone_and_is_tried_again(team, relay):
    register = team.register
    anton = services.add_member(
        register,
        team.client_id,
        MemberInput("Anton Smit", MemberKind.INFORMAL, email="anton@example.nl",
                    remind_by_mail=True),
        TODAY,
    )  # fmt: skip
    services.add_agreement(
        register,
        team.client_id,
        AgreementInput(Channel.VISIT, TODAY - timedelta(days=13), member_id=anton.id,
                       interval_days=14),
        TODAY,
    )  # fmt: skip
    relay.inbox.refuse = {"anton@example.nl"}

    report = run(register, TODAY)

    assert [d.address for d in report.sent] == ["fenna@example.nl"]
    [(failed, why)] = report.failed
    assert failed.address == "anton@example.nl"
    assert why.startswith("adres geweigerd") and "550" in why
    assert [m["To"] for m in relay.inbox.read()] == ["fenna@example.nl"]
    # The next run tries only the failed one again, and now it goes.
    relay.inbox.refuse = set()
    again = run(register, TODAY)
    assert [d.address for d in again.sent] == ["anton@example.nl"]
    with register.read() as session:
        row = session.query(Reminder).filter_by(address="anton@example.nl").one()
        assert (row.status, row.attempts, row.error) == ("verzonden", 2, "")


def test_a_server_that_is_gone_fails_every_reminder_and_the_next_run_sends_them(team, relay):
    register = team.register
    relay.stop()
    report = run(register, TODAY)
    [(_, why)] = report.failed
    assert "niet bereikbaar" in why
    with register.read() as session:
        assert session.query(Reminder).one().status == "mislukt"
    back = mail_server.start_relay()
    try:
        _mail_to(register, back.port)
        assert len(run(register, TODAY).sent) == 1
        assert len(back.inbox.messages) == 1
    finally:
        back.stop()


def test_a_message_the_server_refuses_is_said_in_its_words_and_tried_again(team, relay):
    relay.inbox.reject = "554 5.7.1 bericht geweigerd door filter"
    [(_, why)] = run(team.register, TODAY).failed
    assert why == (
        f"De mailserver localhost:{relay.port} weigerde het bericht (554 5.7.1 bericht"
        " geweigerd door filter); de volgende keer opnieuw."
    )
    relay.inbox.reject = None
    assert len(run(team.register, TODAY).sent) == 1


def test_after_niet_bereikt_once_more_probeer_het_nog_eens(team, relay):
    register = team.register
    run(register, TODAY)
    moment = TODAY + timedelta(days=1)
    services.log_contact(
        register,
        ContactInput(
            team.client_id, moment, Channel.PHONE, Outcome.NOT_REACHED, team.call, team.fenna
        ),
        moment,
    )
    later = moment + timedelta(days=1)
    report = run(register, later)
    assert [(d.kind, d.due_on) for d in report.sent] == [(RETRY, moment)]
    mail = relay.inbox.read()[-1]
    assert mail["Subject"] == "Probeer je het nog eens? (Kees)"
    body = mail.get_body(("plain",)).get_content().replace("\r\n", "\n")
    assert "Je probeerde Kees op maandag 23 november te bereiken" in body
    assert run(register, later).sent == []
    # A week later, no more.
    services.log_contact(
        register,
        ContactInput(
            team.client_id, later, Channel.PHONE, Outcome.NOT_REACHED, team.call, team.fenna
        ),
        later,
    )
    assert [d.kind for d in reminders.due_reminders(register, later + timedelta(days=8))] == []


def test_each_reminder_is_on_the_timeline_and_in_the_audit_log_without_its_text(team, relay):
    register = team.register
    run(register, TODAY)
    [entry] = [e for e in client_timeline(register, team.client_id) if e.kind == "herinnering"]
    assert entry.text == (
        "Herinnering per mail aan Fenna de Vries (fenna@example.nl) voor ma 23 nov 2026: verzonden"
    )
    events = [e for e in log.events(register) if e.object_type == "reminders"]
    assert [e.action for e in events] == ["create", "update"]
    assert events[-1].detail == (
        f"afspraak {team.call}, moment 2026-11-23 (vooraf), aan fenna@example.nl: verzonden"
    )
    assert all(e.user_name == "anna" and e.client_number == "100001" for e in events)
    assert not any("Je had met" in e.detail or "Kees" in e.detail for e in events)


def test_a_run_that_stopped_after_claiming_never_sends_it_again(team, relay):
    register = team.register
    [due] = reminders.due_reminders(register, TODAY)
    assert reminders.claim(register, due, "<x@wijkteam.example>", TODAY) is not None
    # The process died here: maybe sent, maybe not.
    assert run(register, TODAY).sent == []
    assert relay.inbox.messages == []
    later = datetime.now() + reminders.STALE_CLAIM + timedelta(minutes=1)
    assert run(register, TODAY, now=later).interrupted == 1
    with register.read() as session:
        assert session.query(Reminder).one().status == "onderbroken"
    assert run(register, TODAY, now=later).sent == []


def test_a_sensitive_word_never_reaches_the_subject(team, relay):
    register = team.register
    reminders.set_text(
        register,
        "telefoon",
        reminders.Text("Bellen met {client}", "Beste {lid},\n\nBel {client} even.\n"),
    )
    reminders.set_sensitive_words(register, ["Bakker"])
    with pytest.raises(Exception, match="gevoelige woorden"):
        reminders.set_text(register, "telefoon", reminders.Text("Bakker belt", "Beste {lid}\n"))
    # A client named like a sensitive word: the neutral subject instead.
    reminders.set_sensitive_words(register, ["Kees"])
    run(register, TODAY)
    [mail] = relay.inbox.read()
    assert mail["Subject"] == NEUTRAL_SUBJECT
    assert "Bel Kees even." in mail.get_body(("plain",)).get_content()


def test_the_sender_name_with_a_sensitive_word_is_left_out(team, relay):
    reminders.set_sensitive_words(team.register, ["Oost"])
    run(team.register, TODAY)
    [mail] = relay.inbox.read()
    assert mail["From"] == "team@wijkteam.example"


def test_a_text_written_past_the_program_never_reaches_a_message(team, relay):
    """A colleague with psql on a team server writes the table itself: an unknown placeholder
    would stop every run, a sensitive word would reach a subject. The default text goes."""
    reminders.set_sensitive_words(team.register, ["GGZ"])
    execute_raw(
        team.register,
        "INSERT INTO mail_texts (key, subject, body, version)"
        " VALUES ('telefoon', 'GGZ {client}', 'Beste {lid}, {plan}', 1)",
    )
    report = run(team.register, TODAY)
    assert len(report.sent) == 1
    [mail] = relay.inbox.read()
    assert mail["Subject"] == "Bellen met Kees: maandag 23 november"


def test_a_connection_lost_while_the_message_was_under_way_never_sends_it_again(team, relay):
    relay.inbox.drop = True  # the server takes it, then hangs up before answering
    report = run(team.register, TODAY)
    [(_, why)] = report.failed
    assert "viel weg terwijl het bericht onderweg was" in why
    with team.register.read() as session:
        assert session.query(Reminder).one().status == "onderbroken"
    relay.inbox.drop = False
    assert run(team.register, TODAY).sent == []
    assert len(relay.inbox.messages) == 1


def test_an_address_the_server_cannot_take_fails_alone(team, relay):
    """Without SMTPUTF8 an address with an é cannot go; the others still do."""
    register = team.register
    version = member_for_edit(register, team.fenna)[2]
    data = replace(_member(register, team.fenna), email="josé@example.nl")
    services.update_member(register, team.fenna, version, data, TODAY)
    anton = services.add_member(
        register,
        team.client_id,
        MemberInput("Anton Smit", MemberKind.INFORMAL, email="anton@example.nl",
                    remind_by_mail=True),
        TODAY,
    )  # fmt: skip
    services.add_agreement(
        register,
        team.client_id,
        AgreementInput(Channel.VISIT, TODAY - timedelta(days=13), member_id=anton.id,
                       interval_days=14),
        TODAY,
    )  # fmt: skip
    plain = mail_server.start_relay(smtputf8=False)
    try:
        _mail_to(register, plain.port)
        report = run(register, TODAY)
    finally:
        plain.stop()
    assert [d.address for d in report.sent] == ["anton@example.nl"]
    [(_, why)] = report.failed
    assert "kan geen adres met letters als é of ö aan (josé@example.nl)" in why
    # A server that takes them (SMTPUTF8) gets it the next time.
    _mail_to(register, relay.port)
    assert [d.address for d in run(register, TODAY).sent] == ["josé@example.nl"]


def test_consent_withdrawn_while_a_run_is_under_way_stops_the_claim(team, relay):
    register = team.register
    [due] = reminders.due_reminders(register, TODAY)
    services.stop_reminding(register, team.fenna, member_for_edit(register, team.fenna)[2])
    assert reminders.claim(register, due, "<x@wijk.example>", TODAY) is None


def test_after_niet_bereikt_of_someone_else_no_retry_to_the_new_member(team, relay):
    """The agreement moved from Fenna to Anton after Fenna's failed attempt: Anton is not told
    about an attempt that was not his."""
    register = team.register
    moment = TODAY - timedelta(days=1)
    services.log_contact(
        register,
        ContactInput(team.client_id, moment, Channel.PHONE, Outcome.NOT_REACHED, team.call,
                     team.fenna),
        TODAY,
    )  # fmt: skip
    anton = services.add_member(
        register,
        team.client_id,
        MemberInput("Anton Smit", MemberKind.INFORMAL, email="anton@example.nl",
                    remind_by_mail=True),
        TODAY,
    )  # fmt: skip
    data, version = agreement_for_edit(register, team.call)
    services.update_agreement(
        register, team.call, version, replace(data, member_id=anton.id), TODAY
    )
    assert [d.kind for d in reminders.due_reminders(register, TODAY)] == [BEFORE]


def test_while_the_casemanager_is_away_the_message_names_who_covers(team, relay):
    register = team.register
    add_user(register, "bram", Role.MEDEWERKER, passphrase="bram zijn lange wachtwoord")
    set_phone(register, "bram", "0622223333")
    add_absence(register, "anna", TODAY, None, cover="bram", today=TODAY)
    run(register, TODAY)
    [mail] = relay.inbox.read()
    assert "Bel dan gerust bram (0622223333)." in mail.get_body(("plain",)).get_content()
