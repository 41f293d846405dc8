"""Wissen (AVG art. 17; `w` in the client file, teamleider): a client's records destroyed for
good. The form says what goes and, while a legal retention term runs, that it does; it needs a
reason, an override reason while the term runs, and the client number typed as confirmation.
The store checks all of it again and refuses a medewerker."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from wijkteam_tui.store.erasure import Erased, ErasureFacts, erase_client
from wijkteam_tui.store.register import Register
from wijkteam_tui.views.forms.base import Field, FormScreen, text


class EraseForm(FormScreen[Erased]):
    def __init__(self, facts: ErasureFacts, typed: dict[str, Any] | None = None) -> None:
        super().__init__(typed)
        self.facts = facts
        self.title_text = f"{facts.name} ({facts.number}) wissen: voorgoed"
        lines = [
            f"Weg gaan de cliënt, {facts.members} netwerkleden, {facts.contact_moments}"
            " contactmomenten en alles wat erbij hoort, ook uit de kopieën naast het register."
            " Dit kan niet ongedaan worden gemaakt. Het auditlog houdt het cliëntnummer.",
        ]
        if facts.kept_because:
            lines.append(
                f"Let op: {facts.kept_because} Wissen kan dan alleen met een reden waarom het"
                " toch moet (AVG art. 17 lid 3 sub b)."
            )
        self.intro_text = "\n".join(lines)

    def fields(self) -> Sequence[Field]:
        fields = [
            Field(
                "reason",
                "Reden (geen namen)",
                required=True,
                clean=text(300),
                placeholder="verzoek van de cliënt op 20 november",
            )
        ]
        if self.facts.kept_because:
            fields.append(
                Field(
                    "override",
                    "Waarom het toch moet, terwijl de bewaartermijn loopt",
                    required=True,
                    clean=text(300),
                )
            )
        fields.append(
            Field(
                "confirm",
                f"Typ ter bevestiging het cliëntnummer {self.facts.number}",
                required=True,
                store_name="confirm",
            )
        )
        return fields

    def save(self, register: Register, values: dict[str, Any], today: date) -> Erased:
        return erase_client(
            register,
            self.facts.client_id,
            confirm_number=values["confirm"],
            reason=values["reason"],
            override=values.get("override") or "",
            today=today,
        )

    def rebuild(self, typed: dict[str, Any]) -> EraseForm:
        return EraseForm(self.facts, typed)
