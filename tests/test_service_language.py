"""`breakd install` and `uninstall` report in the user's language; paths, commands and what
systemctl says are quoted as they are."""

from __future__ import annotations

from tests.test_service import Home, home, install, uninstall  # noqa: F401


def test_install_in_german(home: Home) -> None:  # noqa: F811
    code, output = install(home, LANGUAGE="de")
    assert code == 0
    lines = output.splitlines()
    assert lines[0] == "breakd install, über XDG-Autostart:"
    assert lines[1].startswith("1. kein systemd-Benutzerdienst hier: ")
    assert lines[2] == "2. einen XDG-Autostart-Eintrag ~/.config/autostart/breakd.desktop schreiben"
    assert lines[3] == "3. die Standardkonfiguration ~/.config/breakd/config.toml schreiben"
    assert lines[-1] == "breakd ist installiert."


def test_install_dry_run_and_uninstall_in_japanese(home: Home) -> None:  # noqa: F811
    home.fake_systemctl()
    code, output = install(home, dry_run=True, LANGUAGE="ja")
    assert code == 0
    lines = output.splitlines()
    assert (
        lines[0] == "breakd install (試行: 何も変更しません)、systemd ユーザーサービスを使います:"
    )
    assert (
        lines[1] == "1. systemd ユーザーユニット ~/.config/systemd/user/breakd.service を書き込む"
    )
    assert "`systemctl --user daemon-reload` を実行" in output
    assert home.files() == []
    install(home)
    code, output = uninstall(home, LANGUAGE="ja")
    assert code == 0
    assert output.splitlines()[0] == "breakd uninstall、systemd ユーザーサービスを使います:"
    assert "systemd ユーザーユニット ~/.config/systemd/user/breakd.service を削除" in output
    assert output.splitlines()[-1] == "breakd は今後セッションと一緒に起動しません。"
