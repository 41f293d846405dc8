"""Importeren (teamleider, `m` on Team): a team's caseload from a spreadsheet, as `wijkteam
import` brings it in. The path of the file (and, when the headers need it, a columns file) and
Enter read it: the dry run's report (which header became which column, what is new, updated or
already there, every problem by sheet, row and column) scrolls below, and nothing has changed.
Ctrl+S imports after a question, with a progress bar: all of it in one transaction, or, when
rows have problems, the good rows, the others in an error sheet beside the file to fix and
import again. Afterwards the daily sweep runs, so Vandaag is right at once."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Input, Label, ProgressBar, Static

from wijkteam_tui.caseload.columns import NO_MAPPING, read_mapping
from wijkteam_tui.caseload.plan import Plan, plan_import
from wijkteam_tui.caseload.reading import read_caseload
from wijkteam_tui.caseload.report import (
    count,
    imported_text,
    refused_rows,
    rejected_sheets,
    report_lines,
)
from wijkteam_tui.errors import UsageError, WijkteamError
from wijkteam_tui.export.caseload import errors_target, write_errors
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.intake import REFUSAL, ImportCounts, import_caseload
from wijkteam_tui.views.base import WijkteamScreen
from wijkteam_tui.views.confirm import ConfirmDialog
from wijkteam_tui.views.footer import KeyBar
from wijkteam_tui.views.text import literal
from wijkteam_tui.views.topbar import TopBar

INTRO = (
    "Een caseload overnemen uit een spreadsheet (CSV of Excel-werkmap). Eerst een proefimport:"
    " er verandert niets tot u met Ctrl+S importeert."
)


#: The two fields: the file, and a columns file when the headers need one.
FIELDS = (
    ("Bestand", "import-file", "pad naar .csv of .xlsx; Enter leest het"),
    (
        "Kolommen",
        "import-columns",
        "kolommenbestand (.toml) als de koppen dat nodig hebben, of leeg",
    ),
)


@dataclass(frozen=True)
class _Read:
    source: Path
    plan: Plan


@dataclass(frozen=True)
class _Done:
    counts: ImportCounts
    errors: Path | None


class ImportScreen(WijkteamScreen[None]):
    BINDINGS = [
        Binding("escape", "back", "Terug", id="import.back", tooltip="Vorig scherm"),
        Binding("ctrl+s", "apply", "Importeren", id="import.apply", tooltip="Na een vraag"),
        Binding("pagedown", "page(1)", "Verder", show=False, id="import.down"),
        Binding("pageup", "page(-1)", "Terug in het verslag", show=False, id="import.up"),
    ]

    def __init__(self) -> None:
        super().__init__()
        self.read: _Read | None = None
        self.busy = False

    def compose(self) -> ComposeResult:
        yield TopBar()
        yield Static(INTRO, id="import-intro")
        for label, field_id, hint in FIELDS:
            with Horizontal(classes="import-field"):
                yield Label(label, classes="import-label")
                yield Input(placeholder=hint, id=field_id, compact=True)
        yield ProgressBar(id="import-progress", show_eta=True)
        with VerticalScroll(id="import-report"):
            yield Static("", id="import-report-text")
        yield KeyBar()

    def on_mount(self) -> None:
        self.show_top_bar()
        self.query_one("#import-progress", ProgressBar).display = False
        self.query_one("#import-file", Input).focus()

    # --- the dry run ------------------------------------------------------------------------

    @on(Input.Submitted)
    def _read_file(self) -> None:
        register = self.wijkteam.register
        written = self.query_one("#import-file", Input).value.strip()
        if register is None or self.busy:
            return
        if not written:
            self.notify("Vul eerst het pad van het bestand in.", severity="warning")
            return
        source = Path(written).expanduser()
        columns = self.query_one("#import-columns", Input).value.strip()
        today = self.wijkteam.clock()
        self.read = None
        self._say("Het bestand wordt gelezen…")
        self.run_store(
            lambda: _dry_run(register, source, columns, today),
            self._show_plan,
            group="import",
            failed=self._failed,
            hold_keys=True,
        )

    def _show_plan(self, read: _Read) -> None:
        self.read = read
        plan = read.plan
        if not plan.clients:
            ending = "Er is niets te importeren: alles staat al zo in het register."
        elif plan.problems:
            ending = (
                "Dit was een proefimport: er is niets veranderd. Verbeter de problemen in het"
                " bestand en lees het opnieuw (Enter), of importeer alleen de goede rijen"
                " (Ctrl+S); de andere komen in een foutenbestand naast het bestand."
            )
        else:
            ending = "Dit was een proefimport: er is niets veranderd. Ctrl+S importeert."
        self._say("\n".join([*report_lines(plan), "", ending]))
        self.query_one("#import-report", VerticalScroll).scroll_home(animate=False)

    def _failed(self, message: str, _error: WijkteamError | None) -> None:
        self.busy = False
        self.query_one("#import-progress", ProgressBar).display = False
        self._say(message)
        self.notify(message, severity="error", timeout=10)

    def _say(self, text: str) -> None:
        # Line by line: the report's lines are its layout (wrapped to fit 80 columns).
        lines = [literal(line) for line in text.splitlines()]
        self.query_one("#import-report-text", Static).update(Text("\n").join(lines))

    def action_page(self, direction: int) -> None:
        report = self.query_one("#import-report", VerticalScroll)
        (report.scroll_page_down if direction > 0 else report.scroll_page_up)(animate=False)

    # --- the import -------------------------------------------------------------------------

    def action_apply(self) -> None:
        if self.busy:
            return
        if self.read is None:
            self.notify("Lees eerst een bestand (Enter in het veld Bestand).", severity="warning")
            return
        plan = self.read.plan
        if not plan.clients:
            self.notify("Er is niets te importeren.")
            return
        parts = [count(plan.new, "nieuwe cliënt", "nieuwe cliënten")]
        if plan.updated:
            parts.append(count(plan.updated, "bijgewerkte cliënt", "bijgewerkte cliënten"))
        question = f"{' en '.join(parts)} uit {self.read.source.name} importeren?"
        rows = len({(problem.sheet, problem.row) for problem in plan.problems if problem.row})
        if rows == 1:
            question += "\nDe rij met een probleem komt in een foutenbestand naast het bestand."
        elif rows:
            question += (
                f"\nDe {rows} rijen met een probleem komen in een foutenbestand naast het bestand."
            )
        elif plan.problems:
            question += "\nWat een probleem heeft (zie het verslag), komt niet mee."
        self.app.push_screen(ConfirmDialog(question, yes="Importeren"), self._confirmed)

    def _confirmed(self, yes: bool | None) -> None:
        register, read = self.wijkteam.register, self.read
        if not yes or register is None or read is None:
            return
        refused = refused_rows(read.plan)
        try:
            target = errors_target(read.source, len(refused), force=False) if refused else None
        except UsageError as error:
            self.notify(str(error), severity="error", timeout=10)
            return
        bar = self.query_one("#import-progress", ProgressBar)
        bar.update(total=len(read.plan.clients), progress=0)
        bar.display = True
        self.busy = True
        today = self.wijkteam.clock()

        def work() -> _Done:
            # Read from the file again before anything is written (it may have changed).
            rejected = rejected_sheets(read.plan) if refused else None
            counts = import_caseload(
                register,
                read.plan.clients,
                read.source.name,
                today,
                progress=lambda done: self.app.call_from_thread(bar.update, progress=done),
            )
            if rejected is not None and target is not None:
                write_errors(target, rejected)
            return _Done(counts, target)

        self.run_store(work, self._imported, group="import", failed=self._failed)

    def _imported(self, done: _Done) -> None:
        self.busy = False
        self.read = None
        counts = done.counts
        lines = [
            f"Geïmporteerd: {imported_text(counts)}",
        ]
        if done.errors is not None:
            lines.append(
                f"De rijen met een probleem staan in {done.errors}: verbeter ze daar en"
                " importeer dat bestand."
            )
        lines.append("De signalen worden nu bijgewerkt, zodat Vandaag meteen klopt.")
        self._say("\n".join(lines))
        self.notify(lines[0])
        # What is due and who is out of view, for the clients that came in.
        self.wijkteam.start_sweep()

    def action_back(self) -> None:
        if self.busy:
            self.notify("De import loopt nog; wacht tot hij klaar is.", severity="warning")
            return
        self.app.pop_screen()


def _dry_run(register: Register, source: Path, columns: str, today: date) -> _Read:
    """The file read and planned against the register; nothing is changed."""
    register.require_teamleider(REFUSAL)
    mapping = read_mapping(Path(columns).expanduser()) if columns else NO_MAPPING
    return _Read(source, plan_import(register, read_caseload(source, mapping), today))
