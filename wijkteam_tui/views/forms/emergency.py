"""Noodtoegang: opening a client one does not work for, in a team that lets a medewerker open
only the clients they work for. The reason is kept with the opening; the teamleider sees it on
Team and the client in their inzage (store/cover/access.py)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from textual.binding import Binding

from wijkteam_tui.domain.access import emergency_reason
from wijkteam_tui.store.cover.grants import Opened, open_emergency
from wijkteam_tui.store.register import Register
from wijkteam_tui.views.forms.base import Field, FormScreen


def _reason(value: str, _today: date) -> str:
    return emergency_reason(value or "")


class EmergencyForm(FormScreen[Opened]):
    """Why this file must be opened now; saving opens it for the team's number of hours."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Openen", id="form.save", tooltip="Met deze reden openen"),
    ]

    def __init__(
        self, client_id: int, name: str, number: str, typed: dict[str, Any] | None = None
    ) -> None:
        super().__init__(typed)
        self.client_id = client_id
        self.client_name = name
        self.number = number
        self.title_text = f"Noodtoegang tot {name} ({number})"
        self.intro_text = (
            "U werkt niet voor deze cliënt, en in dit team opent een medewerker alleen de"
            " cliënten waarvoor hij werkt.\n"
            "Met een reden opent u het dossier toch, voor een paar uur. De teamleider ziet dat"
            " op het Team-scherm, de cliënt in de inzage, en het staat in het auditlog."
        )

    def fields(self) -> Sequence[Field]:
        return (
            Field(
                "reason",
                "Reden",
                required=True,
                clean=_reason,
                placeholder="bijv. dochter belt in paniek, casemanager afwezig",
                store_name="reason",
            ),
        )

    def save(self, register: Register, values: dict[str, Any], today: date) -> Opened:
        return open_emergency(register, self.client_id, values["reason"], today)

    def rebuild(self, typed: dict[str, Any]) -> EmergencyForm:
        return EmergencyForm(self.client_id, self.client_name, self.number, typed)
