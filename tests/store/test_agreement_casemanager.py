"""The client's casemanager kept beside each agreement (migration 0029), which the team
overview counts by: set when an agreement is made or renewed, rewritten when the client gets
another casemanager (the form, a reassignment, an import), filled in for the agreements of an
older register; on both backends. The counts agree with counting through the clients."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest
from alembic import command
from sqlalchemy import text

from tests.caseload.files import workbook
from tests.store.conftest import OPENED, TODAY
from wijkteam_tui.caseload.plan import plan_import
from wijkteam_tui.caseload.reading import read_caseload
from wijkteam_tui.domain.terms import Channel, Phase
from wijkteam_tui.store import services
from wijkteam_tui.store.demo.generator import generate
from wijkteam_tui.store.migrate import migration_config, run_alembic
from wijkteam_tui.store.read.edit import client_for_edit
from wijkteam_tui.store.read.today import NO_CASEMANAGER, overdue_cutoff, team_info, team_overview
from wijkteam_tui.store.records import AgreementInput, ClientInput
from wijkteam_tui.store.write.intake import import_caseload
from wijkteam_tui.store.write.reassign import reassign_clients

#: Agreements whose kept casemanager is not their client's.
_OUT_OF_STEP = text(
    "SELECT a.id, a.casemanager_id, c.casemanager_id FROM contact_agreements a"
    " JOIN clients c ON c.id = a.client_id"
    " WHERE a.casemanager_id <> c.casemanager_id"
    " OR (a.casemanager_id IS NULL) <> (c.casemanager_id IS NULL)"
)


def out_of_step(register) -> list[tuple[int, int | None, int | None]]:
    with register.read_connection() as conn:
        return [tuple(row) for row in conn.execute(_OUT_OF_STEP)]


def _kept(register, client_id: int) -> set[int | None]:
    with register.read_connection() as conn:
        return set(
            conn.execute(
                text("SELECT casemanager_id FROM contact_agreements WHERE client_id = :c"),
                {"c": client_id},
            ).scalars()
        )


def test_every_way_a_client_gets_a_casemanager(register, fatima, bram, tmp_path):
    client, _neighbour, visit = fatima
    anna, bram_id = register.user.id, bram.user.id
    call = services.add_agreement(
        register, client.id, AgreementInput(Channel.PHONE, OPENED, interval_days=7), TODAY
    )
    assert _kept(register, client.id) == {anna}

    data, version = client_for_edit(register, client.id)
    services.update_client(
        register, client.id, version, replace(data, casemanager_id=bram_id), TODAY
    )
    assert _kept(register, client.id) == {bram_id}

    reassign_clients(register, [client.id], anna, "verlof", TODAY)
    assert _kept(register, client.id) == {anna}

    path = workbook(
        tmp_path / "c.xlsx",
        {
            "Cliënten": [
                ["Cliëntnummer", "Naam", "Casemanager"],
                [client.number, client.name, "bram"],
            ]
        },
    )
    plan = plan_import(register, read_caseload(path), TODAY)
    assert plan.problems == []
    import_caseload(register, plan.clients, path.name, TODAY)
    assert _kept(register, client.id) == {bram_id}

    services.change_phase(register, client.id, Phase.CLOSED, "klaar", TODAY)
    services.change_phase(
        register, client.id, Phase.INTENSIVE, "terug", TODAY, renew=[visit.id, call.id]
    )
    assert _kept(register, client.id) == {bram_id}
    none = services.create_client(register, ClientInput("Henk de Wit", OPENED), TODAY)
    services.add_agreement(
        register, none.id, AgreementInput(Channel.VISIT, OPENED, interval_days=14), TODAY
    )
    assert _kept(register, none.id) == {None}
    assert out_of_step(register) == []


def test_the_counts_agree_with_counting_through_the_clients(register):
    generate(register, 120, TODAY, seed=3)
    assert out_of_step(register) == []
    overview = team_overview(register, TODAY)
    with register.read_connection() as conn:
        names = dict(
            conn.execute(
                text("SELECT id, COALESCE(NULLIF(display_name, ''), name) FROM users")
            ).all()
        )
        expected = dict(
            conn.execute(
                text(
                    "SELECT c.casemanager_id, count(*) FROM contact_agreements a"
                    " JOIN clients c ON c.id = a.client_id"
                    " WHERE a.active = :yes AND a.next_due < :limit AND c.phase <> 'afgesloten'"
                    " AND (a.snoozed_until IS NULL OR a.snoozed_until < :today)"
                    " GROUP BY c.casemanager_id"
                ),
                {"yes": True, "limit": overview_limit(register), "today": TODAY},
            ).all()
        )
    assert overview.total > 0
    assert overview.per_casemanager == {
        names.get(user_id, NO_CASEMANAGER) if user_id else NO_CASEMANAGER: n
        for user_id, n in expected.items()
    }


def overview_limit(register) -> date:
    """The overview's cut-off: overdue after the team's grace days."""
    return overdue_cutoff(TODAY, team_info(register).grace_days)


# A server's structure is changed by its operator's set-up role (`wijkteam db upgrade`), which
# tests/store/test_server.py drives; here the migration itself, on a local register.
@pytest.mark.local_only
def test_an_older_register_gets_its_agreements_casemanagers(register, fatima, bram):
    client, _neighbour, _visit = fatima
    run_alembic(register.engine, migration_config(), command.downgrade, "0028")
    run_alembic(register.engine, migration_config(), command.upgrade, "head")
    assert _kept(register, client.id) == {register.user.id}
    assert out_of_step(register) == []
