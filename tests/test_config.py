"""Loading and validating config files: locations, merging, and every kind of bad input."""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import os
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from breakd import exitcodes
from breakd.config.check import check_config_command
from breakd.config.load import (
    SCHEMA,
    ConfigError,
    Problem,
    config_to_toml,
    load,
    load_config,
    user_config_path,
)
from breakd.config.model import Config, ContentConfig, TimeRange
from breakd.core import content
from breakd.core.types import Kind

if sys.version_info >= (3, 11):
    import tomllib
else:
    import tomli as tomllib

# --- helpers -------------------------------------------------------------------------------


def write(tmp_path: Path, text: str | bytes, name: str = "config.toml") -> Path:
    path = tmp_path / name
    if isinstance(text, bytes):
        path.write_bytes(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


def problems_for(tmp_path: Path, text: str | bytes) -> list[Problem]:
    path = write(tmp_path, text)
    with pytest.raises(ConfigError) as info:
        load_config(path, env={"HOME": str(tmp_path / "home")})
    return info.value.problems


def only_problem(tmp_path: Path, text: str | bytes) -> Problem:
    problems = problems_for(tmp_path, text)
    assert len(problems) == 1, problems
    return problems[0]


# --- where the file is ---------------------------------------------------------------------


def test_user_config_path_uses_xdg_config_home() -> None:
    env = {"XDG_CONFIG_HOME": "/x/conf", "HOME": "/home/u"}
    assert user_config_path(env) == Path("/x/conf/breakd/config.toml")


@pytest.mark.parametrize("xdg", [None, "", "relative/conf"])
def test_user_config_path_falls_back_to_home(xdg: str | None) -> None:
    # The XDG spec says an empty or relative XDG_CONFIG_HOME is to be ignored.
    env = {"HOME": "/home/u"} if xdg is None else {"HOME": "/home/u", "XDG_CONFIG_HOME": xdg}
    assert user_config_path(env) == Path("/home/u/.config/breakd/config.toml")


def test_no_user_file_gives_defaults(tmp_path: Path) -> None:
    assert load_config(env={"HOME": str(tmp_path)}) == Config()


def test_user_file_under_home_is_read(tmp_path: Path) -> None:
    conf = tmp_path / ".config" / "breakd"
    conf.mkdir(parents=True)
    (conf / "config.toml").write_text('[sitting]\nevery = "45m"\n', encoding="utf-8")
    assert load_config(env={"HOME": str(tmp_path)}).sitting.every == 45 * 60


def test_user_file_under_xdg_config_home_is_read(tmp_path: Path) -> None:
    conf = tmp_path / "xdg" / "breakd"
    conf.mkdir(parents=True)
    (conf / "config.toml").write_text("[water]\nenabled = false\n", encoding="utf-8")
    # A file under HOME must not be read when XDG_CONFIG_HOME points elsewhere.
    home_conf = tmp_path / "home" / ".config" / "breakd"
    home_conf.mkdir(parents=True)
    (home_conf / "config.toml").write_text("junk", encoding="utf-8")
    env = {"HOME": str(tmp_path / "home"), "XDG_CONFIG_HOME": str(tmp_path / "xdg")}
    assert load_config(env=env).water.enabled is False


def test_dangling_user_symlink_is_an_error_not_defaults(tmp_path: Path) -> None:
    conf = tmp_path / ".config" / "breakd"
    conf.mkdir(parents=True)
    (conf / "config.toml").symlink_to(tmp_path / "dotfiles" / "gone.toml")
    with pytest.raises(ConfigError, match=r"~/.config/breakd/config.toml: no such file"):
        load_config(env={"HOME": str(tmp_path)})


def test_explicit_missing_path_is_an_error(tmp_path: Path) -> None:
    missing = tmp_path / "nope.toml"
    with pytest.raises(ConfigError) as info:
        load_config(missing, env={"HOME": "/elsewhere"})
    assert str(info.value) == f"{missing}: no such file"


@pytest.mark.parametrize("name", ["off", "bell", "message-new-instant", "alarm-clock-elapsed"])
def test_notify_sound_is_off_or_a_sound_theme_name(tmp_path: Path, name: str) -> None:
    path = write(tmp_path, f'[notify]\nsound = "{name}"\n')
    assert load_config(str(path)).notify.sound == name


def test_notify_sound_is_off_by_default() -> None:
    assert Config().notify.sound == "off"


def test_explicit_path_wins_over_user_file(tmp_path: Path) -> None:
    conf = tmp_path / ".config" / "breakd"
    conf.mkdir(parents=True)
    (conf / "config.toml").write_text("junk", encoding="utf-8")
    path = write(tmp_path, '[notify]\nsnooze = "10m"\n', "other.toml")
    assert load_config(str(path), env={"HOME": str(tmp_path)}).notify.snooze == 600


def test_files_under_home_are_named_with_a_tilde(tmp_path: Path) -> None:
    conf = tmp_path / ".config" / "breakd"
    conf.mkdir(parents=True)
    (conf / "config.toml").write_text('[sitting]\nevery = "5x"\n', encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_config(env={"HOME": str(tmp_path)})
    assert str(info.value) == (
        '~/.config/breakd/config.toml: sitting.every = "5x": not a duration; '
        'use e.g. "90s", "45m", "1h30m" or whole seconds from 1 to 86400'
    )


# --- merging -------------------------------------------------------------------------------


def test_two_line_file_merges_with_defaults(tmp_path: Path) -> None:
    path = write(tmp_path, '[sitting]\nevery = "45m"\n')
    config = load_config(path, env={})
    expected = dataclasses.replace(
        Config(), sitting=dataclasses.replace(Config().sitting, every=2700.0)
    )
    assert config == expected


def test_empty_file_is_defaults(tmp_path: Path) -> None:
    assert load_config(write(tmp_path, ""), env={}) == Config()


def test_every_value_type_is_read(tmp_path: Path) -> None:
    text = """
        [activity]
        active_gap = 10
        [sitting]
        enabled = false
        max_repeats = 10
        [daily]
        day_starts = "5:30"
        [notify]
        quiet_hours = ["22:00-07:00", "12:30-13:30"]
        [repetition]
        max_actions = 1
    """
    config = load_config(write(tmp_path, text), env={})
    assert config.activity.active_gap == 10.0
    assert config.sitting.enabled is False
    assert config.sitting.max_repeats == 10
    assert config.daily.day_starts == dt.time(5, 30)
    assert config.notify.quiet_hours == (
        TimeRange(dt.time(22), dt.time(7)),
        TimeRange(dt.time(12, 30), dt.time(13, 30)),
    )
    assert config.repetition.max_actions == 1


def test_toml_local_time_is_accepted_for_day_starts(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, "[daily]\nday_starts = 05:00:00\n"), env={})
    assert config.daily.day_starts == dt.time(5)


@pytest.mark.parametrize(("text", "expected"), [('"end"', None), ('"16:45"', dt.time(16, 45))])
def test_checkin_at_is_end_or_a_time_of_day(tmp_path: Path, text: str, expected) -> None:
    config = load_config(write(tmp_path, f"[checkin]\nat = {text}\n"), env={})
    assert config.checkin.at == expected
    assert Config().checkin.at is None and Config().checkin.enabled  # "end", on by default


def test_checkin_at_says_what_is_allowed(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as err:
        load_config(write(tmp_path, '[checkin]\nat = "later"\n'), env={})
    assert 'checkin.at = "later": not "end" or a time of day; use "end" or "HH:MM"' in str(
        err.value
    )


def test_dotted_keys_at_top_level_work(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, 'sitting.every = "1h"\n'), env={})
    assert config.sitting.every == 3600


def test_byte_order_mark_is_tolerated(tmp_path: Path) -> None:
    path = write(tmp_path, b'\xef\xbb\xbf[sitting]\nevery = "45m"\n')
    assert load_config(path, env={}).sitting.every == 2700


# --- bad values: each names file, key, value and what is allowed ---------------------------


@pytest.mark.parametrize(
    ("text", "key", "value", "allowed"),
    [
        ('[sitting]\nevery = "5x"', "sitting.every", '"5x"', '"90s", "45m", "1h30m"'),
        ("[sitting]\nevery = 0", "sitting.every", "0", "from 1s to 24h"),
        ('[sitting]\nevery = "25h"', "sitting.every", '"25h"', "from 1s to 24h"),
        ("[sitting]\nevery = 1.5", "sitting.every", "1.5", "whole seconds from 1 to 86400"),
        ("[sitting]\nevery = true", "sitting.every", "true", "whole seconds"),
        ('[sitting]\nenabled = "yes"', "sitting.enabled", '"yes"', "use true or false"),
        ("[sitting]\nenabled = 1", "sitting.enabled", "1", "use true or false"),
        ("[sitting]\nmax_repeats = 11", "sitting.max_repeats", "11", "from 0 to 10"),
        ("[sitting]\nmax_repeats = -1", "sitting.max_repeats", "-1", "from 0 to 10"),
        ('[water]\nmax_repeats = "2"', "water.max_repeats", '"2"', "whole number from 0 to 10"),
        ("[water]\nmax_repeats = true", "water.max_repeats", "true", "whole number from 0 to 10"),
        ("[repetition]\nmax_actions = 0", "repetition.max_actions", "0", "from 1 to 1000000"),
        ("[repetition]\nwindow = 0", "repetition.window", "0", "from 1s to 24h"),
        ('[daily]\nday_starts = "25:00"', "daily.day_starts", '"25:00"', '"HH:MM" from "00:00"'),
        ("[daily]\nday_starts = 4", "daily.day_starts", "4", '"HH:MM"'),
        ('[daily]\nlimit = "6 hours"', "daily.limit", '"6 hours"', '"1h30m"'),
        (
            '[notify]\nquiet_hours = "22:00-07:00"',
            "notify.quiet_hours",
            '"22:00-07:00"',
            'use a list of "HH:MM-HH:MM" ranges, e.g. ["22:00-07:00"]',
        ),
        (
            '[notify]\nquiet_hours = ["22:00-07:00", "08:00-08:00"]',
            "notify.quiet_hours",
            '["22:00-07:00", "08:00-08:00"]',
            'item 2 ("08:00-08:00"): start and end are the same',
        ),
        (
            '[notify]\nquiet_hours = ["22:00"]',
            "notify.quiet_hours",
            '["22:00"]',
            'item 1 ("22:00"): not a time range; use "HH:MM-HH:MM"',
        ),
        (
            '[notify]\nquiet_hours = ["24:00-07:00"]',
            "notify.quiet_hours",
            '["24:00-07:00"]',
            "not a time range",
        ),
        ('[notify]\nsound = "Bell"', "notify.sound", '"Bell"', 'use "off" or a name'),
        ('[notify]\nsound = "/tmp/ding.oga"', "notify.sound", '"/tmp/ding.oga"', "sound-theme"),
        ("[notify]\nsound = false", "notify.sound", "false", 'e.g. "message-new-instant"'),
        ('[notify]\nsound = ""', "notify.sound", '""', 'not "off" or a sound-theme name'),
    ],
)
def test_bad_value_names_file_key_value_and_what_is_allowed(
    tmp_path: Path, text: str, key: str, value: str, allowed: str
) -> None:
    problem = only_problem(tmp_path, text + "\n")
    assert problem.file == str(tmp_path / "config.toml")
    assert problem.key == key
    assert problem.value == value
    assert allowed in problem.message
    assert str(problem) == f"{problem.file}: {key} = {value}: {problem.message}"


def test_section_that_is_not_a_table(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, "sitting = 5\n")
    assert (problem.key, problem.value) == ("sitting", "5")
    assert "write [sitting] on a line of its own" in problem.message


def test_key_outside_any_section(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, 'min_gap = "5m"\n')
    assert problem.key == "min_gap"
    assert "put it below a header such as [notify]" in problem.message


def test_long_values_are_shortened_in_messages(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, f'[sitting]\nevery = "{"x" * 500}"\n')
    assert len(problem.value) <= 80
    assert problem.value.endswith("...")


# --- unknown names -------------------------------------------------------------------------


def test_unknown_key_suggests_the_close_one(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, '[sitting]\nevry = "30m"\n')
    assert (problem.key, problem.value) == ("sitting.evry", '"30m"')
    assert "unknown key in [sitting] (did you mean every?)" in problem.message
    assert "the keys in [sitting] are enabled, every, duration, repeat, max_repeats" in (
        problem.message
    )


def test_unknown_key_that_belongs_in_another_section(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, '[sitting]\nsnooze = "5m"\n')
    assert "snooze belongs in [notify]" in problem.message


def test_unknown_section_suggests_the_close_one(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, '[siting]\nevery = "30m"\n')
    assert problem.key == "siting"
    assert problem.value == '{ every = "30m" }'
    assert "unknown section (did you mean [sitting]?)" in problem.message
    assert "[activity], [sitting], [repetition]" in problem.message


def test_unknown_name_with_nothing_close(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, "[sitting]\nzzzzzz = 1\n")
    assert "did you mean" not in problem.message


# --- [content] exclude ---------------------------------------------------------------------


def test_exclude_reads_catalog_keys_once_each(tmp_path: Path) -> None:
    text = '[content]\nexclude = ["march", "chin-tuck", "march"]\n'
    config = load_config(write(tmp_path, text), env={})
    assert config.content.exclude == ("march", "chin-tuck")
    assert Config().content.exclude == ()


def test_exclude_with_an_unknown_key_lists_the_valid_ones(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, '[content]\nexclude = ["walk", "marhc", 3]\n')
    assert (problem.key, problem.value) == ("content.exclude", '["walk", "marhc", 3]')
    assert 'item 2 ("marhc"): not a known key (did you mean "march"?)' in problem.message
    assert "item 3 (3): not text; write each key in double quotes" in problem.message
    assert "the keys are " + ", ".join(content.KEYS) in problem.message
    assert "breakd movements" in problem.message
    assert "item 1" not in problem.message


def test_exclude_must_be_a_list(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, '[content]\nexclude = "march"\n')
    assert problem.message.startswith("not a list; use a list of keys")


def test_excluding_every_suggestion_of_a_kind_is_allowed(tmp_path: Path) -> None:
    water = [s.key for s in content.suggestions_for(Kind.WATER)]
    text = "[content]\nexclude = [" + ", ".join(f'"{k}"' for k in water) + "]\n"
    config = load_config(write(tmp_path, text), env={})
    assert content.fully_excluded(config.content.exclude) == (Kind.WATER,)
    assert content.offered(Kind.WATER, config.content.exclude) == content.suggestions_for(
        Kind.WATER
    )


# --- inconsistent values -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "key", "message"),
    [
        (
            '[activity]\nidle_after = "10m"',
            "activity.idle_after",
            'must be shorter than activity.natural_break ("5m", the default)',
        ),
        (
            '[activity]\nidle_after = "10m"\nnatural_break = "8m"',
            "activity.idle_after",
            'must be shorter than activity.natural_break ("8m")',
        ),
        (
            '[activity]\nactive_gap = "2m"',
            "activity.active_gap",
            'must be shorter than activity.idle_after ("2m", the default)',
        ),
        (
            '[repetition]\npause = "20m"',
            "repetition.pause",
            'must be shorter than repetition.every ("20m", the default)',
        ),
        (
            '[repetition]\nevery = "20s"\npause = "30s"',
            "repetition.pause",
            'must be shorter than repetition.every ("20s")',
        ),
    ],
)
def test_inconsistent_values(tmp_path: Path, text: str, key: str, message: str) -> None:
    problem = only_problem(tmp_path, text + "\n")
    assert problem.key == key
    assert message in problem.message


def test_a_default_in_the_way_names_the_key_to_add_and_a_value(tmp_path: Path) -> None:
    # A default that would have to grow is not stretched silently: what a natural break is
    # stays the user's decision.
    problem = only_problem(tmp_path, '[activity]\nidle_after = "10m"\n')
    assert problem.message.endswith('; add natural_break = "25m" to [activity]')


@pytest.mark.parametrize(
    ("text", "followed", "value"),
    [
        ('[activity]\nidle_after = "10s"', "active_gap", 1.0),  # 15s of 2m, scaled to 10s
        ('[activity]\nnatural_break = "1m"', "idle_after", 24.0),  # 2m of 5m, scaled to 1m
        ('[repetition]\nevery = "20s"', "pause", 1.0),
    ],
)
def test_a_default_that_must_stay_shorter_follows_the_key_set(
    tmp_path: Path, text: str, followed: str, value: float
) -> None:
    loaded = load(write(tmp_path, text + "\n"), env={})
    section = text.split("]")[0].strip("[")
    assert getattr(getattr(loaded.config, section), followed) == value
    [note] = loaded.notes
    assert note.key == f"{section}.{followed}" and "not in the file, so it follows" in note.message
    assert loaded.warnings == ()


def test_a_one_key_file_never_fails_on_keys_it_does_not_mention(tmp_path: Path) -> None:
    # idle_after = "10s" alone: active_gap follows; grace_pause (3s) is already shorter.
    config = load_config(write(tmp_path, '[activity]\nidle_after = "10s"\n'), env={})
    assert config.activity.active_gap < config.activity.idle_after == 10.0
    assert config.notify.grace_pause == 3.0 and config.activity.natural_break == 300.0
    # Followed defaults chain: natural_break = "30s" moves idle_after, which moves the rest.
    config = load_config(write(tmp_path, '[activity]\nnatural_break = "30s"\n'), env={})
    assert config.activity.idle_after == 12.0
    assert config.activity.active_gap == 1.0 and config.notify.grace_pause == 3.0


def test_a_key_set_in_the_file_never_follows(tmp_path: Path) -> None:
    text = '[activity]\nidle_after = "10s"\nactive_gap = "15s"\n'
    problem = only_problem(tmp_path, text)
    assert problem.key == "activity.active_gap"


@pytest.mark.parametrize(
    ("text", "key"),
    [
        ("[sitting]\nevery = 45", "sitting.every"),
        ("[water]\nrepeat = 15", "water.repeat"),
        ("[notify]\nsnooze = 10", "notify.snooze"),
        ("[daily]\nlimit = 6", "daily.limit"),
    ],
)
def test_a_bare_number_under_a_minute_for_a_minutes_key_is_a_warning(
    tmp_path: Path, text: str, key: str
) -> None:
    loaded = load(write(tmp_path, text + "\n"), env={})
    [warning] = loaded.warnings
    number = text.rsplit(" ", 1)[1]
    assert warning.key == key
    assert warning.message == f'{number} is {number} seconds; write "{number}m" for minutes'


@pytest.mark.parametrize(
    "text",
    [
        "[sitting]\nevery = 60",  # a minute, written in seconds: deliberate
        '[sitting]\nevery = "45s"',  # a unit says what is meant
        "[notify]\ngrace_pause = 5",  # a key counted in seconds
        "[repetition]\npause = 20",
        "[sitting]\nmax_repeats = 3",  # not a duration
    ],
)
def test_no_warning_where_seconds_are_meant(tmp_path: Path, text: str) -> None:
    assert load(write(tmp_path, text + "\n"), env={}).warnings == ()


def test_check_config_prints_warnings_and_followed_defaults_as_comments(tmp_path: Path) -> None:
    path = write(tmp_path, '[activity]\nidle_after = "10s"\n[sitting]\nevery = 45\n')
    out, err = io.StringIO(), io.StringIO()
    assert check_config_command(str(path), out=out, err=err, env={}) == exitcodes.OK
    text = out.getvalue()
    assert f'# warning: {path}: sitting.every = 45: 45 is 45 seconds; write "45m"' in text
    assert f'# note: {path}: activity.active_gap = "1s": not in the file, so it follows' in text
    # Still a config file that means the same thing.
    assert load_config(write(tmp_path, text, "again.toml"), env={}) == load(path, env={}).config


def test_loaded_says_where_the_config_came_from(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path)}
    defaults = load(None, env=env)
    assert defaults.source is None and defaults.config == Config()
    assert defaults.describe_source(env) == (
        "no config file at ~/.config/breakd/config.toml; using the defaults"
    )
    path = write(tmp_path, "")
    assert load(path, env=env).describe_source(env) == "read ~/config.toml"


def test_a_bad_value_is_not_also_reported_as_inconsistent(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, '[activity]\nidle_after = "soon"\n')
    assert problem.key == "activity.idle_after"
    assert "not a duration" in problem.message


# --- all problems at once ------------------------------------------------------------------


def test_all_problems_are_reported_together(tmp_path: Path) -> None:
    text = """
        [siting]
        every = "30m"

        [sitting]
        every = "5x"
        evry = "30m"
        enabled = "yes"

        [repetition]
        pause = "30m"

        [notify]
        quiet_hours = ["22:00-22:00"]
    """
    problems = problems_for(tmp_path, text)
    assert [p.key for p in problems] == [
        "siting",
        "sitting.every",
        "sitting.evry",
        "sitting.enabled",
        "notify.quiet_hours",
        "repetition.pause",
    ]
    report = str(ConfigError(problems))
    assert report.count("\n") == len(problems) - 1
    assert all(line.startswith(str(tmp_path / "config.toml") + ": ") for line in report.split("\n"))


# --- unreadable files ----------------------------------------------------------------------


def test_toml_syntax_error_names_file_line_and_column(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, "[sitting]\nenabled = true\nevery = 30m\n")
    assert problem.file == str(tmp_path / "config.toml")
    assert problem.message.startswith("line 3, column ")
    assert "not valid TOML" in problem.message
    assert "in: every = 30m" in problem.message
    assert 'text needs double quotes: every = "30m"' in problem.message


def test_toml_syntax_error_yes_suggests_true(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, "[sitting]\nenabled = yes\n")
    assert "line 2, column" in problem.message
    assert "use true or false" in problem.message


def test_toml_syntax_error_at_end_of_file(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, "[sitting]\nevery =")
    assert problem.message.startswith("at the end of the file: not valid TOML")


def test_duplicate_key_is_a_syntax_error(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, '[sitting]\nevery = "1m"\nevery = "2m"\n')
    assert problem.message.startswith("line 3, column")


def test_non_utf8_file(tmp_path: Path) -> None:
    problem = only_problem(tmp_path, b'[sitting]\n# caf\xe9\nevery = "30m"\n')
    assert problem.message == "line 2: not UTF-8 text (byte 0xe9); save the file as UTF-8"


def test_directory_instead_of_file(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="is a directory"):
        load_config(tmp_path, env={})


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read anything")
def test_unreadable_file(tmp_path: Path) -> None:
    path = write(tmp_path, "")
    path.chmod(0)
    with pytest.raises(ConfigError, match="cannot read the file: Permission denied"):
        load_config(path, env={})


# --- writing the effective config ----------------------------------------------------------


def test_config_to_toml_round_trips_the_defaults(tmp_path: Path) -> None:
    text = config_to_toml(Config())
    assert load_config(write(tmp_path, text), env={}) == Config()


def test_config_to_toml_writes_every_key() -> None:
    data = tomllib.loads(config_to_toml(Config()))
    assert {s: set(v) for s, v in data.items()} == {
        name: set(section.keys) for name, section in SCHEMA.items()
    }


_durations = st.integers(1, 86400).map(float)
_clock = st.builds(dt.time, st.integers(0, 23), st.integers(0, 59))
_ranges = st.tuples(_clock, _clock).filter(lambda p: p[0] != p[1]).map(lambda p: TimeRange(*p))


@st.composite
def configs(draw: st.DrawFn) -> Config:
    """Any valid config: values in range, consistency rules respected."""
    idle_after = draw(st.integers(3, 86399))
    every = draw(st.integers(2, 86400))
    return Config(
        activity=dataclasses.replace(
            Config().activity,
            active_gap=float(draw(st.integers(1, idle_after - 1))),
            idle_after=float(idle_after),
            natural_break=float(draw(st.integers(idle_after + 1, 86400))),
        ),
        sitting=dataclasses.replace(
            Config().sitting,
            enabled=draw(st.booleans()),
            every=draw(_durations),
            max_repeats=draw(st.integers(0, 10)),
        ),
        repetition=dataclasses.replace(
            Config().repetition,
            every=float(every),
            pause=float(draw(st.integers(1, every - 1))),
            max_actions=draw(st.integers(1, 1_000_000)),
        ),
        daily=dataclasses.replace(Config().daily, day_starts=draw(_clock)),
        notify=dataclasses.replace(
            Config().notify,
            min_gap=draw(_durations),
            quiet_hours=tuple(draw(st.lists(_ranges, max_size=3))),
            grace_pause=float(draw(st.integers(1, idle_after - 1))),
        ),
        schedule=dataclasses.replace(
            Config().schedule, mon=tuple(draw(st.lists(_ranges, max_size=2)))
        ),
        content=ContentConfig(
            exclude=tuple(draw(st.lists(st.sampled_from(content.KEYS), unique=True, max_size=5)))
        ),
    )


@settings(max_examples=50)
@given(configs())
def test_config_to_toml_round_trips_any_valid_config(config: Config) -> None:
    from breakd.config.load import config_from_mapping

    assert config_from_mapping(tomllib.loads(config_to_toml(config)), "x") == config


# --- check-config (in process) -------------------------------------------------------------


def test_check_config_command_defaults_only(tmp_path: Path) -> None:
    out, err = io.StringIO(), io.StringIO()
    code = check_config_command(None, out=out, err=err, env={"HOME": str(tmp_path)})
    assert code == exitcodes.OK
    assert err.getvalue() == ""
    assert "no file at ~/.config/breakd/config.toml; defaults only" in out.getvalue()
    # The output is itself a valid config file that means the same thing.
    assert load_config(write(tmp_path, out.getvalue()), env={}) == Config()


def test_check_config_command_names_the_file_read(tmp_path: Path) -> None:
    path = write(tmp_path, '[sitting]\nevery = "45m"\n')
    out, err = io.StringIO(), io.StringIO()
    code = check_config_command(str(path), out=out, err=err, env={"HOME": "/nowhere"})
    assert code == exitcodes.OK
    assert f"read {path}" in out.getvalue()
    assert 'every = "45m"' in out.getvalue()


def test_check_config_command_reports_problems(tmp_path: Path) -> None:
    path = write(tmp_path, '[sitting]\nevery = "5x"\nevry = 1\n')
    out, err = io.StringIO(), io.StringIO()
    code = check_config_command(str(path), out=out, err=err, env={"HOME": "/nowhere"})
    assert code == exitcodes.CONFIG == 78
    assert out.getvalue() == ""
    lines = err.getvalue().splitlines()
    assert lines[0] == "breakd: 2 problems in the config:"
    assert lines[1].startswith(f'{path}: sitting.every = "5x": not a duration')
    assert lines[2].startswith(f"{path}: sitting.evry = 1: unknown key")


def test_a_suggestion_that_would_break_another_rule_is_not_made(tmp_path: Path) -> None:
    # idle_after = "2h" (3m in the defaults' proportion) would be longer than a natural
    # break: "3m" was most likely meant as the default's seconds.
    problem = only_problem(tmp_path, '[notify]\ngrace_pause = "3m"\n')
    assert problem.key == "notify.grace_pause"
    assert problem.message.endswith('; remove it to use the default ("3s")')
    assert "2h" not in problem.message
