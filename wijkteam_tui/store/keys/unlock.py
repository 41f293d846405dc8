"""The unlock policy: which copy of the key file to trust, counted wrong tries, one-time
passphrases.

A wrong passphrase fails at the slot's tag: the database is never touched. Wrong tries in a
row are counted per user beside the register (`attempts`); after a few, the next try must
wait, and is refused before any key is derived. A damaged or edited main key file is replaced
by its backup copy when the slot's key proves that copy authentic.
"""

from __future__ import annotations

import dataclasses
import os
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidTag

from wijkteam_tui.domain.accounts import (
    seconds_text,
)
from wijkteam_tui.domain.terms import Role
from wijkteam_tui.errors import (
    AuthenticationError,
    KeyFileError,
    OneTimePassphraseError,
    TooManyAttemptsError,
    WrongPassphraseError,
)
from wijkteam_tui.store.files import atomic_write, read_beside
from wijkteam_tui.store.keys import attempts
from wijkteam_tui.store.keys.keyfile import OLD_VERSION, KeyFile, Slot
from wijkteam_tui.store.keys.primitives import new_slot_cost, weaker
from wijkteam_tui.store.keys.slots import (
    ForgedSlotError,
    Unlocked,
    lock_slot,
    normalise_recovery_key,
    noting_unsigned,
    open_slot,
)
from wijkteam_tui.store.keys.storage import (
    backup_key_file_path,
    file_mac_ok,
    key_file_path,
    read_key_file,
    try_load,
    write_key_file,
)
from wijkteam_tui.store.sqlite import journal, lock

ONE_TIME_REFUSAL = (
    "Dit is een eenmalig wachtwoord van de teamleider. Kies eerst uw eigen wachtwoord:"
    " 'wijkteam passwd' (het eenmalige wachtwoord is dan het huidige)."
)


def unlock(
    db_path: Path,
    user: str,
    passphrase: str,
    *,
    repair: bool = True,
    one_time_ok: bool = False,
) -> Unlocked:
    """Open the slot of `user` with `passphrase`.

    Raises AuthenticationError for an unknown user, WrongPassphraseError for a wrong passphrase
    (the register's files are not touched; the try is counted beside them), TooManyAttemptsError
    while the user must still wait after wrong tries, KeyFileError when neither the key file nor
    its backup copy can be trusted (also when the slot's role is not signed by the register).
    With `repair=False` (for `db check`) a damaged main file is reported in the warnings but not
    rewritten from its backup copy.
    """
    unlocked = _counted(
        db_path,
        user,
        f"een verkeerd wachtwoord voor {user}",
        lambda: _unlock(db_path, user, lambda kf: kf.user_slot(user), passphrase, repair),
    )
    slot = unlocked.key_file.user_slot(user)
    if slot is not None and slot.must_change and not one_time_ok:
        unlocked.forget()
        raise OneTimePassphraseError(ONE_TIME_REFUSAL)
    return unlocked


def unlock_with_recovery_key(db_path: Path, recovery_key: str) -> Unlocked:
    """Open the recovery slot; the caller then sets a new passphrase for a user.

    Wrong recovery keys are counted and make the next try wait, as wrong passphrases do."""
    secret = normalise_recovery_key(recovery_key)
    return _counted(
        db_path,
        attempts.RECOVERY_KEY,
        "een verkeerde herstelsleutel",
        lambda: _unlock(db_path, None, lambda kf: kf.recovery_slot(), secret),
    )


def _counted(db_path: Path, name: str, mistake: str, open_slot: Callable[[], Unlocked]) -> Unlocked:
    """Refuse while `name` must wait; count a wrong secret; forget the count on success."""
    wait = attempts.wait_seconds(db_path, name)
    if wait > 0:
        raise TooManyAttemptsError(
            f"Te vaak {mistake}. Probeer het over {seconds_text(wait)} opnieuw.", wait
        )
    before = attempts.failures(db_path, name)
    try:
        unlocked = open_slot()
    except WrongPassphraseError as wrong:
        wrong.wait_seconds = attempts.record_failure(db_path, name)
        raise
    attempts.forget(db_path, name)
    if before is not None:
        # Not dataclasses.replace: that would copy the key into a buffer never wiped.
        when = datetime.fromtimestamp(before[1], UTC).replace(tzinfo=None)
        object.__setattr__(unlocked, "failed_tries", (before[0], when))
    return unlocked


def _unlock(
    db_path: Path, user: str | None, pick: Any, secret: str, repair: bool = True
) -> Unlocked:
    main_path, bak_path = key_file_path(db_path), backup_key_file_path(db_path)
    if repair:
        _finish_interrupted_moves(db_path)
    main, main_problem = try_load(main_path)
    bak, _ = try_load(bak_path)
    if main and bak and bak.generation > main.generation:
        # An older key file put back over the main one: it may still hold an old passphrase
        # or user. The newer copy decides, and the old one is never written over it.
        main, main_problem = None, "ouder dan de reservekopie (een oud bestand teruggezet?)"
    candidates = [(kf, path) for kf, path in ((main, main_path), (bak, bak_path)) if kf]
    if not candidates:
        raise _no_key_file(main_path, bak_path, main_problem)
    who = f"gebruiker '{user}'" if user else "de herstelsleutel"
    tried: set[Slot] = set()
    forged = False
    for key_file, path in candidates:
        slot = pick(key_file)
        if slot is None or slot in tried:
            continue
        tried.add(slot)
        try:
            db_key, keys = open_slot(slot, key_file, secret)
        except InvalidTag:
            continue
        except ForgedSlotError:
            forged = True
            continue
        unlocked = _verified(
            db_path=db_path,
            key_file=key_file,
            used_path=path,
            db_key=db_key,
            keys=keys,
            slot=slot,
            main_problem=main_problem,
            repair=repair,
        )
        if repair and weaker(slot.cost, new_slot_cost()):
            unlocked = _strengthened(db_path, unlocked, slot, secret)
        return noting_unsigned(unlocked)
    if forged:
        raise KeyFileError(
            f"De toegang van {who} in het sleutelbestand is niet ondertekend door een teamleider"
            " van dit register: het bestand is buiten wijkteam om gewijzigd. Er is niets geopend;"
            " vraag de teamleider om een nieuw wachtwoord ('wijkteam user reset')."
        )
    if not tried:
        if user is None:
            raise KeyFileError("Dit sleutelbestand heeft geen herstelsleutel.")
        raise AuthenticationError(f"Gebruiker '{user}' bestaat niet in dit register.")
    if user is None:
        raise WrongPassphraseError("Herstelsleutel onjuist.")
    raise WrongPassphraseError(f"Wachtwoord onjuist voor {who}.")


def _finish_interrupted_moves(db_path: Path) -> None:
    """A restore or a re-key stopped half-way put some new files in place and not yet the
    rest: finish it first, so that the key file read is the one that fits the database."""
    if not os.path.lexists(journal.journal_path(db_path)):
        return
    held = lock.hold_open(db_path)
    try:
        journal.finish_interrupted_restore(db_path)
    finally:
        held.release()


def _no_key_file(main_path: Path, bak_path: Path, main_problem: str | None) -> KeyFileError:
    if not main_path.exists() and not bak_path.exists():
        return KeyFileError(f"Geen sleutelbestand gevonden naast het register ({main_path}).")
    if main_problem == OLD_VERSION:
        return KeyFileError(
            f"Het sleutelbestand {main_path} is {OLD_VERSION}. De teamleider zet het één"
            " keer om met 'wijkteam db upgrade'; er is niets gewijzigd."
        )
    return KeyFileError(
        f"Het sleutelbestand {main_path} is {main_problem} en er is geen bruikbare"
        " reservekopie; herstel het uit een back-up."
    )


def _strengthened(db_path: Path, unlocked: Unlocked, slot: Slot, secret: str) -> Unlocked:
    """Re-encrypt a slot made with lighter key-derivation settings than today's, with today's."""
    key_file = unlocked.key_file
    stronger = lock_slot(
        slot, key_file.register_id, key_file.signer, secret, unlocked.keys, cost=new_slot_cost()
    )
    key_file = key_file.with_slot(stronger)
    write_key_file(db_path, key_file, unlocked.db_key)
    notice = (
        "Uw wachtwoord was met lichtere instellingen beveiligd dan nu gelden; het is opnieuw"
        " versleuteld met de huidige, sterkere instellingen."
    )
    result = dataclasses.replace(unlocked, key_file=key_file, warnings=(*unlocked.warnings, notice))
    unlocked.forget()
    return result


def unlocked_with_key(
    db_path: Path, db_key: bytes, user: str | None, keys: bytes = b""
) -> Unlocked:
    """An Unlocked for a key already in hand (just created, or just renewed: then `keys`, the
    user's slot keys, come along), checked against the file's MAC."""
    path = key_file_path(db_path)
    key_file = read_key_file(path)
    if not file_mac_ok(path, db_key):
        raise KeyFileError(f"Het sleutelbestand {path} hoort niet bij deze sleutel.")
    slot = key_file.user_slot(user) if user else None
    role = Role(slot.role) if slot and slot.role else None
    return Unlocked(db_key, key_file, user if slot else None, role, keys=keys)


def _verified(
    *,
    db_path: Path,
    key_file: KeyFile,
    used_path: Path,
    db_key: bytes,
    keys: bytes,
    slot: Slot,
    main_problem: str | None,
    repair: bool,
) -> Unlocked:
    """Check the whole-file MAC of the copy the slot came from; repair the main file if needed."""
    main_path, bak_path = key_file_path(db_path), backup_key_file_path(db_path)
    role = Role(slot.role) if slot.role else None
    if used_path == main_path:
        if file_mac_ok(main_path, db_key):
            return Unlocked(db_key, key_file, slot.user, role, keys=keys)
        trusted, _ = try_load(bak_path)
        if trusted is None or not file_mac_ok(bak_path, db_key):
            raise KeyFileError(
                f"Het sleutelbestand {main_path} is gewijzigd buiten wijkteam om en de"
                " reservekopie is niet bruikbaar; herstel het uit een back-up."
            )
        reason = "gewijzigd buiten wijkteam om"
    else:
        if not file_mac_ok(bak_path, db_key):
            raise KeyFileError(
                f"Het sleutelbestand {main_path} is {main_problem or 'onbruikbaar'} en de"
                " reservekopie is gewijzigd buiten wijkteam om; herstel het uit een back-up."
            )
        if main_problem is None and file_mac_ok(main_path, db_key):
            # The main file is authentic and newer (a write stopped between the two copies):
            # the secret opens only the outdated copy, so it is no longer valid.
            if repair:
                atomic_write(bak_path, read_beside(main_path))
            who = f"gebruiker '{slot.user}'" if slot.user else "de herstelsleutel"
            raise WrongPassphraseError(f"Wachtwoord onjuist voor {who}.")
        trusted = key_file
        reason = main_problem or "gewijzigd buiten wijkteam om"
    if not repair:
        warning = (
            f"Het sleutelbestand is {reason}; de reservekopie is bruikbaar en wordt teruggezet"
            " zodra het register gewoon wordt geopend."
        )
        return Unlocked(db_key, trusted, slot.user, role, (warning,), keys=keys)
    write_key_file(db_path, trusted, db_key)
    warning = f"Het sleutelbestand was {reason}; de reservekopie is gebruikt en teruggezet."
    return Unlocked(db_key, trusted, slot.user, role, (warning,), keys=keys)
