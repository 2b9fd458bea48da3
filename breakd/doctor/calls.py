"""``breakd doctor``'s word on calls: which of the camera, the microphone and screen sharing
breakd can watch on this desktop (``[calls]``), and why not. Each is tried as the daemon
would start it, then stopped again; nothing is left running."""

from __future__ import annotations

from collections.abc import Mapping

from breakd.config.model import CallsConfig
from breakd.core.words import ENGLISH, Phrase, Translator
from breakd.doctor.checks import CheckResult


def check_calls(
    env: Mapping[str, str],
    config: CallsConfig,
    *,
    device_dir: str | None = None,
    tr: Translator = ENGLISH,
) -> CheckResult:
    lines: list[tuple[bool, str]] = []
    if config.camera:
        lines.append(_camera(device_dir, tr))
    if config.microphone:
        lines.append(_microphone(env, tr))
    if config.screen_sharing:
        lines.append(_screen_sharing(env, tr))
    off = [
        name
        for name, on in (
            ("camera", config.camera),
            ("microphone", config.microphone),
            ("screen_sharing", config.screen_sharing),
        )
        if not on
    ]
    if off:
        lines.append((True, tr.gettext("off in [calls]: {keys}").format(keys=", ".join(off))))
    if not config.camera and not config.microphone and not config.screen_sharing:
        return CheckResult("calls", "skip", tr.gettext("not watched: [calls] turns all three off"))
    watched = sum(ok for ok, _ in lines[: 3 - len(off)])
    detail = "\n".join(text for _, text in lines)
    if watched == 3 - len(off):
        heading = tr.gettext("reminders are held during calls; what is watched:")
        return CheckResult("calls", "ok", f"{heading}\n{detail}")
    heading = tr.gettext(
        "reminders are held only during the calls breakd can see ({watched} of {total} watched):"
    ).format(watched=watched, total=3 - len(off))
    return CheckResult(
        "calls",
        "warn",
        f"{heading}\n{detail}",
        fix=tr.gettext(
            "install or start what a line names, or turn that one off in [calls] "
            "(e.g. microphone = false)"
        ),
    )


def _camera(device_dir: str | None, tr: Translator) -> tuple[bool, str]:
    from breakd.adapters.calls.camera import DEVICE_DIR, CameraWatcher, video_devices

    directory = device_dir or DEVICE_DIR
    watcher = CameraWatcher(lambda _in_use: None, directory)
    try:
        watcher.start()
    except OSError as exc:
        failed = tr.gettext("camera: not watched: inotify on {directory}: {error}")
        return False, failed.format(directory=directory, error=exc.strerror or exc)
    finally:
        watcher.stop()
    devices = video_devices(directory)
    if not devices:
        return True, tr.gettext("camera: watched (no camera now; one plugged in later is seen)")
    watched = tr.gettext("camera: watched ({devices}, through inotify)")
    return True, watched.format(devices=", ".join(devices))


def _microphone(env: Mapping[str, str], tr: Translator) -> tuple[bool, str]:
    from breakd.adapters.calls.microphone import MicrophoneUnavailable, server_name

    try:
        server = server_name(env)
    except MicrophoneUnavailable as exc:
        error = Phrase.of(exc).say(tr)
        return False, tr.gettext("microphone: not watched: {error}").format(error=error)
    watched = tr.gettext(
        "microphone: watched (recording streams of {server}, through pactl subscribe)"
    )
    return True, watched.format(server=server)


def _screen_sharing(env: Mapping[str, str], tr: Translator) -> tuple[bool, str]:
    from breakd.adapters.calls.screencast import ScreenCastUnavailable, become_monitor

    try:
        become_monitor(env.get("DBUS_SESSION_BUS_ADDRESS", "") or None).close()
    except ScreenCastUnavailable as exc:
        error = Phrase.of(exc).say(tr)
        return False, tr.gettext("screen sharing: not watched: {error}").format(error=error)
    text = tr.gettext(
        "screen sharing: watched (ScreenCast sessions of xdg-desktop-portal and GNOME's Mutter)"
    )
    if env.get("XDG_SESSION_TYPE") == "x11" or (
        env.get("DISPLAY") and not env.get("WAYLAND_DISPLAY")
    ):
        note = tr.gettext(
            "(on X11 a program may also capture the screen directly; nothing announces "
            "that, so it is not seen: breakd does not poll)"
        )
        text += f"\n  {note}"
    return True, text
