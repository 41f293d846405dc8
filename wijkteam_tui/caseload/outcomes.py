"""The Ontwikkeling sheet of a caseload: a row per ZRM assessment or conversation about
Positieve Gezondheid (the kind, the day, the client's own words, and per domain its score and
its note), read into an entry and planned against the client it belongs to.

A score is a whole number on its kind's scale ("3", or "3 - beperkt zelfredzaam" as other
systems write it, or the ZRM level's own words), or n.v.t. for a ZRM domain that does not
apply; an empty cell is a domain not scored. A row is refused for what the register would
refuse (a day ahead or before the file opened, a score off the scale, nothing scored) and for
what would be lost (a note without a score, a score in a column of the other kind). An
assessment the client has already, on that day and of that kind, is not made again when the
file says nothing else of it; when it says something else, the row is refused: a recorded
assessment is corrected in the client's file, where its earlier version is kept."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date

from wijkteam_tui.caseload import values
from wijkteam_tui.caseload.columns import NOTE, SCORE, normal
from wijkteam_tui.caseload.entries import AssessmentEntry, ClientEntry, Where
from wijkteam_tui.caseload.row import Row
from wijkteam_tui.caseload.sheets import Cell
from wijkteam_tui.domain.outcomes import DOMAINS, ZRM_LEVELS, Domain, parse_score
from wijkteam_tui.domain.terms import AssessmentKind
from wijkteam_tui.store.read.caseload import KnownAssessment, KnownClient
from wijkteam_tui.store.records import AssessmentInput

_KINDS = {
    **{normal(k.value): k for k in AssessmentKind},
    **{normal(k.label): k for k in AssessmentKind},
    "zelfredzaamheidmatrix": AssessmentKind.ZRM,
    "zelfredzaamheidsmatrix": AssessmentKind.ZRM,
    "spinnenweb": AssessmentKind.PG,
    "positievegezondheidspinnenweb": AssessmentKind.PG,
}
_LEVELS = {normal(words): level for level, words in ZRM_LEVELS.items()}
#: "3", "3 - beperkt zelfredzaam", "3 (beperkt zelfredzaam)", "3: …".
_LEADING_NUMBER = re.compile(r"(\d{1,2})(?:\s*[-–:(].*)?", re.DOTALL)
#: The longest note of a domain and the longest own words, as the forms take them.
NOTE_LIMIT, WORDS_LIMIT = 1000, 4000


def _kind(cell: Cell) -> AssessmentKind | None:
    written = values.text(cell)
    if not written:
        return None
    found = _KINDS.get(normal(written))
    if found is None:
        raise values.CellError(f"'{written}' is geen soort meting (ZRM of Positieve Gezondheid).")
    return found


def _scorer(kind: AssessmentKind) -> Callable[[str], int | None]:
    def score(written: str) -> int | None:
        if kind is AssessmentKind.ZRM and normal(written) in _LEVELS:
            return _LEVELS[normal(written)]
        if kind is AssessmentKind.ZRM and normal(written) in ("nvt", "nietvantoepassing"):
            return None
        leading = _LEADING_NUMBER.fullmatch(written.strip())
        try:
            return parse_score(kind, leading.group(1) if leading else written)
        except ValueError as error:
            raise values.CellError(str(error)) from None

    return score


def _header(domain: Domain) -> str:
    return domain.label[:1].upper() + domain.label[1:]


def assessment_entry(row: Row) -> AssessmentEntry | None:
    """The row's assessment, or None with its problems in the row."""
    kind = row.read("kind", _kind)
    assessed_on = row.read("assessed_on", values.date_value)
    for key, found, what in (("kind", kind, "de soort"), ("assessed_on", assessed_on, "de datum")):
        if found is None and not any(p.column == row.layout.chosen[key] for p in row.problems):
            row.problem(key, f"{what} is leeg.")
    own_words = row.text("own_words", WORDS_LIMIT)
    if kind is None:
        return None
    scores, notes = _scored(row, kind)
    if not row.problems and not any(score is not None for score in scores.values()):
        row.problem("kind", f"geen enkel domein van de {kind.label} heeft een score.")
    if row.problems or assessed_on is None:
        return None
    return AssessmentEntry(
        row.where, kind, assessed_on, scores, notes, own_words, present=row.present
    )


def _scored(row: Row, kind: AssessmentKind) -> tuple[dict[str, int | None], dict[str, str]]:
    """The row's scores and notes by domain code; a cell of the other kind's domains, or a
    note without its score, is a problem (nothing the file says is left out unsaid)."""
    scores: dict[str, int | None] = {}
    notes: dict[str, str] = {}
    for domain_kind, domains in DOMAINS.items():
        for domain in domains:
            written = row.text(SCORE + domain.code, 60)
            note = row.text(NOTE + domain.code, NOTE_LIMIT)
            if not (written or note):
                continue
            if domain_kind is not kind:
                row.problem(
                    SCORE + domain.code if written else NOTE + domain.code,
                    f"{_header(domain)} hoort bij {domain_kind.label}, niet bij {kind.label}.",
                )
            elif not written:
                row.problem(
                    NOTE + domain.code,
                    f"een toelichting zonder score; geef {domain.label} ook een score"
                    + (" (of n.v.t.)." if kind is AssessmentKind.ZRM else "."),
                )
            else:
                try:
                    scores[domain.code] = _scorer(kind)(written)
                except values.CellError as error:
                    row.problem(SCORE + domain.code, str(error))
                if note:
                    notes[domain.code] = note
    return scores, notes


def day_text(value: date) -> str:
    return f"{value.day}-{value.month}-{value.year}"


class OutcomePlanner:
    """Plans a client's assessment rows; `refuse` records a row's problem."""

    def __init__(self, refuse: Callable[[Where, str, str], None], today: date) -> None:
        self.refuse, self.today = refuse, today

    def assessments(self, entry: ClientEntry, found: KnownClient | None) -> list[AssessmentInput]:
        """The assessments to record: each row checked as the register will, none the client
        has already (each of theirs stands for one row at most: two alike stay two)."""
        opened_on = entry.opened_on or (found.data.opened_on if found is not None else self.today)
        planned: list[AssessmentInput] = []
        taken: set[int] = set()
        for assessment in entry.assessments:
            where, on = assessment.where, assessment.assessed_on
            if on > self.today:
                self.refuse(where, "Datum", "deze datum ligt in de toekomst.")
            elif on < opened_on:
                self.refuse(
                    where, "Datum", f"ligt voor de start van het dossier ({day_text(opened_on)})."
                )
            else:
                data = AssessmentInput(
                    assessment.kind, on, assessment.scores, assessment.notes, assessment.own_words
                )
                if not self._known(where, data, found, taken):
                    planned.append(data)
        return planned

    def _known(
        self, where: Where, data: AssessmentInput, found: KnownClient | None, taken: set[int]
    ) -> bool:
        """Whether the client has this assessment already, not taken by an earlier row
        (refused, when the register's of that day and kind say otherwise)."""
        same_day = [
            index
            for index, known in enumerate(found.assessments if found is not None else ())
            if (known.kind, known.assessed_on) == (data.kind, data.assessed_on)
            and index not in taken
        ]
        if not same_day:
            return False
        assert found is not None
        agreeing = next((i for i in same_day if _agrees(data, found.assessments[i])), None)
        if agreeing is not None:
            taken.add(agreeing)
            return True
        self.refuse(
            where,
            "Datum",
            f"de {data.kind.label} van {day_text(data.assessed_on)} staat al in het register,"
            " met andere scores of woorden; een meting corrigeer je in het dossier"
            " (Ontwikkeling), of laat deze rij weg.",
        )
        return True


def _agrees(data: AssessmentInput, known: KnownAssessment) -> bool:
    """Whether every cell the file filled in says what the register holds."""
    return (
        all(known.scores.get(code, -1) == score for code, score in data.scores.items())
        and all(known.notes.get(code, "") == note for code, note in data.notes.items())
        and (not data.own_words or data.own_words == known.own_words)
    )
