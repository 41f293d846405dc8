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
    ]


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
    again = run_cli(*args, env=env)
    assert again.returncode == 2 and "bestaat al" in again.stderr
    assert "versie 1" in out.read_text(encoding="utf-8"), "the file is as it was"
    forced = run_cli(*args, "--force", env=env)
    assert forced.returncode == 0, forced.stderr
    assert "versie 2" in out.read_text(encoding="utf-8"), "the refused run used no version"
    assert not list(tmp_path.glob(".*wijkteam-tmp")), "no temporary file left behind"
