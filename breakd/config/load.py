"""Reading, validating and writing the config file, and ``breakd check-config``.

The user's file only needs the keys it changes: every key it leaves out keeps its default
from ``breakd.config.model``. Validation is strict (an unknown key is an error, not ignored,
because a typo that is silently ignored means a reminder the user thinks they changed) and
reports every problem in one go, each naming the file, the key, the value given and what is
allowed. A default that must stay shorter than a key the user set follows it
(``_follow_defaults``); one that would have to grow is an error that names the key to add.
Values that are valid
but probably not meant (``every = 45``: seconds) are warnings, not errors (``Loaded``).

Validation is table-driven: ``SCHEMA`` is derived from the dataclasses in ``model.py`` (the
field type picks the parser; a ``Literal`` of strings is a choice among them), so a new field
there needs no new code here unless it is an int (which needs bounds in ``_INT_BOUNDS``) or a
new type.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import difflib
import importlib.resources
import json
import math
import os
import re
import shlex
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from types import MappingProxyType
from typing import Any, Literal, get_args, get_origin, get_type_hints

from breakd.config.durations import (
    format_clock,
    format_duration,
    parse_clock,
    parse_duration,
    parse_time_range,
)
from breakd.config.model import Config, HookCommand, TimeRange
from breakd.core import content, words
from breakd.core.words import ENGLISH, N_, Phrase, Translator, clauses, phrase, phrases

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - exercised on 3.10 only
    import tomli as tomllib

# --- problems ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a config file.

    ``key`` is dotted (``sitting.every``) and empty for problems with the file as a whole;
    ``value`` is the given value written as TOML; ``said`` says what is wrong and allowed,
    in any language (``say``); the file, the key and the value are quoted as they are.
    """

    file: str
    key: str
    value: str
    said: Phrase

    @property
    def message(self) -> str:
        """What is wrong and allowed, in English."""
        return self.said.say()

    def say(self, tr: Translator = ENGLISH) -> str:
        message = self.said.say(tr)
        if not self.key:
            # TRANSLATORS: a problem with a config file as a whole; {file} is its name.
            return tr.gettext("{file}: {problem}").format(file=self.file, problem=message)
        # TRANSLATORS: a problem with one key of a config file: the file, the key and the
        # value as written there, then what is wrong with it.
        text = tr.gettext("{file}: {key} = {value}: {problem}")
        return text.format(file=self.file, key=self.key, value=self.value, problem=message)

    def __str__(self) -> str:
        return self.say()

    def to_wire(self) -> dict[str, object]:
        """The problem as a JSON-ready object (a refused ``breakd reload``'s, for the client
        to say in its user's language)."""
        return {
            "file": self.file,
            "key": self.key,
            "value": self.value,
            "said": words.to_wire(self.said),
        }

    @classmethod
    def from_wire(cls, wire: object) -> Problem:
        """The problem ``to_wire`` made; ValueError for anything else."""
        if not isinstance(wire, Mapping):
            raise ValueError("a problem is an object")
        quoted = [wire.get(name) for name in ("file", "key", "value")]
        if not all(isinstance(text, str) for text in quoted):
            raise ValueError("a problem's file, key and value are strings")
        file, key, value = (str(text) for text in quoted)
        return cls(file, key, value, words.from_wire(wire.get("said")))


class ConfigError(Exception):
    """The config could not be used; ``problems`` lists everything found, not just the first."""

    def __init__(self, problems: list[Problem]) -> None:
        self.problems = list(problems)
        super().__init__(self.say())

    def say(self, tr: Translator = ENGLISH) -> str:
        """Every problem, one a line."""
        return "\n".join(p.say(tr) for p in self.problems)


# --- the schema ----------------------------------------------------------------------------


@dataclass(frozen=True)
class ValueKind:
    """How one type of value is read from TOML and written back."""

    parse: Callable[[object], Any]  # raises ValueError saying what is allowed
    to_toml: Callable[[Any], str]


@dataclass(frozen=True)
class KeySpec:
    section: str
    key: str
    kind: ValueKind

    @property
    def dotted(self) -> str:
        return f"{self.section}.{self.key}"


@dataclass(frozen=True)
class SectionSpec:
    name: str
    model: type
    keys: Mapping[str, KeySpec]


# Ints are the only values whose sensible range depends on the key, not the type.
_INT_BOUNDS: Mapping[str, tuple[int, int]] = MappingProxyType(
    {
        # More than a few repeats turns a reminder into nagging, which people switch off.
        "max_repeats": (0, 10),
        # 1 000 000 actions is far beyond anyone's typing in a 24 h window; 0 would always fire.
        "max_actions": (1, 1_000_000),
        # At least a day of minute detail; ten years of it is more than anyone will look at.
        "keep_minutes_days": (1, 3650),
    }
)


def _parse_bool(value: object) -> bool:
    if isinstance(value, bool):
        return value
    raise ValueError(phrase(N_("not true or false; use true or false (without quotes)")))


def _int_kind(lo: int, hi: int) -> ValueKind:
    def parse(value: object) -> int:
        if isinstance(value, int) and not isinstance(value, bool) and lo <= value <= hi:
            return value
        what = N_("out of range") if isinstance(value, int) else N_("not a whole number")
        allowed = N_("use a whole number from {least} to {most} (without quotes)")
        raise ValueError(clauses(phrase(what), phrase(allowed, least=lo, most=hi)))

    return ValueKind(parse, str)


def _parse_time_ranges(value: object) -> tuple[TimeRange, ...]:
    if not isinstance(value, list):
        raise ValueError(
            phrase(N_('not a list; use a list of "HH:MM-HH:MM" ranges, e.g. ["22:00-07:00"]'))
        )
    ranges: list[TimeRange] = []
    errors: list[Phrase] = []
    for number, item in enumerate(value, start=1):
        try:
            ranges.append(parse_time_range(item))
        except ValueError as exc:
            errors.append(_item_problem(number, item, Phrase.of(exc)))
    if errors:
        raise ValueError(clauses(*errors))
    return tuple(ranges)


def _item_problem(number: int, item: object, problem: Phrase) -> Phrase:
    # TRANSLATORS: one item of a list in the config file: its number, its value as written
    # there, and what is wrong with it.
    text = N_("item {number} ({value}): {problem}")
    return phrase(text, number=number, value=_toml_value(item), problem=problem)


def _time_ranges_to_toml(ranges: tuple[TimeRange, ...]) -> str:
    return "[" + ", ".join(json.dumps(str(r)) for r in ranges) + "]"


_DURATION = ValueKind(parse_duration, lambda v: json.dumps(format_duration(v)))
_BOOLEAN = ValueKind(_parse_bool, lambda v: "true" if v else "false")
_CLOCK = ValueKind(parse_clock, lambda v: json.dumps(format_clock(v)))
_TIME_RANGES = ValueKind(_parse_time_ranges, _time_ranges_to_toml)


def _parse_clock_or_end(value: object) -> dt.time | None:
    """``"end"`` (None: the end of the day's work) or a time of day."""
    if value == "end":
        return None
    try:
        return parse_clock(value)
    except ValueError:
        raise ValueError(
            phrase(
                N_(
                    'not "end" or a time of day; use "end" or "HH:MM" from "00:00" to "23:59", '
                    'e.g. "16:30"'
                )
            )
        ) from None


_CLOCK_OR_END = ValueKind(
    _parse_clock_or_end, lambda v: json.dumps("end" if v is None else format_clock(v))
)


def _parse_hook_command(value: object) -> HookCommand:
    """A string (a command line) or a list of strings (the program and its arguments)."""
    if isinstance(value, str):
        try:
            shlex.split(value)
        except ValueError as exc:
            # shlex says what is wrong in English: quoted as it says it.
            text = N_("not a command line ({error}); check its quotes")
            raise ValueError(phrase(text, error=str(exc))) from None
        return value
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        if value and not value[0]:
            raise ValueError(phrase(N_("the program (the list's first item) is empty")))
        return tuple(value)
    raise ValueError(
        phrase(
            N_(
                'not a command; use a string ("notify-send hi") or a list of strings '
                '(["notify-send", "hi"]), "" for none'
            )
        )
    )


def _hook_command_to_toml(value: HookCommand) -> str:
    return json.dumps(value) if isinstance(value, str) else _strings_to_toml(value)


# Field type in model.py -> how it is written in the file. All floats there are durations.
_KIND_BY_TYPE: Mapping[object, ValueKind] = MappingProxyType(
    {
        bool: _BOOLEAN,
        float: _DURATION,
        dt.time: _CLOCK,
        dt.time | None: _CLOCK_OR_END,
        tuple[TimeRange, ...]: _TIME_RANGES,
        HookCommand: ValueKind(_parse_hook_command, _hook_command_to_toml),
    }
)


def _parse_suggestion_keys(value: object) -> tuple[str, ...]:
    """``[content] exclude``: catalog keys, each known; a typo is an error, not ignored."""
    known = list(content.KEYS)
    if not isinstance(value, list):
        raise ValueError(
            phrase(
                N_(
                    'not a list; use a list of keys, e.g. ["chin-tuck", "march"]; '
                    "`breakd movements` lists them"
                )
            )
        )
    errors = []
    for number, item in enumerate(value, start=1):
        if not isinstance(item, str) or item not in known:
            if isinstance(item, str):
                why = _maybe_meant(
                    N_("not a known key"),
                    N_("not a known key (did you mean {suggestion}?)"),
                    _suggest(item, known, '"{}"'),
                )
            else:
                why = phrase(N_("not text; write each key in double quotes"))
            errors.append(_item_problem(number, item, why))
    if errors:
        keys = phrase(N_("the keys are {keys} (`breakd movements`)"), keys=", ".join(known))
        raise ValueError(clauses(*errors, keys))
    return tuple(dict.fromkeys(value))  # in the order given, each once


def _strings_to_toml(values: tuple[str, ...]) -> str:
    return "[" + ", ".join(json.dumps(v) for v in values) + "]"


_SUGGESTION_KEYS = ValueKind(_parse_suggestion_keys, _strings_to_toml)


def _parse_auto_or_bool(value: object) -> bool | str:
    """``[tray] enabled``: "auto", true or false."""
    if isinstance(value, bool) or value == "auto":
        return value
    raise ValueError(
        phrase(N_('not "auto", true or false; use one of them (true and false without quotes)'))
    )


_AUTO_OR_BOOL = ValueKind(
    _parse_auto_or_bool, lambda v: json.dumps(v) if isinstance(v, str) else str(v).lower()
)


# A name from the freedesktop Sound Naming Specification: lower-case words joined by dashes.
_SOUND_NAME_RE = re.compile(r"[a-z0-9]+(?:[-_.][a-z0-9]+)*")


def _parse_sound(value: object) -> str:
    """``notify.sound``: "off", or a sound-theme name the notification server plays."""
    if isinstance(value, str) and (value == "off" or _SOUND_NAME_RE.fullmatch(value)):
        return value
    raise ValueError(
        phrase(
            N_(
                'not "off" or a sound-theme name; use "off" or a name from the freedesktop '
                'sound theme in lower case, e.g. "message-new-instant" or "bell"'
            )
        )
    )


_SOUND = ValueKind(_parse_sound, json.dumps)

# A language code as gettext names catalogs: "de", "pt_BR", "ja"; "pt-BR" is taken too.
_LANGUAGE_RE = re.compile(r"([a-z]{2,3})(?:[_-]([A-Za-z]{2}))?")


def _parse_language(value: object) -> str:
    """``notify.language``: "auto", or a language code (a catalog breakd lacks means English,
    as it does for a language from the environment)."""
    if isinstance(value, str):
        if value == "auto":
            return value
        match = _LANGUAGE_RE.fullmatch(value)
        if match:
            language, region = match.groups()
            return f"{language}_{region.upper()}" if region else language
    raise ValueError(
        phrase(
            N_(
                'not "auto" or a language code; use "auto" (from the environment: LANGUAGE, '
                'LC_ALL, LC_MESSAGES, LANG) or a code such as "de", "fr" or "pt_BR"'
            )
        )
    )


_LANGUAGE = ValueKind(_parse_language, json.dumps)

# Keys whose values are checked against something other than their type.
_KIND_BY_KEY: Mapping[str, ValueKind] = MappingProxyType(
    {
        "content.exclude": _SUGGESTION_KEYS,
        "tray.enabled": _AUTO_OR_BOOL,
        "notify.sound": _SOUND,
        "notify.language": _LANGUAGE,
    }
)


def _choice_kind(choices: tuple[str, ...]) -> ValueKind:
    def parse(value: object) -> str:
        if isinstance(value, str) and value in choices:
            return value
        allowed = ", ".join(json.dumps(c) for c in choices)
        meant = _suggest(value, list(choices), '"{}"') if isinstance(value, str) else None
        wrong = _maybe_meant(
            N_("not an allowed value"),
            N_("not an allowed value (did you mean {suggestion}?)"),
            meant,
        )
        raise ValueError(clauses(wrong, phrase(N_("use one of {choices}"), choices=allowed)))

    return ValueKind(parse, json.dumps)


def _kind_for(key: str, field_type: object, section: str = "") -> ValueKind:
    if f"{section}.{key}" in _KIND_BY_KEY:
        return _KIND_BY_KEY[f"{section}.{key}"]
    # A Literal["a", "b"] field is a choice among those strings.
    if get_origin(field_type) is Literal:
        return _choice_kind(get_args(field_type))
    if field_type is int:
        if key not in _INT_BOUNDS:
            raise TypeError(f"int config field {key!r} needs bounds in _INT_BOUNDS")
        return _int_kind(*_INT_BOUNDS[key])
    kind = _KIND_BY_TYPE.get(field_type)
    if kind is None:
        raise TypeError(f"config field {key!r} has a type with no parser: {field_type!r}")
    return kind


def _build_schema() -> Mapping[str, SectionSpec]:
    sections: dict[str, SectionSpec] = {}
    section_types = get_type_hints(Config)
    for section_field in dataclasses.fields(Config):
        model = section_types[section_field.name]
        hints = get_type_hints(model)
        keys = {
            f.name: KeySpec(
                section_field.name,
                f.name,
                _kind_for(f.name, hints[f.name], section_field.name),
            )
            for f in dataclasses.fields(model)
        }
        sections[section_field.name] = SectionSpec(
            section_field.name, model, MappingProxyType(keys)
        )
    return MappingProxyType(sections)


SCHEMA: Mapping[str, SectionSpec] = _build_schema()


@dataclass(frozen=True)
class Shorter:
    """A consistency rule between two durations: ``shorter`` must be less than ``longer``."""

    shorter: str
    longer: str
    why: str  # English, marked N_: said in the reader's language


RELATIONS: tuple[Shorter, ...] = (
    Shorter(
        "notify.grace_pause",
        "activity.idle_after",
        N_("a pause in typing that lets a reminder through must be shorter than being away"),
    ),
    Shorter(
        "activity.active_gap",
        "activity.idle_after",
        N_("a pause that still counts as active use must also count as presence"),
    ),
    Shorter(
        "activity.idle_after",
        "activity.natural_break",
        N_(
            "a natural break is an absence, so it must be longer than a pause that counts as "
            "presence"
        ),
    ),
    Shorter(
        "repetition.pause",
        "repetition.every",
        N_("otherwise every pause long enough to rest the hands would come after the micro-break"),
    ),
)

# --- locating and reading the file ---------------------------------------------------------


def user_config_path(env: Mapping[str, str] = os.environ) -> Path:
    """``$XDG_CONFIG_HOME/breakd/config.toml``, else ``$HOME/.config/breakd/config.toml``."""
    xdg = env.get("XDG_CONFIG_HOME", "")
    # The XDG spec says to ignore a relative (or empty) value.
    if xdg and os.path.isabs(xdg):
        base = Path(xdg)
    else:
        home = env.get("HOME") or str(Path.home())
        base = Path(home) / ".config"
    return base / "breakd" / "config.toml"


def config_source(path: str | Path | None, env: Mapping[str, str] = os.environ) -> Path | None:
    """The file ``load_config`` would read, or None for defaults only."""
    if path is not None:
        return Path(path)
    user = user_config_path(env)
    # lexists: a dangling symlink (say, into a dotfiles checkout) is reported, not ignored.
    return user if os.path.lexists(user) else None


def display_path(path: Path, env: Mapping[str, str] = os.environ) -> str:
    """The path as the user would write it: ``~/...`` under their home directory."""
    home = env.get("HOME")
    if home and path.is_absolute():
        try:
            return "~/" + str(path.relative_to(home))
        except ValueError:
            pass
    return str(path)


def load_config(path: str | Path | None = None, *, env: Mapping[str, str] = os.environ) -> Config:
    """The effective config: ``path`` (must exist), else the user's file if any, else defaults.

    Raises ``ConfigError`` listing every problem found.
    """
    return load(path, env=env).config


@dataclass(frozen=True)
class Loaded:
    """A config with where it came from and what the user should hear about it.

    Neither is an error: ``warnings`` are values that are valid but probably not meant (a bare
    number under a minute for a key counted in minutes), ``notes`` are defaults that followed
    a key the user set. The daemon logs them; ``check-config`` prints them.
    """

    config: Config
    source: Path | None  # None: no file, defaults only
    warnings: tuple[Problem, ...] = ()
    notes: tuple[Problem, ...] = ()

    def read_from(self, env: Mapping[str, str] = os.environ) -> tuple[str, bool]:
        """The file read as the user writes it, and True when there was none (the user's
        file's name then, and the defaults were used)."""
        if self.source is None:
            return display_path(user_config_path(env), env), True
        return display_path(self.source, env), False

    def describe_source(self, env: Mapping[str, str] = os.environ) -> str:
        """``read ~/.config/breakd/config.toml`` or ``no file at ...; using the defaults``."""
        if self.source is None:
            return (
                f"no config file at {display_path(user_config_path(env), env)}; using the defaults"
            )
        return f"read {display_path(self.source, env)}"


def load(path: str | Path | None = None, *, env: Mapping[str, str] = os.environ) -> Loaded:
    """``load_config`` with the source and the notes; raises ``ConfigError`` the same way."""
    source = config_source(path, env)
    if source is None:
        return Loaded(Config(), None)
    name = display_path(source, env)
    data = _read_toml(source, name)
    config, warnings, notes = config_and_notes_from_mapping(data, name)
    return Loaded(config, source, tuple(warnings), tuple(notes))


def _read_toml(path: Path, name: str) -> dict[str, Any]:
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise _file_error(name, phrase(N_("no such file"))) from None
    except IsADirectoryError:
        raise _file_error(name, phrase(N_("is a directory, not a config file"))) from None
    except OSError as exc:
        why = exc.strerror or str(exc)  # the system's words, as it says them
        raise _file_error(name, phrase(N_("cannot read the file: {error}"), error=why)) from None
    try:
        # utf-8-sig: editors on some systems add a byte-order mark; it is harmless.
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = raw.count(b"\n", 0, exc.start) + 1
        text = N_("line {line}: not UTF-8 text (byte {byte}); save the file as UTF-8")
        byte = f"0x{raw[exc.start]:02x}"
        raise _file_error(name, phrase(text, line=line, byte=byte)) from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise _file_error(name, _describe_toml_error(exc, text)) from None


def _file_error(name: str, message: Phrase) -> ConfigError:
    return ConfigError([Problem(name, "", "", message)])


_TOML_POSITION_RE = re.compile(
    r"^(?P<msg>.*) \((?:at line (?P<line>\d+), column (?P<col>\d+)|at end of document)\)$"
)


def _describe_toml_error(exc: Exception, text: str) -> Phrase:
    """``line L, column C: not valid TOML (<why>): <the line>`` from a TOMLDecodeError."""
    # Python 3.14's tomllib has lineno/colno/msg; older versions only put them in the text.
    line, col, msg = getattr(exc, "lineno", None), getattr(exc, "colno", None), None
    match = _TOML_POSITION_RE.match(str(exc))
    if match is not None:
        msg = match["msg"]
        if match["line"] is not None:
            line, col = line or int(match["line"]), col or int(match["col"])
    msg = getattr(exc, "msg", None) or msg or str(exc)
    # tomllib's own words (msg) are quoted as it says them, in English.
    if line is None:
        return phrase(N_("at the end of the file: not valid TOML ({error})"), error=msg)
    lines = text.splitlines()
    shown = lines[line - 1].strip() if 0 < line <= len(lines) else ""
    if not shown:
        text = N_("line {line}, column {column}: not valid TOML ({error})")
        return phrase(text, line=line, column=col, error=msg)
    text = N_("line {line}, column {column}: not valid TOML ({error}) in: {text}")
    described = phrase(text, line=line, column=col, error=msg, text=shown)
    hint = _quote_hint(shown)
    return described if hint is None else clauses(described, hint)


# ``every = 30m``: an unquoted value with letters in it (but not true/false) is most likely
# text that needs quotes, which is the commonest mistake in a hand-written TOML file.
_UNQUOTED_RE = re.compile(r"(?P<key>[A-Za-z0-9_.-]+)\s*=\s*(?P<value>[0-9:]*[A-Za-z][^\"'#]*?)\s*")


def _quote_hint(line: str) -> Phrase | None:
    match = _UNQUOTED_RE.fullmatch(line.split("#")[0].strip())
    if match is None or match["value"] in ("true", "false"):
        return None
    if match["value"].lower() in ("yes", "no", "on", "off", "true", "false"):
        text = N_("use true or false (lower case, no quotes): {key} = true")
        return phrase(text, key=match["key"])
    text = N_('text needs double quotes: {key} = "{value}"')
    return phrase(text, key=match["key"], value=match["value"])


# --- validation ----------------------------------------------------------------------------


def config_from_mapping(data: Mapping[str, Any], file: str) -> Config:
    """Validate parsed TOML and merge it over the defaults; raise ``ConfigError`` if wrong."""
    return config_and_notes_from_mapping(data, file)[0]


def config_and_notes_from_mapping(
    data: Mapping[str, Any], file: str
) -> tuple[Config, list[Problem], list[Problem]]:
    """``config_from_mapping`` that also returns the warnings and notes (see ``Loaded``)."""
    problems: list[Problem] = []
    given: dict[str, object] = {}  # dotted key -> raw value, for keys present in the file
    parsed: dict[str, object] = {}  # dotted key -> value, for keys that passed validation
    for section_name, section_data in data.items():
        section = SCHEMA.get(section_name)
        if section is None:
            problems.append(_unknown_section(file, section_name, section_data))
        elif not isinstance(section_data, dict):
            problems.append(
                Problem(
                    file,
                    section_name,
                    _toml_value(section_data),
                    phrase(
                        N_(
                            "[{section}] is a section; write [{section}] on a line of its own "
                            "and its keys below it"
                        ),
                        section=section_name,
                    ),
                )
            )
        else:
            problems += _check_section(file, section, section_data, given, parsed)
    config = _merge(parsed)
    config, followed = _follow_defaults(file, config, given, parsed)
    problems += _check_relations(file, config, given, parsed)
    if problems:
        raise ConfigError(problems)
    return config, _bare_numbers(file, given, parsed), followed


def _check_section(
    file: str,
    section: SectionSpec,
    data: Mapping[str, Any],
    given: dict[str, object],
    parsed: dict[str, object],
) -> list[Problem]:
    problems: list[Problem] = []
    for key, raw in data.items():
        spec = section.keys.get(key)
        dotted = f"{section.name}.{key}"
        if spec is None:
            problems.append(Problem(file, dotted, _toml_value(raw), _unknown_key(section, key)))
            continue
        given[dotted] = raw
        try:
            parsed[dotted] = spec.kind.parse(raw)
        except ValueError as exc:
            problems.append(Problem(file, dotted, _toml_value(raw), Phrase.of(exc)))
    return problems


def _unknown_section(file: str, name: str, value: object) -> Problem:
    homes = [s.name for s in SCHEMA.values() if name in s.keys]
    if homes and not isinstance(value, dict):
        text = N_("keys belong in a section; put it below a header such as {headers}")
        message = phrase(text, headers=", ".join(f"[{h}]" for h in homes))
    else:
        unknown = _maybe_meant(
            N_("unknown section"),
            N_("unknown section (did you mean {suggestion}?)"),
            _suggest(name, list(SCHEMA), "[{}]"),
        )
        sections = ", ".join(f"[{s}]" for s in SCHEMA)
        message = clauses(unknown, phrase(N_("the sections are {sections}"), sections=sections))
    return Problem(file, name, _toml_value(value), message)


def _unknown_key(section: SectionSpec, key: str) -> Phrase:
    meant = _suggest(key, list(section.keys), "{}")
    if meant is None:
        unknown = phrase(N_("unknown key in [{section}]"), section=section.name)
    else:
        text = N_("unknown key in [{section}] (did you mean {suggestion}?)")
        unknown = phrase(text, section=section.name, suggestion=meant)
    parts = [unknown]
    elsewhere = [s.name for s in SCHEMA.values() if key in s.keys]
    if elsewhere:
        parts.append(phrase(N_("{key} belongs in [{section}]"), key=key, section=elsewhere[0]))
    text = N_("the keys in [{section}] are {keys}")
    parts.append(phrase(text, section=section.name, keys=", ".join(section.keys)))
    return clauses(*parts)


def _suggest(word: str, choices: list[str], template: str) -> str | None:
    """The choice ``word`` was probably meant to be, written with ``template``; None."""
    close = difflib.get_close_matches(word, choices, n=1, cutoff=0.6)
    return template.format(close[0]) if close else None


def _maybe_meant(plain: str, meant_text: str, meant: str | None) -> Phrase:
    """``plain``, or ``meant_text`` naming the choice probably meant."""
    return phrase(plain) if meant is None else phrase(meant_text, suggestion=meant)


def _merge(parsed: Mapping[str, object]) -> Config:
    """Defaults with the validated values from the file laid over them."""
    defaults = Config()
    sections = {}
    for name in SCHEMA:
        overrides = {
            key: value
            for dotted, value in parsed.items()
            for section, _, key in [dotted.partition(".")]
            if section == name
        }
        sections[name] = dataclasses.replace(getattr(defaults, name), **overrides)
    return Config(**sections)


def _get(config: Config, dotted: str) -> Any:
    section, _, key = dotted.partition(".")
    return getattr(getattr(config, section), key)


# A bare number below this for a key whose default is at least ``_MINUTES_KEY`` is most likely
# minutes written without a unit: ``every = 45`` is 45 seconds.
_BARE_NUMBER_BELOW = 60
_MINUTES_KEY = 5 * 60.0


def _bare_numbers(
    file: str, given: Mapping[str, object], parsed: Mapping[str, object]
) -> list[Problem]:
    """A warning for each bare number that probably means minutes (it is valid: seconds)."""
    defaults = Config()
    notes: list[Problem] = []
    for dotted, raw in given.items():
        if dotted not in parsed or isinstance(raw, bool) or not isinstance(raw, int):
            continue
        if raw >= _BARE_NUMBER_BELOW or not isinstance(_get(defaults, dotted), float):
            continue
        if _get(defaults, dotted) >= _MINUTES_KEY:
            message = phrases(
                '{number} is {number} second; write "{number}m" for minutes',
                '{number} is {number} seconds; write "{number}m" for minutes',
                raw,
                number=raw,
            )
            notes.append(Problem(file, dotted, str(raw), message))
    return notes


def _follow_defaults(
    file: str, config: Config, given: Mapping[str, object], parsed: Mapping[str, object]
) -> tuple[Config, list[Problem]]:
    """Lower a default that must stay shorter than a key the user set, keeping the defaults'
    proportion: ``idle_after = "10s"`` alone must not fail on ``active_gap``, a key the user
    never wrote. Only defaults move, only down, and each at most once; a default that would
    have to grow (``idle_after = "10m"`` against ``natural_break``) stays and is reported,
    naming the key to add, because silently stretching it would change what a break is."""
    defaults = Config()
    notes: list[Problem] = []
    moved: set[str] = set()
    changed = True
    while changed:
        changed = False
        for rule in RELATIONS:
            if rule.shorter in given or rule.shorter in moved:
                continue
            if rule.longer not in parsed and rule.longer not in moved:
                continue  # two defaults: they agree, or a test of the defaults fails
            longer = _get(config, rule.longer)
            if _get(config, rule.shorter) < longer:
                continue
            ratio = _get(defaults, rule.shorter) / _get(defaults, rule.longer)
            value = float(max(1, math.floor(longer * ratio)))
            if value >= longer:
                continue  # nothing whole is shorter: reported by _check_relations
            config = _replace(config, rule.shorter, value)
            moved.add(rule.shorter)
            changed = True
            default = json.dumps(format_duration(_get(defaults, rule.shorter)))
            text = N_(
                "not in the file, so it follows {key} (the default {default} is not shorter "
                "than {value})"
            )
            message = phrase(
                text, key=rule.longer, default=default, value=json.dumps(format_duration(longer))
            )
            notes.append(Problem(file, rule.shorter, _toml_value(format_duration(value)), message))
    return config, notes


def _replace(config: Config, dotted: str, value: object) -> Config:
    section, _, key = dotted.partition(".")
    values = dataclasses.replace(getattr(config, section), **{key: value})
    return dataclasses.replace(config, **{section: values})


def _check_relations(
    file: str, config: Config, given: Mapping[str, object], parsed: Mapping[str, object]
) -> list[Problem]:
    problems: list[Problem] = []
    defaults = Config()
    for rule in RELATIONS:
        # A key that failed on its own is already reported; comparing it would only add noise.
        if any(k in given and k not in parsed for k in (rule.shorter, rule.longer)):
            continue
        if _get(config, rule.shorter) < _get(config, rule.longer):
            continue
        # Blame the key the user wrote; if they wrote both, the first of the pair.
        shorter = rule.shorter in given or rule.longer not in given
        blamed, other = (rule.shorter, rule.longer) if shorter else (rule.longer, rule.shorter)
        value = given[blamed] if blamed in given else format_duration(_get(config, blamed))
        other_text = json.dumps(format_duration(_get(config, other)))
        default = other not in given and _get(config, other) == _get(defaults, other)
        parts = [phrase(_RELATION_TEXT[shorter, default], key=other, value=other_text)]
        parts.append(phrase(rule.why))
        if other not in given:
            parts.append(_add_key_hint(rule, other, config, blamed))
        problems.append(Problem(file, blamed, _toml_value(value), clauses(*parts)))
    return problems


# (must be shorter, the other is the default) -> the words
_RELATION_TEXT: Mapping[tuple[bool, bool], str] = MappingProxyType(
    {
        (True, False): N_("must be shorter than {key} ({value})"),
        (True, True): N_("must be shorter than {key} ({value}, the default)"),
        (False, False): N_("must be longer than {key} ({value})"),
        (False, True): N_("must be longer than {key} ({value}, the default)"),
    }
)


def _add_key_hint(rule: Shorter, missing: str, config: Config, blamed: str) -> Phrase:
    """Which key to add, and a value in the defaults' proportion, when a default is in the way.
    A value that would only break another rule is not suggested (``grace_pause = "3m"``
    would ask for ``idle_after = "2h"``, longer than a natural break): then the default of
    the key set, where it fits, is the likelier intent."""
    defaults = Config()
    section, _, key = missing.partition(".")
    ratio = _get(defaults, rule.longer) / _get(defaults, rule.shorter)
    if missing == rule.longer:
        suggested = math.ceil(_get(config, rule.shorter) * ratio)
    else:
        suggested = math.floor(_get(config, rule.longer) / ratio)
    if (
        1 <= suggested <= 24 * 3600
        and suggested != _get(config, missing)
        and _fits(config, missing, suggested)
    ):
        text = N_("add {key} = {value} to [{section}]")
        value = json.dumps(format_duration(suggested))
        return phrase(text, key=key, value=value, section=section)
    default = _get(defaults, blamed)
    if _fits(config, blamed, default):
        value = json.dumps(format_duration(default))
        return phrase(N_("remove it to use the default ({value})"), value=value)
    return phrase(N_("add {key} to [{section}] to change it"), key=key, section=section)


def _fits(config: Config, dotted: str, value: float) -> bool:
    """Whether ``dotted = value`` keeps every rule that names it, the rest as configured."""

    def get(name: str) -> Any:
        return value if name == dotted else _get(config, name)

    return all(
        get(rule.shorter) < get(rule.longer)
        for rule in RELATIONS
        if dotted in (rule.shorter, rule.longer)
    )


def _toml_value(value: object, limit: int = 80) -> str:
    """A value as it would appear in the TOML file, shortened for one-line messages."""
    text = _toml_value_full(value)
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _toml_value_full(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (dt.date, dt.time)):  # dt.datetime is a dt.date
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value_full(v) for v in value) + "]"
    if isinstance(value, dict):
        inner = ", ".join(f"{k} = {_toml_value_full(v)}" for k, v in value.items())
        return "{ " + inner + " }" if inner else "{}"
    return str(value)


# --- writing -------------------------------------------------------------------------------


def config_to_toml(config: Config) -> str:
    """The config as TOML that ``load_config`` reads back to an equal ``Config``."""
    blocks: list[str] = []
    for section in SCHEMA.values():
        values = getattr(config, section.name)
        lines = [f"[{section.name}]"]
        lines += [
            f"{k} = {spec.kind.to_toml(getattr(values, k))}" for k, spec in section.keys.items()
        ]
        blocks.append("\n".join(lines) + "\n")
    return "\n".join(blocks)


def default_config_text() -> str:
    """The shipped, commented default config file (``config/breakd.toml`` in the source)."""
    resource = importlib.resources.files("breakd") / "data" / "breakd.toml"
    return resource.read_text(encoding="utf-8")
