"""A client's outcomes over time (the Ontwikkeling tab, `wijkteam outcome show`), one
assessment as it is to be corrected, and the team's quarter: how many clients improved, held
or dropped since their assessment before it."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import Subquery, func, select, union_all
from sqlalchemy.orm import Session

from wijkteam_tui.domain import outcomes
from wijkteam_tui.domain.terms import AssessmentKind
from wijkteam_tui.store.cover.access import open_ids, require_access
from wijkteam_tui.store.models import User
from wijkteam_tui.store.outcomes.models import Assessment, AssessmentRevision, AssessmentScore
from wijkteam_tui.store.register import Register


@dataclass(frozen=True, slots=True)
class ScoreRow:
    code: str
    label: str
    #: None: not applicable.
    score: int | None
    note: str


@dataclass(frozen=True, slots=True)
class AssessmentRow:
    id: int
    version: int
    kind: AssessmentKind
    assessed_on: date
    own_words: str
    recorded_by: str
    #: Who corrected it last and when (None: as recorded), and how many times.
    changed_by: str | None
    changed_at: datetime | None
    revisions: int
    #: The scored domains, in the kind's order.
    scores: tuple[ScoreRow, ...]

    def score_of(self, code: str) -> int | None:
        return next((s.score for s in self.scores if s.code == code), None)


def _rows(session: Session, assessments: list[Assessment]) -> list[AssessmentRow]:
    ids = [a.id for a in assessments]
    scores: dict[int, dict[str, AssessmentScore]] = defaultdict(dict)
    for score in session.scalars(
        select(AssessmentScore).where(AssessmentScore.assessment_id.in_(ids))
    ):
        scores[score.assessment_id][score.domain] = score
    revisions = dict(
        session.execute(
            select(AssessmentRevision.assessment_id, func.count())
            .where(AssessmentRevision.assessment_id.in_(ids))
            .group_by(AssessmentRevision.assessment_id)
        ).all()
    )
    user_ids = {a.recorded_by_id for a in assessments} | {
        a.changed_by_id for a in assessments if a.changed_by_id
    }
    names = {
        user_id: display or name
        for user_id, name, display in session.execute(
            select(User.id, User.name, User.display_name).where(User.id.in_(user_ids))
        )
    }
    return [
        AssessmentRow(
            a.id,
            a.version,
            a.kind,
            a.assessed_on,
            a.own_words,
            names.get(a.recorded_by_id, "?"),
            names.get(a.changed_by_id) if a.changed_by_id else None,
            a.changed_at,
            revisions.get(a.id, 0),
            tuple(
                ScoreRow(d.code, d.label, s.score, s.note)
                for d in outcomes.DOMAINS[a.kind]
                if (s := scores[a.id].get(d.code)) is not None
            ),
        )
        for a in assessments
    ]


def client_assessments(register: Register, client_id: int, today: date) -> list[AssessmentRow]:
    """Every assessment of the client, oldest first (a medewerker who may not open the
    client gets NotWorkingForError)."""
    with register.read() as session:
        require_access(register, session.connection(), client_id, today)
        found = list(
            session.scalars(
                select(Assessment)
                .where(Assessment.client_id == client_id)
                .order_by(Assessment.assessed_on, Assessment.id)
            )
        )
        return _rows(session, found)


@dataclass(frozen=True, slots=True)
class QuarterOutcomes:
    """Clients assessed this quarter against their assessment before it (domain.outcomes
    `direction`; a client dropped in one kind counts as dropped)."""

    start: date
    improved: int
    held: int
    dropped: int
    #: Assessed this quarter for the first time: nothing to compare with.
    first: int


def quarter_start(today: date) -> date:
    return date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)


def quarter_outcomes(register: Register, today: date) -> QuarterOutcomes:
    """How the clients one may open did this quarter, for the review."""
    start = quarter_start(today)
    with register.read() as session:
        conn = session.connection()
        visible = open_ids(register, conn, today)
        # Per client and kind: the newest assessment this quarter and the newest before it.
        latest_in = (
            select(
                Assessment.client_id, Assessment.kind, func.max(Assessment.assessed_on).label("on")
            )
            .where(Assessment.assessed_on >= start, Assessment.assessed_on <= today)
            .group_by(Assessment.client_id, Assessment.kind)
            .subquery()
        )
        before = (
            select(
                Assessment.client_id, Assessment.kind, func.max(Assessment.assessed_on).label("on")
            )
            .join(
                latest_in,
                (latest_in.c.client_id == Assessment.client_id)
                & (latest_in.c.kind == Assessment.kind),
            )
            .where(Assessment.assessed_on < start)
            .group_by(Assessment.client_id, Assessment.kind)
            .subquery()
        )
        pairs: dict[tuple[int, AssessmentKind], list[date]] = defaultdict(list)
        for client_id, kind, on in session.execute(select(latest_in)):
            pairs[(client_id, kind)].append(on)
        for client_id, kind, on in session.execute(select(before)):
            pairs[(client_id, kind)].insert(0, on)
        if visible is not None:
            pairs = {key: days for key, days in pairs.items() if key[0] in visible}
        scores = _scores_on(session, union_all(select(latest_in), select(before)).subquery())
    directions: dict[int, set[str]] = defaultdict(set)
    for (client_id, kind), days in pairs.items():
        if len(days) < 2:
            directions.setdefault(client_id, set())
            continue
        found = outcomes.changes(
            kind, scores[(client_id, kind, days[0])], scores[(client_id, kind, days[1])]
        )
        directions[client_id].add(outcomes.direction(kind, found))
    counted = [
        outcomes.DROPPED
        if outcomes.DROPPED in seen
        else outcomes.IMPROVED
        if outcomes.IMPROVED in seen
        else outcomes.HELD
        for seen in directions.values()
        if seen
    ]
    return QuarterOutcomes(
        start,
        counted.count(outcomes.IMPROVED),
        counted.count(outcomes.HELD),
        counted.count(outcomes.DROPPED),
        sum(1 for seen in directions.values() if not seen),
    )


def _scores_on(
    session: Session, days: Subquery
) -> dict[tuple[int, AssessmentKind, date], dict[str, int | None]]:
    """The scores of the newest assessment of each (client, kind, day) in `days`."""
    found: dict[tuple[int, AssessmentKind, date], dict[str, int | None]] = defaultdict(dict)
    taken: dict[tuple[int, AssessmentKind, date], int] = {}
    rows = session.execute(
        select(
            Assessment.client_id,
            Assessment.kind,
            Assessment.assessed_on,
            Assessment.id,
            AssessmentScore.domain,
            AssessmentScore.score,
        )
        .join(AssessmentScore, AssessmentScore.assessment_id == Assessment.id)
        .join(
            days,
            (days.c.client_id == Assessment.client_id)
            & (days.c.kind == Assessment.kind)
            & (days.c.on == Assessment.assessed_on),
        )
        .order_by(Assessment.id.desc())
    )
    for client_id, kind, on, assessment_id, domain, score in rows:
        key = (client_id, kind, on)
        if taken.setdefault(key, assessment_id) == assessment_id:
            found[key][domain] = score
    return found
