"""The microphone: in use while a program records from the sound server.

Speaks the PulseAudio protocol through ``pactl`` (PipeWire's pipewire-pulse speaks it too, so
Bluetooth headsets and USB microphones count): one ``pactl subscribe`` child process tells of
every change as a line; a change to a source-output or a source makes one ``pactl -f json
list`` of the recording streams and the sources, which says whether any stream records from
a source that is not a monitor (recording what the speakers play is no call). Paused (corked)
streams do not count. Nothing is asked again on a timer: after the first look (made once the
subscription is live), only when the server says something changed.

Reports ``on_change(in_use)`` from its reader thread, only when the value changes. When the
sound server goes away (``pactl subscribe`` ends), the microphone counts as not in use and the
watcher starts ``pactl subscribe`` again after ``RESTART_FIRST``. A server that does not
answer is waited for without a timer: until its socket appears (inotify; the socket is
``PULSE_SERVER``'s ``unix:`` path, else ``$XDG_RUNTIME_DIR/pulse/native``, where PulseAudio
and pipewire-pulse make it), so a session without one costs no wake-ups. Only where there is
no local socket to watch (a TCP server) is it asked again every ``RESTART_MAX``.
"""

from __future__ import annotations

import json
import logging
import os
import re
import select
import shutil
import subprocess
import threading
from collections.abc import Callable, Mapping, Sequence

from breakd.adapters.inotify import FileWaiter
from breakd.core.words import N_, phrase, verbatim

log = logging.getLogger("breakd.calls")

_EVENT = re.compile(r"Event '(\w+)' on (source-output|source)\b")
RESTART_FIRST = 2.0  # seconds before subscribing again to a sound server that went away
RESTART_MAX = 60.0  # seconds between tries where no socket can be watched
LIST_TIMEOUT = 5.0
HANDSHAKE_TRIES = 10  # looks at start until ``pactl subscribe`` shows it is live
HANDSHAKE_WAIT = 0.5  # seconds for its echo of a look


class MicrophoneUnavailable(RuntimeError):
    """No pactl, or no sound server to talk to: the text says which."""


def pactl_path() -> str:
    path = shutil.which("pactl")
    if path is None:
        raise MicrophoneUnavailable(phrase(N_("pactl is not installed (Debian: pulseaudio-utils)")))
    return path


def c_locale(env: Mapping[str, str] | None) -> dict[str, str]:
    """``env`` (default: ours) with pactl's words in English: its events are matched by
    them ("Event 'new' on source-output #3"), and its errors go to an English log."""
    c = {k: v for k, v in (os.environ if env is None else env).items() if k != "LANGUAGE"}
    c["LC_ALL"] = "C"
    return c


def server_socket(env: Mapping[str, str]) -> str | None:
    """The local socket the PulseAudio protocol is spoken on, or None (a TCP server)."""
    server = env.get("PULSE_SERVER", "")
    if server:  # a list of servers, tried in order: the first local one is the one to wait for
        for address in server.split():
            if address.startswith("unix:"):
                return address[len("unix:") :]
            if address.startswith("/"):
                return address
        return None
    runtime = env.get("PULSE_RUNTIME_PATH")
    if not runtime and env.get("XDG_RUNTIME_DIR"):
        runtime = os.path.join(env["XDG_RUNTIME_DIR"], "pulse")
    return os.path.join(runtime, "native") if runtime else None


def server_name(env: Mapping[str, str] | None = None) -> str:
    """The sound server, as ``pactl info`` names it ("PulseAudio (on PipeWire 1.0.5)").
    Raises ``MicrophoneUnavailable``: no pactl, no server, or a pactl without JSON output."""
    pactl = pactl_path()

    def run(*args: str) -> str:
        return subprocess.run(
            [pactl, *args],
            capture_output=True,
            text=True,
            timeout=LIST_TIMEOUT,
            env=c_locale(env),
            check=True,
        ).stdout

    try:
        out = run("info")
    except (subprocess.SubprocessError, OSError) as exc:
        reason = verbatim(_reason(exc))  # pactl's own words
        text = N_("no sound server answers pactl ({reason})")
        raise MicrophoneUnavailable(phrase(text, reason=reason)) from None
    try:
        json.loads(run("-f", "json", "list", "short", "modules"))
    except (subprocess.SubprocessError, OSError, ValueError):
        text = N_("this pactl has no JSON output (-f json: PulseAudio 16 or newer)")
        raise MicrophoneUnavailable(phrase(text)) from None
    for line in out.splitlines():
        if line.startswith("Server Name:"):
            return line.partition(":")[2].strip()
    return "a sound server"


def recording(
    outputs: Sequence[Mapping[str, object]], sources: Sequence[Mapping[str, object]]
) -> bool:
    """Whether any recording stream (source-output) records from a real input, not a monitor."""
    monitors = {s.get("index") for s in sources if _is_monitor(s)}
    return any(o.get("source") not in monitors and not o.get("corked", False) for o in outputs)


def _is_monitor(source: Mapping[str, object]) -> bool:
    props = source.get("properties")
    if isinstance(props, Mapping) and props.get("device.class") == "monitor":
        return True
    of_sink = source.get("monitor_source")  # pactl's JSON name for "Monitor of Sink"
    return isinstance(of_sink, str) and of_sink not in ("", "n/a")


class MicrophoneWatcher:
    def __init__(
        self, on_change: Callable[[bool], None], env: Mapping[str, str] | None = None
    ) -> None:
        self._on_change = on_change
        self._env = c_locale(env)
        self._pactl = ""
        self._child: subprocess.Popen[str] | None = None
        self._thread: threading.Thread | None = None
        self._stopping = threading.Event()
        self._waiter: FileWaiter | None = None  # while waiting for a server's socket
        self._in_use = False

    def start(self) -> None:
        """Raises ``MicrophoneUnavailable`` when there is no pactl."""
        self._pactl = pactl_path()
        self._thread = threading.Thread(target=self._run, name="breakd-microphone", daemon=True)
        self._thread.start()

    def stop(self) -> None:
        self._stopping.set()
        waiter = self._waiter
        if waiter is not None:
            waiter.interrupt()
        child = self._child
        if child is not None:
            child.terminate()
        if self._thread is not None:
            self._thread.join(5)

    def _run(self) -> None:
        said = False
        try:
            while not self._stopping.is_set():
                if self._subscribe():  # it ran, so the server was there: it may come back
                    said = False
                    self._set(False)
                    if self._stopping.wait(RESTART_FIRST):
                        return
                    continue
                if not said:
                    said = True
                    log.info(
                        "calls: no sound server answers pactl; the microphone is watched once "
                        "one does (%s)",
                        self._waiting_how(),
                    )
                self._set(False)  # no server, no recording it could hold reminders for
                if not self._wait_for_server():
                    return
        except Exception:
            log.exception("microphone watcher failed: calls on the microphone are no longer seen")

    def _subscribe(self) -> bool:
        """One ``pactl subscribe`` until it ends; True if the server was there."""
        child = subprocess.Popen(
            [self._pactl, "subscribe"],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            stdin=subprocess.DEVNULL,
            text=True,
            env=self._env,
        )
        self._child = child
        try:
            assert child.stdout is not None
            if not self._look_once_subscribed(child.stdout.fileno()):
                return False
            for line in child.stdout:
                if self._stopping.is_set():
                    break
                if _EVENT.match(line):
                    log.debug("sound server: %s", line.strip())
                    self._look()
            if not self._stopping.is_set():
                log.info(
                    "the sound server went away: the microphone is not watched until it is back"
                )
            return True
        finally:
            if child.poll() is None:
                child.terminate()
            child.wait()
            self._child = None

    def _waiting_how(self) -> str:
        path = server_socket(self._env)
        if path is None:
            return f"asking again every {RESTART_MAX:.0f}s: {self._env.get('PULSE_SERVER')}"
        return f"when {path} appears"

    def _wait_for_server(self) -> bool:
        """Until the server's socket (re)appears, or it answers; False when stopping."""
        path = server_socket(self._env)
        try:
            waiter = None if path is None else FileWaiter(path)
        except OSError as exc:  # no such directory, no inotify: ask now and then instead
            log.debug("cannot watch for %s: %s", path, exc)
            waiter = None
        if waiter is None:
            return not self._stopping.wait(RESTART_MAX)
        self._waiter = waiter
        try:
            if self._stopping.is_set():
                return False
            if self._poke():
                # It answers: it came up just now, or it answers pactl info yet watching it
                # failed (a pactl without -f json). Not in a hurry either way: no busy loop.
                return not self._stopping.wait(RESTART_MAX)
            return waiter.wait()
        finally:
            self._waiter = None
            waiter.close()

    def _look_once_subscribed(self, fd: int) -> bool:
        """Look at the streams once ``pactl subscribe`` is live, so a stream that began
        before it is seen and none that begins after is missed. It says nothing when it is
        subscribed, but a client connecting is itself an event: ``pactl info`` until the
        subscription echoes one, then the look. False: the server does not answer."""
        for _ in range(HANDSHAKE_TRIES):
            if not self._poke():
                return False
            readable, _, _ = select.select([fd], [], [], HANDSHAKE_WAIT)
            if readable or self._stopping.is_set():
                break
        else:
            log.debug("pactl subscribe echoed nothing; watching the microphone anyway")
        return self._look()

    def _poke(self) -> bool:
        try:
            self._pactl_out("info")
        except (subprocess.SubprocessError, OSError) as exc:
            log.debug("sound server not asked: %s", _reason(exc))
            return False
        return True

    def _look(self) -> bool:
        """Ask whether anything records now; False when the server does not answer."""
        try:
            outputs = self._list("source-outputs")
            sources = self._list("sources")
        except (subprocess.SubprocessError, OSError, ValueError) as exc:
            log.debug("sound server not asked: %s", _reason(exc))
            return False
        log.debug("sound server: %d recording streams, %d sources", len(outputs), len(sources))
        self._set(recording(outputs, sources))
        return True

    def _list(self, what: str) -> list[Mapping[str, object]]:
        items = json.loads(self._pactl_out("-f", "json", "list", what))
        if not isinstance(items, list):
            raise ValueError(f"pactl list {what}: not a list")
        return [i for i in items if isinstance(i, Mapping)]

    def _pactl_out(self, *args: str) -> str:
        return subprocess.run(
            [self._pactl, *args],
            capture_output=True,
            text=True,
            timeout=LIST_TIMEOUT,
            env=self._env,
            check=True,
        ).stdout

    def _set(self, in_use: bool) -> None:
        if in_use != self._in_use:
            self._in_use = in_use
            log.debug("microphone %s", "in use" if in_use else "no longer in use")
            self._on_change(in_use)


def _reason(exc: BaseException) -> str:
    if isinstance(exc, subprocess.CalledProcessError):
        lines = (exc.stderr or "").strip().splitlines()
        return lines[-1] if lines else f"pactl exited with {exc.returncode}"
    return f"{type(exc).__name__}: {exc}"


__all__ = ["MicrophoneUnavailable", "MicrophoneWatcher", "recording", "server_name"]
