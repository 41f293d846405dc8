"""Phases, retention, network strength and Dutch dates."""

from __future__ import annotations

from datetime import date

import pytest

from wijkteam_tui.domain.dates import DateInputError, format_date, format_short, parse_date
from wijkteam_tui.domain.fields import FieldError, clean_date
from wijkteam_tui.domain.network import MemberFacts, network_strength
from wijkteam_tui.domain.phases import (
    InformalMember,
    PhaseChangeRefused,
    PhaseRequest,
    check_phase_change,
    what_is_missing,
)
from wijkteam_tui.domain.retention import (
    DEFAULT_TERMS,
    RetentionItem,
    past_retention,
    retention_until,
)
from wijkteam_tui.domain.terms import MemberKind, Phase, Regime, Role

TODAY = date(2026, 11, 22)


def _request(**values) -> PhaseRequest:
    base = {
        "current": Phase.INTENSIVE,
        "target": Phase.IN_VIEW,
        "reason": "Gaat goed, netwerk is sterk.",
        "acting_role": Role.MEDEWERKER,
        "signed_off_by_role": Role.TEAMLEIDER,
        "informal_members": (InformalMember("Marja", "buurvrouw", True),),
    }
    base.update(values)
    return PhaseRequest(**base)


def test_duurzaam_in_beeld_needs_a_teamleider_and_an_informal_agreement():
    check_phase_change(_request())
    with pytest.raises(PhaseChangeRefused, match="akkoord van een teamleider"):
        check_phase_change(_request(signed_off_by_role=None))
    with pytest.raises(PhaseChangeRefused, match="akkoord van een teamleider"):
        check_phase_change(_request(signed_off_by_role=Role.MEDEWERKER))
    with pytest.raises(PhaseChangeRefused, match="nog geen informele netwerkleden"):
        check_phase_change(_request(informal_members=()))


def test_the_refusal_names_the_informal_members_without_an_agreement():
    marja = InformalMember("Marja", "buurvrouw", False)
    kees = InformalMember("Kees", "", False)
    assert what_is_missing([marja, kees]).endswith(
        "De informele netwerkleden Marja (buurvrouw), Kees hebben geen actieve"
        " contactafspraak: maak er een op de tab Afspraken (n)."
    )
    assert "Het informele netwerklid Kees heeft geen" in what_is_missing([kees])
    assert what_is_missing([kees, InformalMember("Piet", "broer", True)]) == ""


def test_other_changes_need_a_reason_and_a_different_phase():
    check_phase_change(_request(target=Phase.SCALING_BACK, signed_off_by_role=None))
    check_phase_change(_request(current=Phase.IN_VIEW, target=Phase.INTENSIVE))
    with pytest.raises(PhaseChangeRefused, match="reden"):
        check_phase_change(_request(target=Phase.CLOSED, reason="  "))
    with pytest.raises(PhaseChangeRefused, match="al in fase"):
        check_phase_change(_request(current=Phase.CLOSED, target=Phase.CLOSED))


def test_retention_terms_per_regime():
    closed = date(2026, 3, 1)
    assert retention_until(closed, Regime.WMO, DEFAULT_TERMS) == date(2041, 3, 1)
    assert retention_until(closed, Regime.WMO_NO_PROVISION, DEFAULT_TERMS) == date(2031, 3, 1)
    assert retention_until(closed, Regime.YOUTH_ACT, DEFAULT_TERMS) == date(2046, 3, 1)
    assert retention_until(date(2028, 2, 29), Regime.WMO_NO_PROVISION, DEFAULT_TERMS) == date(
        2033, 2, 28
    )
    assert retention_until(closed, Regime.WMO, {Regime.WMO: 20}) == date(2046, 3, 1)


def test_clients_past_retention_are_listed_oldest_first():
    items = [
        RetentionItem(1, date(2030, 1, 1)),
        RetentionItem(2, date(2020, 1, 1)),
        RetentionItem(3, date(2015, 6, 1)),
    ]
    assert [i.client_id for i in past_retention(items, TODAY)] == [3, 2]


def test_network_strength_names_the_gaps():
    members = [
        MemberFacts(MemberKind.INFORMAL, "PG", has_active_agreement=True),
        MemberFacts(MemberKind.INFORMAL, "A", has_active_agreement=False),
        MemberFacts(MemberKind.FORMAL, "E", has_active_agreement=True),
    ]
    strength = network_strength(members, date(2026, 11, 17), TODAY)
    assert strength.informal_members == 2
    assert strength.members_with_agreement == 2
    assert strength.days_since_contact == 5
    assert "geen informeel netwerk voor emotionele steun" in strength.summary
    assert strength.warnings == ()
    lonely = network_strength([], None, TODAY)
    assert lonely.summary.startswith("Geen informeel netwerk")
    assert "niemand met een contactafspraak" in lonely.summary


def test_a_network_resting_on_one_person_is_warned_about():
    only_fenna = [MemberFacts(MemberKind.INFORMAL, "PGAE", has_active_agreement=True)]
    strength = network_strength(only_fenna, None, TODAY, [("fenna", None), ("fenna", None)])
    assert strength.warnings == (
        "alle informele steun rust op één persoon",
        "alle afspraken rusten op één persoon",
    )
    two = [*only_fenna, MemberFacts(MemberKind.INFORMAL, "G", has_active_agreement=True)]
    assert network_strength(two, None, TODAY, [(1, None), (2, None)]).warnings == ()


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("3-3-2026", date(2026, 3, 3)),
        ("03-03-2026", date(2026, 3, 3)),
        ("2026-03-03", date(2026, 3, 3)),
        ("vandaag", TODAY),
        ("morgen", date(2026, 11, 23)),
        ("+2w", date(2026, 12, 6)),
        ("-3d", date(2026, 11, 19)),
        ("+1m", date(2026, 12, 22)),
        ("29-2-2028", date(2028, 2, 29)),
    ],
)
def test_dates_as_people_type_them(text: str, expected: date):
    assert parse_date(text, TODAY) == expected


@pytest.mark.parametrize("text", ["31-2-2026", "gister", "2026/13/01", "", "29-2-2027"])
def test_wrong_dates_get_a_dutch_message(text: str):
    with pytest.raises(DateInputError, match="datum"):
        parse_date(text, TODAY)


def test_dates_are_shown_the_dutch_way():
    assert format_date(date(2026, 3, 3)) == "di 3 mrt 2026"
    assert format_short(date(2026, 3, 3)) == "03-03-2026"


@pytest.mark.parametrize(
    ("last", "said"),
    [(TODAY, "laatste contact vandaag"), (date(2026, 11, 21), "laatste contact gisteren"),
     (date(2026, 11, 12), "laatste contact 10 dagen geleden")],
)  # fmt: skip
def test_the_last_contact_is_said_in_days_as_people_say_them(last: date, said: str):
    assert network_strength([], last, TODAY).summary.endswith(f"{said}.")


def test_a_date_that_may_not_lie_ahead_is_not_hinted_with_morgen():
    with pytest.raises(DateInputError) as ahead:
        parse_date("1-1-1900d", TODAY)
    assert "morgen" in str(ahead.value)
    with pytest.raises(DateInputError) as back:
        parse_date("1-1-1900d", TODAY, future=False)
    assert "morgen" not in str(back.value) and "gisteren" in str(back.value)
    with pytest.raises(FieldError) as field:
        clean_date("volgende week", TODAY, not_after=TODAY)
    assert "morgen" not in str(field.value)
