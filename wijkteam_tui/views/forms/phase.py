"""Phase changes (`f` in the client file) and a teamleider's decision on a request for
'duurzaam in beeld' (`k`).

A medewerker who chooses 'duurzaam in beeld' asks a teamleider: saving makes a request, which
the teamleider approves or refuses with a reason. A teamleider's own change is its sign-off.
Closing happens on a date, with the regime the retention term depends on; the form shows the
retention date before saving. An afgesloten file can be reopened while it is retained, and
the agreements that closing ended can start again with it (ticked unless unticked)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from wijkteam_tui.domain.dates import format_date
from wijkteam_tui.domain.fields import FieldError, clean_date
from wijkteam_tui.domain.retention import DEFAULT_TERMS, retention_until
from wijkteam_tui.domain.terms import Phase, Regime
from wijkteam_tui.store.records import ClientFile, SignOffItem
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.phases import change_phase, decide_sign_off, request_sign_off
from wijkteam_tui.views.forms.base import Field, FormScreen, labelled, text


@dataclass(frozen=True)
class PhaseContext:
    """What the phase form needs to know of the client and the person."""

    client_id: int
    client_name: str
    phase: Phase
    regime: Regime
    opened_on: date
    retention_until: date | None
    #: Why the network cannot carry 'duurzaam in beeld' yet ("" when it can).
    in_view_missing: str
    #: The person may sign off themselves (a teamleider).
    teamleider: bool
    #: Retention terms in years per regime, as the team set them.
    terms: dict[Regime, int]
    #: Agreements that closing ended and that can start again on reopening: (label, id).
    renewable: tuple[tuple[str, int], ...] = ()
    #: Agreements that closing ended and that cannot: "who: why not".
    not_renewable: tuple[str, ...] = ()

    @classmethod
    def of(cls, file: ClientFile, teamleider: bool, terms: dict[Regime, int]) -> PhaseContext:
        return cls(
            file.id,
            file.name,
            file.phase,
            file.regime,
            file.opened_on,
            file.retention_until,
            file.in_view_missing,
            teamleider,
            terms,
            tuple(
                (f"{a.who} · {a.channel.label} · {a.how_often}", a.id)
                for a in file.agreements
                if a.renewal == ""
            ),
            tuple(f"{a.who}: {a.renewal}" for a in file.agreements if a.renewal),
        )


def _on(value: str, today: date) -> date:
    return clean_date(value or "", today, not_after=today) or today


class PhaseForm(FormScreen[object]):
    """To which phase, why, from when; and when closing, under which regime."""

    def __init__(self, context: PhaseContext, typed: dict[str, Any] | None = None) -> None:
        super().__init__(typed)
        self.context = context
        self.title_text = f"Fase van {context.client_name} (nu {context.phase.label})"
        if context.phase is Phase.CLOSED and context.retention_until is not None:
            self.intro_text = (
                "Dit dossier is afgesloten en wordt bewaard tot"
                f" {format_date(context.retention_until)}. Kies een fase om het te heropenen."
            )

    def fields(self) -> Sequence[Field]:
        targets = [(p.label, p) for p in Phase if p is not self.context.phase]
        return (
            Field(
                "target",
                "Naar fase",
                kind="choice",
                required=True,
                choices=targets,
                hint=self._consequence,
                store_name="phase",
            ),
            Field("reason", "Reden", kind="area", required=True, clean=text(2000)),
            Field("on", "Datum", clean=_on, placeholder="vandaag", store_name="on"),
            *self._closing_or_reopening(),
        )

    def _closing_or_reopening(self) -> tuple[Field, ...]:
        """An open file: the regime closing would keep it under. An afgesloten file: the
        agreements closing ended, ticked, to start again on the date."""
        context = self.context
        if context.phase is not Phase.CLOSED:
            return (
                Field(
                    "regime",
                    "Regeling (bepaalt de bewaartermijn)",
                    kind="choice",
                    choices=labelled(Regime),
                ),
            )
        if not (context.renewable or context.not_renewable):
            return ()
        gone = "; ".join(context.not_renewable)
        return (
            Field(
                "renew",
                "Afspraken die weer ingaan op de datum (spatie zet of haalt een vinkje)",
                kind="many",
                optional="",
                choices=context.renewable,
                hint=(lambda typed, today: f"Niet terug: {gone}.") if gone else None,
            ),
        )

    def initial(self) -> dict[str, Any]:
        return {
            "regime": self.context.regime,
            "renew": [agreement_id for _, agreement_id in self.context.renewable],
        }

    def _consequence(self, typed: dict[str, Any], today: date) -> str:
        """What saving will do, in words, before it is done."""
        target = typed.get("target")
        context = self.context
        if target is Phase.IN_VIEW:
            if context.in_view_missing:
                return context.in_view_missing
            if context.teamleider:
                return "U tekent zelf af als teamleider; de wijziging gaat meteen in."
            return (
                "Dit wordt een aanvraag: een teamleider keurt hem goed of wijst hem af (met"
                " reden). Tot dan blijft de fase zoals hij is."
            )
        if target is Phase.CLOSED:
            try:
                on = _on(typed.get("on") or "", today)
            except FieldError:
                on = today
            regime = typed.get("regime") or context.regime
            years = context.terms.get(regime, DEFAULT_TERMS[regime])
            until = retention_until(on, regime, context.terms)
            return (
                f"Alle afspraken eindigen op {format_date(on)}. Het dossier wordt bewaard tot"
                f" {format_date(until)} ({regime.label}, {years} jaar) en daarna vernietigd."
            )
        if target is not None and context.phase is Phase.CLOSED:
            return "Het dossier wordt heropend; " + (
                "de aangevinkte afspraken gaan weer in op de datum, als nieuwe afspraken."
                if context.renewable
                else "maak daarna nieuwe afspraken."
            )
        return ""

    def save(self, register: Register, values: dict[str, Any], today: date) -> object:
        context = self.context
        if values["target"] is Phase.IN_VIEW and not context.teamleider:
            return request_sign_off(register, context.client_id, values["reason"], today)
        return change_phase(
            register,
            context.client_id,
            values["target"],
            values["reason"],
            today,
            on=values["on"],
            regime=values.get("regime") if values["target"] is Phase.CLOSED else None,
            renew=values.get("renew") or (),
        )

    def rebuild(self, typed: dict[str, Any]) -> PhaseForm:
        return PhaseForm(self.context, typed)


DECISIONS = [("goedkeuren", True), ("afwijzen", False)]


class SignOffForm(FormScreen[object]):
    """A teamleider approves or refuses a request for 'duurzaam in beeld'."""

    def __init__(
        self, request: SignOffItem, missing: str, typed: dict[str, Any] | None = None
    ) -> None:
        super().__init__(typed)
        self.request = request
        self.missing = missing
        self.title_text = f"Aanvraag duurzaam in beeld voor {request.client_name}"
        self.intro_text = (
            f"Aangevraagd door {request.requested_by} op {format_date(request.requested_on)}"
            f" (nu {request.from_phase.label}): {request.reason}"
            + (f"\n{missing}" if missing else "")
        )

    def fields(self) -> Sequence[Field]:
        return (
            Field("approve", "Besluit", kind="choice", required=True, choices=DECISIONS),
            Field(
                "reason",
                "Reden",
                kind="area",
                clean=text(2000),
                optional="verplicht bij afwijzen",
            ),
        )

    def check(self, values: dict[str, Any]) -> dict[str, str]:
        if values["approve"] is False and not values["reason"]:
            return {"reason": "Zeg waarom de aanvraag wordt afgewezen."}
        return {}

    def save(self, register: Register, values: dict[str, Any], today: date) -> object:
        return decide_sign_off(
            register,
            self.request.request_id,
            values["approve"],
            values["reason"],
            today,
            version=self.request.version,
        )

    def rebuild(self, typed: dict[str, Any]) -> SignOffForm:
        return SignOffForm(self.request, self.missing, typed)
