"""Rules for user names and passphrases (pure; the set-up screen uses them as you type), and
how long someone waits after wrong passphrases."""

from __future__ import annotations

import math

from wijkteam_tui.errors import UsageError

#: After this many wrong passphrases in a row, each further try waits longer (2, 4, 8 … 60 s).
FREE_ATTEMPTS = 3
MAX_DELAY_SECONDS = 60


def validate_user_name(user: str) -> None:
    """Refuse names that would not work as a login."""
    if not user or len(user) > 64 or not all(ch.isalnum() or ch in "._-" for ch in user):
        raise UsageError(
            "Een gebruikersnaam bestaat uit 1 tot 64 letters, cijfers, punten, streepjes of"
            " lage streepjes."
        )


def validate_passphrase(passphrase: str) -> None:
    """Refuse passphrases that cannot protect anything."""
    if len(passphrase) < 4:
        raise UsageError("Het wachtwoord moet minstens 4 tekens lang zijn.")


def passphrase_strength(passphrase: str) -> str:
    """A short Dutch hint on how hard a passphrase is to guess."""
    classes = sum(
        any(test(ch) for ch in passphrase)
        for test in (str.islower, str.isupper, str.isdigit, lambda c: not c.isalnum())
    )
    words = len(passphrase.split())
    if len(passphrase) >= 20 or (words >= 4 and len(passphrase) >= 16):
        return "sterk"
    if len(passphrase) >= 12 and classes >= 2:
        return "redelijk"
    return "zwak: gebruik een zin van minstens vier woorden"


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
