"""Overzicht: the client's details, phase, own signaalgrenzen and open aandachtspunten, and the
forms that change them. `e` opens the client form here and on Tijdlijn; `f` (phase), `k`
(decide on a request), `g` (signaalgrens) and `a` (aandachtspunt) work on every tab."""

from __future__ import annotations

from datetime import date

from rich.console import Group
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import VerticalScroll
from textual.widgets import Static

from wijkteam_tui.domain.schedules import DueState
from wijkteam_tui.domain.terms import AlertStatus, Phase
from wijkteam_tui.domain.thresholds import describe
from wijkteam_tui.store.read.edit import client_for_edit, list_users
from wijkteam_tui.store.records import ClientFile, ClientInput, Created, UserItem
from wijkteam_tui.views.client_file.pane import FilePane, is_teamleider
from wijkteam_tui.views.forms.alert import AlertForm
from wijkteam_tui.views.forms.client import ClientForm
from wijkteam_tui.views.forms.phase import PhaseContext, PhaseForm, SignOffForm
from wijkteam_tui.views.forms.threshold import ThresholdForm
from wijkteam_tui.views.text import day, due_text, labelled, literal

#: The width of the labels before the values.
LABEL_WIDTH = 22


def age(born: date, today: date) -> int:
    """Years completed on `today`."""
    return today.year - born.year - ((today.month, today.day) < (born.month, born.day))


def overview_text(file: ClientFile, today: date) -> Group:
    """The Overzicht tab: one line per detail, then what waits or stands out."""

    def line(label: str, value: object, style: str = "") -> tuple[Text, Text]:
        return Text(label, style="bold"), literal(value or "—", style)

    late = file.next_due is not None and file.next_due < today
    overdue = any(a.state is DueState.OVERDUE for a in file.agreements)
    born = (
        f"{day(file.birth_date)} ({age(file.birth_date, today)} jaar)" if file.birth_date else None
    )
    details = [
        line("Fase", file.phase.label),
        line("Casemanager", file.casemanager),
        line("Geboortedatum", born),
        line("Adres", file.address),
        line("Telefoon", file.phone),
        line("In beeld sinds", day(file.opened_on)),
        line("Laatste contact", day(file.last_contact_on)),
        line(
            "Volgende contact",
            due_text(file.next_due, today, overdue),
            ("bold red" if overdue else "yellow") if late else "",
        ),
    ]
    story = [
        line("In eigen woorden", file.own_words),
        line("Sterke kanten", file.strengths),
        line("Van betekenis", file.meaningful),
        line("Netwerk", file.network_summary),
    ]
    if file.closed_on is not None:
        story.append(line("Afgesloten op", day(file.closed_on)))
        story.append(line("Bewaren tot", f"{day(file.retention_until)} ({file.regime.label})"))
    text = Text()
    if file.sign_off is not None:
        request = file.sign_off
        text.append("\nAanvraag duurzaam in beeld\n", style="bold")
        text.append_text(
            Text.assemble(
                "  ",
                literal(request.requested_by),
                f" op {day(request.requested_on)}: ",
                literal(request.reason),
                "\n  Wacht op een teamleider.\n",
            )
        )
    if file.in_view_missing and file.phase is Phase.SCALING_BACK:
        text.append("\nNog nodig voor duurzaam in beeld\n", style="bold")
        text.append_text(Text.assemble("  ", literal(file.in_view_missing), "\n"))
    own = [row for row in file.thresholds if row.own is not None]
    if own:
        text.append("\nEigen signaalgrenzen\n", style="bold")
    for row in own:
        assert row.own is not None
        text.append_text(
            Text.assemble(
                f"  • {row.rule.label}: {describe(row.own)} (team: {describe(row.team)}) — ",
                literal(row.reason),
                "\n",
            )
        )
    text.append("\nOpen aandachtspunten\n", style="bold")
    if not file.alerts:
        text.append("  geen\n")
    for alert in file.alerts:
        seen = " (bevestigd)" if alert.status is AlertStatus.CONFIRMED else ""
        text.append_text(Text.assemble("  • ", literal(alert.reason), seen, "\n"))
    return Group(labelled(details, LABEL_WIDTH), Text(), labelled(story, LABEL_WIDTH), text)


class OverviewPane(FilePane):
    """The client at a glance, and the forms for the client's own details."""

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="overview"):
            yield Static("", id="overview-text")

    def show(self, file: ClientFile, today: date) -> None:
        self.query_one("#overview-text", Static).update(overview_text(file, today))

    def edit_client(self) -> None:
        """The client form with the client's details as they are now (read fresh)."""
        screen = self.file_screen
        register = screen.wijkteam.register
        if register is None:
            return
        client_id = screen.client_id

        def load() -> tuple[list[UserItem], ClientInput, int]:
            details, version = client_for_edit(register, client_id)
            return list_users(register), details, version

        screen.run_store(load, self._edit_loaded, group="form", hold_keys=True)

    def _edit_loaded(self, loaded: tuple[list[UserItem], ClientInput, int]) -> None:
        users, details, version = loaded
        screen = self.file_screen
        self.app.push_screen(
            ClientForm(users, (screen.client_id, details, version)), screen.form_closed
        )

    def change_phase(self) -> None:
        screen = self.file_screen
        file, team = screen.file, screen.wijkteam.team
        if file is None:
            return
        terms = team.retention_terms if team is not None else {}
        teamleider = is_teamleider(screen.wijkteam.register)
        form = PhaseForm(PhaseContext.of(file, teamleider, terms))
        self.app.push_screen(form, self._phase_changed)

    def _phase_changed(self, saved: object) -> None:
        if isinstance(saved, Created):
            self.app.notify("Aanvraag verstuurd; een teamleider beslist erover.")
            self.file_screen.action_reload()
        else:
            self.file_screen.form_closed(saved)

    def decide(self) -> None:
        """The teamleider's decision on a request for duurzaam in beeld."""
        file = self.file_screen.file
        if file is None or file.sign_off is None:
            return
        form = SignOffForm(file.sign_off, file.in_view_missing)
        self.app.push_screen(form, self.file_screen.form_closed)

    def set_threshold(self) -> None:
        file = self.file_screen.file
        if file is not None:
            form = ThresholdForm(file.id, file.name, file.thresholds)
            self.app.push_screen(form, self.file_screen.form_closed)

    def handle_alert(self) -> None:
        file = self.file_screen.file
        if file is None or not file.alerts:
            return
        self.app.push_screen(AlertForm(file.name, file.alerts), self.file_screen.form_closed)
