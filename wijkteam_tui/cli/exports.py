"""`export agreements|client`: readable files that leave the register, for the client and
their network (the shared agreements) or for the client alone (inzage, AVG art. 15)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from wijkteam_tui.cli.prompts import opened, printable, progress_bar
from wijkteam_tui.errors import UsageError


def cmd_export_agreements(args: argparse.Namespace) -> int:
    # Lazy: the store and the export formats load only for the command that runs.
    from wijkteam_tui.export.to_disk import READABLE_WARNING, export_agreements
    from wijkteam_tui.store.sharing import client_by_number

    if (args.client is None) == (args.medewerker is None):
        raise UsageError("Geef een cliëntnummer of --medewerker NAAM (niet allebei).")
    if args.check:
        return _check_agreements(args)
    if args.output is None:
        raise UsageError("Geef met -o BESTAND aan waar het bestand moet komen.")
    if args.medewerker is not None:
        return _export_clients_of(args)
    target = Path(args.output).expanduser()
    print(f"Let op: {printable(target)} {READABLE_WARNING}", file=sys.stderr)
    with opened(args) as register:
        client_id = client_by_number(register, args.client)
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
    from wijkteam_tui.store.sharing import client_by_number

    if args.client is None:
        raise UsageError("--check is voor één cliënt: geef een cliëntnummer.")
    with opened(args) as register:
        reasons = left_out(register, client_by_number(register, args.client), date.today())
    _tell_left_out(reasons)
    said = "hierboven staat wat er niet in zou staan" if reasons else "alles kan gedeeld worden"
    print(f"Er is niets geschreven; {said}.")
    return 0


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
