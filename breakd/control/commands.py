"""The client side of ``breakd status|pause|resume|snooze|skip|break-now|reload``.

Each command becomes one request to the running daemon; this module turns CLI arguments into
request arguments and replies into a few plain lines. It never talks to the engine: the
daemon's handler does. Exit codes: 0 done, 1 the daemon refused or misbehaved, 2 bad
arguments, 3 (``exitcodes.NOT_RUNNING``) no daemon.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, TextIO

from breakd import exitcodes
from breakd.control import client
from breakd.control.paths import UnsafeDirectory, socket_path
from breakd.control.protocol import ProtocolError

NOT_RUNNING_HINT = "start it with `systemctl --user start breakd` or `breakd run`"
UNTIL_TOMORROW = "until-tomorrow"


class UsageError(ValueError):
    """A command-line argument the daemon would not understand."""


@dataclass(frozen=True)
class Options:
    """What the CLI parsed for a control command (only the fields a command uses matter)."""

    duration: str | None = None
    json: bool = False


ArgsBuilder = Callable[[Options], dict[str, Any]]
Printer = Callable[[Any, Options, TextIO], None]


def control_command(
    command: str,
    options: Options,
    *,
    env: Mapping[str, str] = os.environ,
    out: TextIO | None = None,
    err: TextIO | None = None,
    timeout: float = 5.0,
) -> int:
    """Run one control command against the daemon; returns the process exit code."""
    # Resolved at call time, not as defaults, so redirected streams (tests, callers) are used.
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    build_args, print_result = _COMMANDS[command]
    try:
        args = build_args(options)
    except UsageError as exc:
        print(f"breakd {command}: {exc}", file=err)
        return exitcodes.USAGE
    try:
        reply = client.request(socket_path(env), command, args, timeout=timeout)
    except client.NotRunning:
        print(f"breakd is not running\nhint: {NOT_RUNNING_HINT}", file=err)
        return exitcodes.NOT_RUNNING
    except UnsafeDirectory as exc:
        print(f"breakd {command}: {exc}", file=err)
        return exitcodes.FAILURE
    except (OSError, ProtocolError) as exc:  # timeouts and resets are OSErrors too
        print(f"breakd {command}: no usable answer from the daemon: {exc}", file=err)
        return exitcodes.FAILURE
    if not reply.ok:
        print(f"breakd {command}: {reply.error}", file=err)
        return exitcodes.FAILURE
    print_result(reply.result, options, out)
    return exitcodes.OK


# --- arguments ----------------------------------------------------------------------------


def _no_args(options: Options) -> dict[str, Any]:
    return {}


def _pause_args(options: Options) -> dict[str, Any]:
    if options.duration is None:
        return {}
    if options.duration == UNTIL_TOMORROW:
        return {"tomorrow": True}
    return {"seconds": _duration(options.duration, also=f' or "{UNTIL_TOMORROW}"')}


def _snooze_args(options: Options) -> dict[str, Any]:
    if options.duration is None:
        return {}
    return {"seconds": _duration(options.duration)}


def _duration(text: str, also: str = "") -> float:
    from breakd.config.durations import parse_duration

    try:
        return parse_duration(text)
    except ValueError as exc:
        raise UsageError(f"{text!r}: {exc}{also}") from None


# --- printing -----------------------------------------------------------------------------


def _print_status(result: Any, options: Options, out: TextIO) -> None:
    if options.json:
        print(json.dumps(result, sort_keys=True), file=out)
        return
    for line in status_lines(result):
        print(line, file=out)


def status_lines(result: Mapping[str, Any], now: float | None = None) -> list[str]:
    """The human-readable ``breakd status``: state, presence, then one line per reminder."""
    state = result.get("state", "unknown")
    lines = [f"breakd is {state}" + _paused_suffix(result, now)]
    presence = result.get("presence")
    if isinstance(presence, (int, float)):
        lines.append(f"present for {human_duration(presence)} since the last natural break")
    active = result.get("active_today")
    if isinstance(active, (int, float)):
        lines.append(f"active today: {human_duration(active)}")
    kinds = result.get("kinds") or []
    width = max((len(str(k.get("kind", ""))) for k in kinds), default=0)
    for kind in kinds:
        lines.append(f"  {kind.get('kind', '?')!s:<{width}}  {_due_text(kind)}")
    return lines


def _paused_suffix(result: Mapping[str, Any], now: float | None) -> str:
    if result.get("state") != "paused":
        return ""
    until = result.get("paused_until")
    if not isinstance(until, (int, float)):
        return " until you resume it"
    return f" until {_clock_text(until, now)}"


def _due_text(kind: Mapping[str, Any]) -> str:
    due_in = kind.get("due_in")
    if kind.get("pending"):
        return "due now (waiting for your break)"
    if not isinstance(due_in, (int, float)):
        return "not counting"
    if due_in <= 0:
        return "due now"
    return f"in {human_duration(due_in)}"


def _clock_text(epoch: float, now: float | None) -> str:
    when = dt.datetime.fromtimestamp(epoch)
    today = dt.datetime.fromtimestamp(dt.datetime.now().timestamp() if now is None else now)
    if when.date() == today.date():
        return f"{when:%H:%M}"
    return f"{when:%a %H:%M}"


def human_duration(seconds: float) -> str:
    """Short and rounded down, as a person says it: ``45s``, ``12m``, ``1h05m``, ``2h``."""
    total = max(0, int(seconds))
    if total < 60:
        return f"{total}s"
    hours, minutes = divmod(total // 60, 60)
    if hours == 0:
        return f"{minutes}m"
    return f"{hours}h{minutes:02d}m" if minutes else f"{hours}h"


def _confirm(default: str | Callable[[Options], str]) -> Printer:
    def print_confirmation(result: Any, options: Options, out: TextIO) -> None:
        message = result.get("message") if isinstance(result, dict) else None
        if not isinstance(message, str):
            message = default if isinstance(default, str) else default(options)
        print(message, file=out)

    return print_confirmation


def _pause_message(options: Options) -> str:
    if options.duration is None:
        return "paused until you run `breakd resume`"
    if options.duration == UNTIL_TOMORROW:
        return "paused until tomorrow"
    return f"paused for {options.duration}"


def _snooze_message(options: Options) -> str:
    return "snoozed" if options.duration is None else f"snoozed for {options.duration}"


_COMMANDS: Mapping[str, tuple[ArgsBuilder, Printer]] = {
    "status": (_no_args, _print_status),
    "pause": (_pause_args, _confirm(_pause_message)),
    "resume": (_no_args, _confirm("resumed")),
    "snooze": (_snooze_args, _confirm(_snooze_message)),
    "skip": (_no_args, _confirm("skipped the current reminder")),
    "break-now": (_no_args, _confirm("break started: step away from the screen")),
    "reload": (_no_args, _confirm("configuration reloaded")),
}
CONTROL_COMMANDS = tuple(_COMMANDS)
