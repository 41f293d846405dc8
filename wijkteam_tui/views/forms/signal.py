"""A row of the signaleringsplan: in which phase, which signals, what I do, what my network does,
what the professional does, and whom to call (with their number). `n` and `e` on the
Signaleringsplan tab of the client file; Ctrl+↑ / Ctrl+↓ there move a row within its phase."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from typing import Any

from wijkteam_tui.domain.terms import SignalPhase
from wijkteam_tui.export.document import NAMING_CAUTION, naming_cautions
from wijkteam_tui.store.records import Created, SignalInput
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.sharing import sharing_facts
from wijkteam_tui.store.write.plan import add_signal, update_signal
from wijkteam_tui.views.forms.base import Field, FormScreen, labelled, text

LONG = 2000
#: The fields a row of the plan shows in the shared agreements.
SHARED_TEXTS = ("signs", "own_actions", "network_actions", "professional_actions", "whom_to_call")
#: Groen, oranje or rood: for a row of the plan and for a signalering alike.
PHASE = Field("phase", "Fase", kind="choice", required=True, choices=labelled(SignalPhase))


class SignalForm(FormScreen[Created]):
    caution_text = NAMING_CAUTION

    def __init__(
        self,
        client_id: int,
        client_name: str,
        current: tuple[int, SignalInput, int] | None = None,
        phase: SignalPhase = SignalPhase.GREEN,
        typed: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(typed)
        self.client_id = client_id
        self.client_name = client_name
        # (signal id, row, version) when changing a row that exists.
        self.current = current
        self.phase = phase
        verb = "wijzigen" if current else "toevoegen"
        self.title_text = f"Signaleringsplan van {client_name}: rij {verb}"

    def fields(self) -> Sequence[Field]:
        return (
            PHASE,
            Field("signs", "Signalen: wat zie je", kind="area", required=True, clean=text(LONG)),
            Field("own_actions", "Wat doe ik zelf", kind="area", clean=text(LONG)),
            Field("network_actions", "Wat doet mijn netwerk", kind="area", clean=text(LONG)),
            Field(
                "professional_actions", "Wat doet de professional", kind="area", clean=text(LONG)
            ),
            Field(
                "whom_to_call",
                "Wie bellen (met nummer)",
                kind="area",
                clean=text(LONG),
                placeholder="Zoon Karim 06-12345678, daarna de huisarts",
            ),
        )

    def initial(self) -> dict[str, Any]:
        if self.current is None:
            return {"phase": self.phase}
        # The store's input record has the form's field names.
        return asdict(self.current[1])

    def cautions(self, register: Register, values: dict[str, Any], today: date) -> dict[str, str]:
        """Every text of a row goes into the shared agreements."""
        texts = {name: values[name] for name in SHARED_TEXTS}
        return naming_cautions(sharing_facts(register, self.client_id), today, texts)

    def save(self, register: Register, values: dict[str, Any], today: date) -> Created:
        if self.current is None:
            return add_signal(register, self.client_id, SignalInput(**values))
        signal_id, row, version = self.current
        return update_signal(
            register, signal_id, version, SignalInput(**values, position=row.position)
        )

    def rebuild(self, typed: dict[str, Any]) -> SignalForm:
        return SignalForm(self.client_id, self.client_name, self.current, self.phase, typed)
