"""What an assessment must be, and writing one in an open transaction: the checks of the
forms and the command line, shared with the caseload import (store.write.intake), which writes
a whole file's assessments in its own transaction. Who may write, and the client's alerts, are
the caller's (assessments.py)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import delete
from sqlalchemy.orm import Session

from wijkteam_tui.domain.dates import format_date
from wijkteam_tui.domain.outcomes import DOMAINS, SCALE, label_of
from wijkteam_tui.domain.terms import AssessmentKind
from wijkteam_tui.errors import ValidationError
from wijkteam_tui.store.outcomes.models import Assessment, AssessmentScore
from wijkteam_tui.store.records import AssessmentInput
from wijkteam_tui.store.write.common import existing_client, optional_text


def check_assessment(data: AssessmentInput, today: date) -> None:
    """Refused before anything is written: a date ahead, a domain of another kind, a score off
    the scale, nothing scored at all."""
    if data.assessed_on > today:
        raise ValidationError("Een meting kan niet in de toekomst liggen.", "assessed_on")
    known = {d.code for d in DOMAINS[data.kind]}
    low, high = SCALE[data.kind]
    for code, score in data.scores.items():
        if code not in known:
            raise ValidationError(f"'{code}' hoort niet bij {data.kind.label}.", "scores")
        if score is None and data.kind is AssessmentKind.PG:
            raise ValidationError(f"{label_of(data.kind, code)}: geef een cijfer.", code)
        if score is not None and not low <= score <= high:
            raise ValidationError(
                f"{label_of(data.kind, code)}: een score van {low} tot {high}.", code
            )
    for code in data.notes:
        if code not in known:
            raise ValidationError(f"'{code}' hoort niet bij {data.kind.label}.", "notes")
    if not any(score is not None for score in data.scores.values()):
        raise ValidationError("Geef ten minste één domein een score.", "scores")


def apply_assessment(session: Session, assessment: Assessment, data: AssessmentInput) -> None:
    opened_on = existing_client(session, assessment.client_id).opened_on
    if data.assessed_on < opened_on:
        raise ValidationError(
            f"Deze datum ligt voor de opening van het dossier ({format_date(opened_on)}).",
            "assessed_on",
        )
    assessment.assessed_on = data.assessed_on
    assessment.own_words = optional_text(data.own_words, "own_words", "In eigen woorden", 4000)
    session.execute(delete(AssessmentScore).where(AssessmentScore.assessment_id == assessment.id))
    for domain in DOMAINS[data.kind]:
        if domain.code in data.scores:
            session.add(
                AssessmentScore(
                    assessment_id=assessment.id,
                    client_id=assessment.client_id,
                    domain=domain.code,
                    score=data.scores[domain.code],
                    note=optional_text(
                        data.notes.get(domain.code, ""), domain.code, domain.label, 1000
                    ),
                )
            )


def add_assessment(
    session: Session, client_id: int, data: AssessmentInput, user_id: int, today: date
) -> Assessment:
    """An assessment written in an open transaction, checked as the forms' are (the caller
    evaluates the client's alerts again, and checks who may write)."""
    check_assessment(data, today)
    assessment = Assessment(
        client_id=client_id, kind=data.kind, assessed_on=data.assessed_on,
        recorded_by_id=user_id,
    )  # fmt: skip
    session.add(assessment)
    session.flush()
    apply_assessment(session, assessment, data)
    session.flush()
    return assessment
