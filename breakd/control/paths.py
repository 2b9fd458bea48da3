"""Where the control socket lives: ``$XDG_RUNTIME_DIR/breakd/control.sock``.

The runtime directory is private (0700) so that the socket's own 0600 mode is not the only
thing keeping other users out. Without XDG_RUNTIME_DIR (no logind session, e.g. a bare
``ssh`` or a container) breakd falls back to ``/tmp/breakd-$UID``, which it must create itself
and check, because /tmp is shared: anyone could have created that name first.
"""

from __future__ import annotations

import contextlib
import os
import stat
from collections.abc import Mapping
from pathlib import Path

from breakd.core.words import N_, phrase

SOCKET_NAME = "control.sock"


class UnsafeDirectory(RuntimeError):
    """The runtime directory exists but is not a private directory owned by this user; raised
    with a ``Phrase`` (``str()`` is its English)."""


def runtime_dir(env: Mapping[str, str] = os.environ) -> Path:
    """breakd's runtime directory; the /tmp fallback is created (0700) if missing."""
    xdg = env.get("XDG_RUNTIME_DIR", "")
    # The XDG spec says a relative path must be ignored.
    if xdg and os.path.isabs(xdg):
        return Path(xdg) / "breakd"
    fallback = Path("/tmp") / f"breakd-{os.getuid()}"
    ensure_private_dir(fallback)
    return fallback


def socket_path(env: Mapping[str, str] = os.environ) -> Path:
    return runtime_dir(env) / SOCKET_NAME


def ensure_private_dir(path: Path) -> None:
    """Create ``path`` with mode 0700, or check that an existing one is ours and private."""
    with contextlib.suppress(FileExistsError):
        path.mkdir(mode=0o700)
    info = os.lstat(path)  # lstat: a symlink planted in /tmp must not be followed
    if not stat.S_ISDIR(info.st_mode):
        raise UnsafeDirectory(phrase(N_("{path} exists and is not a directory"), path=str(path)))
    if info.st_uid != os.getuid():
        raise UnsafeDirectory(
            phrase(
                N_("{path} belongs to another user (uid {uid})"), path=str(path), uid=info.st_uid
            )
        )
    if stat.S_IMODE(info.st_mode) != 0o700:
        # Our own directory with a loose mode (umask, an old version): tighten it.
        os.chmod(path, 0o700)
