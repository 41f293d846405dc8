"""Rules for user names and passphrases (pure; the set-up screen uses them as you type)."""

from __future__ import annotations

from wijkteam_tui.errors import UsageError


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
