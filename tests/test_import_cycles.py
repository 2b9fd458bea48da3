"""No import cycles: the modules of breakd form a tree of layers, read with ``ast``.

Two rules. No module imports one that imports it back, directly or around a loop: not at its
top (``if TYPE_CHECKING:`` blocks included), and not inside a function either, since an
import put off until it runs is still a loop in the design. And the store never imports
the statistics: statistics are computed from what the store holds.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "breakd"


def module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules() -> dict[str, ast.Module]:
    return {
        module_name(path): ast.parse(path.read_text(encoding="utf-8"))
        for path in sorted(PACKAGE.rglob("*.py"))
    }


def imported(stmts: Iterator[ast.AST], known: set[str]) -> set[str]:
    """The breakd modules these statements import (``from a import b``: a, and a.b if that
    is a module)."""
    found: set[str] = set()
    for node in stmts:
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module)
            found.update(f"{node.module}.{alias.name}" for alias in node.names)
    return found & known


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components with more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(module: str) -> None:
        index[module] = low[module] = len(index)
        stack.append(module)
        for other in sorted(graph[module]):
            if other not in index:
                visit(other)
                low[module] = min(low[module], low[other])
            elif other in stack:
                low[module] = min(low[module], index[other])
        if low[module] == index[module]:
            component = []
            while True:
                other = stack.pop()
                component.append(other)
                if other == module:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for module in sorted(graph):
        if module not in index:
            visit(module)
    return found


def test_no_module_imports_one_that_imports_it_back():
    trees = modules()
    known = set(trees)
    graph = {name: imported(ast.walk(tree), known) - {name} for name, tree in trees.items()}
    assert cycles(graph) == []


def test_the_store_never_imports_the_statistics():
    trees = modules()
    store = {name: tree for name, tree in trees.items() if name.startswith("breakd.store")}
    for name, tree in store.items():
        stats = [m for m in imported(ast.walk(tree), set(trees)) if m.startswith("breakd.stats")]
        assert stats == [], f"{name} imports {stats}"
