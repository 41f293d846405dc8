"""`export agreements|client`: readable files that leave the register, for the client and
their network (the shared agreements) or for the client alone (inzage, AVG art. 15)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from wijkteam_tui.cli.prompts import opened, printable, progress_bar
from wijkteam_tui.errors import NotWorkingForError, UsageError

if TYPE_CHECKING:
    from wijkteam_tui.store.register import Register


def cmd_export_agreements(args: argparse.Namespace) -> int:
    # Lazy: the store and the export formats load only for the command that runs.
    from wijkteam_tui.export.to_disk import READABLE_WARNING, export_agreements

    if (args.client is None) == (args.medewerker is None):
        raise UsageError("Geef een cliëntnummer of --medewerker NAAM (niet allebei).")
    if args.check:
        return _check_agreements(args)
    if args.output is None:
        raise UsageError("Geef met -o BESTAND aan waar het bestand moet komen.")
    if args.medewerker is not None:
        return _export_clients_of(args)
    target = Path(args.output).expanduser()
    with opened(args) as register:
        client_id = _opening(register, args)
        print(f"Let op: {printable(target)} {READABLE_WARNING}", file=sys.stderr)
        done = export_agreements(
            register,
            client_id,
            args.format,
            target,
            date.today(),
            force=args.force,
            before_writing=_tell_left_out,
        )
    for note in done.shortened:
        print(printable(note), file=sys.stderr)
    print(
        f"Afspraken van {printable(done.client_name)}, versie {done.version}:"
        f" {printable(done.path)}"
    )
    return 0


def _check_agreements(args: argparse.Namespace) -> int:
    """`--check`: what an export would leave out, on stderr; nothing is written or recorded."""
    # Lazy: the store and the export formats load only for the command that runs.
    from wijkteam_tui.export.to_disk import left_out

    if args.client is None:
        raise UsageError("--check is voor één cliënt: geef een cliëntnummer.")
    with opened(args) as register:
        reasons = left_out(register, _opening(register, args), date.today())
    _tell_left_out(reasons)
    said = "hierboven staat wat er niet in zou staan" if reasons else "alles kan gedeeld worden"
    print(f"Er is niets geschreven; {said}.")
    return 0


def _opening(register: Register, args: argparse.Namespace) -> int:
    """The id of the client asked for; with --emergency, noodtoegang to it first when the
    team lets this medewerker open only the clients they work for and this is not one."""
    # Lazy: the store loads only for the command that runs.
    from wijkteam_tui.store.cover.access import require_access
    from wijkteam_tui.store.cover.grants import open_emergency
    from wijkteam_tui.store.sharing import client_by_number

    client_id = client_by_number(register, args.client)
    today = date.today()
    try:
        with register.read_connection() as conn:
            require_access(register, conn, client_id, today)
    except NotWorkingForError as refused:
        if args.emergency is None:
            raise NotWorkingForError(
                f"{refused} Op de opdrachtregel: --emergency REDEN.", client_id
            ) from None
        given = open_emergency(register, client_id, args.emergency, today)
        print(f"Noodtoegang {given.until_text()}; de teamleider ziet het.", file=sys.stderr)
        return client_id
    if args.emergency is not None:
        print("U mag deze cliënt al openen: geen noodtoegang vastgelegd.", file=sys.stderr)
    return client_id


def _tell_left_out(reasons: list[str]) -> None:
    for reason in reasons:
        print(f"Niet gedeeld: {printable(reason)}", file=sys.stderr)


def cmd_export_client(args: argparse.Namespace) -> int:
    # Lazy: the store and the export formats load only for the command that runs.
    from wijkteam_tui.export.inzage import summary_path, write_inzage
    from wijkteam_tui.store.read.inzage import client_inzage
    from wijkteam_tui.store.sharing import client_by_number

    target = Path(args.output).expanduser()
    print(
        f"Let op: {printable(target)} en {printable(summary_path(target))} worden leesbare,"
        " onversleutelde documenten met alle gegevens van de cliënt (alleen voor u leesbaar:"
        " 0600). Geef ze alleen aan de cliënt die erom vroeg.",
        file=sys.stderr,
    )
    with opened(args) as register:
        inzage = client_inzage(register, client_by_number(register, args.client))
        written = write_inzage(inzage, target, force=args.force)
    json_file, summary = (printable(path) for path in written)
    print(f"Inzage voor {printable(inzage.client_name)}: {json_file} en {summary}")
    return 0


def _export_clients_of(args: argparse.Namespace) -> int:
    """The shared agreements of every open client of one medewerker, a file each in one
    folder, with a progress bar on stderr."""
    # Lazy: the store and the export formats load only for the command that runs.
    from wijkteam_tui.export.to_disk import READABLE_WARNING, export_clients, file_name
    from wijkteam_tui.store.sharing import clients_to_export

    folder = Path(args.output).expanduser()
    with opened(args) as register:
        clients = clients_to_export(register, args.medewerker)
        if not clients:
            print(f"{printable(args.medewerker)} heeft geen open cliënten; er is niets gemaakt.")
            return 0
        example = printable(folder / file_name(clients[0].number, args.format))
        print(
            f"Let op: elk bestand (zoals {example}) {READABLE_WARNING}",
            file=sys.stderr,
        )
        done = export_clients(
            register,
            clients,
            args.format,
            folder,
            date.today(),
            force=args.force,
            progress=progress_bar(sys.stderr, "bestanden"),
        )
    if done.with_left_out:
        print(
            f"Bij {done.with_left_out} van de {done.written} cliënten is iemand of iets niet"
            " gedeeld (geen of verlopen toestemming, of niet gedeelde afspraken); 'wijkteam"
            " export agreements NUMMER' zegt per cliënt wat.",
            file=sys.stderr,
        )
    print(f"{done.written} bestanden in {printable(done.folder)}")
    return 0
