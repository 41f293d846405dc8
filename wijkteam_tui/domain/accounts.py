"""Rules for user names and passphrases (pure; the set-up screen uses them as you type), and
how long someone waits after wrong passphrases."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable

from wijkteam_tui.errors import UsageError

#: After this many wrong passphrases in a row, each further try waits longer (2, 4, 8 … 60 s).
FREE_ATTEMPTS = 3
MAX_DELAY_SECONDS = 60


#: User names: ASCII letters and digits, and `.`, `_` or `-` inside, 1 to 64 characters.
#: Only ASCII, so that no two names look alike (a Cyrillic "а" or a full-width "ａ" in a name
#: would look like a colleague's name but be another user).
USER_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]{0,63})")

#: A new passphrase needs at least this many characters, of at least MIN_DISTINCT kinds.
MIN_PASSPHRASE = 12
MIN_DISTINCT = 5


def validate_user_name(user: str) -> None:
    """Refuse names that would not work as a login or could be mistaken for another."""
    if not USER_NAME.fullmatch(user):
        raise UsageError(
            "Een gebruikersnaam bestaat uit 1 tot 64 tekens: letters a-z of A-Z, cijfers, en"
            " daartussen punten, streepjes of lage streepjes (geen letters met accenten of uit"
            " andere schriften)."
        )


def validate_new_user_name(user: str, taken: Iterable[str]) -> None:
    """Refuse a new name that equals a name in `taken` apart from case ("Anna" beside "anna"):
    the two would look like one person in every list and in the audit log. (The same name
    exactly is for the caller: a slot that exists, or a switched-off user given access again.)"""
    twin = next(
        (name for name in taken if name != user and name.casefold() == user.casefold()), None
    )
    if twin is not None:
        raise UsageError(
            f"Er is al een gebruiker '{twin}'; gebruikersnamen mogen niet alleen in hoofdletters"
            f" verschillen, dus '{user}' kan niet. Kies een andere naam."
        )


def passphrase_problem(passphrase: str) -> str | None:
    """Why a new passphrase is too weak (Dutch), or None when it is strong enough.

    Length is what makes a passphrase hard to guess offline: a sentence of four ordinary words
    is longer, and easier to remember, than a short word with digits and signs."""
    if len(passphrase) < MIN_PASSPHRASE:
        return (
            f"Het wachtwoord moet minstens {MIN_PASSPHRASE} tekens lang zijn (nu"
            f" {len(passphrase)}); een zin van vier woorden is sterk en goed te onthouden."
        )
    if len(set(passphrase.casefold())) < MIN_DISTINCT:
        return "Het wachtwoord herhaalt te veel dezelfde tekens; gebruik een zin van vier woorden."
    return None


def validate_passphrase(passphrase: str) -> None:
    """Refuse a new passphrase that is too weak, saying why."""
    problem = passphrase_problem(passphrase)
    if problem:
        raise UsageError(problem)


def passphrase_strength(passphrase: str) -> str:
    """A short Dutch hint on how hard a passphrase is to guess, as it is typed."""
    problem = passphrase_problem(passphrase)
    if problem:
        return f"te zwak: minstens {MIN_PASSPHRASE} tekens nodig"
    words = len(passphrase.split())
    if len(passphrase) >= 20 or (words >= 4 and len(passphrase) >= 16):
        return "sterk"
    return "voldoende; een langere zin is sterker"


def failure_delay(failures: int) -> float:
    """Seconds to wait before the next try after `failures` wrong passphrases in a row."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    # min() first: 2 ** a very large count would be a needlessly huge integer.
    exponent = min(failures - FREE_ATTEMPTS + 1, MAX_DELAY_SECONDS.bit_length())
    return float(min(MAX_DELAY_SECONDS, 2**exponent))


def seconds_text(seconds: float) -> str:
    """A wait in whole seconds, rounded up so that a retry is never too early: "1 seconde",
    "8 seconden"."""
    whole = max(1, math.ceil(seconds))
    return "1 seconde" if whole == 1 else f"{whole} seconden"
