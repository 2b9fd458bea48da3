"""The control protocol: what a request and a reply look like on the wire. Pure: no I/O.

Theory of operation
-------------------
The daemon listens on a Unix stream socket (see ``breakd.control.paths``). A client writes one
request per line, UTF-8 JSON, and reads one reply line per request, in order::

    -> {"cmd": "pause", "args": {"seconds": 1800}}
    <- {"ok": true, "result": {"paused_until": 1767225600.0}}
    -> {"cmd": "snooze", "args": {"seconds": "soon"}}
    <- {"ok": false, "error": "snooze: argument 'seconds' must be a number, got string"}

A line may be at most ``MAX_MESSAGE`` bytes. Unknown top-level keys in a request are ignored
(room for later fields such as an ``id``); unknown ``args`` are rejected, so a typo never
silently does nothing.

Commands and their arguments (all optional)
-------------------------------------------
- ``ping``: answered by the server itself: ``{"pid": int, "version": str, "protocol": 1}``.
- ``status``: the result is ``STATUS_RESULT`` below.
- ``pause``: at most one of ``seconds`` (number > 0: pause that long from now), ``until``
  (number: wall-clock epoch seconds) or ``tomorrow`` (true: until the next start of day, i.e.
  ``daily.day_starts``); none of them: until resumed.
- ``snooze``: ``seconds`` (number > 0); without it the configured ``notify.snooze``.
- ``resume``, ``skip``, ``break-now``, ``reload``: no arguments.
- ``subscribe``: no arguments; answered by the server (it asks the handler for ``status``),
  then status is pushed; see "Subscribe" below.

For the mutating commands (and a successful ``reload``) the result is an object with a
``"message"`` (what the command did, in English: the daemon logs it too) and an ``"answer"``
(the same as a value, ``breakd.control.answers``: ``{"said": "paused", "until": epoch}``,
``{"said": "snoozed", "length": seconds, "snoozed": [{"kind", "until", "reminder"}]}``, ...).
``breakd`` words the answer in its user's language; an answer it does not know, or none (a
daemon from before answers), and it prints the message; no message either, its own
confirmation.

A refused ``reload`` (the config file has problems; the running config stays) also lists
them as values, for the client to say in its user's language; ``error`` holds the same in
English (what older clients print, and what a newer client prints when ``problems`` is
missing: an older daemon)::

    <- {"ok": false, "error": "config not reloaded, the running config stays: ...",
        "problems": [{"file": "~/.config/breakd/config.toml", "key": "sitting.every",
                      "value": "45", "said": PHRASE}, ...]}

``file``, ``key`` (dotted; "" for the file as a whole) and ``value`` (as TOML) are quoted as
they are; ``said`` is what is wrong, a ``breakd.core.words.Phrase`` on the wire
(``words.to_wire``): ``{"text": English source, "values": {name: value or PHRASE},
"joined": [PHRASE, ...], "verbatim": true, "plural": English plural, "count": int}``, each
key left out at its default. A reply with ``problems`` that would be longer than
``MAX_MESSAGE`` is sent without them.

Other failures a person reads (an unknown command, a command that failed inside breakd, a
reply too long, a connection refused to another user or one too many) carry the same as a
phrase, ``"said": PHRASE``, beside the English ``error``; a client says the phrase in its
user's language, and prints ``error`` when ``said`` is missing or cannot be said::

    <- {"ok": false, "error": "unknown command 'frobnicate'; known commands: ...",
        "said": {"text": "unknown command {command}; known commands: {known}",
                 "values": {"command": "'frobnicate'", "known": "break-now, ..."}}}

``STATUS_RESULT`` (the ``status`` result, built by ``status_result``; every field is
described in docs/status.md)::

    {
      "state": "active" | "idle" | "away" | "paused" | "on-break" | "quiet" | "off-hours"
               | "do-not-disturb",
      "presence": seconds,           # presence since the last natural break
      "active_today": seconds,
      "paused_until": epoch-seconds | null,
      "held_by": str | null,         # what holds reminders: "dunst do-not-disturb", ...
      "held_until": epoch-seconds | null,
      "break_until": epoch-seconds | null,   # on a break: when it ends
      "kinds": [{"kind": "sitting", "due_in": seconds | null, "pending": bool,
                 "snoozed_until": epoch-seconds | null, "undelivered": bool,
                 "reminder": int | null}, ...],
      "source": "pynput",            # the input source in use
      "pid": int,
      "version": str
    }

``kinds`` lists the enabled reminder kinds only; ``due_in`` is null while the kind is not
counting (paused, away...).

Subscribe: status pushed to status bars
---------------------------------------
``subscribe`` (no arguments) is answered like ``status`` -- ``{"ok": true, "result":
STATUS_RESULT}`` -- and then keeps the connection open: the server pushes one line per status
change, and once a minute while a countdown runs (the daemon decides when)::

    -> {"cmd": "subscribe"}
    <- {"ok": true, "result": {...}}
    <- {"event": "status", "result": {...}}
    <- {"event": "status", "result": {...}}

Event lines carry ``"event"`` instead of ``"ok"`` so a client can tell them from replies, and a
client that never subscribes never receives one. A subscriber may still send requests; their
replies come in order, interleaved with events. Each event is a whole snapshot, so a client
that falls behind loses nothing by missing one; a subscriber that stops reading altogether is
disconnected. Closing (or half-closing) the connection ends the subscription.

The daemon may add fields to STATUS_RESULT for status bars: ``"off_hours": bool`` (outside
working hours), ``"due": bool`` (a reminder is due or waiting for a break) and
``"sitting_every": seconds`` (the sitting interval, for a progress gauge), and
``"warning": str`` (what limits the activity source, e.g. pynput on a Wayland session).
Readers treat them as optional.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

from breakd.core.types import Status
from breakd.core.words import N_, Phrase, phrase, to_wire

PROTOCOL_VERSION = 1
MAX_MESSAGE = 64 * 1024  # bytes per line, newline included; a status reply is ~1 KiB

# Each command's allowed arguments and their JSON types. bool is excluded from "number"
# explicitly because in Python True is an int.
_NUMBER = "number"
_BOOL = "bool"


@dataclass(frozen=True)
class ControlCommand:
    """One control command: the one place its name, arguments and help are spelled. The CLI
    makes its subcommands from these, the client and the daemon give each its meaning."""

    name: str
    args: Mapping[str, str]  # argument -> JSON type
    help: str  # the CLI's line (English, marked N_: the parser translates it when shown);
    # "" for commands the CLI does not offer (ping, subscribe)
    engine: bool = False  # an engine command (the daemon asks the engine); else answered
    # by the server (ping, subscribe) or the daemon itself (status, reload)


CONTROL_COMMANDS: tuple[ControlCommand, ...] = (
    ControlCommand("ping", {}, ""),
    ControlCommand("status", {}, N_("show the daemon's state and when each reminder is due")),
    ControlCommand(
        "pause",
        {"seconds": _NUMBER, "until": _NUMBER, "tomorrow": _BOOL},
        N_("stop reminding (for a while, or until resumed)"),
        engine=True,
    ),
    ControlCommand("resume", {}, N_("resume reminders after a pause"), engine=True),
    ControlCommand("snooze", {"seconds": _NUMBER}, N_("put off the current reminder"), engine=True),
    ControlCommand("skip", {}, N_("skip the current reminder"), engine=True),
    ControlCommand("break-now", {}, N_("start a break now, before one is due"), engine=True),
    ControlCommand("reload", {}, N_("make the daemon re-read its config file")),
    ControlCommand("subscribe", {}, ""),
)
COMMANDS: Mapping[str, Mapping[str, str]] = {c.name: c.args for c in CONTROL_COMMANDS}
CLI_COMMANDS: Mapping[str, str] = {c.name: c.help for c in CONTROL_COMMANDS if c.help}
ENGINE_COMMANDS: frozenset[str] = frozenset(c.name for c in CONTROL_COMMANDS if c.engine)
STATUS_EVENT = "status"


class ProtocolError(ValueError):
    """A message that does not follow the protocol; the text says what was expected (some
    are raised with a ``Phrase``: ``str()`` is its English)."""


UNKNOWN_COMMAND = N_("unknown command {command}; known commands: {known}")


@dataclass(frozen=True)
class Request:
    cmd: str
    args: Mapping[str, Any] = field(default_factory=dict)

    def encode(self) -> bytes:
        return _encode_line({"cmd": self.cmd, "args": dict(self.args)})


@dataclass(frozen=True)
class Reply:
    ok: bool
    result: Any = None
    error: str | None = None
    problems: list[Any] | None = None  # a refused reload: the config's problems, as values
    said: Any = None  # the error as a phrase on the wire (words.to_wire), for the client

    @classmethod
    def success(cls, result: Any = None) -> Reply:
        return cls(ok=True, result=result)

    @classmethod
    def failure(cls, error: str, problems: list[Any] | None = None) -> Reply:
        return cls(ok=False, error=error, problems=problems)

    @classmethod
    def refusal(cls, said: Phrase) -> Reply:
        """A failure said as a phrase: ``error`` in English (the log, older clients), ``said``
        for a client to say in its user's language."""
        return cls(ok=False, error=said.say(), said=to_wire(said))

    def encode(self) -> bytes:
        if self.ok:
            return _encode_line({"ok": True, "result": self.result})
        error = self.error or "unknown error"
        extra = {"problems": self.problems, "said": self.said}
        fields = {"ok": False, "error": error, **{k: v for k, v in extra.items() if v is not None}}
        if len(fields) > 2:
            line = _encode_line(fields)
            if len(line) <= MAX_MESSAGE:
                return line
            # Too long to send twice: the English text alone still says it all.
        return _encode_line({"ok": False, "error": error})


@dataclass(frozen=True)
class Event:
    """A line the server pushes to a subscriber unasked; ``result`` is a STATUS_RESULT."""

    event: str
    result: Any = None

    def encode(self) -> bytes:
        return _encode_line({"event": self.event, "result": self.result})


def parse_request(line: bytes) -> Request:
    """Decode and validate one request line (with or without its trailing newline)."""
    obj = _decode_object(line, what="request")
    cmd = obj.get("cmd")
    if not isinstance(cmd, str):
        raise ProtocolError(f'a request needs a string "cmd", got {_type_name(cmd)}')
    allowed = COMMANDS.get(cmd)
    if allowed is None:
        known = ", ".join(sorted(COMMANDS))
        # A phrase: an older daemon's answer to a newer client's command, which a person reads.
        raise ProtocolError(phrase(UNKNOWN_COMMAND, command=repr(_short(cmd)), known=known))
    args = obj.get("args", {})
    if args is None:
        args = {}
    if not isinstance(args, dict):
        raise ProtocolError(f'{cmd}: "args" must be an object, got {_type_name(args)}')
    _check_args(cmd, args, allowed)
    return Request(cmd=cmd, args=args)


def parse_reply(line: bytes) -> Reply:
    """Decode one reply line from the daemon."""
    obj = _decode_object(line, what="reply")
    ok = obj.get("ok")
    if ok is True:
        return Reply.success(obj.get("result"))
    if ok is False:
        error = obj.get("error")
        problems = obj.get("problems")
        said = obj.get("said")
        return Reply(
            ok=False,
            error=error if isinstance(error, str) else "unknown error",
            problems=problems if isinstance(problems, list) else None,
            said=said if isinstance(said, dict) else None,
        )
    raise ProtocolError(f'a reply needs a boolean "ok", got {_type_name(ok)}')


def parse_message(line: bytes) -> Reply | Event:
    """Decode one line a subscriber receives: a reply to one of its requests, or an event."""
    obj = _decode_object(line, what="message")
    if "ok" not in obj and "event" in obj:
        event = obj["event"]
        if not isinstance(event, str):
            raise ProtocolError(f'an event needs a string "event", got {_type_name(event)}')
        return Event(event, obj.get("result"))
    return parse_reply(line)


def status_result(
    status: Status,
    *,
    to_epoch: Callable[[float], float],
    source: str,
    pid: int,
    version: str,
) -> dict[str, Any]:
    """The ``status`` result for a core ``Status``; ``to_epoch`` maps engine time to epoch."""

    def epoch(t: float | None) -> float | None:
        return None if t is None else to_epoch(t)

    return {
        "state": str(status.state),
        "presence": status.presence,
        "active_today": status.active_today,
        "paused_until": epoch(status.paused_until),
        "held_by": status.held_by,
        "held_until": epoch(status.held_until),
        "break_until": epoch(status.break_until),
        "kinds": [
            {
                "kind": k.kind.value,
                "due_in": k.due_in,
                "pending": k.pending,
                "snoozed_until": epoch(k.snoozed_until),
                "undelivered": k.undelivered,
                "reminder": k.reminder_id,
            }
            for k in status.kinds
        ],
        "source": source,
        "pid": pid,
        "version": version,
    }


def _check_args(cmd: str, args: Mapping[str, Any], allowed: Mapping[str, str]) -> None:
    for name, value in args.items():
        expected = allowed.get(name)
        if expected is None:
            accepted = ", ".join(sorted(allowed)) or "none"
            raise ProtocolError(f"{cmd}: unknown argument {_short(name)!r} (accepted: {accepted})")
        if expected == _NUMBER and not _is_number(value):
            raise ProtocolError(
                f"{cmd}: argument {name!r} must be a number, got {_type_name(value)}"
            )
        if expected == _BOOL and not isinstance(value, bool):
            raise ProtocolError(
                f"{cmd}: argument {name!r} must be true or false, got {_type_name(value)}"
            )
    if cmd in ("pause", "snooze") and "seconds" in args and args["seconds"] <= 0:
        raise ProtocolError(f"{cmd}: argument 'seconds' must be more than 0")
    if cmd == "pause" and sum(1 for v in args.values() if v is not False) > 1:
        raise ProtocolError("pause: give at most one of 'seconds', 'until' and 'tomorrow'")


def _is_number(value: Any) -> bool:
    # NaN and infinities are valid Python floats but make no sense as a duration or a time.
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def _decode_object(line: bytes, *, what: str) -> dict[str, Any]:
    if len(line) > MAX_MESSAGE:
        raise ProtocolError(f"{what} too long: {len(line)} bytes, at most {MAX_MESSAGE}")
    try:
        text = line.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise ProtocolError(f"{what} is not valid UTF-8 (byte {exc.start})") from None
    try:
        obj = json.loads(text, parse_constant=_reject_constant)
    except ProtocolError:
        raise
    except json.JSONDecodeError as exc:
        raise ProtocolError(f"{what} is not valid JSON: {exc.msg} at byte {exc.pos}") from None
    except (ValueError, RecursionError):
        # ValueError: an integer literal too long to convert; RecursionError: deep nesting.
        raise ProtocolError(
            f"{what} is not acceptable JSON: too long a number or too deep"
        ) from None
    if not isinstance(obj, dict):
        raise ProtocolError(f"a {what} must be a JSON object, got {_type_name(obj)}")
    return obj


def _reject_constant(name: str) -> Any:
    raise ProtocolError(f"{name} is not valid JSON")


def _encode_line(obj: Mapping[str, Any]) -> bytes:
    # ensure_ascii keeps every line plain ASCII, so a reader never splits a UTF-8 sequence.
    return json.dumps(obj, separators=(",", ":"), allow_nan=False).encode("ascii") + b"\n"


def _type_name(value: Any) -> str:
    names = {dict: "object", list: "array", str: "string", bool: "boolean", type(None): "null"}
    for kind, name in names.items():
        if isinstance(value, kind):
            return name
    if isinstance(value, float) and not math.isfinite(value):
        return str(value)
    return "number" if isinstance(value, (int, float)) else type(value).__name__


def _short(text: str, limit: int = 40) -> str:
    return text if len(text) <= limit else text[:limit] + "..."
