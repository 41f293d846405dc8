"""The base of every screen: a typed handle on the app, store calls in workers, and failures that
always reach the person.

Textual's `Worker.StateChanged` goes to the node that started the worker and does not bubble,
so an app-level handler never sees a screen's workers. Screens therefore start their store calls
with `run_store`, and `StoreWorkers` ends the loading state and shows a Dutch message whatever
the outcome: a result goes to the screen's callback, a person's error (`WijkteamError`) to its
error callback or a notification, and a bug to a notification that says nothing was half-saved.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any, Protocol, TypeVar, cast

from textual.screen import ModalScreen, Screen
from textual.widget import Widget
from textual.worker import Worker, WorkerState

from wijkteam_tui.errors import AccessEndedError, ServerUnreachableError, WijkteamError
from wijkteam_tui.store.address import Location
from wijkteam_tui.store.sqlite import faults

if TYPE_CHECKING:
    from wijkteam_tui.store.audit.chain import Event
    from wijkteam_tui.store.records import RefusalItem, TeamInfo
    from wijkteam_tui.store.register import Register
    from wijkteam_tui.views.day import Day

T = TypeVar("T")
R = TypeVar("R")

UNEXPECTED = "Er ging iets mis ({name}); er is niets half opgeslagen. Probeer het opnieuw."


class WijkteamAppLike(Protocol):
    """What screens may ask of the app (`WijkteamApp` satisfies it)."""

    db_path: Location
    register: Register | None
    team: TeamInfo | None
    clock: Callable[[], date]

    def team_known(self, team: TeamInfo) -> None: ...

    def tell_refusals(self, refused: Sequence[RefusalItem]) -> None: ...

    def register_opened(self, register: Register, first_day: Day | None = None) -> None: ...

    def register_reopened(self, register: Register) -> None: ...

    def stop_watching(self) -> None: ...

    def access_ended(self, message: str) -> None: ...

    def start_sweep(self) -> None: ...

    def log_access(self, *events: Event) -> None: ...


def failure_text(error: BaseException | None) -> str:
    """The Dutch sentence for a failed store call."""
    if isinstance(error, WijkteamError):
        return error.message
    fault = faults.from_os(error) if isinstance(error, OSError) else None
    if fault is not None:
        return fault.message
    return UNEXPECTED.format(name=type(error).__name__ if error else "onbekend")


@dataclass
class _StoreCall:
    done: Callable[[Any], None]
    failed: Callable[[str, WijkteamError | None], None] | None
    busy: Widget | None
    hold_keys: bool = False
    #: A load to try again when a team server that was not reachable is back (`again`).
    again: Callable[[], None] | None = None


class StoreWorkers:
    """Mixin for screens: store calls in thread workers, with one place for their outcome."""

    _store_calls: dict[Worker[Any], _StoreCall]
    #: While True, keys wait before they are routed (views.key_sequencer): the screen is not
    #: ready for them yet (a form adding its lower fields, an unlock or set-up in progress), and
    #: a key now would land in the wrong place or start the same thing twice.
    holding_keys: bool = False

    @property
    def wijkteam(self) -> WijkteamAppLike:
        return cast("WijkteamAppLike", cast(Screen[Any], self).app)

    def run_store(
        self,
        work: Callable[[], T],
        done: Callable[[T], None],
        *,
        group: str,
        busy: Widget | None = None,
        failed: Callable[[str, WijkteamError | None], None] | None = None,
        exclusive: bool = True,
        hold_keys: bool = False,
        load: bool = False,
    ) -> Worker[T]:
        """Run `work` (a store call) in a thread; `done(result)` runs on the screen afterwards.

        `busy` shows a loading indicator until the call ends, however it ends. `failed(message,
        error)` gets the Dutch message of a failure (error is None for a bug); without it the
        message is shown as a notification. `hold_keys`: keys wait until the call has ended and
        what it opens is there (what the person types next is meant for that). `load`: it only
        reads, so when it failed because the team server was not reachable it runs again by
        itself once the server is back (`resume_loads`) and meanwhile every few seconds; a
        save is never repeated unasked."""
        screen = cast(Screen[Any], self)
        if not hasattr(self, "_store_calls"):
            self._store_calls = {}
        if exclusive:
            # The call this one replaces is cancelled, and a worker cancelled before its task
            # ran never says so (Textual sets no state on it): end it here, or its indicator
            # and held keys would wait for it forever.
            for old in [w for w in self._store_calls if w.group == group]:
                self._forget(old)
        if busy is not None:
            busy.loading = True
        worker = screen.run_worker(
            work, name=group, group=group, thread=True, exclusive=exclusive, exit_on_error=False
        )
        again = None
        if load:

            def again() -> None:
                self.run_store(
                    work, done, group=group, busy=busy, failed=failed, exclusive=exclusive,
                    hold_keys=hold_keys, load=True,
                )  # fmt: skip

        self._store_calls[worker] = _StoreCall(done, failed, busy, hold_keys, again)
        if hold_keys:
            self.holding_keys = True
        return worker

    def _forget(self, worker: Worker[Any]) -> _StoreCall | None:
        """The call of `worker` has ended (or was replaced): its indicator stops unless
        another call took it over (a reload while loading), and keys it held go on."""
        calls: dict[Worker[Any], _StoreCall] = getattr(self, "_store_calls", {})
        call = calls.pop(worker, None)
        if (
            call is not None
            and call.busy is not None
            and not any(other.busy is call.busy for other in calls.values())
        ):
            call.busy.loading = False
        if call is not None and call.hold_keys:
            self.holding_keys = any(other.hold_keys for other in calls.values())
        return call

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """Every worker of this screen ends here: result, failure or cancellation."""
        if event.state not in (WorkerState.SUCCESS, WorkerState.ERROR, WorkerState.CANCELLED):
            return
        call = self._forget(event.worker)
        if event.state is WorkerState.SUCCESS:
            if call is not None:
                call.done(event.worker.result)
            return
        if event.state is WorkerState.CANCELLED:
            return
        error = event.worker.error
        message = failure_text(error)
        if isinstance(error, AccessEndedError):
            # Switched off while working here: the whole app locks, this screen with it.
            self.wijkteam.access_ended(message)
            return
        known = error if isinstance(error, WijkteamError) else None
        again = call.again if call is not None else None
        if again is not None and isinstance(error, ServerUnreachableError):
            self._waiting_loads[event.worker.name] = again
            self._retry_loads_later()
        if call is not None and call.failed is not None:
            call.failed(message, known)
        else:
            cast(Screen[Any], self).notify(message, severity="error", timeout=10)

    @property
    def _waiting_loads(self) -> dict[str, Callable[[], None]]:
        """Loads that failed while the team server was not reachable, by their group."""
        if not hasattr(self, "_loads_to_resume"):
            self._loads_to_resume: dict[str, Callable[[], None]] = {}
        return self._loads_to_resume

    def resume_loads(self) -> None:
        """Run again what failed to load while the team server was not reachable (the app
        calls this when it is back; a timer tries meanwhile)."""
        waiting, self._loads_to_resume = self._waiting_loads, {}
        for again in waiting.values():
            again()

    # --- what the app asks of each screen; a screen overrides what concerns it -----------------

    def action_reload(self) -> None:
        """Read anew what the screen shows (every screen with a list says how)."""

    def colleague_changed(self, *, in_front: bool) -> None:
        """Someone else changed the register (a full screen reloads: WijkteamScreen)."""

    def new_day(self) -> None:
        """The date changed while the register stayed open (lists with dates read anew)."""

    def lock_warning(self) -> str:
        """Why this screen may not be covered by the lock now ("": it may)."""
        return ""

    def leave_warning(self) -> str:
        """What leaving the program now would throw away ("": nothing)."""
        return ""

    def draft(self) -> Callable[[], Screen[Any]] | None:
        """How to build this screen again as it is, after an idle lock (a form with typed
        text); None: nothing to keep."""
        return None

    def _retry_loads_later(self) -> None:
        # Lazy: the store loads in the background while the passphrase is typed (views.preload).
        from wijkteam_tui.store.freshness import RETRY_SECONDS

        cast(Screen[Any], self).set_timer(RETRY_SECONDS, self.resume_loads)


#: From this width on a screen is -wide, below it -narrow (the app's breakpoint): Vandaag's
#: lists stand side by side.
WIDE_FROM = 110


class WijkteamScreen(StoreWorkers, Screen[R]):
    """A full screen of the register."""

    #: Only a screen whose layout changes with the width says so (Vandaag): a -narrow / -wide
    #: class given on a screen's first resize restyles all of it once more as it opens.
    HORIZONTAL_BREAKPOINTS: list[tuple[int, str]] | None = []

    #: A colleague changed the register while another screen was in front of this one.
    _stale = False

    def colleague_changed(self, *, in_front: bool) -> None:
        """Someone else changed the register: show it now when this screen is in front, else
        as soon as it is again. Screens reload with `action_reload`, which keeps the person's
        place (the chosen row and the scroll: views.tables.place_kept) and never writes, so
        that showing a change is never a change itself."""
        if in_front:
            self._stale = False
            self.action_reload()
        else:
            self._stale = True

    def on_screen_resume(self) -> None:
        if self._stale:
            self.colleague_changed(in_front=True)

    def show_top_bar(self) -> None:
        """The team, the user and the day in the screen's top bar, once the team is known."""
        from wijkteam_tui.views.topbar import TopBar  # Lazy: it imports the store

        team = self.wijkteam.team
        if team is not None:
            self.query_one(TopBar).show(team, self.wijkteam.register, self.wijkteam.clock())

    def tell_refusal(self, summary_id: str, message: str) -> None:
        """The store refused (a medewerker on a teamleider's screen): say why above the
        table, which stays empty, and as a notification."""
        # Lazy: base is imported with the unlock screen; this is only needed on a refusal.
        from textual.widgets import Static

        from wijkteam_tui.views.text import literal

        self.query_one(f"#{summary_id}", Static).update(literal(message, "bold"))
        self.notify(message, severity="error", timeout=10)


class WijkteamDialog(StoreWorkers, ModalScreen[R]):
    """A dialog over a screen of the register."""

    HORIZONTAL_BREAKPOINTS: list[tuple[int, str]] | None = []
