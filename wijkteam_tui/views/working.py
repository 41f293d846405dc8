"""Everything the working screens need, in one import (loaded in the background by preload).

Unlocking shows only the unlock screen; while the passphrase is typed, `views.preload` imports
this module, so that Vandaag, Cliënten, the dossier and the dialogs open without import work.
A test checks that opening any screen after this import loads nothing new."""

from __future__ import annotations

from wijkteam_tui.store import keys, opening, register, sweep
from wijkteam_tui.store.read import client_file as client_file_store
from wijkteam_tui.store.read import edit, search
from wijkteam_tui.store.read import team as team_store
from wijkteam_tui.store.read import today as today_store
from wijkteam_tui.views import (
    audit,
    caseload_import,
    client_file,
    clients,
    contact,
    detail,
    reminders,
    resources,
    retention,
    team,
    today,
    users,
)
from wijkteam_tui.views.forms import absence as absence_form
from wijkteam_tui.views.forms import agreement as agreement_form
from wijkteam_tui.views.forms import alert as alert_form
from wijkteam_tui.views.forms import client as client_form
from wijkteam_tui.views.forms import erase as erase_form
from wijkteam_tui.views.forms import export as export_form
from wijkteam_tui.views.forms import member as member_form
from wijkteam_tui.views.forms import observation as observation_form
from wijkteam_tui.views.forms import phase as phase_form
from wijkteam_tui.views.forms import reassign as reassign_form
from wijkteam_tui.views.forms import resource as resource_form
from wijkteam_tui.views.forms import retention as retention_form
from wijkteam_tui.views.forms import settings as settings_form
from wijkteam_tui.views.forms import signal as signal_form
from wijkteam_tui.views.forms import snooze as snooze_form
from wijkteam_tui.views.forms import team_threshold as team_threshold_form
from wijkteam_tui.views.forms import threshold as threshold_form

__all__ = [
    "absence_form",
    "agreement_form",
    "alert_form",
    "audit",
    "caseload_import",
    "client_file",
    "client_file_store",
    "client_form",
    "clients",
    "contact",
    "detail",
    "edit",
    "erase_form",
    "export_form",
    "keys",
    "member_form",
    "observation_form",
    "opening",
    "phase_form",
    "reassign_form",
    "register",
    "reminders",
    "resource_form",
    "resources",
    "retention",
    "retention_form",
    "search",
    "settings_form",
    "signal_form",
    "snooze_form",
    "sweep",
    "team",
    "team_store",
    "team_threshold_form",
    "threshold_form",
    "today",
    "today_store",
    "users",
]
