"""argparse in Dutch, without changing argparse for the rest of the process.

argparse (Python 3.11) fetches its own texts through gettext when it uses them; rebinding
`argparse._` would translate them for every parser in the process. Here the help formatter
translates the texts of the help it writes, and the parser the error messages it receives,
which argparse hands it finished: they are recognised by their English pattern.
"""

from __future__ import annotations

import argparse
import re
from collections.abc import Iterable
from typing import Any, NoReturn

from wijkteam_tui.errors import UsageError

USAGE = "gebruik: "
#: Headings and help that argparse writes itself. (The help of --version is given where the
#: option is added: argparse sets its own as a default argument, not through gettext.)
_HELP = {
    "options": "opties",
    "positional arguments": "argumenten",
    "show this help message and exit": "toon deze hulp en stop",
}
#: argparse's error messages as it finishes them, and in Dutch. Where a value typed by the
#: person comes before text of ours, its group is greedy, so that the last match is argparse's.
_ERRORS = tuple(
    (re.compile(english, re.DOTALL), dutch)
    for english, dutch in (
        (r"the following arguments are required: (.*)", r"verplicht maar niet opgegeven: \1"),
        (r"unrecognized arguments: (.*)", r"onbekende argumenten: \1"),
        (r"invalid choice: (.*) \(choose from (.*)\)", r"ongeldige keuze: \1 (kies uit \2)"),
        (r"expected one argument", "verwacht één waarde"),
        (r"invalid .+? value: (.*)", r"ongeldige waarde: \1"),
        (r"ambiguous option: (.*) could match (.*)", r"onduidelijke optie: \1 (kan zijn: \2)"),
        (r"not allowed with argument (.*)", r"niet toegestaan samen met \1"),
    )
)
#: An error about one argument: its name, then one of the messages above.
_ABOUT_ARGUMENT = re.compile(r"argument (.+?): (.*)", re.DOTALL)


def _translated(message: str) -> str | None:
    for english, dutch in _ERRORS:
        found = english.fullmatch(message)
        if found:
            return found.expand(dutch)
    return None


def dutch_error(message: str) -> str:
    """argparse's finished error `message` in Dutch; a message it does not know stays as it is."""
    whole = _translated(message)
    if whole is not None:
        return whole
    about = _ABOUT_ARGUMENT.fullmatch(message)
    if about:
        return f"argument {about[1]}: {_translated(about[2]) or about[2]}"
    return message


class DutchHelpFormatter(argparse.HelpFormatter):
    """argparse's help with its own headings, usage prefix and -h help in Dutch."""

    def add_usage(
        self,
        usage: str | None,
        actions: Iterable[argparse.Action],
        groups: Iterable[Any],
        prefix: str | None = None,
    ) -> None:
        # argparse passes an explicit prefix ('') only for the prog of subcommands.
        super().add_usage(usage, actions, groups, USAGE if prefix is None else prefix)

    def start_section(self, heading: str | None) -> None:
        super().start_section(_HELP.get(heading, heading) if heading else heading)

    def _get_help_string(self, action: argparse.Action) -> str | None:
        return _HELP.get(action.help, action.help) if action.help else action.help


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that writes its help in Dutch and raises a usage error in Dutch
    instead of printing one and exiting."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(formatter_class=DutchHelpFormatter, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(f"{dutch_error(message)} (zie '{self.prog} --help')")
