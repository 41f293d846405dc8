"""The Layout section of docs/developing.md is checked against the real tree: every module and
folder of the package is named there, and every module it names exists. And no module grows
past 500 lines: a module that does more than one thing is split into rooms that each do one."""

from __future__ import annotations

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
PACKAGE = REPO / "wijkteam_tui"
MAX_LINES = 500


def _layout() -> str:
    text = (REPO / "docs" / "developing.md").read_text()
    section = text.split("\n## Layout\n", 1)[1]
    return section.split("```\n", 2)[1]


def _modules() -> list[Path]:
    return sorted(
        p for p in PACKAGE.rglob("*.py") if "__pycache__" not in p.parts and p.name != "__init__.py"
    )


def test_the_layout_names_every_module_and_folder_of_the_package():
    layout = _layout()

    # The domain, export and store are listed as files ("schedules.py"), the command line and
    # views as names in a sentence ("screens: unlock, today, …").
    def named(path: Path) -> bool:
        as_file = path.parent.name in ("domain", "export", "store") or path.parent == PACKAGE
        suffix = r"\.py" if as_file else r"(\.py)?"
        return re.search(rf"(?<![\w/]){re.escape(path.stem)}{suffix}(?!\w)", layout) is not None

    missing = [str(path.relative_to(PACKAGE)) for path in _modules() if not named(path)]
    folders = sorted(p for p in PACKAGE.rglob("*") if p.is_dir() and "__pycache__" not in p.parts)
    missing += [f"{p.relative_to(PACKAGE)}/" for p in folders if f"{p.name}/" not in layout]
    assert not missing, f"the Layout in docs/developing.md does not name: {missing}"


def test_every_module_the_layout_names_exists():
    stems = {p.stem for p in _modules()} | {p.stem for p in (REPO / "benchmarks").glob("*.py")}
    named = set(re.findall(r"([a-z_]+)\.py\b", _layout())) - {"__init__"}
    assert not named - stems, (
        f"the Layout in docs/developing.md names modules that are gone: {named - stems}"
    )


def test_no_module_grows_past_500_lines():
    lengths = {str(p.relative_to(PACKAGE)): len(p.read_text().splitlines()) for p in _modules()}
    over = sorted(name for name, n in lengths.items() if n > MAX_LINES)
    assert over == [], f"over {MAX_LINES} lines: {over}"
