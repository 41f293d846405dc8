"""Putting an agreement aside (`u` on the Afspraken tab) or ending it (`x`): both with a date,
and putting aside with a reason. An agreement put aside shows as "uitgesteld tot …"."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from wijkteam_tui.domain.fields import FieldError, clean_date
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.agreements import end_agreement, snooze_agreement
from wijkteam_tui.views.forms.base import Field, FormScreen, text


def _until(value: str, today: date) -> date | None:
    until = clean_date(value or "", today)
    if until is not None and until < today:
        raise FieldError("Deze datum ligt in het verleden.")
    if until is not None and until > today + timedelta(days=366):
        raise FieldError("Uitstellen kan hoogstens een jaar.")
    return until


def _end_on(value: str, today: date) -> date:
    return clean_date(value or "", today) or today


class SnoozeForm(FormScreen[bool]):
    """Until when (inclusive) and why; nothing is due for this agreement until then."""

    def __init__(self, agreement_id: int, who: str, typed: dict[str, Any] | None = None) -> None:
        super().__init__(typed)
        self.agreement_id = agreement_id
        self.who = who
        self.title_text = f"Afspraak met {who} uitstellen"

    def fields(self) -> Sequence[Field]:
        return (
            Field("until", "Uitgesteld tot en met", required=True, clean=_until, placeholder="+2w"),
            Field(
                "reason",
                "Reden",
                required=True,
                clean=text(200),
                placeholder="opname, vakantie van de dochter",
            ),
        )

    def save(self, register: Register, values: dict[str, Any], today: date) -> bool:
        snooze_agreement(register, self.agreement_id, values["until"], values["reason"], today)
        return True

    def rebuild(self, typed: dict[str, Any]) -> SnoozeForm:
        return SnoozeForm(self.agreement_id, self.who, typed)


class EndAgreementForm(FormScreen[bool]):
    """The last day of the agreement; after it nothing is due."""

    def __init__(self, agreement_id: int, who: str, typed: dict[str, Any] | None = None) -> None:
        super().__init__(typed)
        self.agreement_id = agreement_id
        self.who = who
        self.title_text = f"Afspraak met {who} beëindigen"

    def fields(self) -> Sequence[Field]:
        return (Field("end_on", "Laatste dag", clean=_end_on, placeholder="vandaag"),)

    def save(self, register: Register, values: dict[str, Any], today: date) -> bool:
        end_agreement(register, self.agreement_id, values["end_on"], today)
        return True

    def rebuild(self, typed: dict[str, Any]) -> EndAgreementForm:
        return EndAgreementForm(self.agreement_id, self.who, typed)
