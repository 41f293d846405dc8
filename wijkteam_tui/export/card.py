"""The wallet card (`--format kaart`): one A7 page (74 × 105 mm) to fold into a wallet, the
*crisiskaart* habit of Dutch mental-health care applied to the network: the person's name,
whom to call first when it goes badly (rood, then oranje, from their own plan), the number
for day and night, and the casemanager. Large, plain type; nothing in colour only."""

from __future__ import annotations

from fpdf.enums import XPos, YPos

from wijkteam_tui.domain.terms import SignalPhase
from wijkteam_tui.export.document import NOT_YET, SharedDocument
from wijkteam_tui.export.pdf import FONT, ShapingPDF

WIDTH_MM, HEIGHT_MM = 74, 105
#: How much of a plan's "whom to call" fits the card; the rest is in the full document.
MOST_CHARS = 140


def _short(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= MOST_CHARS else text[: MOST_CHARS - 1] + "…"


def _first_calls(doc: SharedDocument) -> list[tuple[str, str]]:
    """(phase word, whom to call) from the plan: rood first, then oranje; two at most."""
    calls: list[tuple[str, str]] = []
    for phase, word in ((SignalPhase.RED, "ROOD"), (SignalPhase.ORANGE, "ORANJE")):
        for row in doc.plan.get(phase, []):
            whom = _short(row.whom_to_call)
            if whom and all(whom != known for _, known in calls):
                calls.append((word, whom))
    return calls[:2]


def render(doc: SharedDocument) -> bytes:
    pdf = ShapingPDF(orientation="portrait", unit="mm", format=(WIDTH_MM, HEIGHT_MM))
    pdf.set_margins(5, 5, 5)
    pdf.set_auto_page_break(auto=False)
    pdf.set_title(f"Crisiskaart {doc.client_name}")
    pdf.add_page()
    pdf.set_line_width(0.6)
    pdf.rect(2, 2, WIDTH_MM - 4, HEIGHT_MM - 4)

    def line(text: str, size: float, *, bold: bool = False, height: float = 0) -> None:
        pdf.set_font(FONT, "B" if bold else "", size)
        pdf.multi_cell(
            0, height or size * 0.45, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )

    line("CRISISKAART", 9, bold=True)
    line(doc.client_name, 13, bold=True)
    pdf.ln(1.5)
    line("Gaat het niet goed? Bel eerst:", 9, bold=True)
    calls = _first_calls(doc)
    if not calls:
        line(NOT_YET, 9)
    for word, whom in calls:
        line(f"{word}: {whom}", 9)
    pdf.ln(1.5)
    night = doc.out_of_hours_phone or NOT_YET
    line("Dag en nacht (24/7):", 9, bold=True)
    line(night, 14, bold=True, height=6.5)
    if doc.out_of_hours_name:
        line(doc.out_of_hours_name, 8)
    pdf.ln(1.5)
    line("Casemanager:", 9, bold=True)
    casemanager = doc.casemanager or NOT_YET
    if doc.casemanager_phone:
        casemanager += f", {doc.casemanager_phone}"
    line(casemanager, 9)
    pdf.set_y(HEIGHT_MM - 10)
    line(f"{doc.team_name} · versie {doc.version} · {doc.made_on_text}", 6.5)
    return bytes(pdf.output())
