"""Cliëntdossier: one client's file, a screen with a tab per part of it.

`screen` holds the tabs and reads the file; each tab is a pane of its own module: `overview`,
`network`, `agreements`, `plan` (the signaleringsplan), `timeline` and `network_map` (the
netwerkkaart, laid out by `map_layout`). What the panes share is in `pane`."""

from wijkteam_tui.views.client_file.agreements import agreement_state
from wijkteam_tui.views.client_file.screen import ClientFileScreen

__all__ = ["ClientFileScreen", "agreement_state"]
