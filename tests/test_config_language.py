"""Config errors and bad durations said to a person in their language: the sentence is
translated, the file, the key and the value stay as written; the daemon's log (str) stays
English; the exit codes do not change."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from breakd import exitcodes, i18n
from breakd.cli import main
from breakd.config.check import check_config_command
from breakd.config.load import ConfigError, load
from breakd.control.commands import Options, control_command


def check(path: Path, language: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    env = {"HOME": str(path.parent), "LANGUAGE": language}
    code = check_config_command(str(path), out=out, err=err, env=env)
    return code, out.getvalue(), err.getvalue()


def test_a_config_error_in_french_names_the_file_key_and_value_verbatim(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[sitting]\nevery = "45 minutes"\nevry = "1h"\n')
    code, out, err = check(config, "fr")
    assert code == exitcodes.CONFIG == 78 and out == ""
    nbsp = "\u00a0"
    assert err.splitlines() == [
        f"breakd{nbsp}: 2 problèmes dans la configuration{nbsp}:",
        f'~/config.toml{nbsp}: sitting.every = "45 minutes"{nbsp}: pas une durée{nbsp}; '
        'utilisez par ex. "90s", "45m", "1h30m" ou des secondes entières de 1 à 86400',
        f'~/config.toml{nbsp}: sitting.evry = "1h"{nbsp}: clé inconnue dans [sitting] '
        f"(vouliez-vous dire every{nbsp}?){nbsp}; les clés de [sitting] sont "
        "enabled, every, duration, repeat, max_repeats",
    ]


def test_the_same_error_stays_english_for_the_log(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[sitting]\nevery = "45 minutes"\n')
    with pytest.raises(ConfigError) as info:
        load(config, env={"HOME": str(tmp_path), "LANGUAGE": "fr"})
    assert str(info.value) == (
        '~/config.toml: sitting.every = "45 minutes": not a duration; '
        'use e.g. "90s", "45m", "1h30m" or whole seconds from 1 to 86400'
    )


def test_check_config_in_german_and_japanese(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[activity]\nidle_after = 45\n[sitting]\nevery = 45\n")
    code, out, _ = check(config, "de")
    assert code == exitcodes.OK
    assert out.startswith("# breakd check-config: ~/config.toml gelesen\n")
    assert '# Warnung: ~/config.toml: sitting.every = 45: 45 sind 45 Sekunden; schreib "45m"' in out
    assert "# wirksame Konfiguration (die Werte der Datei über den Standardwerten):" in out
    assert '[sitting]\nenabled = true\nevery = "45s"' in out  # the TOML stays TOML
    config.write_text("[notify]\nsnooze = true\n")
    code, _, err = check(config, "ja")
    assert code == exitcodes.CONFIG
    assert err.splitlines()[1].startswith(
        "~/config.toml: notify.snooze = true: 時間の長さではありません。"
    )


def test_check_config_speaks_the_config_files_language(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text('[notify]\nlanguage = "ja"\n[sitting]\nevery = "1h"\n')
    _, out, _ = check(config, "de")
    assert out.startswith("# breakd check-config: ~/config.toml を読みました\n")


@pytest.mark.parametrize(
    ("language", "argv", "said"),
    [
        (
            "de",
            ["pause", "-5m"],
            "breakd pause: '-5m': eine Dauer kann nicht negativ sein; nutze z. B.",
        ),
        ("ja", ["snooze", "-90s"], "breakd snooze: '-90s': 時間の長さを負にはできません。"),
    ],
)
def test_a_negative_duration_in_german_and_japanese(
    language: str,
    argv: list[str],
    said: str,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setenv("LANGUAGE", language)
    assert main(argv) == exitcodes.USAGE
    assert capsys.readouterr().err.startswith(said)


def test_a_bad_duration_for_a_running_command_in_german_and_japanese(tmp_path: Path) -> None:
    env = {"XDG_RUNTIME_DIR": str(tmp_path), "XDG_CONFIG_HOME": str(tmp_path), "LANGUAGE": "de"}
    err = io.StringIO()
    code = control_command("pause", Options(duration="5x"), env=env, out=io.StringIO(), err=err)
    assert code == exitcodes.USAGE
    assert err.getvalue() == (
        'breakd pause: \'5x\': keine Dauer; nutze z. B. "90s", "10m", "1h30m", von 1s bis 24h; '
        'oder "until-tomorrow", um bis morgen zu pausieren\n'
    )
    err = io.StringIO()
    env["LANGUAGE"] = "ja"
    control_command("snooze", Options(duration="90"), env=env, out=io.StringIO(), err=err)
    assert err.getvalue() == (
        "breakd snooze: '90': 数字には単位が必要です: "
        '秒なら "90s"、分なら "90m" と書いてください\n'
    )
    assert i18n.translator("ja", {}).pgettext("between clauses", "; ") == "。"
