"""Netwerk: the client's network members, former ones said in words, and the forms that add a
member, change one (also chosen on the netwerkkaart) or end their involvement."""

from __future__ import annotations

from datetime import date

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from wijkteam_tui.domain.network import consent_text, consents_text, former_text
from wijkteam_tui.domain.terms import SUPPORT_KEY, support_words
from wijkteam_tui.store.read.edit import list_resources, member_for_edit
from wijkteam_tui.store.records import ClientFile, MemberInput, MemberRow
from wijkteam_tui.store.write.network import stop_reminding
from wijkteam_tui.views.client_file.pane import FileRowsPane
from wijkteam_tui.views.detail import Fields
from wijkteam_tui.views.forms.end_member import EndMemberForm
from wijkteam_tui.views.forms.member import MemberForm
from wijkteam_tui.views.text import brief_day, day, literal


class NetworkPane(FileRowsPane):
    TABLE_ID = "network"
    # 102 cells and 16 of padding: whole in a 120-column terminal, beside the scroll bar.
    COLUMNS = (
        ("Naam", 22),
        ("Relatie", 12),
        ("Soort", 11),
        ("Steun", 7),
        ("Telefoon", 12),
        ("Bereikbaar", 12),
        ("Toestemming", 11),
        ("Laatste contact", 15),
    )
    # At 80 columns: who, how to reach them, consent and last contact stay in view; kind and
    # availability are on Enter.
    NARROW_COLUMNS = (
        ("Naam", 16),
        ("Relatie", 10),
        ("Steun", 5),
        ("Telefoon", 12),
        ("Toestemming", 11),
        ("Laatste", 10),
    )

    def compose(self) -> ComposeResult:
        yield from super().compose()
        # The letters of the Steun column in words, under the table (and in full on Enter).
        yield Static(f"Steun: {SUPPORT_KEY}", id="network-legend")

    def show(self, file: ClientFile, today: date) -> None:
        network = self.cleared()
        narrow = self.narrow
        for member in file.members:
            former = member.ended_on is not None
            fields: Fields = (
                # Said in words, not only dimmed: it must read so at 80 columns and without colour.
                ("Naam", literal(f"{member.name} (voormalig)", "dim") if former else member.name),
                ("Relatie", member.relation),
                ("Soort", member.kind.label),
                ("Steun", " ".join(member.supports) or "—"),
                ("Telefoon", member.phone),
                ("Bereikbaar", member.availability),
                (
                    "Toestemming",
                    Text("voormalig", style="dim")
                    if former
                    else consents_text(
                        member.consent_to_share,
                        member.consent_review_on,
                        member.remind_by_mail,
                        member.remind_review_on,
                        today,
                    ),
                ),
                ("Laatste contact", day(member.last_contact_on)),
            )
            # In full (Enter): the support letters said in words.
            detail: Fields = tuple(
                (name, support_words(member.supports) or "—" if name == "Steun" else value)
                for name, value in fields
            )
            detail = (
                *detail[:6],
                (
                    "Toestemming",
                    consent_text(member.consent_to_share, member.consent_review_on, today),
                ),
                ("Herinneren", _reminding(member, today)),
                *detail[7:],
            )
            if former:
                detail = (
                    *detail,
                    ("Betrokken", former_text(day(member.ended_on), member.ended_reason)),
                )
            if narrow:
                fields = (
                    *fields[:2],
                    *fields[3:5],
                    fields[6],
                    ("Laatste", brief_day(member.last_contact_on, today)),
                )
            self.add_row(network, str(member.id), literal(member.name), fields, detail=detail)

    def open_member_form(self, member_id: int | None) -> None:
        """The member form: a new member, or `member_id` as it is now (read fresh)."""
        screen = self.file_screen
        register = screen.wijkteam.register
        if register is None or screen.file is None:
            return

        def load() -> tuple[list[tuple[int, str]], tuple[int, MemberInput, int] | None]:
            current = None
            if member_id is not None:
                _, details, version = member_for_edit(register, member_id)
                current = (member_id, details, version)
            return list_resources(register), current

        screen.run_store(load, self._member_loaded, group="form", hold_keys=True)

    def _member_loaded(
        self, loaded: tuple[list[tuple[int, str]], tuple[int, MemberInput, int] | None]
    ) -> None:
        resources, current = loaded
        screen = self.file_screen
        assert screen.file is not None
        form = MemberForm(screen.client_id, screen.file.name, resources, current)
        self.app.push_screen(form, screen.form_closed)

    def end_member(self) -> None:
        """The form that ends the chosen member's involvement."""
        screen = self.file_screen
        register = screen.wijkteam.register
        member_id = self.chosen_id()
        file = screen.file
        row = next((m for m in file.members if m.id == member_id), None) if file else None
        if register is None or member_id is None or row is None:
            self.notify("Kies eerst een netwerklid (↑ ↓).")
            return
        if row.ended_on is not None:
            self.notify(f"{row.name} is al niet meer betrokken sinds {day(row.ended_on)}.")
            return

        def opened(loaded: tuple[int, MemberInput, int]) -> None:
            form = EndMemberForm(row.id, row.name, loaded[2])
            self.app.push_screen(form, screen.form_closed)

        screen.run_store(
            lambda: member_for_edit(register, member_id), opened, group="form", hold_keys=True
        )

    def stop_reminding(self) -> None:
        """Withdraw the chosen member's consent to be reminded by mail (one key: `m`)."""
        screen = self.file_screen
        register = screen.wijkteam.register
        member_id = self.chosen_id()
        file = screen.file
        row = next((m for m in file.members if m.id == member_id), None) if file else None
        if register is None or member_id is None or row is None:
            self.notify("Kies eerst een netwerklid (↑ ↓).")
            return
        if not row.remind_by_mail:
            self.notify(f"{row.name} krijgt geen herinneringen per mail.")
            return

        def stop() -> str:
            _, _, version = member_for_edit(register, member_id)
            stop_reminding(register, member_id, version)
            return row.name

        def stopped(name: str) -> None:
            self.app.notify(f"{name} krijgt geen herinneringen per mail meer.")
            screen.action_reload()

        screen.run_store(stop, stopped, group="form", hold_keys=True)


def _reminding(member: MemberRow, today: date) -> str:
    """Consent to be reminded by mail in words, with the date it is asked again."""
    state = consent_text(member.remind_by_mail, member.remind_review_on, today)
    if state == "ja" and member.remind_review_on is not None:
        return f"ja, opnieuw vragen op {day(member.remind_review_on)} (m trekt in)"
    return {"vernieuwen": "opnieuw vragen (verlopen)"}.get(state, state)
