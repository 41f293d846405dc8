"""Cliëntdossier: one client's file, a screen with a tab per part of it."""

from wijkteam_tui.views.client_file.screen import ClientFileScreen, agreement_state

__all__ = ["ClientFileScreen", "agreement_state"]
