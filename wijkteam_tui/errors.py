"""Errors a person can cause. Each carries one Dutch sentence for the screen and an exit code.

Tracebacks are for bugs; everything here is an expected outcome.
"""

from __future__ import annotations

EXIT_ERROR = 1
EXIT_USAGE = 2
EXIT_AUTH = 3
EXIT_ROLE = 4


class WijkteamError(Exception):
    """Base of all expected failures; `str(error)` is the Dutch message."""

    exit_code = EXIT_ERROR

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class UsageError(WijkteamError):
    exit_code = EXIT_USAGE


class AuthenticationError(WijkteamError):
    """Wrong passphrase, wrong recovery key or unknown user."""

    exit_code = EXIT_AUTH


class WrongPassphraseError(AuthenticationError):
    """A wrong passphrase or recovery key. `wait_seconds`: how long the next try must wait."""

    def __init__(self, message: str, wait_seconds: float = 0.0) -> None:
        super().__init__(message)
        self.wait_seconds = wait_seconds


class OneTimePassphraseError(AuthenticationError):
    """The passphrase is right, but it is a one-time passphrase from the teamleider: the user
    must choose their own before the register opens."""


class AccessEndedError(AuthenticationError):
    """The person was switched off (or their passphrase reset) while the register was open
    here: nothing more is saved, and the screens lock."""


class TooManyAttemptsError(AuthenticationError):
    """Refused before trying: too many wrong passphrases in a row, and the wait
    (`wait_seconds`) is not over yet."""

    def __init__(self, message: str, wait_seconds: float) -> None:
        super().__init__(message)
        self.wait_seconds = wait_seconds


class KeyFileError(WijkteamError):
    """The key file is missing, damaged or edited."""


class RegisterError(WijkteamError):
    """The register cannot be opened, created or used as asked."""


class ServerUnreachableError(RegisterError):
    """The team server cannot be reached (stopped, restarting, the network): nothing was
    saved, and the work resumes when it is back."""


class UnsafeLocationError(RegisterError):
    """The register's folder is on a network share or in a cloud-sync folder."""


class OlderRegisterError(RegisterError):
    """The register is older than this person saw it last (a copy put back), and nothing
    explains it: not opened unless they say they accept that."""


class MigrationError(RegisterError):
    """Bringing the register's structure up to date failed; nothing was changed."""


class ValidationError(WijkteamError):
    """Input that cannot be saved, with the field it concerns."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


class RoleError(WijkteamError):
    """The acting user's role may not do this (a medewerker asking for a teamleider's task)."""

    exit_code = EXIT_ROLE


#: What a save says when a colleague changed the same record since it was opened.
CHANGED_MEANWHILE = (
    "Iemand anders heeft dit intussen gewijzigd. Er is niets opgeslagen; open het opnieuw en"
    " probeer het nog eens."
)


class ConflictError(WijkteamError):
    """Someone else changed the record in the meantime (by default: `CHANGED_MEANWHILE`)."""

    def __init__(self, message: str = CHANGED_MEANWHILE) -> None:
        super().__init__(message)


def no_register(path: object) -> RegisterError:
    """There is nothing at `path` to open."""
    return RegisterError(
        f"Geen register gevonden op {path}. Maak er een met 'wijkteam init' of geef --db op."
    )


class NotWorkingForError(RoleError):
    """The team lets a medewerker open only the clients they work for, and this is not one:
    opening it needs noodtoegang (a reason, for a few hours; store/cover/access.py)."""

    def __init__(self, message: str, client_id: int) -> None:
        super().__init__(message)
        self.client_id = client_id
