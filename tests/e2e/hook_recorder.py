"""[hooks] for end-to-end tests: commands that write their BREAKD_* environment to a file
per event, and a wait for one."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from .desktop import wait_until

DUMP_ENV = """\
import json, os, sys
env = {k: v for k, v in os.environ.items() if k.startswith("BREAKD_")}
with open(os.path.join(sys.argv[1], env["BREAKD_EVENT"] + ".json"), "w") as out:
    json.dump(env, out)
"""


def hooks_into(directory: Path, *events: str) -> dict[str, str]:
    """[hooks] whose commands write their BREAKD_* environment to ``directory/EVENT.json``."""
    directory.mkdir()
    script = directory / "dump_env.py"
    script.write_text(DUMP_ENV)
    return {event: f"{sys.executable} {script} {directory}" for event in events}


def told(directory: Path, event: str) -> dict[str, str]:
    path = directory / f"{event}.json"
    wait_until(lambda: path.exists() and path.read_text().endswith("}"), what=f"hook {event}")
    return json.loads(path.read_text())
