"""Translations: the catalogs are complete and current, the language is picked as desktop
programs pick it, and every language's reminders fit the same budget as the English ones."""

from __future__ import annotations

import argparse
import ast
import dataclasses
import datetime as dt
import gettext
import io
import itertools
import json
import re
import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from breakd import i18n
from breakd.config.load import load_config
from breakd.config.model import Config, NotifyConfig
from breakd.content_commands import TERMINAL_WIDTH, warning_signs_command
from breakd.control import formats
from breakd.core import content
from breakd.core.checkin import question
from breakd.core.checkin import within as checkin_within
from breakd.core.content import (
    CATALOG,
    LINE_CHARS,
    MAX_BODY_LINES,
    STOP_ON_PAIN,
    compose,
    compose_break,
    display_width,
    suggestions_for,
    wrap,
)
from breakd.core.engine import Engine
from breakd.core.types import BreakNow, Kind, Show
from breakd.core.words import ENGLISH, Translator
from breakd.daemon.effects import snooze_label
from breakd.stats.checkin import Advice
from tests.test_config import only_problem, write

ROOT = Path(__file__).resolve().parent.parent
POT = i18n.LOCALE_DIR / f"{i18n.DOMAIN}.pot"
PLURAL_FORMS = {"de": 2, "fr": 2, "es": 2, "pt_BR": 2, "it": 2, "nl": 2, "pl": 3, "ja": 1}


# --- a small .po reader -------------------------------------------------------------------


@dataclass
class Entry:
    msgid: str = ""
    context: str | None = None  # msgctxt: pgettext's context
    plural: str | None = None
    strings: dict[int, str] = field(default_factory=dict)  # msgstr, or msgstr[n] by n
    flags: set[str] = field(default_factory=set)
    obsolete: bool = False


def _unquote(text: str) -> str:
    return ast.literal_eval(text)  # a .po string is a C string; these hold no C-only escapes


def read_po(path: Path) -> list[Entry]:
    """The entries of a .po or .pot file, the header (msgid "") first."""
    entries: list[Entry] = []
    entry: Entry | None = None
    target: tuple[str, int] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            entry, target = None, None
            continue
        if entry is None:
            entry = Entry()
            entries.append(entry)
        if line.startswith("#~"):
            entry.obsolete = True
        elif line.startswith("#,"):
            entry.flags.update(flag.strip() for flag in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith("msgctxt "):
            entry.context, target = _unquote(line[8:]), ("context", 0)
        elif line.startswith("msgid_plural "):
            entry.plural, target = _unquote(line[13:]), ("plural", 0)
        elif line.startswith("msgid "):
            entry.msgid, target = _unquote(line[6:]), ("msgid", 0)
        elif match := re.match(r"msgstr(?:\[(\d)\])? (.*)", line):
            n = int(match.group(1) or 0)
            entry.strings[n], target = _unquote(match.group(2)), ("msgstr", n)
        elif line.startswith('"') and target is not None:
            part = _unquote(line)
            if target[0] == "msgid":
                entry.msgid += part
            elif target[0] == "context":
                entry.context = (entry.context or "") + part
            elif target[0] == "plural":
                entry.plural = (entry.plural or "") + part
            else:
                entry.strings[target[1]] += part
    return entries


def header(entries: list[Entry]) -> dict[str, str]:
    text = entries[0].strings[0]
    return dict(line.split(": ", 1) for line in text.splitlines() if ": " in line)


def po_path(language: str) -> Path:
    return i18n.LOCALE_DIR / language / "LC_MESSAGES" / f"{i18n.DOMAIN}.po"


def placeholders(text: str) -> set[str]:
    """The names of the ``{placeholders}``, with or without a format spec (``{minute:02}``)."""
    return set(re.findall(r"\{(\w*)(?::[^{}]*)?\}", text))


def key(entry: Entry) -> tuple[str | None, str, str | None]:
    return (entry.context, entry.msgid, entry.plural)


# --- the catalogs -------------------------------------------------------------------------


def test_the_listed_languages_are_the_catalogs_shipped() -> None:
    shipped = {p.parent.parent.name for p in i18n.LOCALE_DIR.glob("*/LC_MESSAGES/breakd.po")}
    assert shipped == set(i18n.LANGUAGES) == set(PLURAL_FORMS)


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="needs GNU gettext's xgettext")
def test_the_template_holds_every_string_the_code_marks(tmp_path: Path) -> None:
    """scripts/i18n.sh extract was run after the last change to a translatable string."""
    fresh = tmp_path / "breakd.pot"
    subprocess.run(["sh", "scripts/i18n.sh", "template", str(fresh)], cwd=ROOT, check=True)
    ids = {key(e) for e in read_po(fresh)[1:]}
    assert ids == {key(e) for e in read_po(POT)[1:]}


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_catalog_is_complete_and_current(language: str) -> None:
    entries = read_po(po_path(language))
    template = {key(e) for e in read_po(POT)[1:]}
    translated = [e for e in entries[1:] if not e.obsolete]
    assert {key(e) for e in translated} == template
    for entry in translated:
        assert "fuzzy" not in entry.flags, entry.msgid
        assert all(entry.strings.values()), entry.msgid
    assert not [e.msgid for e in entries if e.obsolete]


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_placeholders_and_plural_forms_match_the_source(language: str) -> None:
    entries = read_po(po_path(language))
    forms = header(entries)["Plural-Forms"]
    nplurals = int(re.search(r"nplurals=(\d+)", forms).group(1))
    assert nplurals == PLURAL_FORMS[language]
    assert header(entries)["Language"] == language
    for entry in entries[1:]:
        if entry.plural is None:
            assert set(entry.strings) == {0}
            assert placeholders(entry.strings[0]) == placeholders(entry.msgid), entry.msgid
        else:
            assert set(entry.strings) == set(range(nplurals)), entry.msgid
            for text in entry.strings.values():
                assert placeholders(text) == placeholders(entry.plural), entry.msgid
        # The patterns a translator may change a field's spec in (units.py) are not checked by
        # msgfmt ("no-python-brace-format"): they must format too.
        if entry.flags & {"python-brace-format", "no-python-brace-format"}:
            for text in entry.strings.values():
                text.format(**dict.fromkeys(placeholders(text), 1))  # no stray braces


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_the_shipped_mo_is_compiled_from_the_current_po(language: str) -> None:
    entries = read_po(po_path(language))
    plural = gettext.c2py(re.search(r"plural=([^;]+);", header(entries)["Plural-Forms"]).group(1))
    mo = po_path(language).with_suffix(".mo")
    with mo.open("rb") as file:
        catalog = gettext.GNUTranslations(file)
    for entry in entries[1:]:
        if entry.context is not None:
            assert catalog.pgettext(entry.context, entry.msgid) == entry.strings[0], entry.msgid
        elif entry.plural is None:
            assert catalog.gettext(entry.msgid) == entry.strings[0], entry.msgid
        else:
            for n in range(200):
                got = catalog.ngettext(entry.msgid, entry.plural, n)
                assert got == entry.strings[plural(n)], (entry.msgid, n)


def test_the_wheel_carries_the_compiled_catalogs(tmp_path: Path) -> None:
    """A wheel built from a clean copy of the checkout (no build products, no venv) holds
    every .mo. A copy, not a clone: a fresh machine's test run may have no git."""
    checkout, wheels = tmp_path / "checkout", tmp_path / "wheels"
    junk = (".git", ".venv", "build", "*.egg-info", "__pycache__", ".*_cache", "bench")
    shutil.copytree(ROOT, checkout, ignore=shutil.ignore_patterns(*junk))
    pip = [sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w", str(wheels)]
    subprocess.run([*pip, str(checkout)], check=True, capture_output=True)
    (wheel,) = wheels.glob("breakd-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for language in i18n.LANGUAGES:
        assert f"breakd/locale/{language}/LC_MESSAGES/breakd.mo" in names, language


# --- picking the language -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("environ", "expected"),
    [
        ({}, []),
        ({"LANG": "de_DE.UTF-8"}, ["de_DE.UTF-8"]),
        ({"LANG": "de_DE.UTF-8", "LC_MESSAGES": "fr_FR.UTF-8"}, ["fr_FR.UTF-8"]),
        ({"LC_MESSAGES": "fr_FR.UTF-8", "LC_ALL": "nl_NL.UTF-8"}, ["nl_NL.UTF-8"]),
        ({"LC_ALL": "nl_NL.UTF-8", "LANGUAGE": "pl:de"}, ["pl", "de"]),
        ({"LANGUAGE": "", "LANG": "ja_JP.UTF-8"}, ["ja_JP.UTF-8"]),
        ({"LANG": "C.UTF-8"}, []),
        ({"LANG": "POSIX"}, []),
        ({"LANG": "pt"}, ["pt", "pt_BR"]),
        ({"LANG": "pt_PT.UTF-8"}, ["pt_PT.UTF-8", "pt_BR"]),
    ],
)
def test_the_language_comes_from_the_environment_as_desktops_set_it(
    environ: dict[str, str], expected: list[str]
) -> None:
    assert i18n.languages_from(environ) == expected


def lead_in(tr: Translator) -> str:
    return compose(Kind.SITTING, content.by_key("walk"), tr=tr)[1].splitlines()[0]


@pytest.mark.parametrize(
    ("language", "environ", "lead"),
    [
        ("auto", {"LANG": "de_DE.UTF-8"}, "Aufstehen und ein paar Minuten gehen."),
        ("auto", {"LANGUAGE": "fr_CA:de", "LANG": "en_CA.UTF-8"}, "Levez-vous et marchez"),
        ("auto", {"LANG": "pt_PT.UTF-8"}, "Levante-se e caminhe"),
        ("auto", {"LANGUAGE": "en_GB:de"}, "Stand up and walk for a few minutes."),
        ("auto", {"LANG": "sv_SE.UTF-8"}, "Stand up and walk for a few minutes."),
        ("auto", {}, "Stand up and walk for a few minutes."),
        ("ja", {"LANG": "de_DE.UTF-8"}, "立って数分歩きましょう。"),
        ("pt_BR", {}, "Levante-se e caminhe"),
        ("tlh", {"LANG": "de_DE.UTF-8"}, "Stand up and walk for a few minutes."),
    ],
)
def test_notify_language_overrides_the_environment_and_unknown_is_english(
    language: str, environ: dict[str, str], lead: str
) -> None:
    assert lead_in(i18n.translator(language, environ)).startswith(lead)


def test_a_damaged_catalog_is_english_not_an_error(tmp_path: Path) -> None:
    broken = tmp_path / "de" / "LC_MESSAGES" / "breakd.mo"
    broken.parent.mkdir(parents=True)
    broken.write_bytes(b"\x95\x04\x12\xde not a catalog")
    assert i18n.translator("de", {}, localedir=tmp_path) is ENGLISH


@pytest.mark.parametrize(
    ("text", "expected"), [("auto", "auto"), ("de", "de"), ("pt_BR", "pt_BR"), ("pt-br", "pt_BR")]
)
def test_notify_language_is_auto_or_a_language_code(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = write(tmp_path, f'[notify]\nlanguage = "{text}"\n')
    assert load_config(str(path)).notify.language == expected


@pytest.mark.parametrize("text", ['"German"', '"de_DE.UTF-8"', '""', "true"])
def test_a_bad_notify_language_says_what_is_allowed(tmp_path: Path, text: str) -> None:
    problem = only_problem(tmp_path, f"[notify]\nlanguage = {text}\n")
    assert problem.key == "notify.language"
    assert 'use "auto"' in problem.message


def test_the_engine_speaks_the_configured_language_and_follows_a_change() -> None:
    asked: list[str] = []

    def translators(language: str) -> Translator:
        asked.append(language)
        return i18n.translator(language, {})

    config = dataclasses.replace(Config(), notify=NotifyConfig(language="de"))
    engine = Engine(config, 0.0, dt.datetime(2026, 1, 5, 9, 0), translators=translators)
    assert asked == ["de"]
    (show,) = [a for a in engine.command(BreakNow(), 0.0) if isinstance(a, Show)]
    assert show.reminder.title.startswith("Pause: ")
    engine.reconfigure(config, 1.0)
    assert asked == ["de"]  # unchanged: not read again
    engine.reconfigure(Config(), 2.0)
    assert asked == ["de", "auto"]


# --- every language fits the budget -------------------------------------------------------


def merges(kind: Kind) -> list[tuple[Kind, ...]]:
    lower = sorted((k for k in Kind if k.priority < kind.priority), key=lambda k: -k.priority)
    return [c for n in range(len(lower) + 1) for c in itertools.combinations(lower, n)]


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_reminder_fits_the_english_budget(language: str) -> None:
    """Every kind x suggestion x merge x repeat, as tests/test_content.py checks English: at
    most MAX_BODY_LINES lines of LINE_CHARS columns (a wide character takes two), the lead
    whole on the first line, the stop-on-pain note third on movements, the title one line."""
    tr = i18n.translator(language, {})
    assert tr is not ENGLISH
    stop = tr.gettext(STOP_ON_PAIN)
    assert stop != STOP_ON_PAIN
    for kind in Kind:
        breaks = (1.0, 59.0, 300.0, 86400.0) if kind is Kind.SITTING else (None,)
        for suggestion, also, repeat, seconds in itertools.product(
            suggestions_for(kind), merges(kind), (0, 1, 10), breaks
        ):
            title, body = compose(
                kind, suggestion, also=also, repeat=repeat, break_seconds=seconds, tr=tr
            )
            shown = wrap(body)
            case = f"{kind.value} {suggestion.key} {also} {repeat}:\n" + "\n".join(shown)
            assert len(shown) <= MAX_BODY_LINES, case
            assert all(display_width(line) <= LINE_CHARS for line in shown), case
            assert shown[0] == tr.gettext(suggestion.lead), case
            assert display_width(title) <= LINE_CHARS and "\n" not in title, title
            if suggestion.movement:
                assert body.splitlines().index(stop) == 2, case
            else:
                assert stop not in body, case
    for suggestion in CATALOG:
        title, body = compose_break(suggestion, 86400.0, tr)
        assert len(wrap(body)) <= MAX_BODY_LINES, body
        assert display_width(title) <= LINE_CHARS, title


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_warning_signs_and_check_in_are_translated_whole(language: str) -> None:
    tr = i18n.translator(language, {})
    full = content.warning_signs_text(tr=tr)
    assert full.count("\n- ") == 10  # every sign, none lost
    assert "call your local emergency number" not in full
    brief = content.warning_signs_text(brief=True, tr=tr)
    assert brief.endswith(content.WARNING_SIGNS_COMMAND)
    assert len(wrap(brief)) <= 2
    asked = question(dt.date(2026, 1, 5), tr)
    english = question(dt.date(2026, 1, 5))
    assert asked.title != english.title and asked.body != english.body
    assert [c.key for c in asked.choices] == [c.key for c in english.choices]
    assert [c.score for c in asked.choices] == [c.score for c in english.choices]
    assert all(a.label != e.label for a, e in zip(asked.choices, english.choices, strict=True))
    assert "breakd checkin 0-10" in asked.command_hint


def test_wide_characters_take_two_columns_and_break_anywhere() -> None:
    assert display_width("abc") == 3
    assert display_width("歩く") == 4
    lines = wrap("あ" * 30)
    assert [display_width(line) for line in lines] == [44, 16]
    # No line starts with a closing mark (kinsoku): the character before goes down with it.
    lines = wrap("あ" * 22 + "。" + "い" * 5)
    assert lines == ["あ" * 21, "あ。" + "い" * 5]


def test_english_needs_no_catalog() -> None:
    assert lead_in(ENGLISH) == "Stand up and walk for a few minutes."
    assert ENGLISH.ngettext("{n} minute", "{n} minutes", 1) == "{n} minute"
    assert ENGLISH.ngettext("{n} minute", "{n} minutes", 0) == "{n} minutes"


@pytest.mark.parametrize("language", ["de", "ja"])
def test_the_warning_signs_command_speaks_the_language(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))  # no user config
    monkeypatch.setenv("LANGUAGE", language)
    out = io.StringIO()
    assert warning_signs_command(argparse.Namespace(), out=out) == 0
    printed = out.getvalue().splitlines()
    urgent = i18n.translator(language, {}).gettext(content._URGENT[1])
    assert urgent.replace(" ", "") in "".join(printed).replace(" ", "")
    assert all(display_width(line) <= TERMINAL_WIDTH for line in printed)


# --- breakd status ------------------------------------------------------------------------


def status_result(**fields: object) -> dict[str, object]:
    base: dict[str, object] = {
        "state": "active",
        "presence": 1080.0,
        "active_today": 7500.0,
        "kinds": [
            {"kind": "sitting", "due_in": 720.0, "pending": False},
            {"kind": "repetition", "due_in": 0.0, "pending": True},
            {"kind": "water", "due_in": None, "pending": False, "snoozed_until": MONDAY_10},
        ],
    }
    base.update(fields)
    return base


NOW = dt.datetime(2026, 1, 7, 9, 0).timestamp()  # a Wednesday
MONDAY_10 = dt.datetime(2026, 1, 12, 10, 0).timestamp()


def test_breakd_status_speaks_the_language_people_read() -> None:
    german = i18n.translator("de", {})
    lines = formats.render("text", status_result(), NOW, tr=german).splitlines()
    assert lines == [
        "breakd läuft; du bist aktiv",
        "18 Min. anwesend seit der letzten natürlichen Pause",
        "heute aktiv: 2 Std. 5 Min.",
        "  Wiederholung  jetzt fällig (wartet auf die Pause)",
        "  Sitzen        in 12 Min.",
        "  Wasser        verschoben bis Mo 10:00",
    ]
    paused = status_result(state="paused", paused_until=MONDAY_10)
    assert formats.render("text", paused, NOW, tr=german).startswith(
        "breakd ist pausiert bis Mo 10:00"
    )


def test_breakd_status_in_japanese_writes_japanese_durations_and_times() -> None:
    japanese = i18n.translator("ja", {})
    lines = formats.render("text", status_result(), NOW, tr=japanese).splitlines()
    assert "18分" in lines[1] and "2時間5分" in lines[2]
    assert any("12分" in line for line in lines[3:])
    assert "月曜 10:00" in lines[-1]
    on_break = status_result(state="on-break", break_until=NOW + 300)
    assert "5分" in formats.render("text", on_break, NOW, tr=japanese).splitlines()[0]


@pytest.mark.parametrize(
    ("held_by", "german"),
    [
        ("microphone in use", "Mikrofon in Benutzung"),
        ("screen sharing, camera in use", "Bildschirmfreigabe, Kamera in Benutzung"),
        ("a fullscreen window", "ein Vollbildfenster"),
        ("dunst do-not-disturb", "dunst do-not-disturb"),  # as the desktop names it
    ],
)
def test_what_holds_reminders_is_translated_where_breakd_names_it(
    held_by: str, german: str
) -> None:
    tr = i18n.translator("de", {})
    result = status_result(state="do-not-disturb", held_by=held_by)
    first = formats.render("text", result, NOW, tr=tr).splitlines()[0]
    assert first == f"breakd hält Erinnerungen zurück: {german}"
    assert json.loads(formats.render("json", result, NOW, tr=tr))["held_by"] == held_by


def test_quiet_hours_and_a_locked_screen_are_translated_too() -> None:
    tr = i18n.translator("de", {})
    quiet = status_result(state="quiet", held_by="quiet hours", held_until=NOW + 3600)
    assert formats.render("text", quiet, NOW, tr=tr).splitlines()[0] == (
        "breakd hält Erinnerungen zurück: Ruhezeit bis 10:00"
    )
    locked = status_result(state="away", held_by="screen locked")
    assert "(Bildschirm gesperrt)" in formats.render("text", locked, NOW, tr=tr)


@pytest.mark.parametrize(
    ("language", "snooze", "title"),
    [
        ("de", "Später (5 Min.)", "Pause: 1 Stunde 30 Minuten"),
        ("ja", "あとで（5分）", "休憩：1時間30分"),  # noqa: RUF001
        ("pl", "Odłóż (5 min)", "Twoja przerwa: 1 godzina 30 minut"),
    ],
)
def test_the_snooze_button_and_a_break_say_their_length_in_the_language(
    language: str, snooze: str, title: str
) -> None:
    config = dataclasses.replace(Config(), notify=NotifyConfig(language=language))
    assert snooze_label(config) == snooze
    assert snooze_label(Config()) == "Snooze 5m"
    tr = i18n.translator(language, {})
    assert compose_break(content.by_key("walk"), 5400.0, tr)[0] == title


def test_status_bars_stay_english_for_their_scripts_and_css() -> None:
    german = i18n.translator("de", {})
    for fmt in ("waybar", "plain", "json"):
        result = status_result()
        assert formats.render(fmt, result, NOW, tr=german) == formats.render(fmt, result, NOW)


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_every_status_line_is_translated_and_aligned(language: str) -> None:
    tr = i18n.translator(language, {})
    english = formats.render("text", status_result(), NOW).splitlines()
    translated = formats.render("text", status_result(), NOW, tr=tr).splitlines()
    assert len(translated) == len(english)
    assert all(a != b for a, b in zip(translated, english, strict=True))
    # The reminders' times start in one column, also where a name is wide (Japanese).
    names = [re.match(r"(  \S+ +)\S", line) for line in translated[3:]]
    assert len({display_width(name.group(1)) for name in names if name}) == 1, translated


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_the_advice_to_see_a_professional_is_translated_and_fits(language: str) -> None:
    tr = i18n.translator(language, {})
    for reason, days in itertools.product(("streak", "rising"), (1, 3, 4, 5, 22)):
        advice = Advice(reason, dt.date(2026, 1, 5), days, 7)
        brief = advice.text(brief=True, tr=tr)
        assert brief != advice.text(brief=True)
        assert len(wrap(brief)) <= MAX_BODY_LINES, brief
        assert f"{days}" in brief
        full = advice.text(tr=tr)
        assert f"{days}" in full and content.warning_signs_text(tr=tr) in full


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_a_check_in_within_fewer_buttons_names_what_it_offers_in_the_language(
    language: str,
) -> None:
    tr = i18n.translator(language, {})
    day = dt.date(2026, 1, 5)
    for buttons in (None, 4, 3, 2, 1):
        asked = checkin_within(question(day, tr), buttons, tr)
        english = checkin_within(question(day), buttons)
        assert [c.key for c in asked.choices] == [c.key for c in english.choices]
        assert asked.body != english.body
        for choice in asked.choices:
            assert choice.label.lower() in asked.body.lower(), (buttons, asked.body)
