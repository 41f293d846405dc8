"""What the tabs of the client file share: a pane that asks its screen for the store, and
tables that show a row's every field on Enter.

A pane never imports the screen: it asks what it needs of it through `FileScreen`, which
`ClientFileScreen` satisfies, and the screen passes on what concerns two panes (a member chosen
on the netwerkkaart is edited with the Netwerk tab's form)."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, ClassVar, Protocol, TypeVar, cast

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import DataTable, TabPane

from wijkteam_tui.domain.terms import Role
from wijkteam_tui.views.detail import DetailScreen, Fields
from wijkteam_tui.views.tables import has_columns, place_kept, row_table, set_columns
from wijkteam_tui.views.text import fit

if TYPE_CHECKING:
    from datetime import date

    from textual.worker import Worker

    from wijkteam_tui.store.records import ClientFile
    from wijkteam_tui.store.register import Register
    from wijkteam_tui.views.base import WijkteamAppLike

T = TypeVar("T")


class FileScreen(Protocol):
    """What a tab may ask of the client file's screen."""

    client_id: int
    #: The file as last read; None until the first read is done.
    file: ClientFile | None

    @property
    def wijkteam(self) -> WijkteamAppLike: ...

    def run_store(
        self,
        work: Callable[[], T],
        done: Callable[[T], None],
        *,
        group: str,
        hold_keys: bool = False,
    ) -> Worker[T]: ...

    def action_reload(self) -> None: ...

    def form_closed(self, saved: object) -> None: ...


def is_teamleider(register: Register | None) -> bool:
    return (
        register is not None and register.user is not None and register.user.role is Role.TEAMLEIDER
    )


class FilePane(TabPane):
    """One tab of the client file."""

    @property
    def file_screen(self) -> FileScreen:
        return cast("FileScreen", self.screen)


class RowsPane(FilePane):
    """A tab with one table: its cells are cut to their column, Enter shows every field."""

    TABLE_ID: ClassVar[str]
    #: (label, cells) of each column: fixed widths, so the table need not measure every cell.
    COLUMNS: ClassVar[tuple[tuple[str, int], ...]]
    #: The columns in a terminal narrower than NARROW_BELOW, for a tab whose columns do not
    #: fit in 80: fewer and shorter, so that what matters is not cut off at the right. Its
    #: `show` then gives the fields of these columns (`narrow` says which).
    NARROW_COLUMNS: ClassVar[tuple[tuple[str, int], ...] | None] = None
    NARROW_BELOW: ClassVar[int] = 110

    def __init__(self, title: str, *, id: str) -> None:
        super().__init__(title, id=id)
        # Every field of each row, by the row's key, for Enter.
        self._details: dict[str, tuple[Text, Fields]] = {}

    @property
    def narrow(self) -> bool:
        return self.NARROW_COLUMNS is not None and self.app.size.width < self.NARROW_BELOW

    @property
    def columns(self) -> tuple[tuple[str, int], ...]:
        return self.NARROW_COLUMNS if self.narrow and self.NARROW_COLUMNS else self.COLUMNS

    def compose(self) -> ComposeResult:
        yield row_table(self.TABLE_ID, self.columns)

    def cleared(self) -> DataTable[object]:
        """The table, emptied to be filled again (with the columns for the terminal's width)."""
        table: DataTable[object] = self.query_one(f"#{self.TABLE_ID}", DataTable)
        if has_columns(table, self.columns):
            table.clear()
        else:
            set_columns(table, self.columns)
        self._details = {}
        return table

    def on_resize(self) -> None:
        """Wider or narrower than NARROW_BELOW: the rows again, in the other columns."""
        table = self.query_one(f"#{self.TABLE_ID}", DataTable)
        if self.NARROW_COLUMNS is not None and not has_columns(table, self.columns):
            with place_kept(table):
                self.refill()

    def refill(self) -> None:
        """Fill the table again from what was last read (a tab with NARROW_COLUMNS)."""
        raise NotImplementedError

    def add_row(
        self,
        table: DataTable[object],
        key: str,
        title: Text,
        fields: Fields,
        *,
        detail: Fields | None = None,
    ) -> None:
        """A row of `fields` cut to their columns; Enter shows `detail` (or them) in full."""
        cells = [
            fit(value, width) for (_, value), (_, width) in zip(fields, self.columns, strict=True)
        ]
        table.add_row(*cells, key=key)
        self._details[key] = (title, detail or fields)

    def chosen_id(self) -> int | None:
        """The id of the record on the chosen row (None when the table is empty)."""
        table = self.query_one(f"#{self.TABLE_ID}", DataTable)
        if not table.row_count:
            return None
        key = table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        # Row keys are the record's id; what else a row stands for is read from the record.
        return int(key) if key and key.isdigit() else None

    @on(DataTable.RowSelected)
    def _row_details(self, event: DataTable.RowSelected) -> None:
        found = self._details.get(event.row_key.value or "")
        if found is not None:
            self.app.push_screen(DetailScreen(*found))


class FileRowsPane(RowsPane):
    """A table filled from the whole client file (Netwerk, Afspraken)."""

    def show(self, file: ClientFile, today: date) -> None:
        raise NotImplementedError

    def refill(self) -> None:
        file = self.file_screen.file
        if file is not None:
            self.show(file, self.file_screen.wijkteam.clock())
