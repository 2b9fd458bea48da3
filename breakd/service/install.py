"""``breakd install`` and ``breakd uninstall``: make breakd start with the desktop session.

What it owns: the user unit ``$XDG_CONFIG_HOME/systemd/user/breakd.service``, the fallback
``$XDG_CONFIG_HOME/autostart/breakd.desktop``, and the first copy of the user's config file
(written only when there is none; never overwritten, never removed).

Theory of operation: look at the machine (is there a systemd user manager, what does its
environment lack, what already exists), build a plan as a list of steps (values), then
print it, and unless ``--dry-run`` carry it out step by step. Dry run and real run print the
same plan because they are the same plan. Looking is read-only: ``systemctl --user
show-environment`` changes nothing, so a dry run may do it too.
"""

from __future__ import annotations

import importlib.resources
import os
import shlex
import shutil
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from breakd import exitcodes

UNIT_NAME = "breakd.service"
DESKTOP_NAME = "breakd.desktop"
# What a graphical daemon needs from the session; GNOME and KDE import these into the user
# manager themselves, minimal window managers usually do not.
SESSION_VARIABLES = ("DISPLAY", "XAUTHORITY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS")
_SYSTEMCTL_TIMEOUT = 30.0


# --- steps: what an install or uninstall does, as values ----------------------------------


@dataclass(frozen=True)
class WriteFile:
    path: Path
    text: str
    what: str

    def describe(self, env: Mapping[str, str]) -> str:
        return f"write {self.what} {_show(self.path, env)}"


@dataclass(frozen=True)
class RemoveFile:
    path: Path
    what: str

    def describe(self, env: Mapping[str, str]) -> str:
        return f"remove {self.what} {_show(self.path, env)}"


@dataclass(frozen=True)
class Run:
    argv: tuple[str, ...]
    may_fail: bool = False  # e.g. disabling a unit that was never enabled

    def describe(self, env: Mapping[str, str]) -> str:
        return f"run `{shlex.join(self.argv)}`"


@dataclass(frozen=True)
class Note:
    """Something the user should know; not an action."""

    text: str

    def describe(self, env: Mapping[str, str]) -> str:
        return self.text


Step = WriteFile | RemoveFile | Run | Note


@dataclass(frozen=True)
class Machine:
    """What install and uninstall need to know about this user's session."""

    env: Mapping[str, str]
    has_user_manager: bool
    why_not: str  # why there is no usable systemd user manager ("" if there is one)
    manager_env: frozenset[str]  # variable names the user manager already has


# --- looking at the machine ---------------------------------------------------------------


def inspect_machine(env: Mapping[str, str]) -> Machine:
    if shutil.which("systemctl", path=env.get("PATH", os.defpath)) is None:
        return Machine(env, False, "systemctl is not installed", frozenset())
    try:
        proc = _systemctl(env, "show-environment")
    except (OSError, subprocess.SubprocessError) as exc:
        return Machine(env, False, f"`systemctl --user` could not run: {exc}", frozenset())
    if proc.returncode != 0:
        reason = proc.stderr.strip().splitlines()[-1:] or [f"exit status {proc.returncode}"]
        return Machine(env, False, f"`systemctl --user` failed: {reason[0]}", frozenset())
    names = frozenset(line.partition("=")[0] for line in proc.stdout.splitlines() if "=" in line)
    return Machine(env, True, "", names)


def _systemctl(env: Mapping[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["systemctl", "--user", *args],
        env=dict(env),
        capture_output=True,
        text=True,
        timeout=_SYSTEMCTL_TIMEOUT,
        check=False,
    )


def config_home(env: Mapping[str, str]) -> Path:
    xdg = env.get("XDG_CONFIG_HOME", "")
    if xdg and os.path.isabs(xdg):  # the XDG spec says to ignore relative values
        return Path(xdg)
    return Path(env.get("HOME") or Path.home()) / ".config"


def unit_path(env: Mapping[str, str]) -> Path:
    return config_home(env) / "systemd" / "user" / UNIT_NAME


def autostart_path(env: Mapping[str, str]) -> Path:
    return config_home(env) / "autostart" / DESKTOP_NAME


def config_path(env: Mapping[str, str]) -> Path:
    return config_home(env) / "breakd" / "config.toml"


def breakd_command(env: Mapping[str, str], argv0: str | None = None) -> list[str]:
    """The absolute command that starts this breakd, for a unit or desktop file.

    The program the user is running now comes first: with several installs (a venv, pipx,
    the distro) "this breakd" is the one they mean. Symlinks are kept, not resolved, so that
    a pipx upgrade behind ``~/.local/bin/breakd`` keeps working.
    """
    argv0 = sys.argv[0] if argv0 is None else argv0
    if os.path.basename(argv0) == "breakd" and _is_executable(argv0):
        return [os.path.abspath(argv0)]
    found = shutil.which("breakd", path=env.get("PATH", os.defpath))
    if found is not None:
        return [os.path.abspath(found)]
    return [sys.executable, "-m", "breakd"]


def _is_executable(path: str) -> bool:
    return os.path.isfile(path) and os.access(path, os.X_OK)


# --- rendering ----------------------------------------------------------------------------


def unit_template() -> str:
    """The shipped unit (``systemd/breakd.service``, packaged as ``data/breakd.service``)."""
    return (importlib.resources.files("breakd") / "data" / UNIT_NAME).read_text("utf-8")


def render_unit(command: Sequence[str], template: str | None = None) -> str:
    """The shipped unit with ExecStart pointing at ``command``."""
    template = unit_template() if template is None else template
    words = [*command, "run"]
    exec_start = " ".join(
        _systemd_quote(arg, expands_variables=i > 0) for i, arg in enumerate(words)
    )
    lines = []
    for line in template.splitlines():
        if line.startswith("ExecStart="):
            line = f"ExecStart={exec_start}"
        lines.append(line)
    header = "# Written by `breakd install`; `breakd uninstall` removes it.\n"
    return header + "\n".join(lines) + "\n"


def render_desktop_entry(command: Sequence[str]) -> str:
    exec_line = " ".join(_desktop_quote(arg) for arg in [*command, "run"])
    return (
        "[Desktop Entry]\n"
        "Type=Application\n"
        "Name=breakd\n"
        "Comment=Ergonomic break reminder\n"
        f"Exec={exec_line}\n"
        "Terminal=false\n"
        "NoDisplay=true\n"
        "X-GNOME-Autostart-enabled=true\n"
    )


def _systemd_quote(arg: str, *, expands_variables: bool) -> str:
    # systemd expands %specifiers everywhere in ExecStart and $VARIABLES in the arguments
    # (not in the program path, measured with systemd-analyze verify): double them.
    arg = arg.replace("%", "%%")
    if expands_variables:
        arg = arg.replace("$", "$$")
    if arg and not any(c.isspace() or c in "\"'\\;" for c in arg):
        return arg
    return '"' + arg.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _desktop_quote(arg: str) -> str:
    # Desktop Entry spec: reserved characters need double quotes, inside which " ` $ \ are
    # backslash-escaped; then the value as a whole escapes backslashes again, and % is %%.
    if arg and not any(c.isspace() or c in "\"'\\><~|&;$*?#()`" for c in arg):
        quoted = arg
    else:
        inner = "".join("\\" + c if c in '"`$\\' else c for c in arg)
        quoted = f'"{inner}"'
    return quoted.replace("\\", "\\\\").replace("%", "%%")


# --- plans --------------------------------------------------------------------------------


def plan_install(
    machine: Machine, command: Sequence[str], config_text: Callable[[], str]
) -> list[Step]:
    env = machine.env
    steps: list[Step] = []
    if machine.has_user_manager:
        steps.append(WriteFile(unit_path(env), render_unit(command), "the systemd user unit"))
        if os.path.lexists(autostart_path(env)):
            # Both would start a daemon; the second would only exit with "already running".
            steps.append(RemoveFile(autostart_path(env), "the old autostart entry"))
    else:
        steps.append(Note(f"no systemd user manager here: {machine.why_not}"))
        desktop = render_desktop_entry(command)
        steps.append(WriteFile(autostart_path(env), desktop, "an XDG autostart entry"))
    steps.extend(_config_steps(env, config_text))
    if machine.has_user_manager:
        steps.extend(_systemd_start_steps(machine))
    else:
        steps.append(
            Note(
                "breakd will start with your next desktop login; "
                "to start it now, run `breakd run &`"
            )
        )
    return steps


def _config_steps(env: Mapping[str, str], config_text: Callable[[], str]) -> list[Step]:
    path = config_path(env)
    # lexists: a dangling symlink (a dotfiles checkout) is the user's too; never write through.
    if os.path.lexists(path):
        return [Note(f"keep your existing config {_show(path, env)}")]
    return [WriteFile(path, config_text(), "the default config")]


def _systemd_start_steps(machine: Machine) -> list[Step]:
    steps: list[Step] = []
    missing = [
        name
        for name in SESSION_VARIABLES
        if machine.env.get(name) and name not in machine.manager_env
    ]
    if missing:
        steps.append(Run(("systemctl", "--user", "import-environment", *missing)))
    steps.append(Run(("systemctl", "--user", "daemon-reload")))
    steps.append(Run(("systemctl", "--user", "enable", "--now", UNIT_NAME)))
    return steps


def plan_uninstall(machine: Machine) -> list[Step]:
    env = machine.env
    steps: list[Step] = []
    if machine.has_user_manager:
        steps.append(Run(("systemctl", "--user", "disable", "--now", UNIT_NAME), may_fail=True))
    if os.path.lexists(unit_path(env)):
        steps.append(RemoveFile(unit_path(env), "the systemd user unit"))
    if machine.has_user_manager:
        steps.append(Run(("systemctl", "--user", "daemon-reload")))
    if os.path.lexists(autostart_path(env)):
        steps.append(RemoveFile(autostart_path(env), "the autostart entry"))
    config_dir = _show(config_path(env).parent, env)
    from breakd.store.sqlite import state_dir

    data_dir = _show(state_dir(env), env)
    steps.append(Note(f"keep your config ({config_dir}) and statistics ({data_dir})"))
    return steps


# --- carrying a plan out ------------------------------------------------------------------


class StepFailed(RuntimeError):
    pass


def apply_step(step: Step, env: Mapping[str, str]) -> str | None:
    """Do one step; returns a warning to show, if any. Raises StepFailed to stop the plan."""
    if isinstance(step, WriteFile):
        _write_atomically(step.path, step.text)
    elif isinstance(step, RemoveFile):
        step.path.unlink(missing_ok=True)
    elif isinstance(step, Run):
        return _run(step, env)
    return None


def _run(step: Run, env: Mapping[str, str]) -> str | None:
    try:
        proc = subprocess.run(
            list(step.argv),
            env=dict(env),
            capture_output=True,
            text=True,
            timeout=_SYSTEMCTL_TIMEOUT,
            check=False,
        )
    except (OSError, subprocess.SubprocessError) as exc:
        raise StepFailed(f"`{shlex.join(step.argv)}` could not run: {exc}") from exc
    if proc.returncode == 0:
        return None
    detail = proc.stderr.strip() or f"exit status {proc.returncode}"
    if step.may_fail:
        return detail
    raise StepFailed(f"`{shlex.join(step.argv)}` failed: {detail}")


def _write_atomically(path: Path, text: str) -> None:
    # A half-written unit or config after a crash would be worse than none.
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def carry_out(
    steps: Sequence[Step], *, dry_run: bool, env: Mapping[str, str], out: TextIO, err: TextIO
) -> int:
    for number, step in enumerate(steps, 1):
        print(f"{number}. {step.describe(env)}", file=out)
        if dry_run:
            continue
        try:
            warning = apply_step(step, env)
        except (StepFailed, OSError) as exc:
            print(f"breakd: step {number} failed: {exc}", file=err)
            return exitcodes.FAILURE
        if warning:
            print(f"   (ignored: {warning})", file=out)
    return exitcodes.OK


# --- the commands -------------------------------------------------------------------------


def install_command(
    dry_run: bool = False,
    *,
    env: Mapping[str, str] = os.environ,
    out: TextIO | None = None,
    err: TextIO | None = None,
    argv0: str | None = None,
    config_text: Callable[[], str] | None = None,
) -> int:
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    if config_text is None:
        from breakd.config.load import default_config_text

        config_text = default_config_text
    machine = inspect_machine(env)
    steps = plan_install(machine, breakd_command(env, argv0), config_text)
    print(_header("install", dry_run, machine), file=out)
    status = carry_out(steps, dry_run=dry_run, env=env, out=out, err=err)
    if status == exitcodes.OK and not dry_run:
        print("breakd is installed.", file=out)
    return status


def uninstall_command(
    dry_run: bool = False,
    *,
    env: Mapping[str, str] = os.environ,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    machine = inspect_machine(env)
    steps = plan_uninstall(machine)
    print(_header("uninstall", dry_run, machine), file=out)
    status = carry_out(steps, dry_run=dry_run, env=env, out=out, err=err)
    if status == exitcodes.OK and not dry_run:
        print("breakd will no longer start with your session.", file=out)
    return status


def _header(what: str, dry_run: bool, machine: Machine) -> str:
    via = "a systemd user service" if machine.has_user_manager else "XDG autostart"
    if dry_run:
        return f"breakd {what} (dry run: nothing will be changed), using {via}:"
    return f"breakd {what}, using {via}:"


def _show(path: Path, env: Mapping[str, str]) -> str:
    home = env.get("HOME")
    if home:
        try:
            return "~/" + str(path.relative_to(home))
        except ValueError:
            pass
    return str(path)
