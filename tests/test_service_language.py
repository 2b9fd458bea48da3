"""`breakd install` and `uninstall` report in the user's language; paths, commands and what
systemctl says are quoted as they are."""

from __future__ import annotations

import io
import os
import shutil

import pytest

from breakd import exitcodes, i18n
from breakd.service import install as installer
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


def test_a_failed_step_says_why_in_german_and_japanese(monkeypatch: pytest.MonkeyPatch) -> None:
    """The sentence is translated; the command and what the system said stay as they are."""
    env = {"PATH": os.environ.get("PATH", "/usr/bin:/bin")}

    def failed(step: installer.Step, language: str) -> tuple[str, str]:
        out, err = io.StringIO(), io.StringIO()
        tr = i18n.translator(language, {})
        code = installer.carry_out([step], dry_run=False, env=env, out=out, err=err, tr=tr)
        assert code == (exitcodes.OK if err.getvalue() == "" else exitcodes.FAILURE)
        return out.getvalue().splitlines()[-1], err.getvalue()

    false = shutil.which("false") or "false"
    assert failed(installer.Run((false,)), "de")[1] == (
        f"breakd: Schritt 1 fehlgeschlagen: `{false}` ist fehlgeschlagen: Exit-Status 1\n"
    )
    ignored = failed(installer.Run((false,), may_fail=True), "ja")[0]
    assert ignored == "   (無視しました: 終了ステータス 1)"
    missing = "/nonexistent/breakd-test"
    assert failed(installer.Run((missing,)), "ja")[1].startswith(
        f"breakd: 手順 1 が失敗しました: `{missing}` を実行できませんでした: [Errno 2] "
    )

    def refused(pid: int, sig: int) -> None:
        raise PermissionError(1, "Operation not permitted")

    monkeypatch.setattr(installer, "running_daemon", lambda env: 4242)
    monkeypatch.setattr(installer.os, "kill", refused)
    assert failed(installer.StopDaemon(4242), "de")[1] == (
        "breakd: Schritt 1 fehlgeschlagen: kann breakd (PID 4242) nicht beenden: "
        "[Errno 1] Operation not permitted\n"
    )
    monkeypatch.setattr(installer.os, "kill", lambda pid, sig: None)
    monkeypatch.setattr(installer, "_process_gone", lambda pid: False)
    monkeypatch.setattr(installer, "STOP_TIMEOUT", 0.0)
    assert failed(installer.StopDaemon(4242), "ja")[1] == (
        "breakd: 手順 1 が失敗しました: 0秒待っても breakd (pid 4242) が止まりませんでした\n"
    )
