"""The way out (`wijkteam export team`): every open client with their network, agreements and
assessments in the layout the import reads; imported into a new register it gives the same
clients, members, agreements and assessments (a generated register and hypothesis's own, both
formats, both backends), and importing it again changes nothing."""

from __future__ import annotations

import stat
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from tests import pg
from tests.conftest import BACKENDS
from wijkteam_tui.caseload import plan as plan_module
from wijkteam_tui.caseload.plan import plan_import
from wijkteam_tui.caseload.reading import read_caseload
from wijkteam_tui.domain.fields import clean_phone
from wijkteam_tui.domain.network import CONSENT_REVIEW_DAYS
from wijkteam_tui.domain.outcomes import DOMAINS, SCALE
from wijkteam_tui.domain.phrases import schedule_text
from wijkteam_tui.domain.terms import (
    AssessmentKind,
    Channel,
    MemberKind,
    Outcome,
    Phase,
    Regime,
    Role,
)
from wijkteam_tui.errors import RoleError
from wijkteam_tui.export.caseload import write_team
from wijkteam_tui.store import services
from wijkteam_tui.store.address import Location, server_address
from wijkteam_tui.store.demo.generator import generate
from wijkteam_tui.store.models import Client
from wijkteam_tui.store.opening import create_register
from wijkteam_tui.store.outcomes.assessments import record_assessment
from wijkteam_tui.store.read.caseload import caseload_pages, team_caseload
from wijkteam_tui.store.records import (
    AgreementInput,
    AssessmentInput,
    ClientInput,
    ContactInput,
    MemberInput,
)
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.users import add_user
from wijkteam_tui.store.write.intake import import_caseload

TODAY = date(2026, 11, 22)
PASSPHRASE = "uitvoer wachtwoord"


def _new_register(request: pytest.FixtureRequest, backend: str, folder: Path) -> Register:
    if backend == "postgresql":
        cluster: pg.Cluster = request.getfixturevalue("postgres")
        location: Location = server_address(cluster.address(cluster.new_register_database()))
    else:
        location = folder / "register.db"
    register, _ = create_register(
        location, "anna", PASSPHRASE, server_password=pg.BOOTSTRAP_PASSWORD
    )
    return register


def export(register: Register, target: Path, file_format: str) -> tuple[Path, ...]:
    caseload = team_caseload(register)
    users = {user.id: user.name for user in caseload.users}
    done = write_team(caseload_pages(register, caseload), users, file_format, target, force=True)
    return done.paths


def bring_in(register: Register, paths: tuple[Path, ...]) -> Any:
    plan = plan_import(register, read_caseload(list(paths)), TODAY)
    assert not plan.problems, plan.problems[:5]
    import_caseload(register, plan.clients, paths[0].name, TODAY)
    return plan


def snapshot(register: Register) -> dict[str, Any]:
    """The open clients by number, with their network and active agreements, people by
    name (ids differ between registers)."""
    caseload = team_caseload(register)
    users = {user.id: user.name for user in caseload.users}
    found: dict[str, Any] = {}
    for page in caseload_pages(register, caseload):
        for client in page:
            names = {member.id: member.data.name for member in client.members}
            members = [_as_the_forms_keep(member.data) for member in client.members]
            agreements = [
                (
                    names.get(a.member_id or 0),
                    users.get(a.user_id or 0),
                    a.channel,
                    schedule_text(a.interval_days, a.rrule),
                    a.start_on,
                    a.end_on,
                    a.last_contact_on,
                    a.description,
                    a.shared,
                )
                for a in client.agreements
            ]
            found[client.number] = (
                client.external_id,
                client.phase,
                replace(client.data, casemanager_id=None),
                users.get(client.data.casemanager_id or 0),
                sorted(members, key=repr),
                sorted(agreements, key=repr),
                client.assessments,
            )
    return found


def _as_the_forms_keep(member: MemberInput) -> MemberInput:
    """A member as the forms store them (the generator writes rows directly): consent dates
    only with consent, then with a review date; the support types in their order. The
    sociale kaart's resources are the team's own and do not travel with a caseload."""
    given, review = member.consent_on, member.consent_review_on
    if not member.consent_to_share:
        given = review = None
    elif given is not None and review is None:
        review = given + timedelta(days=CONSENT_REVIEW_DAYS)
    supports = "".join(sorted(member.supports, key="PGAE".index))
    return replace(
        member, resource_id=None, consent_on=given, consent_review_on=review, supports=supports
    )


def assert_same(found: dict[str, Any], expected: dict[str, Any]) -> None:
    """The snapshots are equal; else the first few differences, field by field."""
    differences = [
        f"{number}: {mine!r} != {theirs!r}"
        for number in sorted(expected.keys() | found.keys())
        for mine, theirs in zip(
            found.get(number, ()) or ("ontbreekt",),
            expected.get(number, ()) or ("ontbreekt",),
            strict=False,
        )
        if mine != theirs
    ]
    assert not differences, "\n".join(differences[:5])


@pytest.fixture(scope="module", params=BACKENDS)
def generated(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory):
    """A generated register of 150 clients (every phase, rules, consent), on each backend."""
    register = _new_register(request, request.param, tmp_path_factory.mktemp("bron"))
    generate(register, 150, TODAY, seed=8)
    # A ZRM with notes, own words and a domain not applicable, in text a spreadsheet would
    # take for a formula or split at its separator (the generator writes scores alone).
    with register.read_connection() as conn:
        client_id = (
            conn.execute(
                select(Client.id)
                .where(Client.phase != Phase.CLOSED, Client.opened_on <= TODAY - timedelta(days=30))
                .order_by(Client.id)
            )
            .scalars()
            .first()
        )
    assert client_id is not None
    scores: dict[str, int | None] = {"financien": 2, "huisvesting": 4, "justitie": None}
    notes = {"financien": "=schulden; bij de\nbewindvoerder", "justitie": "speelt niet"}
    record_assessment(
        register,
        client_id,
        AssessmentInput(AssessmentKind.ZRM, TODAY - timedelta(days=3), scores, notes, "Het gaat."),
        TODAY,
    )
    yield request.param, register
    register.close()


@pytest.mark.parametrize("way", [("xlsx", plan_module.CHUNK), ("csv", 7)], ids=["xlsx", "csv"])
def test_a_generated_register_comes_back_the_same(
    generated,
    way: tuple[str, int],
    request: pytest.FixtureRequest,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Planned all at once, and (from CSV) 7 clients at a time."""
    file_format, chunk = way
    monkeypatch.setattr(plan_module, "CHUNK", chunk)
    backend, source = generated
    paths = export(source, tmp_path / "team.xlsx", file_format)
    if file_format == "csv":
        assert [p.name for p in paths] == [
            "team.xlsx-clienten.csv", "team.xlsx-netwerk.csv", "team.xlsx-afspraken.csv",
            "team.xlsx-ontwikkeling.csv",
        ]  # fmt: skip
    for path in paths:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    target = _new_register(request, backend, tmp_path)
    try:
        with source.read_connection() as conn:
            people = conn.exec_driver_sql("SELECT name, role FROM users WHERE name != 'anna'")
            for name, role in people.all():
                add_user(target, name, Role(role), passphrase="een collega van het team")
        expected = snapshot(source)
        assert expected and any(members for *_rest, members, _a, _o in expected.values())
        # Assessments of both kinds, with a domain not applicable and notes among them.
        assessed = [a for *_rest, outcomes in expected.values() for a in outcomes]
        assert {a.kind for a in assessed} == set(AssessmentKind)
        assert any(None in a.scores.values() for a in assessed)
        assert any(a.notes for a in assessed)
        plan = bring_in(target, paths)
        assert plan.new == len(expected)
        assert_same(snapshot(target), expected)
        again = plan_import(target, read_caseload(list(paths)), TODAY)
        assert (list(again.clients), again.problems, again.unchanged) == ([], [], len(expected))
        # And back into the register it came from: nothing to do there either.
        home = plan_import(source, read_caseload(list(paths)), TODAY)
        assert (list(home.clients), home.problems, home.unchanged) == ([], [], len(expected))
    finally:
        target.close()


def test_a_closed_dossier_stays_out_and_a_medewerker_may_not(register, fatima, bram, tmp_path):
    client, _neighbour, _visit = fatima
    other = services.create_client(register, ClientInput("Henk de Wit", TODAY), TODAY)
    services.change_phase(register, other.id, Phase.CLOSED, "verhuisd", TODAY)
    with pytest.raises(RoleError):
        team_caseload(bram)
    caseload = team_caseload(register)
    assert [cid for cid, _number in caseload.clients] == [client.id]
    (path,) = export(register, tmp_path / "team.xlsx", "xlsx")
    reading = read_caseload(path)
    assert [c.name for c in reading.clients] == ["Fatima El Amrani"]
    assert [m.name for m in reading.clients[0].members] == ["Ayşe Yılmaz"]
    (agreement,) = reading.clients[0].agreements
    assert (agreement.who, agreement.channel, agreement.how.interval_days) == (
        "Ayşe Yılmaz", Channel.VISIT, 14
    )  # fmt: skip


# -- hypothesis: any caseload the forms accept ------------------------------------------------

_WORDS = ["Truus", "de Vries", "Ayşe", "Yılmaz", "Çelik", "Jan-Willem", "O'Neil", "van 't Hof",
          "=1+1", "+31 groep", "-min", "@thuis", "Zoë", "Ŝ", "100%", "a;b", 'zei "ja"']  # fmt: skip
_text = st.lists(st.sampled_from(_WORDS), max_size=4).map(" ".join)
_lines = st.lists(_text, max_size=3).map("\n".join).map(str.strip)
_phones = st.sampled_from(["", "0612345678", "06 1234 5678", "+31 6 12345678", "020-1234567"])
_days = st.integers(min_value=-400, max_value=0).map(lambda d: TODAY + timedelta(days=d))
_schedules = st.sampled_from(
    [(7, None), (1, None), (30, None), (366, None), (None, "FREQ=WEEKLY;BYDAY=TU"),
     (None, "FREQ=MONTHLY;BYDAY=1MO,3MO"), (None, "FREQ=MONTHLY;INTERVAL=2;BYMONTHDAY=-1"),
     (None, "FREQ=WEEKLY;INTERVAL=2;BYDAY=MO,WE,FR"), (None, "FREQ=YEARLY;BYMONTH=3")]
)  # fmt: skip


@st.composite
def _member(draw: st.DrawFn, name: str) -> MemberInput:
    consent = draw(st.booleans())
    return MemberInput(
        name=name,
        kind=draw(st.sampled_from(list(MemberKind))),
        relation=draw(_text),
        supports=draw(st.sampled_from(["", "P", "GA", "PGAE"])),
        phone=draw(_phones),
        email=draw(st.sampled_from(["", "bram@voorbeeld.nl"])),
        availability=draw(_text),
        consent_to_share=consent,
        notes=draw(_lines),
        ring=draw(st.integers(1, 3)),
        out_of_hours=draw(st.booleans()),
        consent_on=draw(_days) if consent else None,
        consent_review_on=draw(st.none() | _days.map(lambda d: d + timedelta(days=400))),
    )


@st.composite
def _assessment(draw: st.DrawFn, opened: date) -> AssessmentInput:
    """A ZRM or Positieve Gezondheid between the file's opening and today: some domains
    scored (a ZRM's maybe n.v.t.), some with a note, maybe the client's own words."""
    kind = draw(st.sampled_from(list(AssessmentKind)))
    low, high = SCALE[kind]
    score = st.integers(low, high)
    if kind is AssessmentKind.ZRM:
        score = st.none() | score
    codes = [d.code for d in DOMAINS[kind]]
    chosen = draw(st.lists(st.sampled_from(codes[1:]), max_size=4, unique=True))
    scores = {codes[0]: draw(st.integers(low, high)), **{c: draw(score) for c in chosen}}
    noted = draw(st.lists(st.sampled_from(list(scores)), max_size=2, unique=True))
    notes = {code: note for code in noted if (note := draw(_lines))}
    on = min(TODAY, opened + timedelta(days=draw(st.integers(0, 400))))
    return AssessmentInput(kind, on, scores, notes, draw(_lines))


@st.composite
def _client(draw: st.DrawFn) -> dict[str, Any]:
    opened = draw(_days)
    data = ClientInput(
        name=" ".join(draw(st.lists(st.sampled_from(_WORDS), min_size=1, max_size=3))),
        opened_on=opened,
        birth_date=draw(st.none() | st.dates(date(1920, 1, 1), date(2020, 12, 31))),
        street=draw(_text),
        house_number=draw(st.sampled_from(["", "12", "3a", "=4"])),
        postcode=draw(st.sampled_from(["", "1234 AB", "9999 ZZ"])),
        city=draw(_text),
        phone=draw(_phones),
        regime=draw(st.sampled_from(list(Regime))),
        own_words=draw(_lines),
        strengths=draw(_lines),
        meaningful=draw(_lines),
    )
    names = draw(st.lists(st.sampled_from(["Bram", "Els", "Ayşe", "Dr. Öz", "=Fenna"]),
                          max_size=3, unique=True))  # fmt: skip
    members = [draw(_member(name)) for name in names]
    agreements = []
    for _ in range(draw(st.integers(0, 3))):
        interval, rule = draw(_schedules)
        start = opened - timedelta(days=draw(st.integers(0, 30)))
        agreements.append(
            {
                "who": draw(st.sampled_from([None, "bram", *range(len(members))])),
                "data": AgreementInput(
                    channel=draw(st.sampled_from(list(Channel))),
                    start_on=start,
                    interval_days=interval,
                    rrule=rule,
                    end_on=draw(st.none() | st.just(TODAY + timedelta(days=90))),
                    description=draw(_text),
                    shared=draw(st.booleans()),
                ),
                "contact": draw(st.none() | st.integers(0, 300)),
            }
        )
    return {
        "data": data,
        "casemanager": draw(st.sampled_from([None, "anna", "bram"])),
        "scaling_back": draw(st.booleans()),
        "members": members,
        "agreements": agreements,
        "assessments": draw(st.lists(_assessment(opened), max_size=3)),
    }


def _make(register: Register, client: dict[str, Any], users: dict[str, int]) -> None:
    data = replace(client["data"], casemanager_id=users.get(client["casemanager"] or ""))
    data = replace(data, phone=clean_phone(data.phone))
    made = services.create_client(register, data, TODAY)
    if client["scaling_back"]:
        services.change_phase(register, made.id, Phase.SCALING_BACK, "gaat goed", TODAY)
    members = [
        services.add_member(register, made.id, replace(m, phone=clean_phone(m.phone)), TODAY).id
        for m in client["members"]
    ]
    for assessment in client["assessments"]:
        record_assessment(register, made.id, assessment, TODAY)
    for agreement in client["agreements"]:
        who = agreement["who"]
        data = agreement["data"]
        if isinstance(who, int):
            data = replace(data, member_id=members[who])
        elif who is not None:
            data = replace(data, user_id=users[who])
        done = services.add_agreement(register, made.id, data, TODAY)
        if agreement["contact"] is not None:
            on = max(data.start_on, TODAY - timedelta(days=agreement["contact"]))
            services.log_contact(
                register,
                ContactInput(made.id, on, data.channel, Outcome.GOOD, done.id, data.member_id),
                TODAY,
            )


@pytest.fixture
def pair(request: pytest.FixtureRequest, backend: str, tmp_path: Path) -> Iterator[Any]:
    """Two registers with the same people: where the caseload is, and where it goes."""
    registers = []
    for name in ("bron", "doel"):
        folder = tmp_path / name
        folder.mkdir()
        registers.append(_new_register(request, backend, folder))
    for register in registers:
        add_user(register, "bram", Role.MEDEWERKER, passphrase="bram zijn wachtwoord")
    yield registers
    for register in registers:
        register.close()


@settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    clients=st.lists(_client(), min_size=1, max_size=3),
    file_format=st.sampled_from(["xlsx", "csv"]),
)
def test_any_caseload_comes_back_the_same(pair, tmp_path: Path, clients, file_format) -> None:
    """Each example adds its clients to the source and takes the whole caseload across: the
    clients of earlier examples come in unchanged, the new ones the same as they are."""
    source, target = pair
    users = {user.name: user.id for user in team_caseload(source).users}
    for client in clients:
        _make(source, client, users)
    paths = export(source, tmp_path / "team.xlsx", file_format)
    bring_in(target, paths)
    assert_same(snapshot(target), snapshot(source))
