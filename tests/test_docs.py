"""The documents cannot go stale silently: every `wijkteam` command and option they name exists
in the command line, every key the handleiding names is bound on its screen, and every link
between them points at a file that is there."""

from __future__ import annotations

import argparse
import re
import shlex
from pathlib import Path

import pytest
from textual.binding import Binding

from tests.helpers import REPO
from wijkteam_tui.app import WijkteamApp
from wijkteam_tui.cli.parser import build_parser
from wijkteam_tui.views.audit import AuditScreen
from wijkteam_tui.views.client_file import ClientFileScreen
from wijkteam_tui.views.clients import ClientsScreen
from wijkteam_tui.views.contact import LogContactScreen
from wijkteam_tui.views.forms.base import FormScreen
from wijkteam_tui.views.neighbourhood import NeighbourhoodScreen, PersonScreen
from wijkteam_tui.views.resources import SocialMapScreen
from wijkteam_tui.views.team import TeamScreen
from wijkteam_tui.views.today import TodayScreen
from wijkteam_tui.views.users import UsersScreen

DOCUMENTS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]
#: A command as the documents write it: in a code span or a shell block.
_SPAN = re.compile(r"`(wijkteam(?: [^`]*)?)`")
_SCREENS = {
    "Vandaag": TodayScreen,
    "Cliënten": ClientsScreen,
    "Dossier": ClientFileScreen,
    "Team": TeamScreen,
    "Gebruikers": UsersScreen,
    "Sociale kaart": SocialMapScreen,
    "Auditlog": AuditScreen,
    "Formulieren": FormScreen,
    "Contact": LogContactScreen,
    "Buurt": NeighbourhoodScreen,
    "Steunpersoon": PersonScreen,
}
_KEY_NAMES = {"Enter": "enter", "Esc": "escape", "/": "slash", "?": "question_mark", "Tab": "tab"}


def _commands(text: str) -> list[str]:
    found = [m.group(1) for m in _SPAN.finditer(text)]
    for block in re.findall(r"```(?:sh|bash|console)?\n(.*?)```", text, re.DOTALL):
        for raw in block.splitlines():
            line = raw.split("#", 1)[0].strip().removeprefix("$ ")
            found += [c for c in map(_command_of, re.split(r"&&|\||;", line)) if c]
    return found


def _command_of(text: str) -> str:
    """The `wijkteam …` in one shell command, without sudo, env or variables before it."""
    part = text.strip()
    if part.startswith("sudo -u "):
        part = part.split(maxsplit=3)[-1]
    for prefix in ("sudo ", "env "):
        part = part.removeprefix(prefix)
    part = re.sub(r"^(?:[A-Z_]+=\S*\s+)+", "", part)
    return part if part == "wijkteam" or part.startswith("wijkteam ") else ""


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    return {}


def _options(parser: argparse.ArgumentParser) -> set[str]:
    return {option for action in parser._actions for option in action.option_strings}


def _check(words: list[str], parser: argparse.ArgumentParser) -> list[str]:
    """What in `words` (a command line without `wijkteam`) the parser does not know."""
    wrong: list[str] = []
    known = _options(parser)
    subs = _subparsers(parser)
    for index, word in enumerate(words):
        if word.startswith("--"):
            option = word.split("=", 1)[0]
            if option not in known:
                wrong.append(option)
        elif subs and not word.startswith(("-", "[", "<", "…", "$")) and word.isidentifier():
            if word in subs:
                return wrong + _check(words[index + 1 :], subs[word])
            if word.upper() != word:  # NUMMER, BESTAND: a placeholder
                wrong.append(word)
            return wrong
    return wrong


@pytest.mark.parametrize("document", DOCUMENTS, ids=lambda p: p.name)
def test_every_command_and_option_a_document_names_exists(document: Path):
    parser = build_parser()
    unknown = []
    for command in _commands(document.read_text(encoding="utf-8")):
        try:
            words = shlex.split(command)[1:]
        except ValueError:
            words = command.split()[1:]
        unknown += [f"{command!r}: {word}" for word in _check(words, parser)]
    assert unknown == []


def _bound(screen: type) -> set[str]:
    keys: set[str] = set()
    for owner in (screen, WijkteamApp):
        for binding in Binding.make_bindings(getattr(owner, "BINDINGS", [])):
            keys |= {key.strip() for key in binding.key.split(",")}
    return keys


def test_every_key_the_handleiding_names_is_bound_on_its_screen():
    text = (REPO / "docs" / "handleiding.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| ([^|`]+?) \| `([^`]+)` \|", text, re.MULTILINE)
    checked = [row for row in rows if row[0] in _SCREENS]
    assert len(checked) > 30, "the key table was found"
    missing = []
    for screen_name, shown in checked:
        key = _KEY_NAMES.get(shown) or shown.lower()
        if key not in _bound(_SCREENS[screen_name]):
            missing.append(f"{screen_name}: {shown}")
    assert missing == []


def test_every_link_between_the_documents_points_at_a_file():
    for document in DOCUMENTS:
        for target in re.findall(r"\]\(([^)#:]+)(?:#[^)]*)?\)", document.read_text("utf-8")):
            assert (document.parent / target).exists(), f"{document.name}: {target}"
