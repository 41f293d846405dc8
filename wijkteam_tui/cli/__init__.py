"""The command line (`wijkteam`). The contract is in DESIGN.md, "Command line".

Errors: one Dutch line on stderr, never a traceback; exit 1 for errors, 2 for usage errors, 3 for
a wrong passphrase, 4 when the user's role may not do it (a medewerker asking for the team).
Set WIJKTEAM_DEBUG=1 to see the traceback of an unexpected error.

One module per command group, as restic keeps one file per command: `parser` (the argparse tree,
on the Dutch parser of `dutch_argparse`), `prompts` (environment, passphrases, notices), `users`,
`register`, `erasure`, `reports`, `exports`, `demo` and `tui`. The parser imports every command
module, so those import the store inside each command: `wijkteam --help` and a command that
opens no register start without it.
"""

from __future__ import annotations

import os
import sys
import traceback
from collections.abc import Sequence

from wijkteam_tui.cli.parser import build_parser
from wijkteam_tui.cli.prompts import printable
from wijkteam_tui.cli.tui import cmd_tui
from wijkteam_tui.errors import WijkteamError
from wijkteam_tui.store.process import harden


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code."""
    # Whatever the program creates is for this account only (a register holds special
    # categories of personal data); the store also sets each file's mode itself.
    os.umask(0o077)
    harden()
    try:
        parser = build_parser()
        args = parser.parse_args(argv)
        handler = getattr(args, "handler", cmd_tui)
        return int(handler(args))
    except WijkteamError as error:
        print(f"wijkteam: {printable(error.message)}", file=sys.stderr)
        return error.exit_code
    except SystemExit as done:  # --help and --version
        return done.code if isinstance(done.code, int) else 0
    except KeyboardInterrupt:
        print("wijkteam: afgebroken; er is niets half opgeslagen.", file=sys.stderr)
        return 1
    except Exception as error:  # a bug: one line, the traceback only on request
        # Lazy: the store's fault words load only when something went wrong.
        from wijkteam_tui.store.sqlite.faults import from_os

        # ... unless a disk or a permission caused it: then say which.
        fault = from_os(error) if isinstance(error, OSError) else None
        if fault is not None:
            print(f"wijkteam: {printable(fault.message)}", file=sys.stderr)
            return fault.exit_code
        if os.environ.get("WIJKTEAM_DEBUG"):
            traceback.print_exc()
        print(
            f"wijkteam: onverwachte fout ({type(error).__name__}); er is niets half opgeslagen."
            " Zet WIJKTEAM_DEBUG=1 voor details.",
            file=sys.stderr,
        )
        return 1


def run() -> None:
    sys.exit(main())
