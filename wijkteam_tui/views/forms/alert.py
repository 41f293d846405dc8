"""An aandachtspunt (`a` in the client file): confirm that you act on it, with what you will
do, or resolve it, saying what was done. An alert resolved by hand stays resolved while its
episode lasts, unless it gets worse."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from wijkteam_tui.domain.dates import format_date
from wijkteam_tui.domain.terms import AlertStatus
from wijkteam_tui.store.records import AlertItem
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.alerts import confirm_alert, resolve_alert
from wijkteam_tui.views.forms.base import Field, FormScreen, text

CONFIRM, RESOLVE = "bevestigen", "oplossen"


class AlertForm(FormScreen[bool]):
    def __init__(
        self,
        client_name: str,
        alerts: Sequence[AlertItem],
        typed: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(typed)
        self.client_name = client_name
        self.alerts = list(alerts)
        self.title_text = f"Aandachtspunt bij {client_name}"

    def fields(self) -> Sequence[Field]:
        choices = [
            (
                f"{format_date(a.raised_on)}: {a.reason}"
                + (" (bevestigd)" if a.status is AlertStatus.CONFIRMED else ""),
                a.alert_id,
            )
            for a in self.alerts
        ]
        return (
            Field(
                "alert_id",
                "Welk aandachtspunt",
                kind="choice",
                required=True,
                choices=choices,
                store_name="alert",
            ),
            Field(
                "action",
                "Wat doet u",
                kind="choice",
                required=True,
                choices=[
                    ("bevestigen: ik pak het op", CONFIRM),
                    ("oplossen: het is afgehandeld", RESOLVE),
                ],
            ),
            Field(
                "note",
                "Notitie: wat u doet, of wat er is gedaan",
                kind="area",
                clean=text(2000),
                optional="verplicht bij oplossen",
            ),
        )

    def initial(self) -> dict[str, Any]:
        first = self.alerts[0] if self.alerts else None
        action = RESOLVE if first and first.status is AlertStatus.CONFIRMED else CONFIRM
        return {"alert_id": first.alert_id if first else None, "action": action}

    def check(self, values: dict[str, Any]) -> dict[str, str]:
        if values["action"] == RESOLVE and not values["note"]:
            return {"note": "Zeg wat er is gedaan; dat komt in de tijdlijn."}
        return {}

    def save(self, register: Register, values: dict[str, Any], today: date) -> bool:
        if values["action"] == RESOLVE:
            resolve_alert(register, values["alert_id"], values["note"], today)
        else:
            confirm_alert(register, values["alert_id"], values["note"])
        return True

    def rebuild(self, typed: dict[str, Any]) -> AlertForm:
        return AlertForm(self.client_name, self.alerts, typed)
