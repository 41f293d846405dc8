"""Messages that workers post to their screens: small, plain, no ORM objects."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from textual.message import Message

if TYPE_CHECKING:  # the store loads in the background while the unlock screen is up
    from wijkteam_tui.store.engine import Register
    from wijkteam_tui.store.records import (
        ClientFile,
        ContactResult,
        SearchHit,
        TeamInfo,
        TimelineEntry,
        TodayList,
        UserItem,
    )


@dataclass
class TodayLoaded(Message):
    today: TodayList
    team: TeamInfo


@dataclass
class RegisterOpened(Message):
    register: Register
    recovery_key: str | None = None
    # Vandaag, read in the same worker that opened the register, so it shows at once.
    first_day: TodayLoaded | None = None


@dataclass
class ActionFailed(Message):
    """A person's error from a worker (wrong passphrase, bad input), in Dutch."""

    message: str
    field: str | None = None
    wrong_passphrase: bool = False


@dataclass
class SearchDone(Message):
    query: str
    hits: list[SearchHit]


@dataclass
class UsersLoaded(Message):
    users: list[UserItem]


@dataclass
class ClientFileLoaded(Message):
    file: ClientFile
    timeline: list[TimelineEntry]


@dataclass
class ContactLogged(Message):
    result: ContactResult
