"""The layers stay clean: question_banks → flows → conversation → assistant, and no import cycles.

``lint-imports`` (run by .ci/run, contracts in pyproject.toml) enforces the same layers
and that headless commands never import Textual; these tests keep the check in pytest too.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FORBIDDEN = {
    "question_banks": {"flows", "assistant", "textual", "rich", "transitions"},
    "flows": {"assistant", "conversation", "textual", "rich", "jinja2"},
    "conversation": {"assistant", "textual", "rich", "jinja2"},
}


def imported_roots(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    roots: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            roots.update(a.name.split(".")[0] for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            roots.add(node.module.split(".")[0])
    return roots


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_package_imports_only_allowed_layers(package: str) -> None:
    offenders = {}
    for path in (ROOT / package).rglob("*.py"):
        bad = imported_roots(path) & FORBIDDEN[package]
        if bad:
            offenders[str(path.relative_to(ROOT))] = sorted(bad)
    assert offenders == {}


def import_cycles(*packages: str) -> list[list[str]]:
    """Groups of modules that import each other (directly or round a loop), lazy imports included."""
    import grimp

    graph = grimp.build_graph(*packages, exclude_type_checking_imports=True)
    modules = sorted(graph.modules)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    cycles: list[list[str]] = []

    def visit(m: str) -> None:  # Tarjan's strongly connected components
        index[m] = low[m] = len(index)
        stack.append(m)
        on_stack.add(m)
        for n in sorted(graph.find_modules_directly_imported_by(m)):
            if n not in index:
                visit(n)
                low[m] = min(low[m], low[n])
            elif n in on_stack:
                low[m] = min(low[m], index[n])
        if low[m] == index[m]:
            group = []
            while True:
                n = stack.pop()
                on_stack.discard(n)
                group.append(n)
                if n == m:
                    break
            if len(group) > 1:
                cycles.append(sorted(group))

    for m in modules:
        if m not in index:
            visit(m)
    return cycles


def test_no_import_cycles() -> None:
    """No module imports one that imports it back (a package importing its own submodules aside)."""
    cycles = [
        c
        for c in import_cycles("question_banks", "flows", "conversation", "assistant")
        if not all(m == c[0] or m.startswith(c[0] + ".") for m in c)
    ]
    assert cycles == []
