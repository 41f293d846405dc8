"""Someone in the client's network: new (`n` in the client file) or changed (`e` on the
Netwerk tab)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import asdict
from datetime import date
from typing import Any

from wijkteam_tui.domain.fields import FieldError, clean_date, clean_email, clean_phone
from wijkteam_tui.domain.terms import SUPPORT_KEY, MemberKind
from wijkteam_tui.export.document import NAMING_CAUTION, naming_cautions
from wijkteam_tui.store.records import Created, MemberInput
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.sharing import sharing_facts
from wijkteam_tui.store.write.network import add_member, update_member
from wijkteam_tui.views.forms.base import Field, FormScreen, labelled, text

RINGS = [("1 · dichtbij", 1), ("2", 2), ("3 · verder weg", 3)]
YES_NO = [("nee", False), ("ja", True)]
SUPPORT_LETTERS = "PGAE"


def _supports(value: str, _today: date) -> str:
    """P praktisch, G gezelschap, A advies, E emotioneel: the letters, in any order."""
    letters = "".join((value or "").upper().split()).replace(",", "")
    wrong = sorted(set(letters) - set(SUPPORT_LETTERS))
    if wrong:
        raise FieldError(
            "Steun is een of meer van P (praktisch), G (gezelschap), A (advies), E (emotioneel)."
        )
    return "".join(ch for ch in SUPPORT_LETTERS if ch in letters)


def _phone(value: str, _today: date) -> str:
    return clean_phone(value or "")


def _email(value: str, _today: date) -> str:
    return clean_email(value or "")


def _given_on(value: str, today: date) -> date | None:
    return clean_date(value or "", today, not_after=today)


def _review_on(value: str, today: date) -> date | None:
    return clean_date(value or "", today)


class MemberForm(FormScreen[Created]):
    """Name, relation, kind, ring, support, how to reach them, consent to share and to be
    reminded by mail, resource."""

    caution_text = NAMING_CAUTION

    def __init__(
        self,
        client_id: int,
        client_name: str,
        resources: Sequence[tuple[int, str]],
        current: tuple[int, MemberInput, int] | None = None,
        typed: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(typed)
        self.client_id = client_id
        self.client_name = client_name
        self.resources = list(resources)
        # (member id, details, version) when changing someone already in the network.
        self.current = current
        self.title_text = (
            f"Netwerklid wijzigen: {current[1].name} (netwerk van {client_name})"
            if current
            else f"Netwerklid toevoegen aan het netwerk van {client_name}"
        )

    def fields(self) -> Sequence[Field]:
        return (
            Field("name", "Naam", required=True, clean=text(160)),
            Field("relation", "Relatie", clean=text(60), placeholder="dochter, buurman, huisarts"),
            Field(
                "kind",
                "Soort",
                kind="choice",
                required=True,
                choices=labelled(MemberKind),
            ),
            Field("ring", "Kring", kind="choice", required=True, choices=RINGS),
            Field("supports", f"Steun: {SUPPORT_KEY}", clean=_supports, placeholder="bijv. PG"),
            Field("phone", "Telefoon", clean=_phone),
            Field("email", "E-mail", clean=_email),
            Field("availability", "Bereikbaar", clean=text(200), placeholder="ma-vr na 17:00"),
            Field("out_of_hours", "Bereikbaar buiten kantoortijd", kind="choice", choices=YES_NO),
            Field(
                "consent_to_share",
                "Toestemming om in de gedeelde afspraken te staan",
                kind="choice",
                choices=YES_NO,
            ),
            Field("consent_on", "Toestemming gegeven op", clean=_given_on, placeholder="vandaag"),
            Field(
                "consent_review_on",
                "Opnieuw vragen op",
                clean=_review_on,
                placeholder="over een jaar",
            ),
            Field(
                "remind_by_mail",
                "Toestemming om per mail herinnerd te worden aan afspraken",
                kind="choice",
                choices=YES_NO,
            ),
            Field(
                "remind_on", "Toestemming mail gegeven op", clean=_given_on, placeholder="vandaag"
            ),
            Field(
                "remind_review_on",
                "Mail opnieuw vragen op",
                clean=_review_on,
                placeholder="over een jaar",
            ),
            Field(
                "resource_id",
                "Op de sociale kaart",
                kind="choice",
                choices=[("geen", None), *((name, rid) for rid, name in self.resources)],
                store_name="resource",
            ),
            Field("notes", "Notities", kind="area", clean=text(4000)),
        )

    def initial(self) -> dict[str, Any]:
        if self.current is None:
            return {
                "kind": MemberKind.INFORMAL,
                "ring": 2,
                "out_of_hours": False,
                "consent_to_share": False,
                "remind_by_mail": False,
            }
        # The store's input record has the form's field names.
        return asdict(self.current[1])

    def check(self, values: dict[str, Any]) -> dict[str, str]:
        wrong: dict[str, str] = {}
        for consent, on, review_on in (
            ("consent_to_share", "consent_on", "consent_review_on"),
            ("remind_by_mail", "remind_on", "remind_review_on"),
        ):
            given, review = values.get(on), values.get(review_on)
            if values.get(consent) and given and review and review <= given:
                wrong[review_on] = "Deze datum ligt na de datum van de toestemming."
        if values.get("remind_by_mail") and not values.get("email"):
            wrong["email"] = "Herinneren per mail kan alleen met een e-mailadres."
        return wrong

    def cautions(self, register: Register, values: dict[str, Any], today: date) -> dict[str, str]:
        """The relation of a member with consent is in the shared agreements."""
        if not values.get("consent_to_share"):
            return {}
        member_id = self.current[0] if self.current is not None else None
        facts = sharing_facts(register, self.client_id)
        return naming_cautions(facts, today, {"relation": values["relation"]}, member_id)

    def save(self, register: Register, values: dict[str, Any], today: date) -> Created:
        data = MemberInput(**values)
        if self.current is None:
            return add_member(register, self.client_id, data, today)
        member_id, _, version = self.current
        return update_member(register, member_id, version, data, today)

    def rebuild(self, typed: dict[str, Any]) -> MemberForm:
        return MemberForm(self.client_id, self.client_name, self.resources, self.current, typed)
