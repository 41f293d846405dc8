"""Langer bewaren (`v` on Bewaartermijn, teamleider): a closed file kept past its retention
date, until a later date and with a reason; both go into the audit log. The store checks it
all again and refuses a medewerker."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from wijkteam_tui.domain.dates import format_date
from wijkteam_tui.domain.fields import clean_date
from wijkteam_tui.store.erasure import PastRetention, extend_retention
from wijkteam_tui.store.register import Register
from wijkteam_tui.views.forms.base import Field, FormScreen, text


def _later_date(value: str, today: date) -> date | None:
    return clean_date(value or "", today, not_before=today)


class ExtendRetentionForm(FormScreen[date]):
    def __init__(self, past: PastRetention, typed: dict[str, Any] | None = None) -> None:
        super().__init__(typed)
        self.past = past
        self.title_text = f"{past.name} ({past.number}) langer bewaren"
        self.intro_text = (
            f"De bewaartermijn ({past.regime}) liep af op {format_date(past.retention_until)}."
            " Langer bewaren mag alleen met een reden, bijvoorbeeld een lopende klacht of"
            " procedure; de datum en de reden komen in het auditlog."
        )

    def fields(self) -> Sequence[Field]:
        return [
            Field(
                "until",
                "Bewaren tot en met",
                required=True,
                clean=_later_date,
                placeholder="dd-mm-jjjj",
            ),
            Field(
                "reason",
                "Reden (geen namen)",
                required=True,
                clean=text(300),
                placeholder="klachtprocedure loopt nog",
            ),
        ]

    def save(self, register: Register, values: dict[str, Any], today: date) -> date:
        until = values["until"]
        extend_retention(register, self.past.client_id, until, values["reason"], today)
        return until  # type: ignore[no-any-return]

    def rebuild(self, typed: dict[str, Any]) -> ExtendRetentionForm:
        return ExtendRetentionForm(self.past, typed)
