"""The hook runner (``breakd.adapters.hooks``): real commands, run in the background."""

from __future__ import annotations

import json
import logging
import os
import sys
from pathlib import Path

import pytest

from breakd.adapters.hooks import HookRunner, argv_for
from breakd.config.model import HooksConfig
from breakd.core.hooks import BreakType, Hook, HookEvent
from tests.e2e.desktop import wait_until

ENDED = HookEvent(
    Hook.BREAK_ENDED,
    kind="sitting",
    reminder_id=7,
    break_type=BreakType.BREAK_NOW,
    outcome="taken",
    duration=299.6,
    break_seconds=300,
)


def write_env(path: Path) -> tuple[str, ...]:
    code = (
        "import json, os, sys; "
        "json.dump({k: v for k, v in os.environ.items() if k.startswith('BREAKD_')}, "
        "open(sys.argv[1], 'w'))"
    )
    return (sys.executable, "-c", code, str(path))


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    return True


def test_a_hook_gets_the_event_in_its_environment(tmp_path: Path):
    out = tmp_path / "env.json"
    runner = HookRunner(HooksConfig(break_ended=write_env(out)))
    runner.fire(ENDED)
    wait_until(out.exists, what="the hook to run")
    wait_until(lambda: out.read_text().endswith("}"), what="the hook to finish writing")
    env = json.loads(out.read_text())
    assert env == {
        "BREAKD_EVENT": "break_ended",
        "BREAKD_KIND": "sitting",
        "BREAKD_REMINDER_ID": "7",
        "BREAKD_REPEAT": "",
        "BREAKD_BREAK": "break-now",
        "BREAKD_OUTCOME": "taken",
        "BREAKD_DURATION": "300",
        "BREAKD_BREAK_SECONDS": "300",
        "BREAKD_HELD_BY": "",
        "BREAKD_PAUSE_SECONDS": "",
    }


def test_a_hanging_hook_is_killed_with_its_children_at_the_timeout(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    pids = tmp_path / "pids"
    hang = ("sh", "-c", f'sleep 600 & echo "$$ $!" > {pids}; echo waiting; wait')
    runner = HookRunner(HooksConfig(held=hang, timeout=0.5))
    with caplog.at_level(logging.INFO, logger="breakd.hooks"):
        runner.fire(HookEvent(Hook.HELD, held_by="microphone in use"))
        wait_until(lambda: "killed after" in caplog.text, what="the hook to be killed")
    shell, sleeper = (int(p) for p in pids.read_text().split())
    wait_until(lambda: not alive(shell) and not alive(sleeper), what="the hook's processes gone")
    assert "hook held: killed after 0.5s" in caplog.text and "waiting" in caplog.text


def test_never_two_instances_of_a_hook_at_once(tmp_path: Path):
    lock, log = tmp_path / "running", tmp_path / "log"
    script = (
        f'if mkdir {lock}; then sleep 0.2; echo "$BREAKD_EVENT"; rmdir {lock}; '
        f"else echo overlap; fi >> {log}"
    )
    runner = HookRunner(HooksConfig(paused=script, resumed=script, shell=True))
    for hook in (Hook.PAUSED, Hook.PAUSED, Hook.PAUSED):
        runner.fire(HookEvent(hook))
    wait_until(lambda: log.exists() and len(log.read_text().split()) == 3, what="three runs")
    assert log.read_text().split() == ["paused", "paused", "paused"]


def test_without_a_shell_a_string_is_split_and_nothing_is_expanded(tmp_path: Path):
    out = tmp_path / "said"
    write = "import sys; open(sys.argv[1], 'w').write(sys.argv[2])"
    runner = HookRunner(HooksConfig(shown=f'{sys.executable} -c "{write}" {out} $BREAKD_EVENT'))
    runner.fire(HookEvent(Hook.SHOWN))
    wait_until(lambda: out.exists() and out.read_text() != "", what="the hook")
    assert out.read_text() == "$BREAKD_EVENT"


def test_failures_are_logged(tmp_path: Path, caplog: pytest.LogCaptureFixture):
    runner = HookRunner(
        HooksConfig(
            paused=("sh", "-c", "echo no lamp here >&2; exit 3"),
            resumed=(str(tmp_path / "missing"),),
        )
    )
    with caplog.at_level(logging.INFO, logger="breakd.hooks"):
        runner.fire(HookEvent(Hook.PAUSED))
        runner.fire(HookEvent(Hook.RESUMED))
        wait_until(
            lambda: "exited with 3" in caplog.text and "cannot run" in caplog.text,
            what="both failures logged",
        )
    assert "it said: no lamp here" in caplog.text


def test_no_command_runs_nothing_and_a_reload_takes_new_commands(tmp_path: Path):
    out = tmp_path / "env.json"
    runner = HookRunner(HooksConfig())
    runner.fire(HookEvent(Hook.RELEASED))
    runner.configure(HooksConfig(released=write_env(out)))
    runner.fire(HookEvent(Hook.RELEASED, held_by="screen sharing", duration=60))
    wait_until(lambda: out.exists() and out.read_text().endswith("}"), what="the hook")
    assert json.loads(out.read_text())["BREAKD_HELD_BY"] == "screen sharing"


@pytest.mark.parametrize(
    ("command", "shell", "argv"),
    [
        ("", False, []),
        ("  ", True, []),
        ((), False, []),
        (("playerctl", "pause"), False, ["playerctl", "pause"]),
        ("playerctl 'pause it'", False, ["playerctl", "pause it"]),
        ("a | b", True, ["/bin/sh", "-c", "a | b"]),
        (("a", "|", "b"), True, ["a", "|", "b"]),  # a list is never given to a shell
    ],
)
def test_argv_for(command, shell, argv):
    assert argv_for(command, shell) == argv
