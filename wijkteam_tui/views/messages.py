"""Messages that workers post to their screens: small, plain, no ORM objects."""

from __future__ import annotations

from dataclasses import dataclass

from textual.message import Message

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
class RegisterOpened(Message):
    register: Register
    recovery_key: str | None = None


@dataclass
class OpenFailed(Message):
    message: str
    field: str | None = None
    wrong_passphrase: bool = False


@dataclass
class TodayLoaded(Message):
    today: TodayList
    team: TeamInfo


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
