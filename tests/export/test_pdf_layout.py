"""What the printed documents keep: an emoji the font cannot draw is replaced visibly, never
dropped without a trace, and a heading is never left alone at the bottom of a page."""

from __future__ import annotations

import shutil
import subprocess
from dataclasses import replace
from datetime import date

import pytest

from wijkteam_tui.domain.terms import MemberKind, SignalPhase
from wijkteam_tui.export import card, document, pdf
from wijkteam_tui.store import services, sharing
from wijkteam_tui.store.records import ClientInput, MemberInput, SignalInput

pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None,
    reason="pdftotext ontbreekt; installeer het met: sudo apt-get install poppler-utils",
)

TODAY = date(2026, 11, 22)
HEADINGS = ("Wie bel ik?", "Mijn netwerk", "Wie houdt contact, en wanneer", "Signaleringsplan")


def _pages(data: bytes, tmp_path) -> list[str]:
    path = tmp_path / "doc.pdf"
    path.write_bytes(data)
    command = ["pdftotext", "-enc", "UTF-8", str(path), "-"]
    out = subprocess.run(command, capture_output=True, check=True).stdout.decode("utf-8")
    return [page for page in out.split("\f") if page.strip()]


def test_emoji_the_font_lacks_are_replaced_visibly_in_the_pdf_and_the_card(register, tmp_path):
    client = services.create_client(register, ClientInput("Truus 👍🏽 Smit", TODAY), TODAY).id
    services.add_member(
        register,
        client,
        MemberInput("Oma 🌷 Jansen", MemberKind.INFORMAL, consent_to_share=True),
        TODAY,
    )
    services.add_signal(
        register,
        client,
        SignalInput(SignalPhase.RED, "Slaapt slecht 😀", whom_to_call="het gezin 👨‍👩‍👧 thuis"),
    )
    doc = document.build(sharing.sharing_facts(register, client), TODAY, 1)
    text = " ".join("".join(_pages(pdf.render(doc), tmp_path)).split())
    assert "Truus [?] Smit" in text, "one mark for a thumb with a skin tone"
    assert "Oma [?] Jansen" in text
    assert "het gezin [?] thuis" in text, "one mark for a family joined from three"
    assert "Slaapt slecht 😀" in text, "an emoji the font has is kept"
    on_card = " ".join("".join(_pages(card.render(doc), tmp_path)).split())
    assert "Truus [?] Smit" in on_card and "het gezin [?] thuis" in on_card


def test_no_page_ends_with_a_heading_however_long_the_network(register, tmp_path):
    client = services.create_client(register, ClientInput("Truus Smit", TODAY), TODAY).id
    for phase in SignalPhase:
        services.add_signal(
            register,
            client,
            SignalInput(phase, "Trekt zich terug", "Ik bel mijn zus", "Zij komt langs", "Belt"),
        )
    base = document.build(sharing.sharing_facts(register, client), TODAY, 1)
    member = document.SharedMember(
        "Fenna de Vries", "buur", MemberKind.INFORMAL, "06 1111 2222", "praktisch", False
    )
    alone = []
    for count in range(26):
        doc = replace(base, members=[member] * count)
        for number, page in enumerate(_pages(pdf.render(doc), tmp_path), 1):
            body = [line.strip() for line in page.splitlines() if line.strip()]
            last = next(line for line in reversed(body) if not line.startswith("pagina "))
            if last in HEADINGS:
                alone.append(f"{count} netwerkleden, pagina {number}: {last}")
    assert alone == []
