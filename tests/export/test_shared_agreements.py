"""The shared agreements: only what may be shared, in every field; Markdown that no name can
break; a sensible document for a client with nothing agreed yet; versions; the command."""

from __future__ import annotations

import stat
from datetime import date

import pytest

from tests.conftest import PASSPHRASE
from tests.helpers import run_cli
from wijkteam_tui.domain.terms import Channel, MemberKind, SignalPhase
from wijkteam_tui.errors import ValidationError
from wijkteam_tui.export import document, markdown
from wijkteam_tui.store import services, sharing
from wijkteam_tui.store.opening import open_register
from wijkteam_tui.store.records import AgreementInput, ClientInput, MemberInput, SignalInput

TODAY = date(2026, 11, 22)
OPENED = date(2026, 9, 1)


@pytest.fixture
def client(register):
    """Fenna (consent), Kees (no consent), Ria (consent to be asked again on 1 Nov)."""
    made = services.create_client(register, ClientInput("Truus Smit", OPENED), TODAY)

    def member(name, phone, consent, review=None):
        return services.add_member(
            register,
            made.id,
            MemberInput(
                name,
                MemberKind.INFORMAL,
                relation="buur",
                phone=phone,
                consent_to_share=consent,
                consent_on=date(2025, 11, 1) if consent else None,
                consent_review_on=review,
            ),
            TODAY,
        )

    fenna = member("Fenna de Vries", "06 1111 2222", True, date(2027, 11, 1))
    kees = member("Kees Geheim", "06 9999 8888", False)
    ria = member("Ria Verlopen", "06 7777 6666", True, date(2026, 11, 1))
    for who in (fenna, kees, ria):
        services.add_agreement(
            register,
            made.id,
            AgreementInput(Channel.VISIT, OPENED, member_id=who.id, interval_days=7, shared=True),
            TODAY,
        )
    services.add_signal(
        register,
        made.id,
        SignalInput(
            SignalPhase.RED,
            "Eet niet",
            whom_to_call="Kees Geheim (06 9999 8888) of Fenna de Vries",
        ),
    )
    return made.id


def _document(register, client_id, version=1):
    return document.build(sharing.sharing_facts(register, client_id), TODAY, version)


def test_a_member_without_valid_consent_appears_nowhere(register, client):
    doc = _document(register, client)
    text = markdown.render(doc)
    for secret in ("Kees", "Geheim", "9999", "Ria", "Verlopen", "7777"):
        assert secret not in text
    assert "Fenna de Vries (buur): tel. 06 1111 2222" in text
    assert "Wie bel ik: (niet gedeeld) ((niet gedeeld)) of Fenna de Vries" in text
    assert text.count("iemand uit het netwerk") == 2
    assert doc.left_out == [
        "1 netwerklid staat er niet in: geen toestemming om in de gedeelde afspraken te staan.",
        "1 netwerklid staat er niet in: de toestemming moest opnieuw gevraagd worden (vervallen).",
        "Kees Geheim, die niet heeft ingestemd met delen, wordt genoemd in het signaleringsplan"
        " (rood, wie bel ik): daar staat (niet gedeeld).",
    ]
    services.add_agreement(
        register, client, AgreementInput(Channel.PHONE, OPENED, interval_days=14), TODAY
    )
    assert _document(register, client).left_out[-1] == (
        "1 afspraak is niet als gedeeld gemarkeerd (tab Afspraken, e) en staat er niet in."
    )


def test_markdown_in_names_is_shown_literally(register):
    made = services.create_client(register, ClientInput("*Jan* [de] _Bakker_ #1", OPENED), TODAY)
    services.add_member(
        register,
        made.id,
        MemberInput("- <b>Els</b> | `x`", MemberKind.INFORMAL, consent_to_share=True),
        TODAY,
    )
    text = markdown.render(_document(register, made.id))
    assert "# Afspraken rond \\*Jan\\* \\[de\\] \\_Bakker\\_ \\#1" in text
    assert "- \\- \\<b\\>Els\\</b\\> \\| \\`x\\`" in text
    assert markdown.escaped("regel\neen\n1. twee") == "regel een 1. twee"
    assert markdown.escaped("1. eerst") == "1\\. eerst"


def test_a_client_with_nothing_agreed_gets_a_sensible_document(register):
    made = services.create_client(register, ClientInput("Nieuw Mens", TODAY), TODAY)
    text = markdown.render(_document(register, made.id))
    assert text.count("*nog niet afgesproken*") == 7, "casemanager, out of hours, network,"
    " agreements and the three phases"
    assert text.startswith("# Afspraken rond Nieuw Mens\n")


def test_each_export_gets_the_next_version_and_a_failed_one_none(register, client):
    assert sharing.record_export(register, client, "md") == 1
    assert sharing.record_export(register, client, "md") == 2

    def full_disk(_version: int) -> None:
        raise OSError(28, "No space left on device")

    with pytest.raises(OSError):
        sharing.record_export(register, client, "md", full_disk)
    assert sharing.record_export(register, client, "md") == 3
    with pytest.raises(ValidationError):
        sharing.record_export(register, client, "docx")


def test_unchanged_agreements_in_every_format_carry_one_version(register, client, tmp_path):
    """md, pdf, the card and the calendar of the same agreements: version 1 each, also on a
    later day; a changed plan makes version 2, in whichever format comes next."""
    from wijkteam_tui.export.to_disk import export_agreements

    made: list[int] = []

    def export(fmt: str, day: date) -> int:
        made.append(len(made))
        done = export_agreements(register, client, fmt, tmp_path / f"{len(made)}.{fmt}", day)
        return done.version

    assert [export(f, TODAY) for f in ("md", "pdf", "kaart", "ics")] == [1, 1, 1, 1]
    assert export("md", date(2026, 11, 24)) == 1
    services.add_signal(register, client, SignalInput(SignalPhase.ORANGE, "Slaapt slecht"))
    assert [export(f, TODAY) for f in ("pdf", "md")] == [2, 2]


def test_the_command_warns_writes_0600_and_never_overwrites_unasked(register, client, tmp_path):
    number = sharing.sharing_facts(register, client).client_number
    register.close()
    out = tmp_path / "truus.md"
    args = ["export", "agreements", number, "-o", str(out), "--db", str(register.path)]
    env = {"WIJKTEAM_PASSPHRASE": PASSPHRASE, "WIJKTEAM_USER": "anna"}
    first = run_cli(*args, env=env)
    assert first.returncode == 0, first.stderr
    assert "leesbaar, onversleuteld document met persoonsgegevens" in first.stderr
    assert "Niet gedeeld: 1 netwerklid staat er niet in: geen toestemming" in first.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert "versie 1" in out.read_text(encoding="utf-8")
    changed = open_register(register.path, "anna", PASSPHRASE)
    try:  # the plan changes: the next export is a new version
        services.add_signal(changed, client, SignalInput(SignalPhase.ORANGE, "Slaapt slecht"))
    finally:
        changed.close()
    again = run_cli(*args, env=env)
    assert again.returncode == 2 and "bestaat al" in again.stderr
    assert "versie 1" in out.read_text(encoding="utf-8"), "the file is as it was"
    forced = run_cli(*args, "--force", env=env)
    assert forced.returncode == 0, forced.stderr
    assert "versie 2" in out.read_text(encoding="utf-8"), "the refused run used no version"
    assert not list(tmp_path.glob(".*wijkteam-tmp")), "no temporary file left behind"
    agenda = tmp_path / "truus.ics"
    ics = run_cli(*args[:4], str(agenda), *args[5:], "--format", "ics", env=env)
    assert ics.returncode == 0, ics.stderr
    assert stat.S_IMODE(agenda.stat().st_mode) == 0o600
    from icalendar import Calendar

    events = Calendar.from_ical(agenda.read_bytes()).walk("VEVENT")
    assert {int(e.get("sequence")) for e in events} == {2}, "unchanged since version 2"


def _calendar(register, client_id, version):
    from datetime import UTC, datetime

    from icalendar import Calendar

    from wijkteam_tui.export import ical

    doc = _document(register, client_id, version)
    return Calendar.from_ical(ical.render(doc, datetime(2026, 11, 22, 9, tzinfo=UTC)))


def test_the_calendar_repeats_each_shared_agreement_on_the_dates_the_engine_makes_due(register):
    from dateutil.rrule import rrulestr

    from wijkteam_tui.domain.schedules import Schedule, next_due

    made = services.create_client(register, ClientInput("Truus Smit", OPENED), TODAY)
    fenna = services.add_member(
        register,
        made.id,
        MemberInput("Fenna de Vries", MemberKind.INFORMAL, consent_to_share=True),
        TODAY,
    )
    schedules = [
        AgreementInput(Channel.VISIT, OPENED, member_id=fenna.id, interval_days=10, shared=True),
        AgreementInput(
            Channel.PHONE,
            OPENED,
            rrule="FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,TH",
            end_on=date(2027, 3, 1),
            shared=True,
        ),
        AgreementInput(Channel.APP, OPENED, rrule="FREQ=MONTHLY;BYDAY=1MO", shared=True),
    ]
    for data in schedules:
        services.add_agreement(register, made.id, data, TODAY)
    events = list(_calendar(register, made.id, 1).walk("VEVENT"))
    assert len(events) == 3
    for data, event in zip(schedules, events, strict=True):
        start = event.decoded("dtstart")
        rule = event.get("rrule").to_ical().decode()
        expanded = [d.date() for d in rrulestr(rule, dtstart=datetime_of(start))[:8]]
        schedule = Schedule(data.start_on, data.interval_days, data.rrule, data.end_on)
        engine, last = [], None
        while len(engine) < 8:
            due = next_due(schedule, last)
            if due is None:
                break
            engine.append(due)
            last = due
        assert expanded == engine[: len(expanded)], rule
        assert expanded[0] == start


def datetime_of(day: date):
    from datetime import datetime

    return datetime(day.year, day.month, day.day)


def test_a_new_export_updates_the_same_events_and_cancels_ended_ones(register, client):
    first = _calendar(register, client, 1)
    uids = [str(e.get("uid")) for e in first.walk("VEVENT")]
    assert len(uids) == 3 and len(set(uids)) == 3
    assert first.walk("VTIMEZONE")[0].get("tzid") == "Europe/Amsterdam"
    summaries = " ".join(str(e.get("summary")) for e in first.walk("VEVENT"))
    assert "Fenna de Vries" in summaries
    assert "Kees" not in summaries and "Ria" not in summaries
    assert summaries.count("iemand uit het netwerk") == 2

    agreement = next(a for a in sharing.sharing_facts(register, client).agreements)
    services.end_agreement(register, agreement.id, TODAY, TODAY)
    second = _calendar(register, client, 2)
    again = {str(e.get("uid")): e for e in second.walk("VEVENT")}
    assert set(again) == set(uids), "the same UIDs: a re-import updates"
    assert all(int(e.get("sequence")) == 2 for e in again.values())
    assert all(int(e.get("sequence")) == 1 for e in first.walk("VEVENT"))
    ended = [e for e in again.values() if str(e.get("status")) == "CANCELLED"]
    expected = f"afspraak-{agreement.id}-{_register_id(register)}@wijkteam"
    assert [str(e.get("uid")) for e in ended] == [expected]


def _register_id(register) -> str:
    from wijkteam_tui.store.models import TeamSettings

    with register.read() as session:
        return session.get(TeamSettings, 1).register_id


SCRIPTS = ["Şükrü Yılmaz", "Łukasz Nowak", "Nguyễn Văn An", "Zoë Peeters", "عبد الله"]


def _pdf_text(data: bytes, tmp_path) -> str:
    import subprocess

    path = tmp_path / "afspraken.pdf"
    path.write_bytes(data)
    result = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return result.stdout.decode("utf-8")


def test_the_pdf_holds_every_script_exactly_and_no_member_without_consent(
    register, client, tmp_path
):
    from wijkteam_tui.export import pdf

    for name in SCRIPTS:
        services.add_member(
            register,
            client,
            MemberInput(
                name,
                MemberKind.INFORMAL,
                consent_to_share=True,
                consent_on=date(2025, 11, 1),
                consent_review_on=date(2027, 11, 1),
            ),
            TODAY,
        )
    data = pdf.render(_document(register, client, 4))
    assert data.startswith(b"%PDF")
    text = _pdf_text(data, tmp_path)
    for name in [*SCRIPTS, "Fenna de Vries"]:
        assert name in text, name
    for secret in ("Kees", "Geheim", "9999", "Ria", "Verlopen", "7777"):
        assert secret not in text
    pages = text.count("pagina ")
    assert pages >= 1 and f"pagina 1 van {pages}" in text
    assert text.count("versie 4 · zo 22 nov 2026") >= pages, "version and date on every page"
    assert "ROOD: het gaat niet goed, nu handelen" in text, "the phase in words, not colour only"


def test_an_empty_client_gets_a_pdf_that_says_what_is_not_agreed_yet(register, tmp_path):
    from wijkteam_tui.export import pdf

    made = services.create_client(register, ClientInput("Nieuw Mens", TODAY), TODAY)
    text = _pdf_text(pdf.render(_document(register, made.id)), tmp_path)
    assert text.count("nog niet afgesproken") == 7


def test_the_wallet_card_is_one_a7_page_with_whom_to_call(register, client, tmp_path):
    import subprocess

    from wijkteam_tui.export import card

    data = card.render(_document(register, client, 2))
    path = tmp_path / "kaart.pdf"
    path.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(path)], capture_output=True, check=True, text=True)
    assert "Pages:           1" in info.stdout
    assert "Page size:       209.76 x 297.64 pts" in info.stdout, "A7: 74 x 105 mm"
    text = _pdf_text(data, tmp_path)
    assert "CRISISKAART" in text and "Truus Smit" in text
    assert "ROOD: (niet gedeeld) ((niet gedeeld))\nof Fenna de Vries" in text
    assert "Dag en nacht (24/7):" in text and "nog niet afgesproken" in text
    for secret in ("Kees", "Geheim", "9999", "Ria", "Verlopen", "7777"):
        assert secret not in text
