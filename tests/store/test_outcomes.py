"""Outcomes over time, on both backends: a ZRM or Positieve Gezondheid recorded and corrected
(the old version kept), and a drop as a signal. Each rule at its boundary, worked out by hand:
2 levels in one domain (or to 1–2 from 3 or more), 1 level in 3 domains, and no assessment
for more than 183 days in duurzaam in beeld; re-evaluated after an old assessment is edited,
resolved by a new one or by hand, idempotent like the other alerts."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import select

from tests.store.conftest import TODAY
from wijkteam_tui.domain.terms import (
    AlertStatus,
    AssessmentKind,
    Channel,
    MemberKind,
    Phase,
    Role,
    ThresholdRule,
)
from wijkteam_tui.errors import NotWorkingForError, ValidationError
from wijkteam_tui.store import services
from wijkteam_tui.store.models import Alert, Client, TeamSettings
from wijkteam_tui.store.outcomes.assessments import record_assessment, update_assessment
from wijkteam_tui.store.outcomes.models import AssessmentRevision
from wijkteam_tui.store.read.inzage import client_inzage
from wijkteam_tui.store.read.outcomes import client_assessments, quarter_outcomes
from wijkteam_tui.store.records import AgreementInput, AssessmentInput, ClientInput, MemberInput
from wijkteam_tui.store.users import add_user

ZRM = AssessmentKind.ZRM
FIRST, SECOND = date(2026, 6, 10), date(2026, 11, 10)
LONG_AGO = date(2024, 6, 1)
#: Five domains at a steady level, for a first assessment.
STEADY = {
    "financien": 4,
    "huisvesting": 4,
    "sociaal_netwerk": 5,
    "geestelijke_gezondheid": 3,
    "justitie": None,
}


def zrm(on: date, **changes: int | None) -> AssessmentInput:
    return AssessmentInput(ZRM, on, {**STEADY, **changes})


def open_alerts(register, client_id: int, rule: ThresholdRule) -> list[Alert]:
    with register.read() as session:
        return list(
            session.scalars(
                select(Alert).where(
                    Alert.client_id == client_id,
                    Alert.rule == rule,
                    Alert.status != AlertStatus.RESOLVED,
                )
            )
        )


@pytest.fixture
def client(register):
    return services.create_client(
        register, ClientInput("Truus Smit", LONG_AGO, casemanager_id=register.user.id), TODAY
    ).id


@pytest.mark.parametrize(
    ("changes", "raised"),
    [
        ({"financien": 2}, "financiën 4→2"),  # 2 levels in one domain
        ({"financien": 3}, None),  # 1 level: not yet
        ({"geestelijke_gezondheid": 2}, "geestelijke gezondheid 3→2"),  # to 2 from 3
        ({"sociaal_netwerk": 3}, "sociaal netwerk 5→3"),  # 2 levels, still 3
        ({"justitie": 1}, None),  # n.v.t. before: nothing to compare
        ({"financien": 5, "huisvesting": 5}, None),  # better
    ],
)
def test_a_drop_in_one_domain_is_an_alert_naming_it(register, client, changes, raised):
    record_assessment(register, client, zrm(FIRST), TODAY)
    result = record_assessment(register, client, zrm(SECOND, **changes), TODAY)
    alerts = open_alerts(register, client, ThresholdRule.OUTCOME_DROP)
    if raised is None:
        assert alerts == []
        assert not any("ZRM" in r for r in result.raised)
        return
    [alert] = alerts
    assert alert.reason == f"ZRM gedaald: {raised} (meting 10-11-2026, vorige 10-06-2026)."
    assert result.raised == [alert.reason]


def test_from_2_to_1_is_no_drop_to_low_but_2_levels_from_4_is(register, client):
    record_assessment(register, client, zrm(FIRST, financien=2), TODAY)
    record_assessment(register, client, zrm(SECOND, financien=1), TODAY)
    assert open_alerts(register, client, ThresholdRule.OUTCOME_DROP) == []


@pytest.mark.parametrize(("fallen", "raised"), [(2, False), (3, True)])
def test_one_level_in_three_domains_is_an_alert(register, client, fallen, raised):
    record_assessment(register, client, zrm(FIRST), TODAY)
    lower = dict(list({"financien": 3, "huisvesting": 3, "sociaal_netwerk": 4}.items())[:fallen])
    record_assessment(register, client, zrm(SECOND, **lower), TODAY)
    alerts = open_alerts(register, client, ThresholdRule.OUTCOME_SPREAD)
    assert bool(alerts) is raised
    assert open_alerts(register, client, ThresholdRule.OUTCOME_DROP) == []
    if raised:
        assert alerts[0].reason == (
            "ZRM lager in 3 domeinen: financiën 4→3, huisvesting 4→3, sociaal netwerk 5→4"
            " (meting 10-11-2026, vorige 10-06-2026)."
        )


def test_a_new_assessment_resolves_the_drop_and_evaluating_again_raises_nothing(register, client):
    record_assessment(register, client, zrm(FIRST), TODAY)
    record_assessment(register, client, zrm(SECOND, financien=2), TODAY)
    [alert] = open_alerts(register, client, ThresholdRule.OUTCOME_DROP)
    # Evaluating again changes nothing (the same episode).
    services.evaluate_stale_clients(register, TODAY + timedelta(days=1))
    assert [a.id for a in open_alerts(register, client, ThresholdRule.OUTCOME_DROP)] == [alert.id]
    result = record_assessment(register, client, zrm(TODAY, financien=3), TODAY)
    assert open_alerts(register, client, ThresholdRule.OUTCOME_DROP) == []
    assert "Automatisch opgelost: een nieuwe of gewijzigde ZRM." in result.resolved


def test_editing_the_older_assessment_evaluates_again_and_keeps_what_it_said(register, client):
    first = record_assessment(register, client, zrm(FIRST, financien=3), TODAY).moment_id
    record_assessment(register, client, zrm(SECOND, financien=2), TODAY)
    [alert] = open_alerts(register, client, ThresholdRule.OUTCOME_DROP)
    assert "financiën 3→2 " in alert.reason
    # The first one was misread: financiën was 2 then as well. No drop.
    [row, _] = client_assessments(register, client, TODAY)
    corrected = replace(zrm(FIRST), scores={**zrm(FIRST).scores, "financien": 2})
    result = update_assessment(register, first, row.version, corrected, TODAY)
    assert open_alerts(register, client, ThresholdRule.OUTCOME_DROP) == []
    assert result.resolved == ["Automatisch opgelost: een nieuwe of gewijzigde ZRM."]
    [row, _] = client_assessments(register, client, TODAY)
    assert (row.version, row.revisions, row.score_of("financien")) == (2, 1, 2)
    assert row.changed_by == "anna"
    with register.read() as session:
        [kept] = session.scalars(select(AssessmentRevision)).all()
    assert (kept.revision, kept.assessed_on) == (1, FIRST)
    assert json.loads(kept.scores)["financien"] == [3, ""]
    # Corrected back: the drop holds again, as a new alert for the same episode.
    again = replace(corrected, scores={**corrected.scores, "financien": 4})
    update_assessment(register, first, 2, again, TODAY)
    [alert] = open_alerts(register, client, ThresholdRule.OUTCOME_DROP)
    assert "financiën 4→2 " in alert.reason


def test_resolved_by_hand_stays_resolved_until_a_new_drop(register, client):
    record_assessment(register, client, zrm(FIRST), TODAY)
    record_assessment(register, client, zrm(SECOND, financien=2), TODAY)
    [alert] = open_alerts(register, client, ThresholdRule.OUTCOME_DROP)
    services.resolve_alert(register, alert.id, "Besproken; schuldhulp loopt al.", TODAY)
    services.evaluate_stale_clients(register, TODAY + timedelta(days=2))
    assert open_alerts(register, client, ThresholdRule.OUTCOME_DROP) == []
    record_assessment(register, client, zrm(TODAY, financien=2, huisvesting=1), TODAY)
    [new] = open_alerts(register, client, ThresholdRule.OUTCOME_DROP)
    assert new.id != alert.id and "huisvesting 4→1" in new.reason


def test_a_clients_own_threshold_overrides_the_team(register, client):
    services.set_threshold(
        register, client, ThresholdRule.OUTCOME_DROP, count=3, reason="Schommelt altijd wat",
        today=TODAY,
    )  # fmt: skip
    record_assessment(register, client, zrm(FIRST), TODAY)
    record_assessment(register, client, zrm(SECOND, sociaal_netwerk=3), TODAY)
    assert open_alerts(register, client, ThresholdRule.OUTCOME_DROP) == []
    # Falling to 2 from 3 or more stays a drop whatever the number of levels.
    record_assessment(register, client, zrm(TODAY, sociaal_netwerk=2), TODAY)
    [alert] = open_alerts(register, client, ThresholdRule.OUTCOME_DROP)
    assert (
        alert.reason == "ZRM gedaald: sociaal netwerk 3→2 (meting 22-11-2026, vorige 10-11-2026)."
    )


def in_view_client(register, came: date) -> int:
    """A client opened a month before `came`, with a neighbour who visits, in duurzaam in beeld
    from `came` on; the team counts from the register's start (a new register)."""
    start = came - timedelta(days=30)
    client = services.create_client(
        register, ClientInput("Kees Bakker", start, casemanager_id=register.user.id), start
    ).id
    member = services.add_member(
        register, client, MemberInput("Fenna de Vries", MemberKind.INFORMAL, relation="buur"), start
    ).id
    services.add_agreement(
        register, client, AgreementInput(Channel.VISIT, start, member_id=member, interval_days=7),
        start,
    )  # fmt: skip
    services.change_phase(register, client, Phase.IN_VIEW, "Gaat goed.", came, on=came)
    with register.write() as session:
        session.get(TeamSettings, 1).outcomes_since = None
    return client


@pytest.mark.parametrize(("days", "raised"), [(183, False), (184, True)])
def test_no_assessment_for_half_a_year_in_duurzaam_in_beeld(register, days, raised):
    came = date(2026, 5, 1)
    client = in_view_client(register, came)
    day = came + timedelta(days=days)
    services.evaluate_stale_clients(register, day)
    alerts = open_alerts(register, client, ThresholdRule.OUTCOME_OVERDUE)
    assert bool(alerts) is raised
    if raised:
        assert alerts[0].reason == (
            "Geen ZRM of Positieve Gezondheid sinds duurzaam in beeld op 01-05-2026"
            " (grens 183 dagen)."
        )
        # A conversation about Positieve Gezondheid counts as well, and resolves it.
        pg = AssessmentInput(AssessmentKind.PG, day, {"meedoen": 6}, own_words="Gaat wel.")
        result = record_assessment(register, client, pg, day)
        assert result.resolved == ["Automatisch opgelost: er is weer gemeten."]


def test_the_day_the_last_assessment_grows_too_old_wakes_the_client(register):
    for rule in (ThresholdRule.OUT_OF_VIEW, ThresholdRule.MISSED_IN_ROW):
        services.set_threshold(register, None, rule, enabled=False, today=TODAY)
    client = in_view_client(register, date(2026, 1, 5))
    record_assessment(register, client, zrm(date(2026, 2, 1)), date(2026, 2, 1))
    # 183 days after 1 February is 3 August: the next day is the first one over the limit,
    # and the day the sweep evaluates the client again (nothing else would wake it).
    with register.read() as session:
        assert session.get(Client, client).reevaluate_on == date(2026, 8, 4)
    services.evaluate_stale_clients(register, date(2026, 8, 4))
    [alert] = open_alerts(register, client, ThresholdRule.OUTCOME_OVERDUE)
    assert alert.reason == "Geen ZRM of Positieve Gezondheid sinds 01-02-2026 (grens 183 dagen)."


def test_an_upgraded_register_counts_from_the_day_outcomes_came(register):
    client = in_view_client(register, date(2025, 1, 1))
    with register.write() as session:
        session.get(TeamSettings, 1).outcomes_since = date(2026, 12, 1)
    services.evaluate_stale_clients(register, date(2027, 6, 2))
    assert open_alerts(register, client, ThresholdRule.OUTCOME_OVERDUE) == []
    services.evaluate_stale_clients(register, date(2027, 6, 3))
    assert open_alerts(register, client, ThresholdRule.OUTCOME_OVERDUE) != []


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (zrm(TODAY + timedelta(days=1)), "toekomst"),
        (zrm(LONG_AGO - timedelta(days=1)), "voor de opening"),
        (AssessmentInput(AssessmentKind.PG, TODAY, {"meedoen": 11}), "0 tot 10"),
        (AssessmentInput(AssessmentKind.PG, TODAY, {"meedoen": None}), "geef een cijfer"),
        (AssessmentInput(ZRM, TODAY, {"meedoen": 3}), "hoort niet bij ZRM"),
        (AssessmentInput(ZRM, TODAY, {"financien": None}), "ten minste één"),
        (AssessmentInput(ZRM, TODAY, {"financien": 0}), "1 tot 5"),
    ],
)
def test_wrong_input_is_refused_and_nothing_is_written(register, client, data, message):
    with pytest.raises(ValidationError, match=message):
        record_assessment(register, client, data, TODAY)
    assert client_assessments(register, client, TODAY) == []


def test_a_medewerker_who_does_not_work_for_the_client_records_nothing(
    register, client, new_register
):
    from wijkteam_tui.store.opening import open_register
    from wijkteam_tui.store.read.edit import team_settings_for_edit
    from wijkteam_tui.store.write.settings import update_team_settings

    settings, version = team_settings_for_edit(register)
    update_team_settings(register, version, replace(settings, access="werk"))
    add_user(register, "dirk", Role.MEDEWERKER, passphrase="dirk zijn wachtwoord")
    dirk = open_register(new_register.path, "dirk", "dirk zijn wachtwoord")
    try:
        with pytest.raises(NotWorkingForError):
            record_assessment(dirk, client, zrm(FIRST), TODAY)
        with pytest.raises(NotWorkingForError):
            client_assessments(dirk, client, TODAY)
    finally:
        dirk.close()


def test_the_inzage_holds_the_assessments_their_scores_and_edits(register, client):
    first = record_assessment(register, client, zrm(FIRST), TODAY).moment_id
    update_assessment(register, first, 1, zrm(FIRST, financien=3), TODAY)
    document = client_inzage(register, client).document
    assert [a["assessed_on"] for a in document["assessments"]] == ["2026-06-10"]
    scores = {s["domain"]: s["score"] for s in document["assessment_scores"]}
    assert scores["financien"] == 3 and scores["justitie"] is None
    [revision] = document["assessment_revisions"]
    assert json.loads(revision["scores"])["financien"] == [4, ""]


def test_the_quarter_counts_who_improved_held_or_dropped(register, client):
    others = [
        services.create_client(register, ClientInput(name, LONG_AGO), TODAY).id
        for name in ("Piet Jansen", "Joke Visser", "Ali Demir")
    ]
    before, now = date(2026, 9, 1), date(2026, 11, 15)
    record_assessment(register, client, zrm(before), TODAY)
    record_assessment(register, client, zrm(now, financien=2), TODAY)  # dropped
    record_assessment(register, others[0], zrm(before), TODAY)
    record_assessment(register, others[0], zrm(now, huisvesting=5), TODAY)  # improved
    record_assessment(register, others[1], zrm(before), TODAY)
    record_assessment(register, others[1], zrm(now), TODAY)  # held
    record_assessment(register, others[2], zrm(now), TODAY)  # first this quarter
    counted = quarter_outcomes(register, TODAY)
    assert (counted.start, counted.improved, counted.held, counted.dropped, counted.first) == (
        date(2026, 10, 1), 1, 1, 1, 1,
    )  # fmt: skip
