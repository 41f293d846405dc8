"""Ending a network member's involvement (`x` on the Netwerk tab): the last day and why
(verhuisd, contact verbroken, overleden, or another reason typed). Their agreements end, their
consent is withdrawn, they leave the documents and the netwerkkaart; the Netwerk tab lists them
as former, and their history stays."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from wijkteam_tui.domain.fields import FieldError, clean_date
from wijkteam_tui.domain.network import ENDING_REASONS
from wijkteam_tui.store.records import Created
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.network import end_member
from wijkteam_tui.views.forms.base import Field, FormScreen, text

OTHER = "anders"
REASONS = [(reason, reason) for reason in ENDING_REASONS] + [("anders, namelijk …", OTHER)]


def _ended_on(value: str, today: date) -> date:
    ended = clean_date(value or "", today) or today
    if ended > today:
        raise FieldError("Deze datum ligt in de toekomst.")
    return ended


class EndMemberForm(FormScreen[Created]):
    """The last day of the member's involvement (default today) and the reason."""

    def __init__(
        self, member_id: int, name: str, version: int, typed: dict[str, Any] | None = None
    ) -> None:
        super().__init__(typed)
        self.member_id = member_id
        self.member_name = name
        self.version = version
        self.title_text = f"Betrokkenheid van {name} beëindigen"
        self.intro_text = (
            "Zijn of haar afspraken eindigen op de laatste dag, de toestemming vervalt en "
            "het netwerklid staat niet meer in de gedeelde afspraken en op de netwerkkaart. "
            "Op de tab Netwerk blijft het zichtbaar als voormalig; de geschiedenis blijft."
        )

    def fields(self) -> Sequence[Field]:
        return (
            Field("ended_on", "Laatste dag", clean=_ended_on, placeholder="vandaag"),
            Field("reason", "Reden", kind="choice", required=True, choices=REASONS),
            Field(
                "other",
                "Andere reden",
                clean=text(120),
                optional="verplicht bij anders",
                placeholder="woont nu in een verpleeghuis",
            ),
        )

    def check(self, values: dict[str, Any]) -> dict[str, str]:
        if values["reason"] == OTHER and not values["other"]:
            return {"other": "Zeg waarom de betrokkenheid eindigt."}
        return {}

    def save(self, register: Register, values: dict[str, Any], today: date) -> Created:
        reason = values["other"] if values["reason"] == OTHER else values["reason"]
        return end_member(
            register,
            self.member_id,
            self.version,
            ended_on=values["ended_on"],
            reason=reason,
            today=today,
        )

    def rebuild(self, typed: dict[str, Any]) -> EndMemberForm:
        return EndMemberForm(self.member_id, self.member_name, self.version, typed)
