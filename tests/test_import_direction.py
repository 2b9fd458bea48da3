"""scripts/check_imports.py: the core imports none of the layers around it."""

from __future__ import annotations

import runpy
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
check = runpy.run_path(str(ROOT / "scripts" / "check_imports.py"))


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = tmp_path / "breakd" / "core" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text)
    return tmp_path


def test_the_core_imports_nothing_from_the_outer_layers() -> None:
    assert check["violations"](ROOT) == []


@pytest.mark.parametrize(
    "source",
    [
        "import breakd.store.sqlite\n",
        "from breakd.adapters.timer import WakeTimer\n",
        "from breakd import daemon\n",
        "from .. import cli\n",
        "from ..control.protocol import Reply\n",
        "if TYPE_CHECKING:\n    from breakd.stats.summary import Summary\n",
        "def f():\n    import breakd.doctor\n",
    ],
)
def test_every_spelling_of_an_outward_import_is_caught(tmp_path: Path, source: str) -> None:
    root = _tree(tmp_path, {"__init__.py": "", "engine.py": source})
    problems = check["violations"](root)
    assert len(problems) == 1 and problems[0].startswith("breakd/core/engine.py:"), problems


def test_imports_within_the_core_and_of_the_config_are_fine(tmp_path: Path) -> None:
    source = (
        "from breakd.config.model import Config\n"
        "from breakd.core import content\n"
        "from . import types\n"
        "from .activity import ActivityMonitor\n"
        "import datetime\n"
    )
    root = _tree(tmp_path, {"__init__.py": "", "engine.py": source})
    assert check["violations"](root) == []
