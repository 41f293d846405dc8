"""The shared agreements as a PDF (A4) to print and hand over.

Made for reading, also by people with poor eyesight and on a black-and-white printer:
- body text 12 pt, headings 16 pt;
- the phases of the plan named in words as well as shaded (GROEN, ORANJE, ROOD);
- on every page the client's name, the version and the date, and "pagina 2 van 3".

Text is set in DejaVu Sans, shipped in `fonts/` (its licence, included there, allows that). It
covers Latin with every accent (Şükrü, Łukasz, Nguyễn, Zoë) and Arabic; right-to-left text is
shaped with HarfBuzz (uharfbuzz), as fpdf2 supports, text by text where it is needed."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

from fpdf import FPDF
from fpdf.enums import XPos, YPos

from wijkteam_tui.domain.dates import format_date, next_time_text
from wijkteam_tui.domain.terms import SignalPhase
from wijkteam_tui.export.document import NOT_YET, PlanLine, SharedDocument

FONTS = Path(__file__).with_name("fonts")
FONT = "DejaVu"
BODY_PT = 12
HEADING_PT = 16
BANNER_MM = 10
LINE_MM = 6.2
LABEL_WIDTH = 66
ROW_GAP_MM = 2
#: Shades of grey per phase: readable in black and white, never the only sign of the phase.
PHASE_SHADE = {SignalPhase.GREEN: 235, SignalPhase.ORANGE: 205, SignalPhase.RED: 170}
PHASE_TITLES = {
    SignalPhase.GREEN: "GROEN: het gaat goed",
    SignalPhase.ORANGE: "ORANJE: het gaat minder",
    SignalPhase.RED: "ROOD: het gaat niet goed, nu handelen",
}


class ShapingPDF(FPDF):
    """A PDF in DejaVu Sans that shapes text with HarfBuzz only where a script needs it
    (Arabic, Hebrew): shaping every Latin line as well took most of the time of a document."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.add_font(FONT, "", str(FONTS / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(FONTS / "DejaVuSans-Bold.ttf"))
        self._shaping = False

    def visible(self, text: object) -> str:
        """`text` with each character the current font lacks (most emoji) replaced by
        `MISSING`, one for each emoji however it is built, where fpdf2 would drop it without
        a trace."""
        text = str(text)
        if not text or max(text) < "\u2000":
            return text
        cmap = getattr(self.current_font, "cmap", {})
        out: list[str] = []
        joined = False
        for ch in text:
            if _EMOJI_PART.fullmatch(ch):
                after_missing = bool(out) and out[-1] == MISSING
                joined = ch == "\u200d" and after_missing
                if not after_missing and ord(ch) in cmap:
                    out.append(ch)
                continue
            if ord(ch) in cmap or ch in "\n\r\t":
                out.append(ch)
            elif not (joined and out and out[-1] == MISSING):
                out.append(MISSING)
            joined = False
        return "".join(out)

    def _shape_for(self, text: object) -> None:
        wanted = bool(_COMPLEX.search(str(text)))
        if wanted != self._shaping:
            self.set_text_shaping(wanted)
            self._shaping = wanted

    def cell(self, w: Any = None, h: Any = None, text: Any = "", *args: Any, **kwargs: Any) -> Any:
        self._shape_for(text)
        return super().cell(w, h, self.visible(text), *args, **kwargs)

    def multi_cell(self, w: Any, h: Any = None, text: Any = "", *args: Any, **kwargs: Any) -> Any:
        self._shape_for(text)
        return super().multi_cell(w, h, self.visible(text), *args, **kwargs)


class _Pages(ShapingPDF):
    def __init__(self, doc: SharedDocument) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.doc = doc
        self.set_margins(20, 20, 20)
        self.set_auto_page_break(auto=True, margin=22)
        self.alias_nb_pages()
        self.set_title(f"Afspraken rond {doc.client_name}")
        self.set_creator("wijkteam")

    def header(self) -> None:
        self.set_font(FONT, "", 9)
        self.set_text_color(60)
        width = self.epw / 2
        self.cell(width, 5, f"Afspraken rond {self.doc.client_name}")
        self.cell(
            width,
            5,
            f"versie {self.doc.version} · {self.doc.made_on_text}",
            align="R",
            new_x=XPos.LMARGIN,
            new_y=YPos.NEXT,
        )
        self.set_draw_color(150)
        self.line(self.l_margin, self.get_y() + 1, self.w - self.r_margin, self.get_y() + 1)
        self.ln(5)
        self.set_text_color(0)

    def footer(self) -> None:
        self.set_y(-15)
        self.set_font(FONT, "", 9)
        self.set_text_color(60)
        self.cell(
            0,
            5,
            f"pagina {self.page_no()} van {{nb}} · versie {self.doc.version}"
            f" · {self.doc.made_on_text}",
            align="C",
        )
        self.set_text_color(0)


_COMPLEX = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
#: What stands in the PDF for a character its font cannot draw.
MISSING = "[?]"
#: The joiner, variation selectors and skin tones: parts of an emoji, nothing alone.
_EMOJI_PART = re.compile("[\u200d\ufe0e\ufe0f\U0001f3fb-\U0001f3ff]")


def _heading(pdf: _Pages, text: str, following: float) -> None:
    """A heading, on the next page unless `following` mm of what comes under it fit too:
    a heading is never left alone at the bottom of a page."""
    pdf.set_font(FONT, "B", HEADING_PT)
    height = 3 + len(pdf.multi_cell(0, 8, text, dry_run=True, output="LINES")) * 8 + 1
    if pdf.get_y() + height + following > pdf.page_break_trigger:
        pdf.add_page()
    pdf.ln(3)
    pdf.set_font(FONT, "B", HEADING_PT)
    pdf.multi_cell(0, 8, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)


def _para(pdf: _Pages, text: str, *, bold: bool = False, indent: float = 0) -> None:
    pdf.set_font(FONT, "B" if bold else "", BODY_PT)
    pdf.set_x(pdf.l_margin + indent)
    pdf.multi_cell(pdf.epw - indent, LINE_MM, text, align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT)


def _line_count(pdf: _Pages, width: float, text: str) -> int:
    """How many lines `text` takes in a column `width` wide, in the current font."""
    if "\n" not in text and pdf.get_string_width(text) < width - 2 * pdf.c_margin:
        return 1
    lines = pdf.multi_cell(width, LINE_MM, text, dry_run=True, output="LINES")
    assert isinstance(lines, list)
    return len(lines)


PLAN_LABELS = (
    ("Signalen", "signs"),
    ("Wat ik zelf doe", "own_actions"),
    ("Wat mijn netwerk doet", "network_actions"),
    ("Wat de professional doet", "professional_actions"),
    ("Wie bel ik", "whom_to_call"),
)


def _labelled_height(pdf: _Pages, label: str, text: str, indent: float) -> float:
    pdf.set_font(FONT, "B", BODY_PT)
    label_lines = _line_count(pdf, LABEL_WIDTH, label)
    pdf.set_font(FONT, "", BODY_PT)
    text_lines = _line_count(pdf, pdf.epw - indent - LABEL_WIDTH, text or NOT_YET)
    return max(label_lines, text_lines) * LINE_MM


def _labelled(pdf: _Pages, label: str, text: str, indent: float = 4) -> None:
    """A label and its text side by side, as high as the taller of the two; on one page."""
    height = _labelled_height(pdf, label, text, indent)
    if pdf.get_y() + height > pdf.page_break_trigger:
        pdf.add_page()
    top = pdf.get_y()
    pdf.set_x(pdf.l_margin + indent)
    pdf.set_font(FONT, "B", BODY_PT)
    pdf.multi_cell(LABEL_WIDTH, LINE_MM, label, align="L", new_x=XPos.RIGHT, new_y=YPos.TOP)
    pdf.set_font(FONT, "", BODY_PT)
    pdf.multi_cell(pdf.epw - indent - LABEL_WIDTH, LINE_MM, text or NOT_YET, align="L")
    pdf.set_xy(pdf.l_margin, top + height)


def _plan_row_height(pdf: _Pages, row: PlanLine) -> float:
    return (
        sum(_labelled_height(pdf, label, getattr(row, field), 4) for label, field in PLAN_LABELS)
        + ROW_GAP_MM
    )


def _phase_banner(pdf: _Pages, phase: SignalPhase, *, continued: bool = False) -> None:
    pdf.set_fill_color(PHASE_SHADE[phase])
    pdf.set_font(FONT, "B", 14)
    title = f"  {PHASE_TITLES[phase]}" + (" (vervolg)" if continued else "")
    pdf.cell(0, BANNER_MM - 1, title, fill=True, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.ln(1)


def _plan(pdf: _Pages, doc: SharedDocument) -> None:
    """Each phase under its shaded banner; a row of the plan never split over two pages, and
    a phase that goes on on the next page says so there."""
    for phase in SignalPhase:
        rows = doc.plan.get(phase, [])
        first = _plan_row_height(pdf, rows[0]) if rows else LINE_MM
        if pdf.get_y() + BANNER_MM + first > pdf.page_break_trigger:
            pdf.add_page()
        _phase_banner(pdf, phase)
        if not rows:
            _para(pdf, NOT_YET, indent=4)
        for row in rows:
            if pdf.get_y() + _plan_row_height(pdf, row) > pdf.page_break_trigger:
                pdf.add_page()
                _phase_banner(pdf, phase, continued=True)
            for label, field in PLAN_LABELS:
                _labelled(pdf, label, getattr(row, field))
            pdf.ln(ROW_GAP_MM)
        pdf.ln(2)


def render(doc: SharedDocument) -> bytes:
    pdf = _Pages(doc)
    pdf.add_page()
    pdf.set_font(FONT, "B", 22)
    pdf.multi_cell(
        0, 11, f"Afspraken rond {doc.client_name}", align="L", new_x=XPos.LMARGIN, new_y=YPos.NEXT
    )
    _para(pdf, f"{doc.team_name} · gemaakt op {doc.made_on_text} · versie {doc.version}")

    casemanager = (
        f"{doc.casemanager}, {doc.casemanager_phone}"
        if doc.casemanager and doc.casemanager_phone
        else doc.casemanager or NOT_YET
    )
    _heading(pdf, "Wie bel ik?", _labelled_height(pdf, "Casemanager", casemanager, 0))
    pdf.set_fill_color(235)
    _labelled(pdf, "Casemanager", casemanager, indent=0)
    night = ", ".join(part for part in (doc.out_of_hours_name, doc.out_of_hours_phone) if part)
    if night and doc.out_of_hours_hours:
        night += f" ({doc.out_of_hours_hours})"
    _labelled(pdf, "Dag en nacht", night or NOT_YET, indent=0)

    _heading(pdf, "Mijn netwerk", 2 * LINE_MM)
    if not doc.members:
        _para(pdf, NOT_YET)
    for m in doc.members:
        name = f"{m.name} ({m.relation})" if m.relation else m.name
        _para(pdf, name, bold=True)
        details = [
            f"tel. {m.phone}" if m.phone else "",
            f"steun: {m.supports}" if m.supports else "",
            "ook buiten kantoortijd te bellen" if m.out_of_hours else "",
        ]
        text = ", ".join(d for d in details if d)
        if text:
            _para(pdf, text, indent=4)

    _heading(pdf, "Wie houdt contact, en wanneer", 2 * LINE_MM)
    if not doc.agreements:
        _para(pdf, NOT_YET)
    for a in doc.agreements:
        nxt = f"; volgende keer {next_time_text(a.next_due, doc.made_on)}" if a.next_due else ""
        until = f", tot {_day(a.end_on)}" if a.end_on else ""
        _para(pdf, a.who, bold=True)
        _para(pdf, f"{a.channel}, {a.how_often} (sinds {_day(a.start_on)}{until}){nxt}", indent=4)

    green = doc.plan.get(SignalPhase.GREEN, [])
    _heading(
        pdf, "Signaleringsplan", BANNER_MM + (_plan_row_height(pdf, green[0]) if green else LINE_MM)
    )
    _plan(pdf, doc)
    return bytes(pdf.output())


def _day(value: object) -> str:
    return format_date(value) if isinstance(value, date) else ""
