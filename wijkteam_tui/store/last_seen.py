"""What each person last saw of a register, kept outside its folder, so that a register that
goes back in time (an old copy put in place, by a restore or by hand) is noticed.

Per user and register (its id, from the key file or the team server) the newest audit event
(number and MAC) and the key generation are kept in the person's own state folder
(platformdirs' user_state_dir, or $WIJKTEAM_STATE_DIR): a file 0600, written atomically, at
every opening and closing (locking closes the register too). Whoever can replace the files
beside a register cannot reach this one.

At the next opening, before it is logged, the register is compared with it (`look`): a
newest event with a lower number, an older key generation, or another event at the number
seen (the log went back and on again) means the register went back in time.
- When the journal of restores (store/copies/restores.py) holds a teamleider's restore after what
  the person saw, whose back-up the register still descends from, that explains it: a warning
  names who restored and when, once (the person's own restore: nothing to say).
- Otherwise the opening is refused (`OlderRegisterError`) unless the person accepts the older
  state (`--accept-older`; on the unlock screen, a question). Refused rather than warned:
  working on without noticing means acting on contact moments, alerts, consents and access
  that are gone, and nothing else would tell.
Either way the register's audit log gets an event that says what was found.
"""

from __future__ import annotations

import hashlib
import json
import os
from contextlib import suppress
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from platformdirs import user_state_path

from wijkteam_tui.errors import OlderRegisterError
from wijkteam_tui.store import files
from wijkteam_tui.store.audit import chain, log
from wijkteam_tui.store.audit.head import holds
from wijkteam_tui.store.copies import restores

if TYPE_CHECKING:
    from sqlalchemy.orm import Session

    from wijkteam_tui.store.register import Register

STATE_ENV = "WIJKTEAM_STATE_DIR"


@dataclass(frozen=True)
class Seen:
    """The register as this person last saw it; `at` is when (UTC, ISO, microseconds)."""

    seq: int
    mac: str
    generation: int
    at: str


@dataclass(frozen=True)
class WentBack:
    """The register is older than `seen`: its newest event and key generation now."""

    seen: Seen
    seq: int
    generation: int
    #: The event numbered `seen.seq` is another than the one seen.
    other_event: bool
    #: The teamleider's restore that explains it, if any.
    restore: restores.Restore | None

    def _numbers(self) -> str:
        text = (
            f"het auditlog eindigt bij volgnummer {self.seq} (u zag {self.seen.seq}) en de"
            f" sleutels zijn van generatie {self.generation} (u zag {self.seen.generation})"
        )
        if self.other_event:
            text += f", en volgnummer {self.seen.seq} is een andere gebeurtenis dan u zag"
        return text

    def refusal(self) -> str:
        return (
            f"Dit register is ouder dan u het eerder zag: {self._numbers()}. Een teruggezette"
            " kopie? Er is geen terugzetting door een teamleider bekend die dit verklaart."
            " Er is niets geopend; open het alleen als u weet waarom."
        )

    def warning(self) -> str:
        if self.restore is None:
            return f"U opent een oudere stand van het register: {self._numbers()}."
        return (
            f"{self.restore.user} heeft het register op {_shown(self.restore.at)} (UTC)"
            f" teruggezet naar de back-up van {_shown(self.restore.backup_made)}: wat u daarna"
            f" zag (tot volgnummer {self.seen.seq}) staat er niet meer in."
        )

    def detail(self, outcome: str) -> str:
        text = (
            f"oudere stand dan eerder gezien: volgnummer {self.seq} (gezien {self.seen.seq}),"
            f" sleutelgeneratie {self.generation} (gezien {self.seen.generation})"
        )
        if self.restore is not None:
            text += f"; teruggezet door {self.restore.user} op {_shown(self.restore.at)} UTC"
        return f"{text}; {outcome}"


def _shown(moment: str) -> str:
    return moment[:16].replace("T", " ")


def state_folder() -> Path:
    """The folder of this person's state: $WIJKTEAM_STATE_DIR, else platformdirs'."""
    chosen = os.environ.get(STATE_ENV)
    if chosen:
        return Path(chosen).expanduser()
    return user_state_path("wijkteam", appauthor=False)


def state_file(register_id: str, user: str, where: str) -> Path:
    """The file of what `user` saw of register `register_id` at `where` (its path or server
    address: a copy elsewhere, such as a server's back-up file, goes its own way and is no
    earlier state of this one). Named by a hash: none of it comes from this computer when the
    register is on a server."""
    digest = hashlib.sha256(f"{register_id}\0{user}\0{where}".encode()).hexdigest()[:32]
    return state_folder() / "gezien" / f"{digest}.json"


def _read(path: Path) -> Seen | None:
    try:
        kept = json.loads(path.read_text("utf-8"))
        return Seen(int(kept["seq"]), str(kept["mac"]), int(kept["generation"]), str(kept["at"]))
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _who(register: Register) -> tuple[str, str, str] | None:
    user = register.unlocked.user
    if not user:
        return None
    where = str(register.server) if register.server is not None else str(register.path.resolve())
    return (register.unlocked.key_file.register_id, user, where)


def look(register: Register) -> WentBack | None:
    """Whether the register just opened (before its opening is logged) is older than this
    person saw it last."""
    who = _who(register)
    # What was seen first, then the register as it is now: everything seen was in the
    # register before it was kept (`remember`), so another process of the same person that
    # closes meanwhile cannot make the register look older than it is.
    seen = _read(state_file(*who)) if who else None
    if who is None or seen is None:
        return None
    generation = register.keys.current().generation
    with register.read() as session:
        newest = chain.head(session)
        seq = newest[0] if newest else 0
        other = seq >= seen.seq and holds(session, seen.seq, seen.mac) is False
        if seq >= seen.seq and generation >= seen.generation and not other:
            return None
        restore = _explaining(register, session, seen, who[0])
    return WentBack(seen, seq, generation, other, restore)


def _explaining(
    register: Register, session: Session, seen: Seen, register_id: str
) -> restores.Restore | None:
    """The newest restore of this register after `seen` from whose back-up it descends."""
    if register.server is not None:
        return None  # a server's operator restores it; no journal beside it here
    for restore in reversed(restores.entries(register.path)):
        if (
            restore.register_id == register_id
            and restore.at >= seen.at
            and holds(session, restore.head_seq, restore.head_mac) is True
        ):
            return restore
    return None


def settle(register: Register, accept_older: bool) -> Register:
    """Refuse the register just opened when it went back in time unexplained (unless
    `accept_older`), logging what was found; otherwise say so where needed and remember what
    this person sees now. Returns the register (closed when this fails)."""
    try:
        _settle(register, accept_older)
    except BaseException:
        register.close()
        raise
    return register


def _settle(register: Register, accept_older: bool) -> None:
    went_back = register.went_back
    if went_back is not None:
        user = register.unlocked.user
        if went_back.restore is None and not accept_older:
            detail = went_back.detail(f"niet geopend door {user}")
            log.record(register, chain.Event("older", "register", detail=detail))
            raise OlderRegisterError(went_back.refusal())
        if went_back.restore is None or went_back.restore.user != user:
            register.notices.append(went_back.warning())
            detail = went_back.detail(f"gemeld aan {user}")
            log.record(register, chain.Event("older", "register", detail=detail))
        register.went_back = None
    remember(register)


def remember(register: Register) -> None:
    """Keep what this person sees of the register now, unless it went back in time and that
    was not accepted (what they saw before stays then). A state folder that cannot be
    written only costs the check."""
    who = _who(register)
    if who is None or register.went_back is not None:
        return
    with register.read() as session:
        newest = chain.head(session)
    seen = Seen(
        newest[0] if newest else 0,
        newest[1] if newest else "",
        register.keys.current().generation,
        restores.now_text(),
    )
    path = state_file(*who)
    with suppress(OSError):
        files.private_folder(path.parent)
        files.atomic_write(path, json.dumps(asdict(seen)).encode("utf-8"))
