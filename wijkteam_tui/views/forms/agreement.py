"""A contact agreement: who checks in, how, how often (in Dutch words), from when to when,
and whether it goes into the shared agreements. `n` on the Afspraken tab of the client file
makes one, `e` changes the chosen one (its schedule shown in words again).

Before saving, the form shows the next five due dates the agreement will produce, computed by
the engine itself, so the person sees what they agreed."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from wijkteam_tui.domain.dates import format_date
from wijkteam_tui.domain.fields import FieldError, clean_date
from wijkteam_tui.domain.phrases import (
    HowOften,
    PhraseError,
    parse_how_often,
    phrase_of,
    preview,
)
from wijkteam_tui.domain.terms import Channel
from wijkteam_tui.store.records import AgreementInput, Created
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.agreements import add_agreement, update_agreement
from wijkteam_tui.views.forms.base import Field, FormScreen, labelled, text

YES_NO = [("nee", False), ("ja", True)]
#: When a network member (with consent) is reminded by mail of each moment.
REMIND = [
    ("1 dag vooraf", 1),
    ("op de dag zelf", 0),
    ("2 dagen vooraf", 2),
    ("3 dagen vooraf", 3),
    ("een week vooraf", 7),
    ("niet", None),
]
#: A performer is ("lid", member id), ("medewerker", user id), or None for the casemanager.
Performer = tuple[str, int] | None
#: An agreement being changed: (its id, as it is now, the version read).
Current = tuple[int, AgreementInput, int]


def _how_often(value: str, _today: date) -> HowOften:
    try:
        return parse_how_often(value or "")
    except PhraseError as error:
        raise FieldError(str(error)) from error


def _start(value: str, today: date) -> date:
    return clean_date(value or "", today) or today


def _end(value: str, today: date) -> date | None:
    return clean_date(value or "", today)


def _preview(typed: dict[str, Any], today: date) -> str:
    """The next five due dates, or, in Dutch, why there are none yet (redrawn at every key)."""
    try:
        how = parse_how_often(typed.get("how_often") or "")
    except PhraseError as error:
        return str(error)
    try:
        start = _start(typed.get("start_on") or "", today)
        end = _end(typed.get("end_on") or "", today)
    except FieldError as error:
        return str(error)
    dates = preview(how, start, end)
    if not dates:
        return "Deze afspraak levert geen enkel contactmoment op vóór de einddatum."
    return "Volgende keren: " + ", ".join(format_date(day) for day in dates)


class AgreementForm(FormScreen[Created]):
    """Performer, channel, how often, start, end, shared, what it is about, reminders."""

    def __init__(
        self,
        client_id: int,
        client_name: str,
        performers: Sequence[tuple[str, Performer]],
        current: Current | None = None,
        typed: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(typed)
        self.client_id = client_id
        self.client_name = client_name
        self.performers = list(performers)
        self.current = current
        verb = "wijzigen" if current else "voor"
        self.title_text = f"Contactafspraak {verb} {client_name}"

    def fields(self) -> Sequence[Field]:
        return (
            Field("performer", "Wie neemt contact op", kind="choice", choices=self.performers),
            Field(
                "channel",
                "Hoe",
                kind="choice",
                required=True,
                choices=labelled(Channel),
            ),
            Field(
                "how_often",
                "Hoe vaak",
                required=True,
                clean=_how_often,
                placeholder="elke dinsdag",
                hint=_preview,
                store_name="schedule",
            ),
            Field("start_on", "Vanaf", clean=_start, placeholder="vandaag"),
            Field("end_on", "Tot en met", clean=_end, placeholder="geen einddatum"),
            Field("shared", "In de gedeelde afspraken", kind="choice", choices=YES_NO),
            Field("description", "Waarover", clean=text(200), placeholder="koffie, boodschappen"),
            Field(
                "remind_days_before",
                "Herinnering per mail (netwerklid met toestemming)",
                kind="choice",
                choices=self._remind_choices(),
            ),
        )

    def _remind_choices(self) -> list[tuple[str, int | None]]:
        """REMIND, and the agreement's own number of days when it is another one."""
        days = self.current[1].remind_days_before if self.current is not None else 1
        if any(value == days for _, value in REMIND):
            return REMIND
        return [*REMIND, (f"{days} dagen vooraf", days)]

    def initial(self) -> dict[str, Any]:
        if self.current is None:
            return {
                "performer": None,
                "channel": Channel.PHONE,
                "shared": True,
                "remind_days_before": 1,
            }
        _, now, _ = self.current
        performer: Performer = None
        if now.member_id is not None:
            performer = ("lid", now.member_id)
        elif now.user_id is not None:
            performer = ("medewerker", now.user_id)
        return {
            "performer": performer,
            "channel": now.channel,
            "how_often": phrase_of(HowOften(now.interval_days, now.rrule)),
            "start_on": now.start_on,
            "end_on": now.end_on,
            "shared": now.shared,
            "description": now.description,
            "remind_days_before": now.remind_days_before,
        }

    def check(self, values: dict[str, Any]) -> dict[str, str]:
        start, end = values.get("start_on"), values.get("end_on")
        if start is not None and end is not None and end < start:
            return {"end_on": "De einddatum ligt voor de begindatum."}
        if start is not None and not preview(values["how_often"], start, end, count=1):
            return {"end_on": "Voor deze einddatum valt geen enkel contactmoment."}
        return {}

    def save(self, register: Register, values: dict[str, Any], today: date) -> Created:
        performer: Performer = values["performer"]
        how: HowOften = values["how_often"]
        data = AgreementInput(
            channel=values["channel"],
            start_on=values["start_on"],
            member_id=performer[1] if performer and performer[0] == "lid" else None,
            user_id=performer[1] if performer and performer[0] == "medewerker" else None,
            interval_days=how.interval_days,
            rrule=how.rrule,
            end_on=values["end_on"],
            description=values["description"],
            shared=values["shared"],
            remind_days_before=values["remind_days_before"],
        )
        if self.current is not None:
            agreement_id, _, version = self.current
            return update_agreement(register, agreement_id, version, data, today)
        return add_agreement(register, self.client_id, data, today)

    def rebuild(self, typed: dict[str, Any]) -> AgreementForm:
        return AgreementForm(self.client_id, self.client_name, self.performers, self.current, typed)
