"""``breakd install`` and ``breakd uninstall``: make breakd start with the desktop session.

What it owns: the user unit ``$XDG_CONFIG_HOME/systemd/user/breakd.service``, the fallback
``$XDG_CONFIG_HOME/autostart/breakd.desktop``, and the first copy of the user's config file
(written only when there is none; never overwritten, removed only by ``uninstall --purge``).
``uninstall`` also removes what ``scripts/install.sh`` put there: the virtualenv
``$XDG_DATA_HOME/breakd/venv`` and the ``~/.local/bin/breakd`` link into it.

Install is also the upgrade: a breakd that is already running is stopped and started again,
so that it runs the code just installed. Uninstall stops it and says so.

Theory of operation: look at the machine (is there a systemd user manager, what does its
environment lack, what already exists), build a plan as a list of steps (values), then
print it, and unless ``--dry-run`` carry it out step by step. Dry run and real run print the
same plan because they are the same plan. Looking is read-only: ``systemctl --user
show-environment`` changes nothing, so a dry run may do it too.
"""

from __future__ import annotations

import dataclasses
import importlib.resources
import os
import shlex
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

from breakd import exitcodes
from breakd.core.words import ENGLISH, N_, Phrase, Translator, phrase, phrases, verbatim

UNIT_NAME = "breakd.service"
DESKTOP_NAME = "breakd.desktop"
# What a graphical daemon needs from the session; GNOME and KDE import these into the user
# manager themselves, minimal window managers usually do not.
SESSION_VARIABLES = ("DISPLAY", "XAUTHORITY", "WAYLAND_DISPLAY", "DBUS_SESSION_BUS_ADDRESS")
_SYSTEMCTL_TIMEOUT = 30.0


# --- steps: what an install or uninstall does, as values ----------------------------------


# Each step says what it does as one whole sentence (``what``: English, marked N_, with the
# step's ``{path}``), translated when it is shown (``describe``).


@dataclass(frozen=True)
class WriteFile:
    path: Path
    text: str
    what: str  # "write the systemd user unit {path}"

    def describe(self, env: Mapping[str, str], tr: Translator = ENGLISH) -> str:
        return tr.gettext(self.what).format(path=_show(self.path, env))


@dataclass(frozen=True)
class RemoveFile:
    path: Path
    what: str  # "remove the autostart entry {path}"

    def describe(self, env: Mapping[str, str], tr: Translator = ENGLISH) -> str:
        return tr.gettext(self.what).format(path=_show(self.path, env))


@dataclass(frozen=True)
class Run:
    argv: tuple[str, ...]
    may_fail: bool = False  # e.g. disabling a unit that was never enabled

    def describe(self, env: Mapping[str, str], tr: Translator = ENGLISH) -> str:
        return tr.gettext("run `{command}`").format(command=shlex.join(self.argv))


@dataclass(frozen=True)
class Note:
    """Something the user should know; not an action."""

    text: Phrase

    def describe(self, env: Mapping[str, str], tr: Translator = ENGLISH) -> str:
        return self.text.say(tr)


@dataclass(frozen=True)
class RemoveTree:
    """A directory and everything in it (the virtualenv; with ``--purge``, config and data)."""

    path: Path
    what: str  # "remove the virtualenv {path}"

    def describe(self, env: Mapping[str, str], tr: Translator = ENGLISH) -> str:
        return tr.gettext(self.what).format(path=_show(self.path, env))


@dataclass(frozen=True)
class StopDaemon:
    """Stop the breakd that answers on the control socket (pid as seen when planning)."""

    pid: int
    restart: bool = False  # an upgrade: started again below, on the code installed

    def describe(self, env: Mapping[str, str], tr: Translator = ENGLISH) -> str:
        if self.restart:
            text = tr.gettext(
                "stop the running breakd (pid {pid}): it starts again on the code installed"
            )
        else:
            text = tr.gettext("stop the running breakd (pid {pid})")
        return text.format(pid=self.pid)


@dataclass(frozen=True)
class StartDaemon:
    """Start ``command run`` in the background, logging to ``log``; where there is no
    systemd user manager to do it, so that the reminders begin now, not at the next login."""

    command: tuple[str, ...]
    log: Path

    def describe(self, env: Mapping[str, str], tr: Translator = ENGLISH) -> str:
        run = shlex.join([*self.command, "run"])
        text = tr.gettext("start `{command}` in the background (log: {log})")
        return text.format(command=run, log=_show(self.log, env))


Step = WriteFile | RemoveFile | RemoveTree | Run | Note | StopDaemon | StartDaemon


@dataclass(frozen=True)
class Machine:
    """What install and uninstall need to know about this user's session."""

    env: Mapping[str, str]
    has_user_manager: bool
    why_not: str  # why there is no usable systemd user manager ("" if there is one)
    manager_env: frozenset[str]  # variable names the user manager already has
    daemon_pid: int | None = None  # the breakd running now, if any


# --- looking at the machine ---------------------------------------------------------------


def inspect_machine(env: Mapping[str, str]) -> Machine:
    return dataclasses.replace(inspect_manager(env), daemon_pid=running_daemon(env))


def running_daemon(env: Mapping[str, str]) -> int | None:
    """The pid of the breakd answering on this user's control socket, or None."""
    from breakd.control import client
    from breakd.control.paths import UnsafeDirectory, socket_path
    from breakd.control.protocol import ProtocolError

    try:
        reply = client.request(socket_path(env), "ping", timeout=5.0)
    except (OSError, ProtocolError, UnsafeDirectory):  # NotRunning is an OSError too
        return None
    pid = reply.result.get("pid") if reply.ok and isinstance(reply.result, dict) else None
    return pid if isinstance(pid, int) and not isinstance(pid, bool) and pid > 0 else None


def inspect_manager(env: Mapping[str, str]) -> Machine:
    """``inspect_machine`` without asking for a running daemon."""
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


def data_home(env: Mapping[str, str]) -> Path:
    xdg = env.get("XDG_DATA_HOME", "")
    if xdg and os.path.isabs(xdg):
        return Path(xdg)
    return Path(env.get("HOME") or Path.home()) / ".local" / "share"


def venv_path(env: Mapping[str, str]) -> Path:
    """Where ``scripts/install.sh`` puts breakd's virtualenv (keep the two in step)."""
    return data_home(env) / "breakd" / "venv"


def link_path(env: Mapping[str, str]) -> Path:
    """The ``breakd`` command ``scripts/install.sh`` links into the user's PATH."""
    return Path(env.get("HOME") or Path.home()) / ".local" / "bin" / "breakd"


def log_path(env: Mapping[str, str]) -> Path:
    """Where a breakd started without systemd writes its log (systemd has the journal)."""
    from breakd.store.sqlite import state_dir

    return state_dir(env) / "breakd.log"


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
        unit = render_unit(command)
        steps.append(WriteFile(unit_path(env), unit, N_("write the systemd user unit {path}")))
        if os.path.lexists(autostart_path(env)):
            # Both would start a daemon; the second would only exit with "already running".
            old = N_("remove the old autostart entry {path}")
            steps.append(RemoveFile(autostart_path(env), old))
    else:
        # why_not quotes systemctl (English), as it says it.
        why = phrase(N_("no systemd user manager here: {why}"), why=machine.why_not)
        steps.append(Note(why))
        desktop = render_desktop_entry(command)
        entry = N_("write an XDG autostart entry {path}")
        steps.append(WriteFile(autostart_path(env), desktop, entry))
    steps.extend(_config_steps(env, config_text))
    session = bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))
    if machine.daemon_pid is not None and (machine.has_user_manager or session):
        # An upgrade: the running daemon has the old code loaded. Stopped cleanly (SIGTERM,
        # exit 0, which systemd does not restart), it is started below like a first install.
        steps.append(StopDaemon(machine.daemon_pid, restart=True))
    if machine.has_user_manager:
        steps.extend(_systemd_start_steps(machine))
    elif session:
        steps.append(StartDaemon(tuple(command), log_path(env)))
    elif machine.daemon_pid is not None:
        # Stopped from here (ssh, a bare console), it could not be started again.
        text = N_(
            "breakd (pid {pid}) keeps running the old code until your next login; run "
            "`breakd install` in your desktop session to restart it now"
        )
        steps.append(Note(phrase(text, pid=machine.daemon_pid)))
    else:
        text = N_("no desktop session here: breakd will start with your next login")
        steps.append(Note(phrase(text)))
    return steps


def _config_steps(env: Mapping[str, str], config_text: Callable[[], str]) -> list[Step]:
    path = config_path(env)
    # lexists: a dangling symlink (a dotfiles checkout) is the user's too; never write through.
    if os.path.lexists(path):
        return [Note(phrase(N_("keep your existing config {path}"), path=_show(path, env)))]
    return [WriteFile(path, config_text(), N_("write the default config {path}"))]


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


def plan_uninstall(machine: Machine, purge: bool = False) -> list[Step]:
    env = machine.env
    steps: list[Step] = []
    if machine.has_user_manager:
        steps.append(Run(("systemctl", "--user", "disable", "--now", UNIT_NAME), may_fail=True))
    if machine.daemon_pid is not None:
        # Started by the autostart entry or by hand (systemd has already stopped its own).
        steps.append(StopDaemon(machine.daemon_pid))
    if os.path.lexists(unit_path(env)):
        steps.append(RemoveFile(unit_path(env), N_("remove the systemd user unit {path}")))
    if machine.has_user_manager:
        steps.append(Run(("systemctl", "--user", "daemon-reload")))
    if os.path.lexists(autostart_path(env)):
        steps.append(RemoveFile(autostart_path(env), N_("remove the autostart entry {path}")))
    steps.extend(_data_steps(env, purge))
    steps.extend(_program_steps(env))
    return steps


def _data_steps(env: Mapping[str, str], purge: bool) -> list[Step]:
    from breakd.store.sqlite import state_dir

    config_dir, data_dir = config_path(env).parent, state_dir(env)
    if not purge:
        text = N_(
            "keep your config ({config}) and statistics ({data}); `breakd uninstall --purge` "
            "removes them too"
        )
        return [Note(phrase(text, config=_show(config_dir, env), data=_show(data_dir, env)))]
    mine = (
        (config_dir, N_("remove your config {path}")),
        (data_dir, N_("remove your statistics and log {path}")),
    )
    return [RemoveTree(path, what) for path, what in mine if os.path.lexists(path)]


def _program_steps(env: Mapping[str, str]) -> list[Step]:
    """The link and the virtualenv of ``scripts/install.sh``; last, because this very
    command may run from that virtualenv (everything it needs is loaded by then)."""
    steps: list[Step] = []
    venv, link = venv_path(env), link_path(env)
    if link.is_symlink() and Path(os.readlink(link)).is_relative_to(venv):
        steps.append(RemoveFile(link, N_("remove the command link {path}")))
    if os.path.lexists(venv):
        if sorted(os.listdir(venv.parent)) == [venv.name]:  # nothing else of ours there
            steps.append(RemoveTree(venv.parent, N_("remove the virtualenv's folder {path}")))
        else:
            steps.append(RemoveTree(venv, N_("remove the virtualenv {path}")))
    elif not steps:
        text = N_("the breakd program stays: remove it the way you installed it")
        steps.append(Note(phrase(text)))
    return steps


# --- carrying a plan out ------------------------------------------------------------------


class StepFailed(RuntimeError):
    """A step that could not be done; raised with a ``Phrase`` that says why."""


def apply_step(step: Step, env: Mapping[str, str]) -> Phrase | None:
    """Do one step; returns a warning to show, if any. Raises StepFailed to stop the plan."""
    if isinstance(step, WriteFile):
        _write_atomically(step.path, step.text)
    elif isinstance(step, RemoveFile):
        step.path.unlink(missing_ok=True)
    elif isinstance(step, RemoveTree):
        if step.path.is_symlink():
            step.path.unlink()  # a link into a dotfiles checkout: never delete its target
        else:
            shutil.rmtree(step.path, ignore_errors=False)
    elif isinstance(step, Run):
        return _run(step, env)
    elif isinstance(step, StopDaemon):
        return _stop(step.pid, env)
    elif isinstance(step, StartDaemon):
        return _start(step, env)
    return None


STOP_TIMEOUT = 15.0  # a daemon flushes its minute rows on the way out: well under a second
START_TIMEOUT = 10.0  # until the new daemon answers on its control socket


def _stop(pid: int, env: Mapping[str, str]) -> Phrase | None:
    if running_daemon(env) != pid:
        return None  # gone already (systemd stopped it), or another one: leave that alone
    try:
        os.kill(pid, signal.SIGTERM)
    except ProcessLookupError:
        return None
    except PermissionError as exc:
        # TRANSLATORS: {error} is the system's message, quoted in English.
        text = N_("cannot stop breakd (pid {pid}): {error}")
        raise StepFailed(phrase(text, pid=pid, error=str(exc))) from exc
    deadline = time.monotonic() + STOP_TIMEOUT
    while not _process_gone(pid):
        if time.monotonic() >= deadline:
            text = N_("breakd (pid {pid}) did not stop within {duration}")
            raise StepFailed(phrase(text, pid=pid, duration=_seconds(STOP_TIMEOUT)))
        time.sleep(0.05)
    return None


def _seconds(seconds: float) -> Phrase:
    """A wait of under a minute, as ``units.duration`` says it ("15 seconds")."""
    whole = round(seconds)
    return phrases("{n} second", "{n} seconds", whole, n=whole)


def _process_gone(pid: int) -> bool:
    """Exited (a zombie counts: it runs no code and holds no socket)."""
    try:
        stat_line = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return True
    except OSError:  # no /proc here: ask the kernel
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return True
        return False
    return stat_line.rpartition(")")[2].split()[:1] == ["Z"]


def _start(step: StartDaemon, env: Mapping[str, str]) -> Phrase | None:
    step.log.parent.mkdir(parents=True, exist_ok=True)
    with open(step.log, "ab") as log:
        # A session of its own: closing the terminal that ran the install must not stop it.
        subprocess.Popen(
            [*step.command, "run"],
            env=dict(env),
            stdin=subprocess.DEVNULL,
            stdout=log,
            stderr=log,
            start_new_session=True,
        )
    deadline = time.monotonic() + START_TIMEOUT
    while running_daemon(env) is None:
        if time.monotonic() >= deadline:
            text = N_("breakd did not answer within {duration}; see its log {log}")
            return phrase(text, duration=_seconds(START_TIMEOUT), log=_show(step.log, env))
        time.sleep(0.1)
    return None


def _run(step: Run, env: Mapping[str, str]) -> Phrase | None:
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
        # TRANSLATORS: {error} is the system's message, quoted in English.
        text = N_("`{command}` could not run: {error}")
        raise StepFailed(phrase(text, command=shlex.join(step.argv), error=str(exc))) from exc
    if proc.returncode == 0:
        return None
    said = proc.stderr.strip()  # systemctl's words, quoted as it says them
    detail = verbatim(said) if said else phrase(N_("exit status {status}"), status=proc.returncode)
    if step.may_fail:
        return detail
    text = N_("`{command}` failed: {detail}")
    raise StepFailed(phrase(text, command=shlex.join(step.argv), detail=detail))


def _write_atomically(path: Path, text: str) -> None:
    # A half-written unit or config after a crash would be worse than none.
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    tmp.write_text(text, encoding="utf-8")
    os.replace(tmp, path)


def carry_out(
    steps: Sequence[Step],
    *,
    dry_run: bool,
    env: Mapping[str, str],
    out: TextIO,
    err: TextIO,
    tr: Translator = ENGLISH,
) -> int:
    """Print each step, in ``tr``'s words, and (unless a dry run) do it. What went wrong is
    quoted as it was said (systemctl's words, the system's)."""
    for number, step in enumerate(steps, 1):
        print(f"{number}. {step.describe(env, tr)}", file=out)
        if dry_run:
            continue
        try:
            warning = apply_step(step, env)
        except (StepFailed, OSError) as exc:
            text = tr.gettext("breakd: step {number} failed: {error}")
            print(text.format(number=number, error=Phrase.of(exc).say(tr)), file=err)
            return exitcodes.FAILURE
        if warning:
            text = tr.gettext("(ignored: {warning})").format(warning=warning.say(tr))
            print("   " + text, file=out)
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
    tr = _translator(env)
    steps = plan_install(machine, breakd_command(env, argv0), config_text)
    print(_header("install", dry_run, machine, tr), file=out)
    status = carry_out(steps, dry_run=dry_run, env=env, out=out, err=err, tr=tr)
    if status == exitcodes.OK and not dry_run:
        restarted = any(isinstance(step, StopDaemon) for step in steps)
        done = N_("breakd is installed and restarted.") if restarted else N_("breakd is installed.")
        print(tr.gettext(done), file=out)
    return status


def uninstall_command(
    dry_run: bool = False,
    *,
    purge: bool = False,
    env: Mapping[str, str] = os.environ,
    out: TextIO | None = None,
    err: TextIO | None = None,
) -> int:
    out = sys.stdout if out is None else out
    err = sys.stderr if err is None else err
    machine = inspect_machine(env)
    tr = _translator(env)
    steps = plan_uninstall(machine, purge)
    print(_header("uninstall", dry_run, machine, tr), file=out)
    status = carry_out(steps, dry_run=dry_run, env=env, out=out, err=err, tr=tr)
    if status == exitcodes.OK and not dry_run:
        if machine.daemon_pid is not None:
            done = N_("breakd is stopped and will no longer start with your session.")
        else:
            done = N_("breakd will no longer start with your session.")
        print(tr.gettext(done), file=out)
    return status


def _translator(env: Mapping[str, str]) -> Translator:
    from breakd import i18n

    return i18n.user_translator(env)


def start_hint(machine: Machine, tr: Translator = ENGLISH) -> str:
    """How to start breakd on this machine, for "breakd is not running"."""
    env = machine.env
    if machine.has_user_manager and os.path.lexists(unit_path(env)):
        return tr.gettext("start it with `systemctl --user start breakd`")
    if os.path.lexists(autostart_path(env)):
        return tr.gettext(
            "start it with `breakd run &`; it also starts by itself when you next log in"
        )
    return tr.gettext(
        "start it with `breakd run &`, or `breakd install` to start it with your session"
    )


# (command, dry run, systemd) -> the header, each a whole sentence
_HEADERS: Mapping[tuple[str, bool, bool], str] = {
    ("install", False, True): N_("breakd install, using a systemd user service:"),
    ("install", False, False): N_("breakd install, using XDG autostart:"),
    ("install", True, True): N_(
        "breakd install (dry run: nothing will be changed), using a systemd user service:"
    ),
    ("install", True, False): N_(
        "breakd install (dry run: nothing will be changed), using XDG autostart:"
    ),
    ("uninstall", False, True): N_("breakd uninstall, using a systemd user service:"),
    ("uninstall", False, False): N_("breakd uninstall, using XDG autostart:"),
    ("uninstall", True, True): N_(
        "breakd uninstall (dry run: nothing will be changed), using a systemd user service:"
    ),
    ("uninstall", True, False): N_(
        "breakd uninstall (dry run: nothing will be changed), using XDG autostart:"
    ),
}


def _header(what: str, dry_run: bool, machine: Machine, tr: Translator = ENGLISH) -> str:
    return tr.gettext(_HEADERS[what, dry_run, machine.has_user_manager])


def _show(path: Path, env: Mapping[str, str]) -> str:
    home = env.get("HOME")
    if home:
        try:
            return "~/" + str(path.relative_to(home))
        except ValueError:
            pass
    return str(path)
