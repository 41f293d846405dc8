"""Every teamleider-only service refuses a medewerker in the store itself, whatever screen or
script calls it: the role is not only hidden in the interface."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

import pytest

from wijkteam_tui.domain.terms import Role, ThresholdRule
from wijkteam_tui.errors import RoleError
from wijkteam_tui.store import erasure, services, users
from wijkteam_tui.store.audit import log
from wijkteam_tui.store.keys import rekey
from wijkteam_tui.store.read import inzage
from wijkteam_tui.store.read.edit import clients_of, team_settings_for_edit
from wijkteam_tui.store.read.team import team_detail, team_review, team_trend
from wijkteam_tui.store.write.reassign import agreements_to_move, reassign_clients
from wijkteam_tui.store.write.settings import update_team_settings

TODAY = date(2026, 11, 22)

#: Each teamleider-only service, called as a medewerker would call it.
SERVICES: dict[str, Callable[[Any, int], object]] = {
    "team_review": lambda r, _c: team_review(r, TODAY),
    "team_trend": lambda r, _c: team_trend(r, TODAY),
    "team_detail": lambda r, _c: team_detail(r, None, TODAY),
    "clients_of": lambda r, _c: clients_of(r, None),
    "agreements_to_move": lambda r, c: agreements_to_move(r, [c]),
    "reassign_clients": lambda r, c: reassign_clients(r, [c], r.user.id, "Zomaar.", TODAY),
    "update_team_settings": lambda r, _c: update_team_settings(
        r, *reversed(team_settings_for_edit(r))
    ),
    "team threshold": lambda r, _c: services.set_threshold(
        r, None, ThresholdRule.OUT_OF_VIEW, days=10, reason="x", today=TODAY
    ),
    "decide_sign_off": lambda r, _c: services.decide_sign_off(r, 1, True, "Goed.", TODAY),
    "audit events": lambda r, _c: log.events(r),
    "audit verify": lambda r, _c: log.verify(r),
    "inzage": inzage.client_inzage,
    "erasure facts": lambda r, c: erasure.erasure_facts(r, c, TODAY),
    "erase": lambda r, c: erasure.erase_client(
        r, c, confirm_number="100001", reason="x", override="x", today=TODAY
    ),
    "retention list": lambda r, _c: erasure.past_retention(r, TODAY),
    "retention extend": lambda r, c: erasure.extend_retention(r, c, date(2040, 1, 1), "x", TODAY),
    "user list": lambda r, _c: users.user_overview(r),
    "user deactivate": lambda r, _c: users.deactivate_user(r, "anna"),
    "user add": lambda r, _c: users.add_user(r, "cem", Role.TEAMLEIDER),
    "user reset": lambda r, _c: users.reset_passphrase(r, "anna"),
    "db rekey": lambda r, _c: rekey.renew_key(r, "zomaar"),
}


@pytest.mark.parametrize("name", SERVICES)
def test_a_medewerker_is_refused_by_the_store(name, bram, fatima):
    client, *_ = fatima
    slots = bram.keys.current()
    with pytest.raises(RoleError):
        SERVICES[name](bram, client.id)
    assert bram.keys.current() == slots
