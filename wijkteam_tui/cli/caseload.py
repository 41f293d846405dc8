"""`wijkteam import`: a team's caseload from a spreadsheet (teamleider).

Without --apply a dry run: the report (which header became which column, what would be new,
updated or already there, every problem by sheet, row and column) and nothing changed. With
--apply the import is one transaction, refused as a whole when any row has a problem, unless
--valid-only: then the good rows come in and the others go to an error sheet beside the file,
to fix and import again. After an import the daily sweep runs, so Vandaag is right at once."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from wijkteam_tui.cli.prompts import opened, printable, progress_bar
from wijkteam_tui.errors import UsageError

if TYPE_CHECKING:
    from wijkteam_tui.export.caseload import Rejected

#: What `import` needs, imported while the key is derived.
_IMPORT_NEEDS = (
    "wijkteam_tui.caseload.plan",
    "wijkteam_tui.store.write.intake",
)
REFUSAL = "Alleen een teamleider kan een caseload importeren."
#: Exit code of a dry run or an apply that found problems (nothing was written).
EXIT_PROBLEMS = 1


def errors_path(source: Path) -> Path:
    """Where --valid-only puts the refused rows: beside the file, `<naam>-fouten.<ext>`."""
    suffix = ".xlsx" if source.suffix.lower() in (".xlsx", ".xlsm") else ".csv"
    return source.with_name(f"{source.stem}-fouten{suffix}")


def cmd_import(args: argparse.Namespace) -> int:
    source = Path(args.file).expanduser()
    if args.valid_only and not args.apply:
        raise UsageError("--valid-only hoort bij --apply (een proefimport schrijft niets).")
    with opened(args, *_IMPORT_NEEDS) as register:
        # Lazy: imported while the key was derived (`opened`).
        from wijkteam_tui.caseload.columns import NO_MAPPING, read_mapping
        from wijkteam_tui.caseload.plan import plan_import
        from wijkteam_tui.caseload.reading import read_caseload
        from wijkteam_tui.caseload.report import count, rejected_sheets, report_lines
        from wijkteam_tui.store.sweep import daily_sweep
        from wijkteam_tui.store.write.intake import import_caseload

        register.require_teamleider(REFUSAL)
        mapping = read_mapping(Path(args.columns).expanduser()) if args.columns else NO_MAPPING
        today = date.today()
        plan = plan_import(register, read_caseload(source, mapping), today)
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
        rejected = rejected_sheets(plan) if plan.problems else None
        target = _errors_target(source, rejected, force=args.force)
        show = progress_bar(sys.stderr, "cliënten")
        total = len(plan.clients)
        counts = import_caseload(
            register,
            plan.clients,
            source.name,
            today,
            progress=(lambda done: show(done, total)) if total else None,
        )
        daily_sweep(register, today)
    if rejected is not None and target is not None:
        _write_errors(target, rejected)
    print()
    print(f"Geïmporteerd uit {printable(source.name)}:")
    print(
        f"  {count(counts.clients_new, 'nieuwe cliënt', 'nieuwe cliënten')},"
        f" {counts.clients_updated} bijgewerkt,"
        f" {count(counts.members, 'netwerklid', 'netwerkleden')},"
        f" {count(counts.agreements, 'afspraak', 'afspraken')},"
        f" {count(counts.contacts, 'contactmoment', 'contactmomenten')}."
    )
    if target is not None:
        print(
            f"De rijen met een probleem staan in {printable(target)}: verbeter ze daar en"
            " importeer dat bestand."
        )
    return 0


def _errors_target(source: Path, rejected: Rejected | None, *, force: bool) -> Path | None:
    """Where the error sheet goes (refused before anything is imported when a file is there
    and --force was not given)."""
    if rejected is None:
        return None
    target = errors_path(source)
    if target.suffix == ".csv" and len(rejected) > 1:
        target = target.with_suffix(".xlsx")
    if target.exists() and not force:
        raise UsageError(
            f"{target} bestaat al (van een eerdere import?); ruim het op of geef --force."
        )
    return target


def _write_errors(target: Path, rejected: Rejected) -> None:
    """The error sheet (0600, whole or not at all)."""
    # Lazy: the writers of the error sheet load only when there is one to write.
    from wijkteam_tui.export.caseload import rejects_csv, rejects_xlsx
    from wijkteam_tui.export.to_disk import write_private

    content = rejects_xlsx(rejected) if target.suffix == ".xlsx" else rejects_csv(rejected)
    write_private(target, content, force=True).move_to(target)
