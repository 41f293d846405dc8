"""Signaleringsplan: one block per row, grouped per phase, so that every field, whom to call
above all, can be read in an 80×24 terminal. Its forms add or change a row, Ctrl+↑ / Ctrl+↓
move one within its phase, and `s` (on every tab) records an observation against the plan."""

from __future__ import annotations

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import OptionList
from textual.widgets.option_list import Option

from wijkteam_tui.domain.terms import SignalPhase
from wijkteam_tui.store.read.edit import signal_for_edit
from wijkteam_tui.store.records import ContactResult, SignalInput, SignalRow
from wijkteam_tui.store.write.plan import move_signal
from wijkteam_tui.views.client_file.pane import FilePane
from wijkteam_tui.views.detail import field_table
from wijkteam_tui.views.forms.observation import ObservationForm
from wijkteam_tui.views.forms.signal import SignalForm

PHASE_STYLE = {
    SignalPhase.GREEN: "bold green",
    SignalPhase.ORANGE: "bold dark_orange",
    SignalPhase.RED: "bold red",
}


def signal_block(signal: SignalRow) -> Group:
    """One row of the signaleringsplan, every field wrapped in full."""
    return Group(
        field_table(
            (
                ("Signalen", signal.signs),
                ("Wat doe ik", signal.own_actions),
                ("Mijn netwerk", signal.network_actions),
                ("Professional", signal.professional_actions),
                ("Wie bellen", signal.whom_to_call),
            ),
            label_width=13,
        ),
        Text(""),
    )


class PlanPane(FilePane):
    def __init__(self, title: str, *, id: str) -> None:
        super().__init__(title, id=id)
        # The row to keep chosen when the plan is filled again (after moving it).
        self._keep_signal: int | None = None

    def compose(self) -> ComposeResult:
        yield OptionList(id="signals")

    def show(self, signals: list[SignalRow]) -> None:
        plan = self.query_one("#signals", OptionList)
        plan.clear_options()
        options: list[Option] = []
        for phase in SignalPhase:
            rows = [s for s in signals if s.phase is phase]
            if not rows:
                continue
            options.append(
                Option(Text(phase.label.upper(), style=PHASE_STYLE[phase]), disabled=True)
            )
            options.extend(Option(signal_block(row), id=str(row.id)) for row in rows)
        if not options:
            options.append(Option("Nog geen signaleringsplan.", disabled=True))
        plan.add_options(options)
        # After a move or an edit the same row stays chosen.
        keep = str(self._keep_signal) if self._keep_signal is not None else None
        index = next((i for i, option in enumerate(options) if keep and option.id == keep), None)
        if index is not None:
            plan.highlighted = index

    def chosen_signal(self) -> int | None:
        plan = self.query_one("#signals", OptionList)
        option = plan.highlighted_option
        return int(option.id) if option is not None and option.id else None

    def open_signal_form(self, signal_id: int | None) -> None:
        """The plan row form: a new row, or `signal_id` as it is now (read fresh)."""
        screen = self.file_screen
        register = screen.wijkteam.register
        if register is None or screen.file is None:
            return
        if signal_id is None:
            self._signal_loaded(None)
            return

        def load() -> tuple[int, SignalInput, int]:
            row, version = signal_for_edit(register, signal_id)
            return signal_id, row, version

        screen.run_store(load, self._signal_loaded, group="form", hold_keys=True)

    def _signal_loaded(self, current: tuple[int, SignalInput, int] | None) -> None:
        screen = self.file_screen
        assert screen.file is not None
        form = SignalForm(screen.client_id, screen.file.name, current)
        self.app.push_screen(form, screen.form_closed)

    def move_chosen(self, step: int) -> None:
        """The chosen row up (-1) or down (1) within its phase."""
        screen = self.file_screen
        register = screen.wijkteam.register
        signal_id = self.chosen_signal()
        if register is None or signal_id is None:
            return
        self._keep_signal = signal_id
        screen.run_store(
            lambda: move_signal(register, signal_id, step),
            lambda _none: screen.action_reload(),
            group="move",
        )

    def observe(self) -> None:
        """The form that records how the client is doing against the plan."""
        screen = self.file_screen
        file = screen.file
        if file is None:
            return
        form = ObservationForm(screen.client_id, file.name, file.signals)
        self.app.push_screen(form, self._observed)

    def _observed(self, result: ContactResult | None) -> None:
        if result is None:
            return
        for reason in result.raised:
            self.app.notify(reason, title="Nieuw aandachtspunt", severity="warning")
        self.file_screen.form_closed(result)
