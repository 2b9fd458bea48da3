"""The baselines breakd is compared with, as a process of their own.

``python -m bench.bare`` is a bare pynput keyboard and mouse listener with empty callbacks:
the floor that watching input through pynput costs, whatever a program does with it.
``--stack`` also imports APScheduler and plyer (with its dbus-python backend when installed)
and starts an idle scheduler: the bare library stack breakd is built on. Each prints
``ready`` once its listeners are up, then sleeps in a blocking wait until SIGTERM.
"""

from __future__ import annotations

import argparse
import contextlib
import signal
import sys
import threading


def _ignore(*_args: object) -> None:
    """An empty callback: pynput still parses every event before calling it."""


def _start_stack() -> object:
    """Import what breakd imports besides pynput, and start an idle scheduler like breakd's."""
    # plyer's Linux backend; no longer one of breakd's dependencies (the test extra has it).
    # Without it plyer runs notify-send: nothing to load up front.
    with contextlib.suppress(ImportError):
        import dbus  # noqa: F401
    from apscheduler.schedulers.background import BackgroundScheduler
    from plyer import notification  # noqa: F401

    scheduler = BackgroundScheduler()
    scheduler.start()
    return scheduler


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench.bare")
    parser.add_argument("--stack", action="store_true", help="add apscheduler and plyer")
    args = parser.parse_args(argv)
    from pynput import keyboard, mouse  # opens the X connection: needs DISPLAY

    keep = _start_stack() if args.stack else None
    listeners = [
        keyboard.Listener(on_press=_ignore, on_release=_ignore),
        mouse.Listener(on_move=_ignore, on_click=_ignore, on_scroll=_ignore),
    ]
    for listener in listeners:
        listener.daemon = True
        listener.start()
    for listener in listeners:
        listener.wait()
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    print("ready", flush=True)
    stop.wait()
    del keep
    return 0


if __name__ == "__main__":
    sys.exit(main())
