"""A signalering (`s` in the client file): in which phase, which signal of the plan, seen by
whom and when, and a note. Alerts are re-evaluated at once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from textual import on
from textual.widgets import Select

from wijkteam_tui.domain.fields import clean_date
from wijkteam_tui.domain.terms import SignalPhase
from wijkteam_tui.store.records import ContactResult, ObservationInput, SignalRow
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.plan import record_observation
from wijkteam_tui.views.forms.base import Field, FormScreen, text
from wijkteam_tui.views.forms.signal import PHASE


def _seen_on(value: str, today: date) -> date:
    return clean_date(value or "", today, not_after=today) or today


class ObservationForm(FormScreen[ContactResult]):
    def __init__(
        self,
        client_id: int,
        client_name: str,
        signals: Sequence[SignalRow],
        typed: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(typed)
        self.client_id = client_id
        self.client_name = client_name
        self.signals = list(signals)
        self.title_text = f"Signalering bij {client_name}"

    def fields(self) -> Sequence[Field]:
        plan = [(f"{row.phase.label}: {row.signs[:60]}", row.id) for row in self.signals]
        return (
            PHASE,
            Field(
                "signal_id",
                "Welk signaal uit het plan",
                kind="choice",
                choices=[("geen uit het plan", None), *plan],
                store_name="signal",
            ),
            Field("observed_on", "Gezien op", clean=_seen_on, placeholder="vandaag"),
            Field("observed_by", "Gezien door", clean=text(120), placeholder="buurvrouw Els"),
            Field("note", "Notitie", kind="area", clean=text(4000)),
        )

    def initial(self) -> dict[str, Any]:
        return {"phase": SignalPhase.ORANGE}

    @on(Select.Changed, "#signal_id")
    def _phase_of_the_signal(self, event: Select.Changed) -> None:
        """A signal chosen from the plan brings its phase along (an oranje signal is seen in
        oranje); the person may still change the phase, and `check` says when they differ."""
        chosen = next((row for row in self.signals if row.id == event.value), None)
        if chosen is not None:
            self.query_one("#phase", Select).value = chosen.phase

    def check(self, values: dict[str, Any]) -> dict[str, str]:
        chosen = next((row for row in self.signals if row.id == values.get("signal_id")), None)
        if chosen is not None and chosen.phase is not values["phase"]:
            return {"signal_id": f"Dit signaal staat in het plan bij {chosen.phase.label}."}
        return {}

    def save(self, register: Register, values: dict[str, Any], today: date) -> ContactResult:
        data = ObservationInput(client_id=self.client_id, **values)
        return record_observation(register, data, today)

    def rebuild(self, typed: dict[str, Any]) -> ObservationForm:
        return ObservationForm(self.client_id, self.client_name, self.signals, typed)
