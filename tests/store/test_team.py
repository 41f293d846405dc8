"""The teamleider's review in the store: figures checked against numbers worked out by hand,
the trend over twelve simulated weeks, reassigning with agreements, team settings with their
history, and refusals for a medewerker."""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from sqlalchemy import func, select

from tests.store.conftest import OPENED, TODAY
from wijkteam_tui.domain.team import sparkline
from wijkteam_tui.domain.terms import Channel, MemberKind, Phase, SignalPhase, ThresholdRule
from wijkteam_tui.errors import ConflictError, RoleError, ValidationError
from wijkteam_tui.store import services
from wijkteam_tui.store.history import DailySnapshot
from wijkteam_tui.store.read.client_file import client_file, client_timeline
from wijkteam_tui.store.read.edit import client_for_edit, setting_history, team_settings_for_edit
from wijkteam_tui.store.read.search import search_clients
from wijkteam_tui.store.read.team import team_review, team_trend, write_daily_snapshot
from wijkteam_tui.store.read.today import team_info, today_list
from wijkteam_tui.store.records import AgreementInput, ClientInput, MemberInput, ObservationInput
from wijkteam_tui.store.review import TeamFilter
from wijkteam_tui.store.write.reassign import agreements_to_move, reassign_clients
from wijkteam_tui.store.write.settings import update_team_settings


@pytest.fixture
def team_register(register, bram, fatima):
    """Four open clients, worked out by hand for TODAY (Sunday 22 November 2026):

    - Fatima (anna): neighbour visits every 14 days from 1 Sep, never done: first due 15 Sep,
      overdue 68 days; the visits of 15 and 29 Sep, 13 and 27 Oct and 10 Nov missed: 5 in a
      row (team limit 3), an alert; silent since 1 Sep: uit beeld (team limit 42 days);
      moved to afschalen, and bram asked for duurzaam in beeld: one request waiting.
    - Kees (bram): bram phones every 28 days from 1 Sep, never done: due 29 Sep, overdue 54
      days; 2 calls missed (below the limit of 3); uit beeld; a red signal seen today
      (urgent); his daughter's consent was to be asked again on 1 June: to renew.
    - Lies (bram): opened 20 Nov, nothing agreed yet.
    - Piet (no casemanager): weekly call from 10 Nov, never done: due 17 Nov, overdue 5 days.
    - Joop (anna): closed; counts nowhere.
    """
    client, _, _ = fatima
    anna_id = register.user.id
    bram_id = bram.user.id
    services.change_phase(register, client.id, Phase.SCALING_BACK, "Gaat goed.", TODAY)
    services.request_sign_off(bram, client.id, "Netwerk draagt het.", TODAY)
    kees = services.create_client(
        register, ClientInput("Kees Bakker", OPENED, casemanager_id=bram_id), TODAY
    )
    services.add_agreement(
        register,
        kees.id,
        AgreementInput(Channel.PHONE, OPENED, user_id=bram_id, interval_days=28),
        TODAY,
    )
    services.add_member(
        register,
        kees.id,
        MemberInput(
            "Els Bakker",
            MemberKind.INFORMAL,
            relation="dochter",
            consent_to_share=True,
            consent_on=date(2025, 6, 1),
            consent_review_on=date(2026, 6, 1),
        ),
        TODAY,
    )
    services.record_observation(
        register, ObservationInput(kees.id, SignalPhase.RED, TODAY, note="Eet niet."), TODAY
    )
    services.create_client(
        register, ClientInput("Lies de Vries", date(2026, 11, 20), casemanager_id=bram_id), TODAY
    )
    piet = services.create_client(register, ClientInput("Piet Smit", date(2026, 11, 10)), TODAY)
    services.add_agreement(
        register, piet.id, AgreementInput(Channel.PHONE, date(2026, 11, 10), interval_days=7), TODAY
    )
    joop = services.create_client(
        register, ClientInput("Joop Dekker", OPENED, casemanager_id=anna_id), TODAY
    )
    services.change_phase(register, joop.id, Phase.CLOSED, "Verhuisd.", TODAY)
    services.daily_sweep(register, TODAY)
    return anna_id, bram_id


def _row(review, name):
    return next(row for row in review.rows if row.name == name)


def test_the_team_figures_are_the_ones_worked_out_by_hand(register, team_register):
    review = team_review(register, TODAY)
    assert [row.name for row in review.rows] == ["anna", "bram", "(geen casemanager)"]

    anna = _row(review, "anna")
    assert anna.caseload == {Phase.SCALING_BACK: 1}
    assert (anna.overdue, anna.longest_overdue_days) == (1, 68)
    assert (anna.open_alerts, anna.urgent_alerts, anna.out_of_view) == (2, 0, 1)
    assert (anna.sign_offs, anna.consents_to_renew) == (1, 0)

    bram = _row(review, "bram")
    assert bram.caseload == {Phase.INTENSIVE: 2}
    assert (bram.overdue, bram.longest_overdue_days) == (1, 54)
    assert (bram.open_alerts, bram.urgent_alerts, bram.out_of_view) == (2, 1, 1)
    assert (bram.sign_offs, bram.consents_to_renew) == (0, 1)

    nobody = _row(review, "(geen casemanager)")
    assert nobody.caseload == {Phase.INTENSIVE: 1}
    assert (nobody.overdue, nobody.longest_overdue_days, nobody.open_alerts) == (1, 5, 0)

    total = review.total
    assert total.clients == 4
    assert (total.overdue, total.longest_overdue_days) == (3, 68)
    assert (total.open_alerts, total.urgent_alerts, total.out_of_view) == (4, 1, 2)
    assert (total.sign_offs, total.consents_to_renew) == (1, 1)


def test_filters_count_only_the_clients_they_name(register, team_register):
    _, bram_id = team_register
    urgent = team_review(register, TODAY, TeamFilter(rule=ThresholdRule.ORANGE_OR_RED))
    assert urgent.total.clients == 1 and _row(urgent, "bram").clients == 1
    assert _row(urgent, "anna").clients == 0
    one = team_review(register, TODAY, TeamFilter(casemanager_id=bram_id))
    assert [row.name for row in one.rows] == ["bram"]
    closed = team_review(register, TODAY, TeamFilter(phase=Phase.CLOSED))
    assert closed.total.caseload == {Phase.CLOSED: 1} and closed.total.overdue == 0
    nowhere = team_review(register, TODAY, TeamFilter(postcode_area="9999"))
    assert nowhere.total.clients == 0


def test_a_medewerker_is_refused_the_review_the_trend_reassigning_and_settings(bram, fatima):
    client, _, _ = fatima
    with pytest.raises(RoleError, match="teamleider"):
        team_review(bram, TODAY)
    with pytest.raises(RoleError):
        team_trend(bram, TODAY)
    with pytest.raises(RoleError):
        reassign_clients(bram, [client.id], bram.user.id, "Ziek.", TODAY)
    settings, version = team_settings_for_edit(bram)
    with pytest.raises(RoleError):
        update_team_settings(bram, version, replace(settings, grace_days=3))
    with pytest.raises(RoleError):
        services.set_threshold(bram, None, ThresholdRule.OUT_OF_VIEW, days=30, today=TODAY)


def test_the_daily_sweep_writes_one_snapshot_a_day(register, team_register):
    def snapshots(day):
        with register.read() as session:
            return session.scalar(
                select(func.count()).select_from(DailySnapshot).where(DailySnapshot.day == day)
            )

    assert snapshots(TODAY) == 3, "anna, bram and the clients without a casemanager"
    assert write_daily_snapshot(register, TODAY) is False, "already written today"
    assert snapshots(TODAY) == 3


def test_the_trend_over_twelve_simulated_weeks(register):
    """Each Monday a new client gets a weekly call that nobody makes. Its first call is due a
    week later and overdue from that Tuesday, so on the Thursday of week k (from 0) the calls
    of the k clients before are overdue. The register is opened on Tuesdays and Thursdays
    only; in week 5 nobody opened it at all."""
    anna = register.user.id
    first_monday = date(2026, 9, 7)
    skipped = first_monday + timedelta(weeks=5)
    for week in range(12):
        monday = first_monday + timedelta(weeks=week)
        client = services.create_client(
            register, ClientInput(f"Cliënt {week + 1}", monday, casemanager_id=anna), monday
        )
        services.add_agreement(
            register, client.id, AgreementInput(Channel.PHONE, monday, interval_days=7), monday
        )
        if monday == skipped:
            continue
        for day in (monday + timedelta(days=1), monday + timedelta(days=3)):
            services.daily_sweep(register, day)
    today = first_monday + timedelta(weeks=11, days=4)
    trend = team_trend(register, today)
    assert trend.weeks[0] == first_monday and trend.weeks[-1] == today - timedelta(days=4)
    # Thursday's figure counts for the week.
    expected: list[int | None] = list(range(12))
    expected[5] = None
    assert trend.team.overdue == expected
    (anna_series,) = trend.per_user
    assert anna_series.overdue == expected
    assert sparkline(trend.team.overdue)[5] == "·"
    assert sparkline(trend.team.overdue)[-1] == "█"


def test_reassigning_moves_the_clients_and_the_agreements_the_old_casemanager_performed(
    register, bram, team_register
):
    anna_id, _ = team_register
    bram_clients = [hit.id for hit in search_clients(register, "") if hit.casemanager == "bram"]
    assert len(bram_clients) == 2
    moving = agreements_to_move(register, bram_clients)
    assert [(a.client_name, a.performer) for a in moving] == [("Kees Bakker", "bram")]

    with pytest.raises(ValidationError, match="reden"):
        reassign_clients(register, bram_clients, anna_id, "  ", TODAY)
    result = reassign_clients(register, bram_clients, anna_id, "Bram is ziek.", TODAY)
    assert (result.clients, result.agreements) == (2, 1)

    review = team_review(register, TODAY)
    assert _row(review, "anna").clients == 3 and _row(review, "bram").clients == 0
    kees = next(c for c in bram_clients if client_file(register, c, TODAY).name == "Kees Bakker")
    agreements = client_file(register, kees, TODAY).agreements
    assert [a.who for a in agreements] == ["anna"]
    (entry,) = [e for e in client_timeline(register, kees) if e.kind == "overdracht"]
    assert entry.text == "Casemanager bram → anna: Bram is ziek. (1 afspraak mee over)"
    assert entry.who == "anna"
    again = reassign_clients(register, bram_clients, anna_id, "Nog eens.", TODAY)
    assert again.clients == 0, "clients already with anna are left as they are"


def test_a_reassigned_client_refuses_a_stale_edit_of_its_details(register, bram, team_register):
    anna_id, _ = team_register
    kees = search_clients(register, "kees")[0].id
    details, version = client_for_edit(register, kees)
    reassign_clients(register, [kees], anna_id, "Overdracht.", TODAY)
    with pytest.raises(ConflictError):
        services.update_client(register, kees, version, details, TODAY)


def test_team_settings_are_checked_and_every_change_is_recorded(register):
    settings, version = team_settings_for_edit(register)
    changed = update_team_settings(
        register,
        version,
        replace(
            settings,
            wijk="Middelwijk-Noord",
            grace_days=2,
            out_of_hours_name="Crisisdienst",
            out_of_hours_phone="0900 1234567",
            out_of_hours_hours="24/7",
        ),
    )
    assert changed == [
        "wijk",
        "coulance (dagen)",
        "buiten kantoortijd: naam",
        "buiten kantoortijd: nummer",
        "buiten kantoortijd: wanneer",
    ]
    assert team_info(register).out_of_hours_contact == "Crisisdienst: 0900 1234567 (24/7)"
    assert today_list(register, register.user.id, TODAY).out_of_hours_contact == (
        "Crisisdienst: 0900 1234567 (24/7)"
    )
    with pytest.raises(ConflictError):
        update_team_settings(register, version, settings)
    current, version = team_settings_for_edit(register)
    for wrong, message in [
        (replace(current, grace_days=99), "0 tot 30"),
        (replace(current, retention_years_youth_act=15), "Jeugdwet"),
        (replace(current, team_name=" "), "leeg"),
        (replace(current, out_of_hours_phone="bel me"), "nummer"),
    ]:
        with pytest.raises(ValidationError, match=message):
            update_team_settings(register, version, wrong)
    assert update_team_settings(register, version, current) == [], "nothing changed"
    services.set_threshold(register, None, ThresholdRule.OUT_OF_VIEW, days=30, today=TODAY)
    history = setting_history(register)
    assert (history[0].setting, history[0].new_value) == (
        "teamgrens uit beeld",
        "na 30 dagen zonder contact",
    )
    assert {(h.setting, h.old_value, h.new_value, h.changed_by) for h in history[1:]} >= {
        ("coulance (dagen)", "0", "2", "anna"),
        ("wijk", "", "Middelwijk-Noord", "anna"),
    }
