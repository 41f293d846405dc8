"""The Buurt view on both backends, against figures worked out by hand for a small register.

Six clients on 22-11-2026 (the 12 weeks: 30-08 up to 22-11; the 12 before: 07-06 up to 30-08;
every agreement started 01-08, so 29 of its days fall in the earlier window):

- Fenna de Vries is in three networks: Truus (7271, "06-12345678", weekly), Kees (7271,
  "+31 6 1234 5678" and fenna@example.nl, every 14 days) and, as "F. de Vries", Ali (7272,
  "Fenna@Example.nl", Tuesdays and Fridays); also in the network of Henk, whose file is closed.
  Moments a month: 30.4375/7 + 30.4375/14 + 2 x 30.4375/7 = 4.35 + 2.17 + 8.70 = 15.2: more
  than 12, a signal. Asked in the last 12 weeks 12 + 6 + 24 = 42, kept 10 + 6 + 12 = 28: 67%;
  before 4.14 + 2.07 + 8.29 = 14.5, kept 4 + 2 + 8 = 14: 97%, 30 points lower: a signal.
- Jan (Truus, "010-555 1234") and Piet (Kees, "(010) 5551234") share a landline: one person
  until the teamleider parts them.
- Oma Riet (Ali, no number) and Riet Vos (Sara, 7273) are one person because the teamleider
  says so.
- Buurthuis De Schakel (7271), last checked 01-11-2025, carries two agreements (Truus weekly,
  Kees every 14 days, nothing logged): a signal. Taalcafé (7272), checked today: none.
- Mia (7273) has no informal network at all.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pytest
from alembic import command
from sqlalchemy import text, update

from tests.store.conftest import TODAY
from wijkteam_tui.domain.terms import Channel, MemberKind, Outcome, Role
from wijkteam_tui.errors import RoleError, ValidationError
from wijkteam_tui.store import services
from wijkteam_tui.store.migrate import migration_config, run_alembic
from wijkteam_tui.store.models import Client
from wijkteam_tui.store.neighbourhood.links import decide_match, forget_member, part_member
from wijkteam_tui.store.read.edit import team_settings_for_edit
from wijkteam_tui.store.read.neighbourhood import neighbourhood
from wijkteam_tui.store.records import (
    AgreementInput,
    ClientInput,
    ContactInput,
    MemberInput,
    ResourceInput,
)
from wijkteam_tui.store.users import add_user
from wijkteam_tui.store.write.settings import update_team_settings

OPENED, START = date(2026, 7, 1), date(2026, 8, 1)
INFORMAL, RESOURCE = MemberKind.INFORMAL, MemberKind.RESOURCE


def _weekly(start: date, count: int, step: int = 7) -> list[date]:
    return [start + timedelta(days=step * n) for n in range(count)]


class Street:
    """The small register above, and the ids of what it holds."""

    def __init__(self, register, casemanager_of: dict[str, int]) -> None:
        self.register = register
        self.ids: dict[str, int] = {}
        schakel = services.add_resource(
            register,
            ResourceInput("Buurthuis De Schakel", "buurthuis", address="Lindelaan 4, 7271 AA"),
            date(2025, 11, 1),
        ).id
        taalcafe = services.add_resource(
            register, ResourceInput("Taalcafé", "inloop", address="Kerkstraat 1, 7272 BB"), TODAY
        ).id
        for name, postcode in (
            ("Truus", "7271 AB"),
            ("Kees", "7271 CD"),
            ("Ali", "7272 EF"),
            ("Mia", "7273 GH"),
            ("Sara", "7273 KL"),
            ("Henk", "7272 XY"),
        ):
            self.ids[name] = services.create_client(
                register,
                ClientInput(
                    f"{name} Smit",
                    OPENED,
                    casemanager_id=casemanager_of.get(name, register.user.id),
                    postcode=postcode,
                ),
                TODAY,
            ).id
        self.ids["fenna"] = fenna = self.member("Truus", "Fenna de Vries", phone="06-12345678")
        self.agree(
            "Truus", fenna, 7, kept=_weekly(date(2026, 8, 3), 4) + _weekly(date(2026, 9, 1), 10)
        )
        self.log("Truus", fenna, date(2026, 11, 10), Outcome.NOT_REACHED)
        fenna = self.member(
            "Kees", "Fenna de Vries", phone="+31 6 1234 5678", email="fenna@example.nl"
        )
        self.agree(
            "Kees",
            fenna,
            14,
            kept=[date(2026, 8, 10), date(2026, 8, 24), *_weekly(date(2026, 9, 5), 6, 14)],
        )
        fenna = self.member("Ali", "F. de Vries", email="Fenna@Example.nl")
        before = [date(2026, 8, d) for d in (4, 7, 11, 14, 18, 21, 25, 28)]
        self.agree("Ali", fenna, None, kept=before + _weekly(date(2026, 9, 1), 12))
        self.member("Henk", "Fenna de Vries", phone="06-12345678")
        self.ids["jan"] = self.member("Truus", "Jan de Boer", phone="010-555 1234")
        self.ids["piet"] = self.member("Kees", "Piet de Boer", phone="(010) 5551234")
        self.ids["oma"] = self.member("Ali", "Oma Riet")
        self.ids["riet"] = self.member("Sara", "Riet Vos", phone="06-99990000")
        self.ids["taal"] = self.member("Ali", "Taalcafé", kind=RESOURCE, resource_id=taalcafe)
        for name, every in (("Truus", 7), ("Kees", 14)):
            linked = self.member(name, "Buurthuis De Schakel", kind=RESOURCE, resource_id=schakel)
            self.agree(name, linked, every, kept=[])
        with register.write() as session:
            session.execute(
                update(Client).where(Client.id == self.ids["Henk"]).values(closed_on=TODAY)
            )

    def member(self, client: str, name: str, kind: MemberKind = INFORMAL, **details) -> int:
        data = MemberInput(name, kind, relation="buurvrouw", **details)
        return services.add_member(self.register, self.ids[client], data, TODAY).id

    def agree(self, client: str, member_id: int, every: int | None, kept: list[date]) -> None:
        data = AgreementInput(
            Channel.VISIT,
            START,
            member_id=member_id,
            interval_days=every,
            rrule=None if every else "FREQ=WEEKLY;BYDAY=TU,FR",
        )
        agreement = services.add_agreement(self.register, self.ids[client], data, TODAY).id
        for on in kept:
            self.log(client, member_id, on, Outcome.GOOD, agreement)

    def log(self, client, member_id, on, outcome, agreement=None) -> None:
        if agreement is None:
            return
        services.log_contact(
            self.register,
            ContactInput(self.ids[client], on, Channel.VISIT, outcome, agreement, member_id),
            TODAY,
        )


@pytest.fixture
def street(register):
    made = Street(register, {})
    decide_match(register, made.ids["oma"], made.ids["riet"], same=True)
    return made


def test_the_same_person_in_three_networks_and_their_load(register, street):
    view = neighbourhood(register, TODAY)
    assert [s.name for s in view.supporters] == ["Fenna de Vries", "Jan de Boer", "Oma Riet"]
    fenna = view.supporters[0]
    assert fenna.also_named == ("F. de Vries",)
    assert fenna.clients == 3  # not Henk: his file is closed
    assert [(lean.client_name, lean.area, lean.how) for lean in fenna.leaning] == [
        ("Truus Smit", "7271", ("telefoon",)),
        ("Kees Smit", "7271", ("e-mail", "telefoon")),
        ("Ali Smit", "7272", ("e-mail",)),
    ]
    assert fenna.load.agreements == 3
    assert round(fenna.load.moments_a_month, 2) == 15.22
    assert (round(fenna.load.asked_now, 2), fenna.load.kept_now) == (42, 28)
    assert (round(fenna.load.asked_before, 2), fenna.load.kept_before) == (14.5, 14)
    assert (fenna.load.kept_share, fenna.load.kept_share_before) == (67, 97)
    assert fenna.signals == (
        "draagt 3 cliënten, 15 contacten per maand",
        "nagekomen 67% in 12 weken, was 97%",
    )
    assert view.stretched == 1


def test_a_shared_landline_is_one_person_until_the_teamleider_parts_them(register, street):
    jan = neighbourhood(register, TODAY).supporters[1]
    assert [(lean.member_name, lean.how) for lean in jan.leaning] == [
        ("Jan de Boer", ("telefoon",)),
        ("Piet de Boer", ("telefoon",)),
    ]
    assert jan.signals == ()
    before = {a.code: a.supporters for a in neighbourhood(register, TODAY).areas}
    assert part_member(register, street.ids["jan"]) == 1
    view = neighbourhood(register, TODAY)
    assert [s.name for s in view.supporters] == ["Fenna de Vries", "Oma Riet"]
    assert {a.code: a.supporters for a in view.areas} == {**before, "7271": before["7271"] + 1}
    # Forgotten, the phone number matches them again.
    assert forget_member(register, street.ids["piet"]) == 1
    assert forget_member(register, street.ids["jan"]) == 0
    assert [s.name for s in neighbourhood(register, TODAY).supporters][1] == "Jan de Boer"


def test_the_teamleider_joins_two_members_nothing_matched(register, street):
    riet = neighbourhood(register, TODAY).supporters[2]
    assert riet.also_named == ("Riet Vos",)
    assert [(lean.client_name, lean.how) for lean in riet.leaning] == [
        ("Ali Smit", ("teamleider",)),
        ("Sara Smit", ("teamleider",)),
    ]
    # Parted again, they are two people with one client each, not in the list.
    assert part_member(register, street.ids["riet"]) == 1
    assert [s.name for s in neighbourhood(register, TODAY).supporters] == [
        "Fenna de Vries",
        "Jan de Boer",
    ]


def test_a_resource_several_agreements_rely_on_and_not_checked_for_a_year(register, street):
    view = neighbourhood(register, TODAY)
    schakel, taal = view.resources
    assert (schakel.name, schakel.area, schakel.clients, schakel.load.agreements) == (
        "Buurthuis De Schakel",
        "7271",
        2,
        2,
    )
    assert round(schakel.load.moments_a_month, 2) == 6.52
    assert schakel.load.kept_share == 0
    assert schakel.signals == (
        "2 afspraken leunen erop, nagekeken 01-11-2025: openingstijden en contactpersoon nakijken",
    )
    assert (taal.name, taal.clients, taal.load.agreements, taal.signals) == ("Taalcafé", 1, 0, ())


def test_per_postcode_area_clients_supporters_and_resources(register, street):
    areas = {a.code: a for a in neighbourhood(register, TODAY).areas}
    assert list(areas) == ["7271", "7272", "7273"]
    # 7271: Truus and Kees; Fenna (twice), Jan and Piet, who are one person by their number.
    assert (areas["7271"].clients, areas["7271"].supporters) == (2, 2)
    assert (areas["7271"].without_support, areas["7271"].resources) == (0, 1)
    # 7272: Ali (Henk's file is closed); F. de Vries and Oma Riet.
    assert (areas["7272"].clients, areas["7272"].supporters, areas["7272"].resources) == (1, 2, 1)
    # 7273: Mia without anyone, Sara with Riet Vos.
    assert (areas["7273"].clients, areas["7273"].supporters) == (2, 1)
    assert areas["7273"].without_support == 1


def test_one_area_shows_whoever_supports_a_client_there(register, street):
    view = neighbourhood(register, TODAY, area="7273")
    assert [s.name for s in view.supporters] == ["Oma Riet"]
    assert view.resources == ()
    assert [a.code for a in view.areas] == ["7273"]
    view = neighbourhood(register, TODAY, area="7272")
    assert [s.name for s in view.supporters] == ["Fenna de Vries", "Oma Riet"]
    assert view.supporters[0].clients == 3  # her whole load
    assert [r.name for r in view.resources] == ["Taalcafé"]


def test_the_teams_limits_decide_who_is_flagged(register, street):
    settings, version = team_settings_for_edit(register)
    update_team_settings(register, version, replace(settings, load_clients=2, load_moments=20))
    view = neighbourhood(register, TODAY)
    assert view.supporters[0].signals[0] == "draagt 3 cliënten, 15 contacten per maand"
    assert view.supporters[1].signals == ()  # Jan: 2 clients is not more than 2


def test_a_medewerker_who_works_for_two_clients_sees_only_their_load(register, new_register):
    """Bram works for Truus and Kees: Fenna carries two of his clients (4.35 + 2.17 moments a
    month; kept 10 + 6 of 12 + 6 = 89%, before 4 + 2 of 4.14 + 2.07 = 97%: no signal). Ali
    and Oma Riet's clients are not his: they are not in his view."""
    from wijkteam_tui.store.opening import open_register

    add_user(register, "bram", Role.MEDEWERKER, passphrase="bram zijn wachtwoord")
    bram = open_register(new_register.path, "bram", "bram zijn wachtwoord")
    try:
        street = Street(register, {"Truus": bram.user.id, "Kees": bram.user.id})
        decide_match(register, street.ids["oma"], street.ids["riet"], same=True)
        settings, version = team_settings_for_edit(register)
        update_team_settings(register, version, replace(settings, access="werk"))
        view = neighbourhood(bram, TODAY)
        assert [s.name for s in view.supporters] == ["Fenna de Vries", "Jan de Boer"]
        fenna = view.supporters[0]
        assert [lean.client_name for lean in fenna.leaning] == ["Truus Smit", "Kees Smit"]
        assert (fenna.load.kept_share, fenna.load.kept_share_before, fenna.signals) == (89, 97, ())
        assert {a.code: a.clients for a in view.areas} == {"7271": 2, "7272": 0}
        assert [(r.name, r.clients) for r in view.resources] == [
            ("Buurthuis De Schakel", 2),
            ("Taalcafé", 0),
        ]
        with pytest.raises(RoleError):
            decide_match(bram, street.ids["jan"], street.ids["piet"], same=False)
    finally:
        bram.close()


def test_decisions_refuse_what_makes_no_sense(register, street):
    with pytest.raises(ValidationError, match="dezelfde cliënt"):
        decide_match(register, street.ids["jan"], street.ids["fenna"], same=True)
    with pytest.raises(ValidationError, match="twee verschillende"):
        decide_match(register, street.ids["jan"], street.ids["jan"], same=True)
    with pytest.raises(ValidationError, match="geen informeel netwerklid"):
        decide_match(register, street.ids["jan"], street.ids["taal"], same=True)
    with pytest.raises(ValidationError, match="bestaat niet"):
        decide_match(register, street.ids["jan"], 999_999, same=True)


def _counts(register) -> tuple[int, int, int, int]:
    with register.read() as session:
        return tuple(  # type: ignore[return-value]
            session.execute(text(sql)).scalar_one()
            for sql in (
                "SELECT count(*) FROM contact_agreements WHERE member_id IS NOT NULL",
                "SELECT count(*) FROM contact_moments WHERE member_id IS NOT NULL",
                "SELECT count(*) FROM network_members WHERE resource_id IS NOT NULL",
                "SELECT count(*) FROM network_members",
            )
        )


@pytest.mark.local_only
def test_the_upgrade_keeps_every_agreement_moment_and_sociale_kaart_link(register, street):
    """Migration 0037 adds its columns in place: a rebuilt network_members or resources table
    would have dropped them under their foreign keys (agreements cascade, links set null)."""
    before = _counts(register)
    assert before == (5, 42, 3, 11)
    run_alembic(register.engine, migration_config(), command.downgrade, "0036")
    run_alembic(register.engine, migration_config(), command.upgrade, "head")
    assert _counts(register) == before
    assert [s.name for s in neighbourhood(register, TODAY).supporters] == [
        "Fenna de Vries",
        "Jan de Boer",
    ]  # Oma Riet's join went with the table it was in
