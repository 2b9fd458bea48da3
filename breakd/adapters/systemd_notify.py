"""Talking to the service manager: readiness, reload, stopping and watchdog pings.

The sd_notify protocol is one datagram per message to the AF_UNIX socket named in
$NOTIFY_SOCKET (a leading "@" means Linux's abstract namespace). A few lines of socket code
spare breakd a dependency on libsystemd or python-systemd. Outside systemd the variables are
unset and every call is a cheap no-op, so the daemon calls these unconditionally.

Messages the daemon uses: "READY=1" once serving, "RELOADING=1" / "READY=1" around a config
reload, "STOPPING=1" on shutdown, "WATCHDOG=1" at half of ``watchdog_interval()``,
"STATUS=..." for a one-line state shown by ``systemctl --user status``.
"""

from __future__ import annotations

import logging
import os
import socket
from collections.abc import Mapping

log = logging.getLogger("breakd.systemd")


def sd_notify(message: str, env: Mapping[str, str] = os.environ) -> bool:
    """Send ``message`` to the service manager; False if there is none or sending failed."""
    address = env.get("NOTIFY_SOCKET", "")
    if not address:
        return False
    if address.startswith("@"):
        address = "\0" + address[1:]
    elif not address.startswith("/"):
        # vsock: and other address families are for VMs; breakd runs in a user session.
        log.debug("unsupported NOTIFY_SOCKET %r", address)
        return False
    try:
        with socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM | socket.SOCK_CLOEXEC) as sock:
            sock.sendto(message.encode("utf-8"), address)
    except OSError as exc:
        # Never fatal: a missed notification is systemd's problem to time out on.
        log.warning("could not notify the service manager (%s): %s", message, exc)
        return False
    return True


def watchdog_interval(env: Mapping[str, str] = os.environ) -> float | None:
    """The watchdog timeout in seconds, or None if no watchdog is expected from us.

    Ping with ``sd_notify("WATCHDOG=1")`` at about half this interval.
    """
    usec = env.get("WATCHDOG_USEC", "")
    if not usec:
        return None
    pid = env.get("WATCHDOG_PID", "")
    # A watchdog meant for another process (e.g. a parent shell) is not ours to feed.
    if pid and pid != str(os.getpid()):
        return None
    try:
        value = int(usec)
    except ValueError:
        log.warning("ignoring malformed WATCHDOG_USEC=%r", usec)
        return None
    return value / 1_000_000 if value > 0 else None
