"""The wallet card never overprints or drops the number for day and night: long names and
texts are measured and shortened at a word with "…", the person exporting is told, and a card
that cannot hold the essentials is refused with a message, and nothing is written."""

from __future__ import annotations

import subprocess
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date

import pytest

from wijkteam_tui.domain.terms import SignalPhase
from wijkteam_tui.errors import ValidationError
from wijkteam_tui.export import card, document
from wijkteam_tui.export.to_disk import export_agreements
from wijkteam_tui.store import services, sharing
from wijkteam_tui.store.models import TeamSettings
from wijkteam_tui.store.records import ClientInput, SignalInput

TODAY = date(2026, 11, 22)
NAME_45 = "Wilhelmina Johanna Maria van den Broek-Jansen"
NAME_150 = (
    "Anna Catharina Wilhelmina Johanna Maria Theodora Elisabeth Geertruida van"
    " Heemskerck van Beest tot Oud-Bussum en Gooiland-Zuid, genaamd Annie de Wit"
)
NIGHT = "0900-1234567"
SERVICE = "Crisisdienst GGZ Middelwijk en omstreken, via de huisartsenpost Zuid-Oost"
RED_CALL = (
    "Eerst mijn zus Fenna op 06 1111 2222, dan de buurvrouw van nummer 12, en als niemand"
    " opneemt de huisarts of het wijkteam op het kantoornummer; buiten kantoortijd de"
    " crisisdienst, en bij direct gevaar 112. Mijn zus heeft een sleutel van de voordeur."
)
ORANGE_CALL = "Mijn vriendin Ayşe, zij weet wat ik dan nodig heb en komt langs als het kan"
PT_PER_MM = 72 / 25.4


def _client(register, name: str) -> int:
    with register.write() as session:
        settings = session.get(TeamSettings, 1)
        settings.out_of_hours_phone, settings.out_of_hours_name = NIGHT, SERVICE
        settings.office_phone = "020 765 4321"
    client = services.create_client(register, ClientInput(name, TODAY), TODAY).id
    for phase, whom in ((SignalPhase.RED, RED_CALL), (SignalPhase.ORANGE, ORANGE_CALL)):
        services.add_signal(register, client, SignalInput(phase, "Eet niet", whom_to_call=whom))
    return client


def _doc(register, client: int) -> document.SharedDocument:
    return document.build(sharing.sharing_facts(register, client), TODAY, 3)


def _words(data: bytes, tmp_path) -> list[tuple[str, float, float]]:
    """(word, top, bottom) in mm of every word on the card, as poppler reads it."""
    path = tmp_path / "kaart.pdf"
    path.write_bytes(data)
    out = subprocess.run(
        ["pdftotext", "-bbox", str(path), "-"], capture_output=True, check=True, text=True
    ).stdout
    root = ET.fromstring(out.replace('xmlns="http://www.w3.org/1999/xhtml"', ""))
    pages = root.findall(".//page")
    assert len(pages) == 1
    return [
        (w.text or "", float(w.get("yMin", 0)) / PT_PER_MM, float(w.get("yMax", 0)) / PT_PER_MM)
        for w in root.iter("word")
    ]


def _text(words) -> str:
    return " ".join(word for word, _, _ in words)


@pytest.mark.parametrize("name", [NAME_45, NAME_150])
def test_long_names_and_texts_never_reach_the_footer_and_keep_every_number(
    register, tmp_path, name
):
    doc = _doc(register, _client(register, name))
    words = _words(card.render(doc), tmp_path)
    footer_at = next(top for word, top, _ in words if word == "versie")
    body = [w for w in words if w[1] < footer_at - 0.5]
    assert max(bottom for _, _, bottom in body) <= card.FOOTER_TOP_MM
    assert all(bottom <= card.HEIGHT_MM - 2 for _, _, bottom in words), "inside the border"
    text = _text(words)
    assert NIGHT in text and "020 765 4321" in text, "numbers are never shortened"
    assert "Crisisdienst GGZ Middelwijk en omstreken, via de huisartsenpost" in text
    assert "ROOD:" in text and "ORANJE:" in text


def test_what_was_shortened_is_said_and_a_name_that_fits_is_whole(register, tmp_path):
    whole = card.lay_out(_doc(register, _client(register, NAME_45)))
    assert not any("de naam ingekort" in note for note in whole.shortened)
    assert any(line.text == NAME_45 for line in whole.lines if not isinstance(line, float))
    long = _doc(register, _client(register, NAME_150))
    notes = card.lay_out(long).shortened
    (name_note,) = [note for note in notes if "is de naam ingekort" in note]
    shown = name_note.split("ingekort: ", 1)[1]
    assert shown.endswith("…") and NAME_150.startswith(shown[:-1]), "cut at a word"
    assert NAME_150[len(shown) - 1] == " "
    assert any("'wie bel ik' bij ROOD ingekort" in note for note in notes)
    done = export_agreements(register, 2, "kaart", tmp_path / "kaart.pdf", TODAY)
    assert done.shortened == notes


def test_a_card_that_cannot_hold_the_number_for_day_and_night_is_refused(register, tmp_path):
    client = _client(register, NAME_45)
    with register.write() as session:
        session.get(TeamSettings, 1).out_of_hours_phone = " ".join([NIGHT] * 4)
    target = tmp_path / "kaart.pdf"
    with pytest.raises(ValidationError) as refused:
        export_agreements(register, client, "kaart", target, TODAY)
    assert str(refused.value).startswith(
        "De crisiskaart past niet: het nummer voor dag en nacht past niet op de kaart."
    )
    assert not target.exists()
    assert sharing.sharing_facts(register, client).last_version == 0, "nothing recorded"
    doc = replace(_doc(register, client), out_of_hours_phone=NIGHT)
    assert card.render(doc).startswith(b"%PDF")
