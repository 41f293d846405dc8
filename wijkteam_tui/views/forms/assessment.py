"""A ZRM or a conversation about Positieve Gezondheid (`n` on the Ontwikkeling tab), or one
corrected (`e`: the old version is kept). One line per domain: the score, then any note
("2 schulden groeien weer"); a domain left empty was not scored. A drop since the previous ZRM
is an alert at once."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from wijkteam_tui.domain.fields import FieldError, clean_date
from wijkteam_tui.domain.outcomes import DOMAINS, SCALE, ZRM_LEVELS, score_and_note
from wijkteam_tui.domain.terms import AssessmentKind
from wijkteam_tui.store.outcomes.assessments import record_assessment, update_assessment
from wijkteam_tui.store.read.outcomes import AssessmentRow
from wijkteam_tui.store.records import AssessmentInput, ContactResult
from wijkteam_tui.store.register import Register
from wijkteam_tui.views.forms.base import Clean, Field, FormScreen, text


def _assessed_on(value: str, today: date) -> date:
    return clean_date(value or "", today, not_after=today) or today


def _scored(kind: AssessmentKind) -> Clean:
    def clean(value: str, _today: date) -> tuple[int | None, str] | None:
        try:
            return score_and_note(kind, value or "")
        except ValueError as error:
            raise FieldError(str(error)) from None

    return clean


def _typed(score: int | None, note: str) -> str:
    return " ".join(part for part in ("n.v.t." if score is None else str(score), note) if part)


class AssessmentForm(FormScreen[ContactResult]):
    def __init__(
        self,
        client_id: int,
        client_name: str,
        kind: AssessmentKind,
        row: AssessmentRow | None = None,
        typed: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(typed)
        self.client_id = client_id
        self.client_name = client_name
        self.kind = kind
        self.row = row
        what = "ZRM" if kind is AssessmentKind.ZRM else "Positieve Gezondheid"
        self.title_text = (
            f"{what} van {client_name}"
            if row is None
            else f"{what} van {client_name} corrigeren (de vorige versie blijft bewaard)"
        )
        low, high = SCALE[kind]
        self.intro_text = (
            "Per domein de score, dan eventueel een toelichting; n.v.t.: speelt niet; leeg:"
            " niet besproken. "
            + ", ".join(
                f"{level} {words.removesuffix(' zelfredzaam')}"
                for level, words in ZRM_LEVELS.items()
            )
            + " zelfredzaam."
            if kind is AssessmentKind.ZRM
            else f"Per dimensie het cijfer dat de cliënt zelf geeft ({low} tot {high}), dan"
            " eventueel een toelichting; leeg: niet besproken."
        )

    def fields(self) -> Sequence[Field]:
        low, high = SCALE[self.kind]
        also = " of n.v.t." if self.kind is AssessmentKind.ZRM else ""
        domains = [
            Field(
                domain.code,
                domain.label,
                clean=_scored(self.kind),
                placeholder=f"{low}–{high}{also}, dan eventueel een toelichting",
                optional="",
            )
            for domain in DOMAINS[self.kind]
        ]
        words = (
            [Field("own_words", "In eigen woorden", kind="area", clean=text(4000))]
            if self.kind is AssessmentKind.PG
            else []
        )
        return (
            Field("assessed_on", "Datum", clean=_assessed_on, placeholder="vandaag"),
            *domains,
            *words,
        )

    def initial(self) -> dict[str, Any]:
        row = self.row
        if row is None:
            return {}
        values: dict[str, Any] = {s.code: _typed(s.score, s.note) for s in row.scores}
        return {**values, "assessed_on": row.assessed_on.isoformat(), "own_words": row.own_words}

    def check(self, values: dict[str, Any]) -> dict[str, str]:
        scored = [values[d.code] for d in DOMAINS[self.kind] if values.get(d.code)]
        if not any(score is not None for score, _ in scored):
            return {DOMAINS[self.kind][0].code: "Geef ten minste één domein een score."}
        return {}

    def save(self, register: Register, values: dict[str, Any], today: date) -> ContactResult:
        given = {d.code: values[d.code] for d in DOMAINS[self.kind] if values.get(d.code)}
        data = AssessmentInput(
            self.kind,
            values["assessed_on"],
            {code: score for code, (score, _) in given.items()},
            {code: note for code, (_, note) in given.items() if note},
            values.get("own_words") or "",
        )
        if self.row is None:
            return record_assessment(register, self.client_id, data, today)
        return update_assessment(register, self.row.id, self.row.version, data, today)

    def rebuild(self, typed: dict[str, Any]) -> AssessmentForm:
        return AssessmentForm(self.client_id, self.client_name, self.kind, self.row, typed)
