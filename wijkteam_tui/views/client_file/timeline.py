"""Tijdlijn: the client's contact moments, signaleringen, phase changes and alerts, newest
first; Enter shows an entry in full."""

from __future__ import annotations

from rich.text import Text

from wijkteam_tui.store.records import TimelineEntry
from wijkteam_tui.views.client_file.pane import RowsPane
from wijkteam_tui.views.detail import Fields
from wijkteam_tui.views.text import day


class TimelinePane(RowsPane):
    TABLE_ID = "timeline"
    COLUMNS = (("Datum", 16), ("Soort", 13), ("Wat", 60), ("Wie", 20))

    def show(self, entries: list[TimelineEntry]) -> None:
        timeline = self.cleared()
        for index, entry in enumerate(entries):
            fields: Fields = (
                ("Datum", day(entry.on)),
                ("Soort", entry.kind),
                ("Wat", entry.text),
                ("Wie", entry.who),
            )
            title = Text.assemble(entry.kind, " op ", day(entry.on))
            self.add_row(timeline, str(index), title, fields)
