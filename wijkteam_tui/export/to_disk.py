"""Writing an export to disk, for the command line and the client file alike.

A file written to disk is a readable document by design (it is what the client takes home):
`READABLE_WARNING` is said before writing, the file is created 0600, written completely or not
at all (a temporary file, fsync, then renamed), an existing file is replaced only when asked,
and the export is recorded with its version in the same transaction as the file is made. The
temporary file gets a name nobody can guess and is made exclusively (store.files), so that in
a folder others may write in, nobody can have the document written into a file or through a
link of theirs.

All clients of one medewerker go in one run (`export_clients`): the documents are drawn by
worker processes, one per core, while this process reads the next clients and writes and
records the finished ones one by one, so a stop halfway leaves every file either complete and
recorded or absent."""

from __future__ import annotations

import multiprocessing
import os
import signal
from collections import deque
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, date
from pathlib import Path

from wijkteam_tui.errors import UsageError
from wijkteam_tui.export import document
from wijkteam_tui.store.clock import utc_now
from wijkteam_tui.store.files import Temporary, temporary_beside
from wijkteam_tui.store.process import harden
from wijkteam_tui.store.register import Register
from wijkteam_tui.store.sharing import ClientToExport, SharingFacts, record_export, sharing_facts

#: Format → (what it is, file extension).
FORMATS = {
    "pdf": ("PDF om te printen (A4)", "pdf"),
    "kaart": ("crisiskaart voor in de portemonnee (A7, PDF)", "pdf"),
    "md": ("tekst (Markdown)", "md"),
    "ics": ("agenda (iCalendar)", "ics"),
}

READABLE_WARNING = (
    "wordt een leesbaar, onversleuteld document met persoonsgegevens (alleen voor u leesbaar:"
    " 0600). Geef het alleen aan de cliënt en de mensen die erin staan."
)


@dataclass(frozen=True)
class Exported:
    path: Path
    version: int
    client_name: str
    left_out: list[str]
    #: What the wallet card had to shorten or leave off to fit (told like `left_out`).
    shortened: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class ExportedMany:
    folder: Path
    written: int
    #: Clients whose document leaves someone or something out (told per client by `export`).
    with_left_out: int


#: Called with (files written, files to write, the client just written).
Progress = Callable[[int, int, str], None]


def file_name(number: str, file_format: str) -> str:
    """The file a client's export gets by default: afspraken-1234.pdf, crisiskaart-1234.pdf."""
    stem = "crisiskaart" if file_format == "kaart" else "afspraken"
    return f"{stem}-{number}.{FORMATS[file_format][1]}"


def render(doc: document.SharedDocument, file_format: str) -> bytes:
    # Lazy: the renderers load fpdf2 and fontTools (about 30 MB): only when a document is
    # made, not with the screens.
    from wijkteam_tui.export import card, ical, markdown, pdf

    if file_format == "ics":
        return ical.render(doc, utc_now().replace(tzinfo=UTC))
    if file_format == "pdf":
        return pdf.render(doc)
    if file_format == "kaart":
        return card.render(doc)
    return markdown.render(doc).encode("utf-8")


def check_target(path: Path, *, force: bool) -> Path:
    """`path` (expanded) when a file may be written there; UsageError when one is there
    already (unless `force`) or its folder is not."""
    target = path.expanduser()
    if target.exists() and not force:
        raise UsageError(f"{target} bestaat al; kies een andere naam of vervang het bestand.")
    if not target.parent.is_dir():
        raise UsageError(f"De map {target.parent} bestaat niet.")
    return target


def write_private(path: Path, content: bytes, *, force: bool) -> Temporary:
    """Write `content` next to `path` as a file only this account can read (0600), completely
    or not at all; returns the temporary file to move into place."""
    target = check_target(path, force=force)
    fd, temporary = temporary_beside(target, suffix=".wijkteam-tmp", mode=0o600)
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        temporary.remove()
        raise
    return temporary


def export_agreements(
    register: Register,
    client_id: int,
    file_format: str,
    target: Path,
    today: date,
    *,
    force: bool = False,
    before_writing: Callable[[list[str]], None] | None = None,
) -> Exported:
    """Export one client's shared agreements to `target`; recorded with its version.

    `before_writing` gets what the document leaves out (`SharedDocument.left_out`) once it
    is made and before anything is written; it may refuse by raising."""
    target = target.expanduser()
    doc = _export(
        register,
        sharing_facts(register, client_id),
        file_format,
        target,
        today,
        force=force,
        before_writing=before_writing,
    )
    return Exported(target, doc.version, doc.client_name, doc.left_out, shortened(doc, file_format))


def shortened(doc: document.SharedDocument, file_format: str) -> list[str]:
    """What `file_format` had to shorten of `doc` to fit (only the wallet card shortens)."""
    if file_format != "kaart":
        return []
    # Lazy: fpdf2 only when a card is made, as in `render`.
    from wijkteam_tui.export import card

    return card.lay_out(doc).shortened


def left_out(register: Register, client_id: int, today: date) -> list[str]:
    """What an export of this client made now would leave out, and why; nothing is written."""
    return document.build(sharing_facts(register, client_id), today, 0).left_out


def _export(
    register: Register,
    facts: SharingFacts,
    file_format: str,
    target: Path,
    today: date,
    *,
    force: bool,
    drawn: tuple[document.SharedDocument, bytes] | None = None,
    before_writing: Callable[[list[str]], None] | None = None,
) -> document.SharedDocument:
    """Write and record one export. `drawn` is a document made beforehand with the version
    expected then; when a colleague exported the client meanwhile, it is made again."""
    written: list[Temporary] = []
    built: list[document.SharedDocument] = []

    def write(version: int) -> None:
        if drawn is not None and drawn[0].version == version:
            doc, content = drawn
        else:
            doc = document.build(facts, today, version)
            content = render(doc, file_format)
        if before_writing is not None:
            before_writing(doc.left_out)
        built.append(doc)
        written.append(write_private(target, content, force=force))

    said = document.content_digest(
        drawn[0] if drawn is not None else document.build(facts, today, 0)
    )
    try:
        record_export(register, facts.client_id, file_format, write, content_digest=said)
        written[0].move_to(target)
    except BaseException:
        for temporary in written:
            temporary.remove()
        raise
    return built[0]


def export_clients(
    register: Register,
    clients: Sequence[ClientToExport],
    file_format: str,
    folder: Path,
    today: date,
    *,
    force: bool = False,
    progress: Progress | None = None,
    workers: int | None = None,
) -> ExportedMany:
    """Export the shared agreements of each of `clients` into `folder`, one file each (see
    `file_name`), each recorded with its version. Nothing is written when a file is there
    already and `force` is not given."""
    folder = folder.expanduser()
    if not folder.is_dir():
        raise UsageError(f"De map {folder} bestaat niet.")
    targets = [(client, folder / file_name(client.number, file_format)) for client in clients]
    there = [target for _, target in targets if target.exists()]
    if there and not force:
        raise UsageError(
            f"{len(there)} van de {len(targets)} bestanden bestaan al in {folder} (zoals"
            f" {there[0].name}); kies een andere map of vervang ze."
        )
    waiting: deque[tuple[SharingFacts, document.SharedDocument, Path, Future[bytes] | None]]
    waiting = deque()
    upcoming = iter(targets)
    written = with_left_out = 0
    count = _worker_count(len(targets), workers)
    with _drawing_workers(count) as pool:
        ahead = max(2 * count, 1)

        def read_next() -> None:
            for client, target in upcoming:
                facts = sharing_facts(register, client.id)
                doc = document.build(facts, today, facts.last_version + 1)
                future = pool.submit(render, doc, file_format) if pool is not None else None
                waiting.append((facts, doc, target, future))
                if len(waiting) >= ahead:
                    return

        read_next()
        while waiting:
            facts, doc, target, future = waiting.popleft()
            content = future.result() if future is not None else render(doc, file_format)
            read_next()
            done = _export(
                register, facts, file_format, target, today, force=force, drawn=(doc, content)
            )
            written += 1
            with_left_out += bool(done.left_out)
            if progress is not None:
                progress(written, len(targets), done.client_name)
    return ExportedMany(folder, written, with_left_out)


def _worker_count(documents: int, workers: int | None) -> int:
    """One process per core to draw documents; none (0) for a handful, where starting one
    costs more than it saves."""
    count = workers if workers is not None else min(os.cpu_count() or 1, 8)
    return 0 if count < 2 or documents < 8 else count


def _worker_started() -> None:
    """In a drawing process: no core dumps, and Ctrl-C is for the process that asked (it
    stops the run; the workers end with it)."""
    harden()
    signal.signal(signal.SIGINT, signal.SIG_IGN)


@contextmanager
def _drawing_workers(count: int) -> Iterator[ProcessPoolExecutor | None]:
    """`count` processes that draw documents. They are started fresh (spawn), so they never
    hold the database key; like this process, they cannot dump core."""
    if not count:
        yield None
        return
    pool = ProcessPoolExecutor(
        count, mp_context=multiprocessing.get_context("spawn"), initializer=_worker_started
    )
    try:
        yield pool
    finally:
        pool.shutdown(wait=True, cancel_futures=True)
