"""Afspraken: the client's contact agreements, each with its state in words, and the forms that
add, change, snooze or end one. `c` here logs a contact on the chosen agreement."""

from __future__ import annotations

from datetime import date

from rich.text import Text

from wijkteam_tui.domain.dates import MONTHS
from wijkteam_tui.domain.schedules import DueState
from wijkteam_tui.store.read.edit import agreement_for_edit, list_users
from wijkteam_tui.store.records import AgreementInput, AgreementRow, ClientFile, UserItem
from wijkteam_tui.views.client_file.pane import FileRowsPane
from wijkteam_tui.views.contact import ContactRequest
from wijkteam_tui.views.detail import Fields
from wijkteam_tui.views.forms.agreement import AgreementForm, Performer
from wijkteam_tui.views.forms.snooze import EndAgreementForm, SnoozeForm
from wijkteam_tui.views.text import brief_day, day, due_text, late_text, literal, over_time_text

STATE_STYLE = {
    DueState.OVERDUE: "bold red",
    DueState.SOON: "yellow",
    DueState.LATER: "",
    DueState.SNOOZED: "dim",
    DueState.ENDED: "dim",
}


def agreement_state(agreement: AgreementRow, today: date) -> str:
    """The state of an agreement in words: '12 dagen te laat', 'uitgesteld tot …'. A date
    already past says how late it is, also while the team's grace days keep it off the
    overdue lists (it then stands in yellow, not red)."""
    if agreement.state is DueState.OVERDUE:
        return late_text(agreement.days_overdue)
    due = agreement.next_due
    if agreement.state is DueState.SOON and due is not None and due < today:
        return over_time_text((today - due).days)
    if agreement.state is DueState.SNOOZED and agreement.snoozed_until is not None:
        # Short enough for its column; the full date is in the row's details (Enter).
        until = agreement.snoozed_until
        return f"uitgesteld tot {until.day} {MONTHS[until.month - 1]}"
    return agreement.state.label


class AgreementsPane(FileRowsPane):
    TABLE_ID = "agreements"
    COLUMNS = (
        ("Wie", 26),
        ("Stand", 20),
        ("Volgende", 16),
        ("Hoe", 11),
        ("Hoe vaak", 18),
        ("Laatste", 16),
    )

    # At 80 columns: how often and when last stay in view; how (the channel) is on Enter.
    NARROW_COLUMNS = (
        ("Wie", 16),
        ("Stand", 16),
        ("Volgende", 10),
        ("Hoe vaak", 14),
        ("Laatste", 10),
    )

    def show(self, file: ClientFile, today: date) -> None:
        agreements = self.cleared()
        narrow = self.narrow
        for agreement in file.agreements:
            state = agreement_state(agreement, today)
            full: Fields = (
                ("Wie", agreement.who),
                ("Stand", Text(state, style=STATE_STYLE[agreement.state])),
                ("Volgende", day(agreement.next_due)),
                ("Hoe", agreement.channel.label),
                ("Hoe vaak", agreement.how_often),
                ("Laatste", day(agreement.last_contact_on)),
            )
            fields = full
            if narrow:
                fields = (
                    *full[:2],
                    ("Volgende", brief_day(agreement.next_due, today)),
                    full[4],
                    ("Laatste", brief_day(agreement.last_contact_on, today)),
                )
            detail = (
                *full[:2],
                (
                    "Volgende",
                    due_text(agreement.next_due, today, agreement.state is DueState.OVERDUE),
                ),
                *full[3:],
                ("Afspraak", agreement.description),
                ("Van – tot", f"{day(agreement.start_on)} – {day(agreement.end_on)}"),
                ("Uitgesteld", agreement.snooze_reason if agreement.snoozed_until else ""),
            )
            self.add_row(
                agreements, str(agreement.id), literal(agreement.who), fields, detail=detail
            )

    def contact_request(self, file: ClientFile) -> ContactRequest:
        """A contact with the client, on the chosen agreement and by its channel if any."""
        agreement_id = self.chosen_id()
        chosen = next((a for a in file.agreements if a.id == agreement_id), None)
        if chosen is not None:
            return ContactRequest(file.id, file.name, chosen.id, chosen.who, chosen.channel.value)
        return ContactRequest(file.id, file.name)

    def chosen_agreement(self) -> tuple[int, str] | None:
        """The chosen agreement's id and who performs it; None (and a hint) when none is."""
        file = self.file_screen.file
        agreement_id = self.chosen_id()
        if agreement_id is None or file is None:
            self.notify("Kies eerst een afspraak (↑ ↓).")
            return None
        row = next((a for a in file.agreements if a.id == agreement_id), None)
        return (agreement_id, row.who) if row is not None else None

    def snooze(self) -> None:
        chosen = self.chosen_agreement()
        if chosen is not None:
            self.app.push_screen(SnoozeForm(*chosen), self.file_screen.form_closed)

    def end_agreement(self) -> None:
        chosen = self.chosen_agreement()
        if chosen is not None:
            self.app.push_screen(EndAgreementForm(*chosen), self.file_screen.form_closed)

    def open_agreement_form(self, agreement_id: int | None) -> None:
        """The agreement form: a new agreement, or `agreement_id` as it is now (read fresh)."""
        screen = self.file_screen
        register = screen.wijkteam.register
        if register is None or screen.file is None:
            return

        def load() -> tuple[list[UserItem], tuple[int, AgreementInput, int] | None]:
            if agreement_id is None:
                return list_users(register), None
            details, version = agreement_for_edit(register, agreement_id)
            return list_users(register), (agreement_id, details, version)

        screen.run_store(load, self._agreement_loaded, group="form", hold_keys=True)

    def _agreement_loaded(
        self, loaded: tuple[list[UserItem], tuple[int, AgreementInput, int] | None]
    ) -> None:
        users, current = loaded
        screen = self.file_screen
        file = screen.file
        assert file is not None
        performers: list[tuple[str, Performer]] = [("de casemanager", None)]
        performers += [
            (f"{m.name} ({m.relation})" if m.relation else m.name, ("lid", m.id))
            for m in file.members
            if m.ended_on is None
        ]
        performers += [(f"{u.display_name} ({u.role.label})", ("medewerker", u.id)) for u in users]
        form = AgreementForm(screen.client_id, file.name, performers, current)
        self.app.push_screen(form, screen.form_closed)
