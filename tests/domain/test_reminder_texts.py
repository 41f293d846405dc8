"""The team's wording of a reminder: only the known placeholders, each bare (no format spec or
conversion, which would fail or pad when filled in), and no sensitive word in a subject."""

from __future__ import annotations

from datetime import date

import pytest

from wijkteam_tui.domain.reminders import (
    NEUTRAL_SUBJECT,
    Filling,
    Text,
    TextError,
    check_text,
    fill,
)

FILLING = Filling("Fenna de Vries", "Truus Bakker", "elke zondag", date(2026, 12, 6), "Bram",
                  "0612345678", "Wijkteam Zuid")  # fmt: skip


@pytest.mark.parametrize(
    ("subject", "message"),
    [
        ("{lid.__class__}", "Onbekend invulveld"),
        ("{lid[0]}", "Onbekend invulveld"),
        ("{datum:d}", "zonder : of !"),
        ("{lid!r}", "zonder : of !"),
        ("{lid:{lid.__class__}}", "zonder : of !"),
        ("{lid:x>1000000}", "zonder : of !"),
        ("{plan}", "Onbekend invulveld {plan}"),
        ("Open { haakje", "schrijf {{"),
        ("", "een onderwerp en een tekst"),
        ("GGZ voor {client}", "gevoelige woorden"),
    ],
)
def test_what_a_text_may_not_hold_is_refused(subject, message):
    with pytest.raises(TextError, match=message):
        check_text(Text(subject, "Beste {lid}"), ["ggz"])


def test_a_good_text_fills_in_and_a_sensitive_client_name_gets_the_neutral_subject():
    text = check_text(Text("Bellen met {client}: {datum}", "Beste {lid}, {{x}}"), [])
    assert fill(text, FILLING, []) == Text(
        "Bellen met Truus: zondag 6 december", "Beste Fenna, {x}\n"
    )
    assert fill(text, FILLING, ["truus"]).subject == NEUTRAL_SUBJECT
