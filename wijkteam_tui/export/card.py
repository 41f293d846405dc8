"""The wallet card (`--format kaart`): one A7 page (74 × 105 mm) to fold into a wallet, the
*crisiskaart* habit of Dutch mental-health care applied to the network: the person's name,
whom to call first when it goes badly (rood, then oranje, from their own plan), the number
for day and night, and the casemanager. Large, plain type; nothing in colour only.

Every text is measured in its own type before it is set: a text longer than its lines is
shortened at a word, with "…", and said in `Card.shortened` (told to the person exporting);
the numbers are never shortened. When even then the card cannot hold the essentials (the
name, the number for day and night, the casemanager's number), no card is made: a
`ValidationError` says why."""

from __future__ import annotations

from dataclasses import dataclass, field

from fpdf.enums import XPos, YPos

from wijkteam_tui.domain.terms import SignalPhase
from wijkteam_tui.errors import ValidationError
from wijkteam_tui.export.document import NOT_YET, SharedDocument
from wijkteam_tui.export.pdf import FONT, ShapingPDF

WIDTH_MM, HEIGHT_MM = 74, 105
MARGIN_MM = 5
#: Where the footer (two lines at most) starts: nothing above it may reach lower.
FOOTER_TOP_MM = HEIGHT_MM - 10
GAP_MM = 1.5
#: The number for day and night: this size, smaller only as far as needed to stay one line.
NIGHT_PT, NIGHT_SMALLEST_PT = 14, 10
ELLIPSIS = "…"
TOO_FULL = (
    "De crisiskaart past niet: {what} past niet op de kaart. Maak de tekst korter, of deel"
    " het afsprakenoverzicht (pdf)."
)


@dataclass(frozen=True)
class _Line:
    text: str
    size: float
    bold: bool = False
    height: float = 0

    @property
    def line_height(self) -> float:
        return self.height or self.size * 0.45


@dataclass
class Card:
    """The card as it will be set, and what had to be shortened or left off to fit."""

    lines: list[_Line | float] = field(default_factory=list)
    shortened: list[str] = field(default_factory=list)


def _new_pdf() -> ShapingPDF:
    pdf = ShapingPDF(orientation="portrait", unit="mm", format=(WIDTH_MM, HEIGHT_MM))
    pdf.set_margins(MARGIN_MM, MARGIN_MM, MARGIN_MM)
    pdf.set_auto_page_break(auto=False)
    pdf.add_page()
    return pdf


def _lines_of(pdf: ShapingPDF, text: str, size: float, bold: bool) -> int:
    pdf.set_font(FONT, "B" if bold else "", size)
    lines = pdf.multi_cell(0, size * 0.45, text, dry_run=True, output="LINES")
    assert isinstance(lines, list)
    return len(lines)


def _fit(
    pdf: ShapingPDF, text: str, size: float, *, bold: bool = False, most: int, keep: str = ""
) -> tuple[str, bool]:
    """`text` (then `keep`, never shortened) in at most `most` lines: as it is when it fits,
    else cut after the last whole word that leaves room for "…" (inside a word only when the
    first word alone is too long). Returns the text and whether it was shortened."""
    text = " ".join(text.split())
    if _lines_of(pdf, text + keep, size, bold) <= most:
        return text + keep, False
    words = text.split(" ")
    low, high = 0, len(words) - 1
    while low < high:
        middle = (low + high + 1) // 2
        if _lines_of(pdf, " ".join(words[:middle]) + ELLIPSIS + keep, size, bold) <= most:
            low = middle
        else:
            high = middle - 1
    if low:
        return " ".join(words[:low]) + ELLIPSIS + keep, True
    first = words[0]
    while first and _lines_of(pdf, first + ELLIPSIS + keep, size, bold) > most:
        first = first[:-1]
    return first + ELLIPSIS + keep, True


def _first_calls(doc: SharedDocument) -> list[tuple[str, str]]:
    """(phase word, whom to call) from the plan: rood first, then oranje; two at most."""
    calls: list[tuple[str, str]] = []
    for phase, word in ((SignalPhase.RED, "ROOD"), (SignalPhase.ORANGE, "ORANJE")):
        for row in doc.plan.get(phase, []):
            whom = " ".join(row.whom_to_call.split())
            if whom and all(whom != known for _, known in calls):
                calls.append((word, whom))
    return calls[:2]


def _night_line(pdf: ShapingPDF, number: str) -> _Line:
    """The number for day and night on one line, in the largest size that holds it."""
    size = float(NIGHT_PT)
    while _lines_of(pdf, number, size, True) > 1:
        size -= 0.5
        if size < NIGHT_SMALLEST_PT:
            raise ValidationError(TOO_FULL.format(what="het nummer voor dag en nacht"), "format")
    return _Line(number, size, bold=True, height=6.5)


def _layout(pdf: ShapingPDF, doc: SharedDocument, call_lines: int, calls_kept: int) -> Card:
    card = Card()

    def add(
        text: str, size: float, *, bold: bool = False, most: int, what: str = "", before: str = ""
    ) -> None:
        fitted, cut = _fit(pdf, before + text, size, bold=bold, most=most)
        if cut:
            shown = fitted.removeprefix(before)
            card.shortened.append(f"Op de crisiskaart is {what} ingekort: {shown}")
        card.lines.append(_Line(fitted, size, bold))

    add("CRISISKAART", 9, bold=True, most=1)
    name_pt = 13 if _lines_of(pdf, doc.client_name, 13, True) <= 2 else 11
    add(doc.client_name, name_pt, bold=True, most=2, what="de naam")
    card.lines.append(GAP_MM)
    add("Gaat het niet goed? Bel eerst:", 9, bold=True, most=1)
    calls = _first_calls(doc)
    if not calls:
        add(NOT_YET, 9, most=1)
    for word, whom in calls[:calls_kept]:
        add(whom, 9, most=call_lines, what=f"'wie bel ik' bij {word}", before=f"{word}: ")
    for word, _ in calls[calls_kept:]:
        card.shortened.append(
            f"Op de crisiskaart is 'wie bel ik' bij {word} weggelaten (geen ruimte);"
            " het staat in het afsprakenoverzicht."
        )
    card.lines.append(GAP_MM)
    add("Dag en nacht (24/7):", 9, bold=True, most=1)
    card.lines.append(_night_line(pdf, doc.out_of_hours_phone or NOT_YET))
    if doc.out_of_hours_name:
        add(doc.out_of_hours_name, 8, most=2, what="de naam van de dienst voor dag en nacht")
    card.lines.append(GAP_MM)
    add("Casemanager:", 9, bold=True, most=1)
    phone = f", {doc.casemanager_phone}" if doc.casemanager_phone else ""
    if _lines_of(pdf, phone.lstrip(", "), 9, False) > 1:
        raise ValidationError(TOO_FULL.format(what="het nummer van de casemanager"), "format")
    casemanager, cut = _fit(pdf, doc.casemanager or NOT_YET, 9, most=2, keep=phone)
    if cut:
        card.shortened.append(
            f"Op de crisiskaart is de naam van de casemanager ingekort: {casemanager}"
        )
    card.lines.append(_Line(casemanager, 9))
    return card


def _height(pdf: ShapingPDF, card: Card) -> float:
    total = float(MARGIN_MM)
    for line in card.lines:
        if isinstance(line, float):
            total += line
        else:
            total += _lines_of(pdf, line.text, line.size, line.bold) * line.line_height
    return total


def _footer(doc: SharedDocument) -> str:
    return f" · versie {doc.version} · {doc.made_on_text}"


def lay_out(doc: SharedDocument) -> Card:
    """The card for `doc`: all of it when it fits; else 'whom to call' in fewer lines, then
    the oranje line left off. Refused (ValidationError) when the essentials do not fit."""
    pdf = _new_pdf()
    tries = [(lines, 2) for lines in range(8, 1, -1)] + [(2, 1), (1, 1)]
    for call_lines, calls_kept in tries:
        card = _layout(pdf, doc, call_lines, calls_kept)
        if _height(pdf, card) <= FOOTER_TOP_MM - GAP_MM:
            return card
    raise ValidationError(TOO_FULL.format(what="wat erop moet"), "format")


def render(doc: SharedDocument) -> bytes:
    card = lay_out(doc)
    pdf = _new_pdf()
    pdf.set_title(f"Crisiskaart {' '.join(doc.client_name.split())}")
    pdf.set_line_width(0.6)
    pdf.rect(2, 2, WIDTH_MM - 4, HEIGHT_MM - 4)
    for line in card.lines:
        if isinstance(line, float):
            pdf.ln(line)
            continue
        pdf.set_font(FONT, "B" if line.bold else "", line.size)
        pdf.multi_cell(
            0, line.line_height, line.text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
        )
    pdf.set_y(FOOTER_TOP_MM)
    team, _ = _fit(pdf, doc.team_name, 6.5, most=2, keep=_footer(doc))
    pdf.set_font(FONT, "", 6.5)
    pdf.multi_cell(0, 6.5 * 0.45, team, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    return bytes(pdf.output())
