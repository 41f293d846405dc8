"""One small form framework for everything a medewerker records.

A form is a list of `Field`s. The framework:
- lays them out (label, input, a message line under each);
- keeps what was typed;
- checks every field on saving and puts each message at its field;
- asks before Escape throws typed text away;
- saves in a store worker, so that nothing is half-saved;
- on a refusal by the store (a field, or someone else's change in the meantime) keeps every
  typed value on screen and says why;
- rebuilds itself as it was after an idle lock.

A form module only says which fields it has, how the checked values become the store's input,
and which service saves them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any, Generic, TypeVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widgets import Input, Label, Select, SelectionList, Static, TextArea

from wijkteam_tui.domain.fields import FieldError, clean_text
from wijkteam_tui.domain.terms import LabelledEnum
from wijkteam_tui.errors import ConflictError, ValidationError, WijkteamError
from wijkteam_tui.store.register import Register
from wijkteam_tui.views.base import WijkteamDialog
from wijkteam_tui.views.confirm import ConfirmDialog
from wijkteam_tui.views.footer import KeyBar
from wijkteam_tui.views.text import literal
from wijkteam_tui.views.ticks import TickList

if TYPE_CHECKING:
    from textual.screen import Screen
    from textual.widget import Widget

R = TypeVar("R")

#: Fields drawn with the form itself; the rest follow right after (a form opens faster).
FIRST_FIELDS = 5

#: Textual's class for a compact field (no border).
COMPACT = "-textual-compact"


class FieldInput(Input):
    """A one-line field, compact from the start: Textual's Input switches its compact class on
    after it is made, and each switch restyles the field before it is even mounted; in a long
    form that was most of its opening time."""

    compact = reactive(True, toggle_class=COMPACT)

    def __init__(self, value: str, *, placeholder: str, id: str) -> None:
        super().__init__(value, placeholder=placeholder, id=id, compact=True, classes=COMPACT)


class FieldSelect(Select[Any]):
    """A choice field, compact from the start (see FieldInput)."""

    compact = reactive(True, toggle_class=COMPACT)


#: What a field's `clean` gets: the typed text (or chosen value) and today; it returns the value
#: to save or raises FieldError.
Clean = Callable[[Any, date], Any]


def _comparable(value: Any) -> Any:
    """A field's value for "has it changed": nothing typed, None and no ticks are alike, and
    a number read from the store is the same as its digits in a field (14 and "14")."""
    if isinstance(value, list):
        return sorted(map(str, value))
    return "" if value is None else str(value)


def _as_is(value: Any, _today: date) -> Any:
    return value


def text(max_length: int) -> Clean:
    """A one-line or free-text field of at most `max_length` characters."""
    return lambda value, _today: clean_text(value or "", max_length)


def labelled(members: Iterable[LabelledEnum]) -> list[tuple[str, Any]]:
    """Choices for a field: each member of an enum under its Dutch label."""
    return [(member.label, member) for member in members]


class FieldBox(VerticalScroll, can_focus=False):
    """The scrolling box around the fields: never focused itself, so typing starts in the first
    field at once (and no focus moves, each restyling the box, happen as the form opens)."""


@dataclass(frozen=True)
class Field:
    """One field of a form.

    `kind` is "text" (one line), "area" (several lines), "choice" (`choices` as (label,
    value) pairs; `None` stands for "not chosen") or "many" (any number of `choices`, ticked
    with the space bar; the value is the list of ticked values). `store_name` is the name the
    store uses in a ValidationError for this field, when it differs from `name`."""

    name: str
    label: str
    kind: str = "text"
    required: bool = False
    clean: Clean = _as_is
    placeholder: str = ""
    choices: Sequence[tuple[str, Any]] = field(default_factory=tuple)
    store_name: str = ""
    #: A line under the field, recomputed from everything typed as the person types (a preview
    #: of what saving would do); gets (typed values, today).
    hint: Callable[[dict[str, Any], date], str] | None = None
    #: Said after the label of a field that is not required ("verplicht bij afwijzen").
    optional: str = "niet verplicht"


@dataclass(frozen=True)
class _Cautioned:
    """Not saved yet: `cautions` were said first (see FormScreen.cautions)."""

    values: dict[str, Any]
    cautions: dict[str, str]


class FormScreen(WijkteamDialog[R | None], Generic[R]):
    """A dialog of fields; dismisses with what the store returned, or None when left."""

    BINDINGS = [
        Binding("ctrl+s", "save", "Opslaan", id="form.save", tooltip="Opslaan en sluiten"),
        Binding("escape", "leave", "Annuleren", id="form.cancel", tooltip="Sluiten"),
    ]

    #: The title above the fields.
    title_text = ""
    #: Said above the fields with its cautions (see `cautions`).
    caution_text = "Lees wat bij de velden staat."
    #: What the form is about, under the title (a request to decide on, an alert to resolve).
    intro_text = ""

    def __init__(self, typed: dict[str, Any] | None = None) -> None:
        super().__init__()
        self._typed = typed
        self._initial: dict[str, Any] = {}
        self._start: dict[str, Any] = {}
        # The values whose cautions the person has been shown (see `cautions`).
        self._cautioned: dict[str, Any] | None = None

    # --- what a form says of itself ----------------------------------------------------------

    def fields(self) -> Sequence[Field]:
        raise NotImplementedError

    def initial(self) -> dict[str, Any]:
        """The values the fields start with (an edit form: the record as it is)."""
        return {}

    def save(self, register: Register, values: dict[str, Any], today: date) -> R:
        """Save the checked values (runs in a worker); raise ValidationError or ConflictError."""
        raise NotImplementedError

    def rebuild(self, typed: dict[str, Any]) -> FormScreen[R]:
        """The same form again with `typed` in its fields (after an idle lock)."""
        raise NotImplementedError

    def check(self, values: dict[str, Any]) -> dict[str, str]:
        """Checks that involve more than one field: {field name: message}."""
        return {}

    def cautions(self, register: Register, values: dict[str, Any], today: date) -> dict[str, str]:
        """What the person should know before saving, though it may be saved (runs in a
        worker): {field name: message}. Said beside the fields; saving again saves."""
        return {}

    # --- layout ---------------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        self._initial = {name: self._raw(value) for name, value in self.initial().items()}
        self._start = {**self._initial, **(self._typed or {})}
        with Vertical(id="form-box", classes="dialog"):
            yield Label(literal(self.title_text), classes="dialog-title")
            if self.intro_text:
                # Line by line: an intro may list things, one a line.
                lines = [literal(line) for line in self.intro_text.splitlines()]
                yield Static(Text("\n").join(lines), id="form-intro")
            yield Static("", id="form-message")
            with FieldBox(id="form-fields"):
                for spec in self.fields()[:FIRST_FIELDS]:
                    yield from self._field(spec)
        yield KeyBar()

    def _field(self, spec: Field) -> list[Widget]:
        """One line above the field: its label, or its label and what is wrong (fewer widgets
        make the form open faster); the field; a hint line if it has one."""
        widgets = [
            Label(self._label(spec), id=f"{spec.name}-label"),
            self._widget(spec, self._start.get(spec.name)),
        ]
        if spec.hint is not None:
            widgets.append(Static("", id=f"{spec.name}-hint", classes="field-hint"))
        return widgets

    def on_mount(self) -> None:
        self._update_hints()
        if len(self.fields()) > FIRST_FIELDS:
            # The fields below the first screenful come right after it is drawn. Keys wait
            # until they are there (`holding_keys`, see views.key_sequencer), so none lands in
            # a wrong field.
            self.holding_keys = True
            self.call_after_refresh(self._add_the_other_fields)

    async def _add_the_other_fields(self) -> None:
        widgets = [w for spec in self.fields()[FIRST_FIELDS:] for w in self._field(spec)]
        await self.query_one("#form-fields", VerticalScroll).mount_all(widgets)
        self.holding_keys = False
        self._update_hints()

    @on(Input.Changed)
    @on(Select.Changed)
    def _update_hints(self, event: Input.Changed | Select.Changed | None = None) -> None:
        if event is not None and self.is_mounted:
            self._clear_fixed_problem(event.control)
        specs = [spec for spec in self.fields() if spec.hint is not None]
        if not specs or not self.is_mounted:
            return
        typed, today = self.typed(), self.wijkteam.clock()
        for spec in specs:
            assert spec.hint is not None
            for line in self.query(f"#{spec.name}-hint").results(Static):
                line.update(literal(spec.hint(typed, today)))

    @staticmethod
    def _label(spec: Field, problem: str = "") -> Text:
        label = spec.label + ("" if spec.required or not spec.optional else f" ({spec.optional})")
        if not problem:
            return Text(label)
        return Text.assemble(label, ": ", literal(problem, "bold"))

    def message(self, name: str) -> str:
        """What is said above field `name` now (its label, and what is wrong with it)."""
        return str(self.query_one(f"#{name}-label", Label).render())

    def _widget(self, spec: Field, value: Any) -> Widget:
        if spec.kind == "many":
            ticked = set(value or ())
            return TickList(
                *((literal(label), choice, choice in ticked) for label, choice in spec.choices),
                id=spec.name,
                compact=True,
            )
        if spec.kind == "area":
            return TextArea(
                str(value or ""),
                id=spec.name,
                soft_wrap=True,
                show_line_numbers=False,
                placeholder=spec.placeholder,
            )
        if spec.kind == "choice":
            # Labels can hold what people typed (a member's name): never markup.
            options = [
                (literal(label), choice) for label, choice in spec.choices if choice is not None
            ]
            none = next((label for label, choice in spec.choices if choice is None), None)
            chosen = value if any(value == choice for _, choice in options) else Select.NULL
            return FieldSelect(
                options,
                value=chosen,
                prompt=none or "Kies…",
                allow_blank=none is not None or chosen is Select.NULL,
                id=spec.name,
                compact=True,
                classes=COMPACT,
            )
        return FieldInput(str(value or ""), placeholder=spec.placeholder, id=spec.name)

    # --- values -----------------------------------------------------------------------------------

    @staticmethod
    def _raw(value: Any) -> Any:
        if isinstance(value, date):
            return value.strftime("%d-%m-%Y")
        return value

    def typed(self) -> dict[str, Any]:
        """What is in the fields now, as typed (text) or chosen (values)."""
        values: dict[str, Any] = {}
        for spec in self.fields():
            found = self.query(f"#{spec.name}")
            if not found:
                # Not on screen yet (just opened): what it will start with.
                values[spec.name] = self._start.get(spec.name)
                continue
            widget = found.first()
            if isinstance(widget, TextArea):
                values[spec.name] = widget.text
            elif isinstance(widget, SelectionList):
                values[spec.name] = list(widget.selected)
            elif isinstance(widget, Select):
                values[spec.name] = None if widget.value is Select.NULL else widget.value
            else:
                values[spec.name] = widget.value  # type: ignore[attr-defined]
        return values

    def changed(self) -> bool:
        if not self.is_mounted:
            return False
        typed = self.typed()
        return any(
            _comparable(typed[name]) != _comparable(self._initial.get(name)) for name in typed
        )

    def _checked(self, today: date) -> dict[str, Any] | None:
        """The cleaned values, or None after putting a message at every field that is wrong."""
        typed = self.typed()
        values: dict[str, Any] = {}
        problems: dict[str, str] = {}
        self._replace: set[str] = set()
        for spec in self.fields():
            raw = typed[spec.name]
            empty = raw is None or raw == [] or (isinstance(raw, str) and not raw.strip())
            if spec.required and empty:
                problems[spec.name] = f"{spec.label} is verplicht."
                continue
            try:
                values[spec.name] = spec.clean(raw, today)
            except FieldError as error:
                problems[spec.name] = str(error)
                if error.replace:
                    self._replace.add(spec.name)
        if not problems:
            problems = self.check(values)
        self._show_problems(problems)
        return None if problems else values

    def _show_problems(self, problems: dict[str, str], general: str = "") -> None:
        for spec in self.fields():
            message = problems.get(spec.name, "")
            label = self.query_one(f"#{spec.name}-label", Label)
            label.update(self._label(spec, message))
            label.set_class(bool(message), "-wrong")
        self._say(literal(general))
        first = next((spec for spec in self.fields() if spec.name in problems), None)
        if first is not None:
            widget = self.query_one(f"#{first.name}")
            widget.focus()
            if isinstance(widget, Input) and first.name in getattr(self, "_replace", ()):
                # A wrong date: typing replaces it (focus alone selects nothing when the field
                # had the focus already).
                widget.select_all()

    def _clear_fixed_problem(self, widget: Widget) -> None:
        """A field whose message no longer holds loses it as soon as what is in it is right."""
        spec = next((spec for spec in self.fields() if spec.name == widget.id), None)
        if spec is None:
            return
        label = self.query(f"#{spec.name}-label").results(Label)
        shown = next(label, None)
        if shown is None or not shown.has_class("-wrong"):
            return
        raw = self.typed()[spec.name]
        empty = raw is None or raw == [] or (isinstance(raw, str) and not raw.strip())
        if spec.required and empty:
            return
        try:
            spec.clean(raw, self.wijkteam.clock())
        except FieldError:
            return
        shown.update(self._label(spec))
        shown.remove_class("-wrong")

    def _say(self, text: Text) -> None:
        """The line above the fields: saving, or why the store refused."""
        line = self.query_one("#form-message", Static)
        line.update(text)
        line.set_class(bool(text.plain), "-shown")

    # --- saving and leaving -------------------------------------------------------------------

    def action_save(self) -> None:
        if self.holding_keys:
            self.set_timer(0.01, self.action_save)
            return
        register = self.wijkteam.register
        today = self.wijkteam.clock()
        values = self._checked(today)
        if values is None or register is None:
            return
        self._say(Text("Opslaan…", style="italic"))
        self.run_store(
            lambda: self._save_unless_cautioned(register, values, today),
            self._saved,
            group="save",
            failed=self._refused,
        )

    def _save_unless_cautioned(
        self, register: Register, values: dict[str, Any], today: date
    ) -> R | _Cautioned:
        if values != self._cautioned:
            cautions = self.cautions(register, values, today)
            if cautions:
                return _Cautioned(values, cautions)
        return self.save(register, values, today)

    def _saved(self, result: R | _Cautioned) -> None:
        if isinstance(result, _Cautioned):
            # Saving the same values again saves them: the person has read the caution.
            self._cautioned = result.values
            self._show_problems(
                result.cautions, f"{self.caution_text} Ctrl+S nogmaals slaat het zo op."
            )
            return
        self.dismiss(result)

    def _refused(self, text: str, error: WijkteamError | None) -> None:
        """Keep everything typed; say why, at the field when the store names one."""
        if isinstance(error, ValidationError) and error.field:
            name = next(
                (s.name for s in self.fields() if error.field in (s.name, s.store_name)), None
            )
            if name is not None:
                self._show_problems({name: text})
                return
        if isinstance(error, ConflictError):
            text += " Wat u typte staat er nog; sluit het formulier (Esc) en open het opnieuw."
        self._show_problems({}, text)

    def leave_warning(self) -> str:
        """Asked by the app before quitting or locking: typed text would be lost."""
        return "Er zijn wijzigingen die nog niet zijn opgeslagen." if self.changed() else ""

    def action_leave(self) -> None:
        if not self.changed():
            self.dismiss(None)
            return
        self.app.push_screen(
            ConfirmDialog(
                "Wijzigingen weggooien? Wat u typte wordt niet opgeslagen.",
                yes="Weggooien",
                no="Verder bewerken",
            ),
            self._leave_confirmed,
        )

    def _leave_confirmed(self, discard: bool | None) -> None:
        if discard:
            self.dismiss(None)

    def draft(self) -> Callable[[], Screen[R | None]] | None:
        """Rebuild this form as it is now (after an idle lock, for the same user)."""
        typed = self.typed()
        return lambda: self.rebuild(typed)

    @on(Input.Submitted)
    def _next_field(self) -> None:
        """Enter in a one-line field goes on to the next field; Ctrl+S saves."""
        self.focus_next()
