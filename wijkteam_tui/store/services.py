"""The write services and the daily sweep under one name, for callers that use them as a
namespace (`services.create_client(...)`, as the tests do). They live in `store.write` (one
module per aggregate) and `store.sweep`; code in the package imports them from there."""

from __future__ import annotations

from wijkteam_tui.store.sweep import daily_sweep, evaluate_stale_clients
from wijkteam_tui.store.write.agreements import (
    add_agreement,
    end_agreement,
    snooze_agreement,
    update_agreement,
)
from wijkteam_tui.store.write.alerts import (
    clear_threshold,
    confirm_alert,
    resolve_alert,
    set_threshold,
)
from wijkteam_tui.store.write.clients import create_client, update_client
from wijkteam_tui.store.write.contacts import log_contact
from wijkteam_tui.store.write.network import (
    add_member,
    add_resource,
    end_member,
    stop_reminding,
    update_member,
    update_resource,
)
from wijkteam_tui.store.write.phases import (
    change_phase,
    decide_sign_off,
    refusals_seen,
    request_sign_off,
)
from wijkteam_tui.store.write.plan import add_signal, move_signal, record_observation, update_signal

__all__ = [
    "add_agreement",
    "add_member",
    "add_resource",
    "add_signal",
    "change_phase",
    "clear_threshold",
    "confirm_alert",
    "create_client",
    "daily_sweep",
    "decide_sign_off",
    "end_agreement",
    "end_member",
    "evaluate_stale_clients",
    "log_contact",
    "move_signal",
    "record_observation",
    "refusals_seen",
    "request_sign_off",
    "resolve_alert",
    "set_threshold",
    "snooze_agreement",
    "stop_reminding",
    "update_agreement",
    "update_client",
    "update_member",
    "update_resource",
    "update_signal",
]
