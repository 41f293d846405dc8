"""`wijkteam import`: a team's caseload from a spreadsheet, and `wijkteam export team`: the
whole caseload out again, in the layout the import reads (teamleider).

Without --apply a dry run: the report (which header became which column, what would be new,
updated or already there, every problem by sheet, row and column) and nothing changed. With
--apply the import is one transaction, refused as a whole when any row has a problem, unless
--valid-only: then the good rows come in and the others go to an error sheet beside the file,
to fix and import again. After an import the daily sweep runs, so Vandaag is right at once.
Several files are read as one (the CSV files of `export team`: clients, network, agreements)."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path

from wijkteam_tui.cli.prompts import opened, printable, progress_bar
from wijkteam_tui.errors import UsageError

#: What `import` needs, imported while the key is derived.
_IMPORT_NEEDS = (
    "wijkteam_tui.caseload.plan",
    "wijkteam_tui.store.write.intake",
)
REFUSAL = "Alleen een teamleider kan een caseload importeren."
#: Exit code of a dry run or an apply that found problems (nothing was written).
EXIT_PROBLEMS = 1


def cmd_import(args: argparse.Namespace) -> int:
    sources = [Path(file).expanduser() for file in args.files]
    source = sources[0]
    label = ", ".join(path.name for path in sources)
    if args.valid_only and not args.apply:
        raise UsageError("--valid-only hoort bij --apply (een proefimport schrijft niets).")
    with opened(args, *_IMPORT_NEEDS) as register:
        # Lazy: imported while the key was derived (`opened`).
        from wijkteam_tui.caseload.columns import NO_MAPPING, read_mapping
        from wijkteam_tui.caseload.plan import plan_import
        from wijkteam_tui.caseload.reading import read_caseload
        from wijkteam_tui.caseload.report import (
            imported_text,
            refused_rows,
            rejected_sheets,
            report_lines,
        )
        from wijkteam_tui.export.caseload import errors_target, write_errors
        from wijkteam_tui.store.sweep import daily_sweep
        from wijkteam_tui.store.write.intake import import_caseload

        register.require_teamleider(REFUSAL)
        mapping = read_mapping(Path(args.columns).expanduser()) if args.columns else NO_MAPPING
        today = date.today()
        plan = plan_import(register, read_caseload(sources, mapping), today)
        for line in report_lines(plan):
            print(printable(line))
        if not args.apply:
            print()
            print(
                "Dit was een proefimport: er is niets veranderd."
                + (" Voeg --apply toe om te importeren." if not plan.problems else "")
            )
            return EXIT_PROBLEMS if plan.problems else 0
        if plan.problems and not args.valid_only:
            print()
            print(
                "Er is niets geïmporteerd. Verbeter de problemen in het bestand, of importeer met"
                " --valid-only alleen de goede rijen (de andere komen in een foutenbestand)."
            )
            return EXIT_PROBLEMS
        refused = refused_rows(plan)
        target = (
            errors_target(source, len(refused), force=args.force, hint=" of geef --force")
            if refused
            else None
        )
        # Read from the file again before anything is written (it may have changed).
        rejected = rejected_sheets(plan) if refused else None
        show = progress_bar(sys.stderr, "cliënten")
        total = len(plan.clients)
        counts = import_caseload(
            register,
            plan.clients,
            label,
            today,
            progress=(lambda done: show(done, total)) if total else None,
        )
        daily_sweep(register, today)
    if rejected is not None and target is not None:
        write_errors(target, rejected)
    print()
    print(f"Geïmporteerd uit {printable(label)}:")
    print(f"  {imported_text(counts)}")
    if target is not None:
        print(
            f"De rijen met een probleem staan in {printable(target)}: verbeter ze daar en"
            " importeer dat bestand."
        )
    return 0


def cmd_export_team(args: argparse.Namespace) -> int:
    """Every open client with network, agreements and assessments, in the layout `import`
    reads."""
    # Lazy: the store and the writers load only for the command that runs.
    from wijkteam_tui.caseload.report import count
    from wijkteam_tui.export.caseload import team_paths, write_team
    from wijkteam_tui.export.to_disk import check_target
    from wijkteam_tui.store.audit.lists import listed
    from wijkteam_tui.store.audit.log import record
    from wijkteam_tui.store.read.caseload import caseload_pages, team_caseload

    target = Path(args.output).expanduser()
    paths = team_paths(target, args.format)
    for path in paths:
        # Before anything is logged as gone out.
        check_target(path, force=args.force)
    with opened(args) as register:
        caseload = team_caseload(register)
        print(
            f"Let op: {', '.join(printable(p) for p in paths)}: leesbare, onversleutelde"
            " bestanden met alle open cliënten, hun netwerk (met toestemming en al), afspraken en"
            " metingen (ZRM, Positieve Gezondheid)"
            " (alleen voor u leesbaar: 0600). Bewaar ze zoals het register zelf.",
            file=sys.stderr,
        )
        record(register, listed(caseload.clients, f"hele caseload ({args.format})"))
        show = progress_bar(sys.stderr, "cliënten")
        total = len(caseload.clients)
        done = write_team(
            caseload_pages(register, caseload),
            {user.id: user.name for user in caseload.users},
            args.format,
            target,
            force=args.force,
            progress=(lambda written: show(written, total)) if total else None,
        )
    print(
        f"{count(done.clients, 'cliënt', 'cliënten')},"
        f" {count(done.members, 'netwerklid', 'netwerkleden')},"
        f" {count(done.agreements, 'afspraak', 'afspraken')} en"
        f" {count(done.assessments, 'meting', 'metingen')} in"
        f" {', '.join(printable(p) for p in done.paths)}."
    )
    return 0
