"""Recording a client's outcomes: a ZRM assessment or a conversation about Positieve
Gezondheid, and correcting one later. An edit keeps what it said before (assessment_revisions),
and every change evaluates the client's alerts again: a drop since the previous ZRM raises one,
a new or corrected assessment resolves it (domain.thresholds)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from wijkteam_tui.domain.dates import format_date
from wijkteam_tui.domain.outcomes import DOMAINS, SCALE, label_of
from wijkteam_tui.domain.terms import AssessmentKind
from wijkteam_tui.errors import ValidationError
from wijkteam_tui.store.clock import utc_now
from wijkteam_tui.store.cover.access import require_access
from wijkteam_tui.store.outcomes.models import Assessment, AssessmentRevision, AssessmentScore
from wijkteam_tui.store.records import ContactResult
from wijkteam_tui.store.refresh import refresh_client
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.common import (
    acting_user,
    check_version,
    existing_client,
    optional_text,
    team_settings,
)


@dataclass(frozen=True, slots=True)
class AssessmentInput:
    kind: AssessmentKind
    assessed_on: date
    #: Per domain code its score; None: not applicable (ZRM). Domains left out were not scored.
    scores: Mapping[str, int | None]
    #: Per domain code a note.
    notes: Mapping[str, str] = field(default_factory=dict)
    #: Positieve Gezondheid: what the client said, in their own words.
    own_words: str = ""


def _checked(data: AssessmentInput, today: date) -> None:
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


def _apply(session: Session, assessment: Assessment, data: AssessmentInput) -> None:
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


def _result(session: Session, assessment: Assessment, today: date) -> ContactResult:
    client = existing_client(session, assessment.client_id)
    refreshed = refresh_client(session, client, today, team_settings(session))
    return ContactResult(
        moment_id=assessment.id,
        agreement_next_due=None,
        client_next_due=client.next_due,
        raised=refreshed.raised,
        resolved=refreshed.resolved,
    )


def record_assessment(
    register: Register, client_id: int, data: AssessmentInput, today: date
) -> ContactResult:
    """Record an assessment and evaluate the client's alerts again (`moment_id` is the
    assessment's id)."""
    user_id = acting_user(register)
    _checked(data, today)
    with register.write(client=client_id) as session:
        require_access(register, session.connection(), client_id, today)
        client = existing_client(session, client_id)
        assessment = Assessment(
            client_id=client.id, kind=data.kind, assessed_on=data.assessed_on,
            recorded_by_id=user_id,
        )  # fmt: skip
        session.add(assessment)
        session.flush()
        _apply(session, assessment, data)
        session.flush()
        return _result(session, assessment, today)


def update_assessment(
    register: Register, assessment_id: int, version: int, data: AssessmentInput, today: date
) -> ContactResult:
    """Correct an assessment (its kind stays); what it said before is kept as a revision.
    Refused when someone else changed it first."""
    user_id = acting_user(register)
    _checked(data, today)
    with register.write(of=(Assessment, assessment_id)) as session:
        assessment = session.get(Assessment, assessment_id)
        if assessment is None:
            raise ValidationError(f"Meting {assessment_id} bestaat niet.", "assessment")
        require_access(register, session.connection(), assessment.client_id, today)
        check_version(assessment.version, version)
        if data.kind is not assessment.kind:
            raise ValidationError("Een ZRM blijft een ZRM: leg een nieuwe meting vast.", "kind")
        before = {
            s.domain: [s.score, s.note]
            for s in session.scalars(
                select(AssessmentScore).where(AssessmentScore.assessment_id == assessment.id)
            )
        }
        session.add(
            AssessmentRevision(
                assessment_id=assessment.id,
                client_id=assessment.client_id,
                revision=assessment.version,
                assessed_on=assessment.assessed_on,
                own_words=assessment.own_words,
                scores=json.dumps(before, ensure_ascii=False, sort_keys=True),
                changed_by_id=user_id,
            )
        )
        _apply(session, assessment, data)
        assessment.changed_by_id = user_id
        assessment.changed_at = utc_now()
        assessment.version += 1
        session.flush()
        return _result(session, assessment, today)
