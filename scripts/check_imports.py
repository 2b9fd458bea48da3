"""The import direction: breakd's pure core imports none of the layers around it.

breakd/core decides; everything that does I/O (adapters, the control socket, the store,
statistics, the daemon, the command line, doctor, the service installer) sits around it and
may import the core, never the other way round. Every import in breakd/core is read with
``ast`` (also those under ``if TYPE_CHECKING:`` and inside functions), relative ones resolved.

Usage: python scripts/check_imports.py [ROOT]   (ROOT: the repository, default: this one)
Exit 1 and one line per offending import when the direction is broken.
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterator
from pathlib import Path

CORE = "breakd.core"
# What the core must not import (the package itself, or anything below it).
OUTER = tuple(
    f"breakd.{name}"
    for name in ("adapters", "control", "store", "stats", "daemon", "cli", "doctor", "service")
)


def module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported(tree: ast.AST, module: str, is_package: bool) -> Iterator[tuple[int, list[str]]]:
    """(line, dotted names) of every import statement in a file, relative imports resolved."""
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield node.lineno, [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.split(".")
                anchor = anchor[: len(anchor) - (node.level - 1)]
                base = ".".join([*anchor, base] if base else anchor)
            # `from breakd import daemon` imports breakd.daemon: name each imported name too.
            yield node.lineno, [base, *(f"{base}.{alias.name}" for alias in node.names)]


def violations(root: Path) -> list[str]:
    found = []
    for path in sorted((root / "breakd" / "core").rglob("*.py")):
        module = module_name(path, root)
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for line, names in imported(tree, module, path.name == "__init__.py"):
            outward = [n for n in names if any(n == o or n.startswith(o + ".") for o in OUTER)]
            if outward:
                where = path.relative_to(root)
                found.append(f"{where}:{line}: the core imports {outward[0]} (it does no I/O)")
    return found


def main(argv: list[str]) -> int:
    root = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent.parent
    problems = violations(root)
    for problem in problems:
        print(problem)
    if problems:
        return 1
    print(f"import direction: {CORE} imports nothing from {', '.join(OUTER)}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
