"""Recording a client's outcomes: a ZRM assessment or a conversation about Positieve
Gezondheid, and correcting one later. An edit keeps what it said before (assessment_revisions),
and every change evaluates the client's alerts again: a drop since the previous ZRM raises one,
a new or corrected assessment resolves it (domain.thresholds)."""

from __future__ import annotations

import json
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from wijkteam_tui.errors import ValidationError
from wijkteam_tui.store.clock import utc_now
from wijkteam_tui.store.cover.access import require_access
from wijkteam_tui.store.outcomes.models import Assessment, AssessmentRevision, AssessmentScore
from wijkteam_tui.store.outcomes.recording import add_assessment, apply_assessment, check_assessment
from wijkteam_tui.store.records import AssessmentInput, ContactResult
from wijkteam_tui.store.refresh import refresh_client
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.write.common import (
    acting_user,
    check_version,
    existing_client,
    team_settings,
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
    check_assessment(data, today)
    with register.write(client=client_id) as session:
        require_access(register, session.connection(), client_id, today)
        client = existing_client(session, client_id)
        assessment = add_assessment(session, client.id, data, user_id, today)
        return _result(session, assessment, today)


def update_assessment(
    register: Register, assessment_id: int, version: int, data: AssessmentInput, today: date
) -> ContactResult:
    """Correct an assessment (its kind stays); what it said before is kept as a revision.
    Refused when someone else changed it first."""
    user_id = acting_user(register)
    check_assessment(data, today)
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
        apply_assessment(session, assessment, data)
        assessment.changed_by_id = user_id
        assessment.changed_at = utc_now()
        assessment.version += 1
        session.flush()
        return _result(session, assessment, today)
