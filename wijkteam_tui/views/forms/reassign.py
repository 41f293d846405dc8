"""Handing clients over to a colleague (`o` on the Team screen, teamleider): which clients
(space ticks one, `a` all), to whom, and why. Before anything is saved a confirmation lists the
agreements the old casemanager performs, which move along to the new one."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from textual.binding import Binding
from textual.widgets import SelectionList

from wijkteam_tui.domain.fields import FieldError
from wijkteam_tui.store.records import UserItem
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.review import AgreementToMove, ReassignResult
from wijkteam_tui.store.write.reassign import agreements_to_move, reassign_clients
from wijkteam_tui.views.confirm import ConfirmDialog
from wijkteam_tui.views.forms.base import Field, FormScreen, text


def _some(value: list[int] | None, _today: date) -> list[int]:
    if not value:
        raise FieldError("Kies ten minste één cliënt (spatie zet een vinkje, a kiest ze allemaal).")
    return value


def moves_text(moves: Sequence[AgreementToMove], to: str) -> str:
    """The confirmation: which agreements go along to the new casemanager."""
    if not moves:
        return (
            f"Geen afspraken gaan mee: de oude casemanager voert er geen uit. Overdragen aan {to}?"
        )
    lines = [f"Deze afspraken gaan mee naar {to}:"]
    lines += [f"• {m.client_name}: {m.performer}, {m.schedule}" for m in moves[:12]]
    if len(moves) > 12:
        lines.append(f"… en nog {len(moves) - 12}.")
    return "\n".join(lines)


class ReassignForm(FormScreen[ReassignResult]):
    BINDINGS = [
        Binding("a", "tick_all", "Alle cliënten", id="reassign.all", tooltip="Alles aan/uit"),
    ]

    def __init__(
        self,
        from_user_id: int | None,
        from_name: str,
        clients: Sequence[tuple[int, str]],
        targets: Sequence[UserItem],
        typed: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(typed)
        self.from_user_id = from_user_id
        self.from_name = from_name
        self.clients = list(clients)
        self.targets = list(targets)
        self.title_text = f"Cliënten van {from_name} overdragen"
        self.intro_text = (
            "De nieuwe casemanager neemt de cliënten over, met de afspraken die de oude"
            " casemanager zelf uitvoert. Afspraken van netwerkleden blijven zoals ze zijn. De reden"
            " komt in de tijdlijn van elke cliënt."
        )
        self._confirmed = False

    def fields(self) -> Sequence[Field]:
        return (
            Field(
                "clients",
                "Cliënten (spatie zet een vinkje, a kiest ze allemaal)",
                kind="many",
                optional="",
                clean=_some,
                choices=[(label, client_id) for client_id, label in self.clients],
            ),
            Field(
                "to_user",
                "Naar",
                kind="choice",
                required=True,
                choices=[
                    (f"{u.display_name or u.name} ({u.role.label})", u.id) for u in self.targets
                ],
            ),
            Field(
                "reason",
                "Reden",
                required=True,
                clean=text(500),
                placeholder="bijv. ziek, vertrokken",
            ),
        )

    def action_tick_all(self) -> None:
        listing = self.query_one("#clients", SelectionList)
        if len(listing.selected) == listing.option_count:
            listing.deselect_all()
        else:
            listing.select_all()

    def action_save(self) -> None:
        """First the confirmation that lists what moves along; then the save itself."""
        if self._confirmed:
            super().action_save()
            return
        register = self.wijkteam.register
        values = self._checked(self.wijkteam.clock())
        if values is None or register is None:
            return
        to = next((u.display_name or u.name for u in self.targets if u.id == values["to_user"]), "")
        self.run_store(
            lambda: agreements_to_move(register, values["clients"]),
            lambda moves: self._confirm(moves, to),
            group="save",
            failed=self._refused,
        )

    def _confirm(self, moves: list[AgreementToMove], to: str) -> None:
        self.app.push_screen(
            ConfirmDialog(moves_text(moves, to), yes="Overdragen", no="Terug"), self._answered
        )

    def _answered(self, yes: bool | None) -> None:
        if yes:
            self._confirmed = True
            self.action_save()

    def save(self, register: Register, values: dict[str, Any], today: date) -> ReassignResult:
        return reassign_clients(
            register, values["clients"], values["to_user"], values["reason"], today
        )

    def _refused(self, message: str, error: Any) -> None:
        self._confirmed = False
        super()._refused(message, error)

    def rebuild(self, typed: dict[str, Any]) -> ReassignForm:
        return ReassignForm(self.from_user_id, self.from_name, self.clients, self.targets, typed)
