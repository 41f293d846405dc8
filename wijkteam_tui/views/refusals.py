"""Telling a medewerker that a teamleider refused their request for *duurzaam in beeld*: once
per session as a message, wherever they are (the row on Vandaag stays until they open the
client)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, cast

from textual.app import App

if TYPE_CHECKING:
    from wijkteam_tui.store.records import RefusalItem
    from wijkteam_tui.views.base import WijkteamAppLike


class RefusalNotices:
    def __init__(self, app: App[Any]) -> None:
        self._app = app
        #: Refused requests already told in this session (each is told once).
        self._told: set[int] = set()

    def tell(self, refused: Sequence[RefusalItem]) -> None:
        """A message for each refused request not told yet in this session."""
        for item in refused:
            if item.request_id in self._told:
                continue
            self._told.add(item.request_id)
            self._app.notify(
                f"{item.decided_by} wees uw aanvraag voor duurzaam in beeld van"
                f" {item.client_name} af: {item.reason}",
                title="Aanvraag afgewezen",
                severity="warning",
                timeout=20,
                markup=False,
            )

    def check(self) -> None:
        """After a colleague's change, wherever this person is: was a request of theirs
        refused? (Read in a thread; told on the screen.)"""
        register = cast("WijkteamAppLike", self._app).register
        if register is None or register.user is None:
            return

        def read() -> None:
            # Lazy: the store loads in the background while the passphrase is typed.
            from wijkteam_tui.store.read.today import unseen_refusals

            refused = unseen_refusals(register)
            if refused:
                self._app.call_from_thread(self.tell, refused)

        self._app.run_worker(
            read, thread=True, group="refusals", exclusive=True, exit_on_error=False
        )
