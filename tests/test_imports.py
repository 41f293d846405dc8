"""How the package's modules import each other: no cycles at run time, and an import inside a
function only where it keeps start-up fast or loads something heavy late, with its reason.

(The rooms' contracts are import-linter's, in pyproject.toml; `make lint` runs them.)"""

from __future__ import annotations

import ast
from pathlib import Path

import grimp

PACKAGE = Path(__file__).resolve().parent.parent / "wijkteam_tui"


def _cycles(edges: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        on_stack.add(module)
        for other in edges[module]:
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in on_stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            group = []
            while True:
                other = stack.pop()
                on_stack.discard(other)
                group.append(other)
                if other == module:
                    break
            if len(group) > 1:
                found.append(sorted(group))

    for module in sorted(edges):
        if module not in index:
            visit(module)
    return found


def test_no_two_modules_import_each_other_at_run_time():
    # Imports under TYPE_CHECKING are left out: they name a type and never run.
    graph = grimp.build_graph("wijkteam_tui", exclude_type_checking_imports=True)
    modules = set(graph.modules)
    edges = {m: set(graph.find_modules_directly_imported_by(m)) & modules for m in modules}
    assert _cycles(edges) == []


def test_the_cycle_finder_finds_a_cycle():
    edges = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert _cycles(edges) == [["a", "b", "c"]]


def _unexplained_local_imports(source: str) -> list[int]:
    """Lines of each run of imports inside a function that no `# Lazy:` comment explains (on
    the run's lines or in the comment right above it)."""
    lines = source.split("\n")
    unexplained = []
    for function in ast.walk(ast.parse(source)):
        if not isinstance(function, (ast.FunctionDef, ast.AsyncFunctionDef)):
            continue
        for node in ast.walk(function):
            for field in ("body", "orelse", "finalbody"):
                body = getattr(node, field, None)
                if not isinstance(body, list):
                    continue
                k = 0
                while k < len(body):
                    if not isinstance(body[k], (ast.Import, ast.ImportFrom)):
                        k += 1
                        continue
                    first = body[k]
                    while k < len(body) and isinstance(body[k], (ast.Import, ast.ImportFrom)):
                        k += 1
                    said = lines[first.lineno - 1 : body[k - 1].end_lineno or first.lineno]
                    above = first.lineno - 2
                    while above >= 0 and lines[above].strip().startswith("#"):
                        said.append(lines[above])
                        above -= 1
                    if not any("Lazy:" in line for line in said):
                        unexplained.append(first.lineno)
    return sorted(set(unexplained))


def test_every_import_inside_a_function_says_why_it_is_there():
    unexplained = [
        f"{path.relative_to(PACKAGE)}:{line}"
        for path in sorted(PACKAGE.rglob("*.py"))
        for line in _unexplained_local_imports(path.read_text())
    ]
    assert unexplained == []


def test_an_unexplained_local_import_is_found():
    source = (
        "def a():\n    import json\n\n"
        "def b():\n    # Lazy: only for b.\n    import json\n    x = 1\n    import csv\n"
        "def c():\n    import csv  # Lazy: only for c.\n"
    )
    assert _unexplained_local_imports(source) == [2, 8]
