"""Ontwikkeling: a client's outcomes over time. A table per kind, a domain per row: its bars
over every assessment (the kind's fixed scale, so a drop reads without colour), the newest
assessments side by side, and the newest against the previous and the first. `n` records a new
one of the table's kind, `e` corrects the assessment of the column the cursor is in, Enter
shows that assessment whole."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import DataTable, Static

from wijkteam_tui.domain.dates import format_date, format_short
from wijkteam_tui.domain.outcomes import DOMAINS, bars, step_text
from wijkteam_tui.domain.terms import AssessmentKind
from wijkteam_tui.store.read.outcomes import AssessmentRow
from wijkteam_tui.store.records import ContactResult
from wijkteam_tui.views.client_file.pane import FilePane
from wijkteam_tui.views.detail import DetailScreen
from wijkteam_tui.views.forms.assessment import AssessmentForm
from wijkteam_tui.views.text import fit

#: The widths of the fixed columns: domain, bars, against the previous and the first.
DOMAIN, BARS, STEP = 24, 12, 6
#: A column per assessment ("10-06-26").
DAY = 8
#: What the table of each kind is called, and its id.
TABLES = {AssessmentKind.ZRM: "zrm", AssessmentKind.PG: "pg"}


def score_text(score: int | str | None) -> str:
    return "n.v.t." if score is None else str(score)


def step_style(text: str) -> str:
    return "bold red" if text.startswith("▼") else "green" if text.startswith("▲") else ""


class OutcomesPane(FilePane):
    def __init__(self, title: str, *, id: str) -> None:
        super().__init__(title, id=id)
        self.rows: list[AssessmentRow] = []
        # Per table the assessments of its date columns, left to right.
        self._shown: dict[AssessmentKind, list[AssessmentRow]] = {}

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="outcomes-box"):
            for table_id in TABLES.values():
                yield Static("", id=f"{table_id}-title", classes="outcomes-title")
                yield DataTable(id=table_id, cursor_type="cell", zebra_stripes=True)

    def show(self, rows: list[AssessmentRow]) -> None:
        self.rows = rows
        # Room for as many date columns as fit beside the fixed ones (2 at 80 columns).
        room = self.app.size.width - (DOMAIN + BARS + 2 * STEP + 4 * 2) - 4
        fits = max(1, room // (DAY + 2))
        for kind, table_id in TABLES.items():
            self._fill(kind, self.query_one(f"#{table_id}", DataTable), fits)

    def _fill(self, kind: AssessmentKind, table: DataTable[object], fits: int) -> None:
        done = [r for r in self.rows if r.kind is kind]
        shown = done[-fits:]
        self._shown[kind] = shown
        title = self.query_one(f"#{TABLES[kind]}-title", Static)
        what = "ZRM (1 acuut … 5 volledig zelfredzaam)"
        if kind is AssessmentKind.PG:
            what = "Positieve Gezondheid (0–10, eigen cijfer)"
        counted = (
            f"{len(done)} {'meting' if len(done) == 1 else 'metingen'},"
            f" laatste {format_short(done[-1].assessed_on)}"
            if done
            else "nog geen; n: de eerste vastleggen"
        )
        title.update(Text.assemble((what, "bold"), f" · {counted}"))
        table.clear(columns=True)
        table.add_column("Domein", width=DOMAIN)
        table.add_column("Verloop", width=BARS)
        if not done:
            # Empty, but there: Tab reaches it, and `n` on it records the first of its kind.
            return
        for row in shown:
            table.add_column(row.assessed_on.strftime("%d-%m-%y"), width=DAY)
        table.add_column("vorige", width=STEP)
        table.add_column("eerste", width=STEP)
        for domain in DOMAINS[kind]:
            scored = [next((s.score for s in r.scores if s.code == domain.code), "") for r in done]
            if all(value == "" for value in scored):
                continue
            real = [v for v in scored if not isinstance(v, str)]
            latest = real[-1] if real else None
            previous = real[-2] if len(real) > 1 else None
            first = real[0] if len(real) > 1 else None
            cells: list[Text] = [
                fit(domain.label, DOMAIN),
                Text(bars(kind, scored[-BARS:])),
                *(Text(score_text(value), justify="right") for value in scored[-len(shown) :]),
            ]
            for before in (previous, first):
                step = step_text(before, latest)
                cells.append(Text(step, style=step_style(step), justify="right"))
            table.add_row(*cells, key=domain.code)

    def chosen(self) -> tuple[AssessmentKind, AssessmentRow | None]:
        """The kind of the table in focus (ZRM when neither is) and the assessment of the
        column its cursor is in (None: not on a date column)."""
        focused = self.screen.focused
        kind = next(
            (k for k, table_id in TABLES.items() if focused is not None and focused.id == table_id),
            AssessmentKind.ZRM,
        )
        table = self.query_one(f"#{TABLES[kind]}", DataTable)
        shown = self._shown.get(kind, [])
        column = table.cursor_coordinate.column - 2
        return kind, shown[column] if table.row_count and 0 <= column < len(shown) else None

    def open_form(self, new: bool) -> None:
        file = self.file_screen.file
        if file is None:
            return
        kind, row = self.chosen()
        if not new and row is None:
            kind_rows = [r for r in self.rows if r.kind is kind]
            if not kind_rows:
                self.notify("Er is nog niets om te corrigeren; n legt een meting vast.")
                return
            row = kind_rows[-1]
        form = AssessmentForm(file.id, file.name, kind, None if new else row)
        self.app.push_screen(form, self._saved)

    def _saved(self, result: ContactResult | None) -> None:
        if result is not None and result.raised:
            # Reasons are the rules' own words, but shown literally all the same.
            self.notify(
                "\n".join(result.raised), title="Aandachtspunt", severity="warning", markup=False
            )
        self.file_screen.form_closed(result)

    @on(DataTable.CellSelected)
    def _details(self, event: DataTable.CellSelected) -> None:
        kind, row = self.chosen()
        if row is None:
            return
        fields = [
            (
                s.label,
                " — ".join(p for p in ("n.v.t." if s.score is None else str(s.score), s.note) if p),
            )
            for s in row.scores
        ]
        if row.own_words:
            fields.append(("In eigen woorden", row.own_words))
        fields.append(("Vastgelegd door", row.recorded_by))
        if row.changed_by and row.changed_at:
            times = f"{row.revisions}x, eerdere versies bewaard"
            fields.append(("Gecorrigeerd", f"door {row.changed_by} ({times})"))
        title = Text(f"{kind.label} van {format_date(row.assessed_on)}", style="bold")
        self.app.push_screen(DetailScreen(title, tuple(fields)))
