#!/usr/bin/env bash
# Install (or upgrade) breakd for the current user on Debian/Ubuntu and start it with the
# default config.
#   - system packages it needs (via sudo when not root): Python's venv, and gcc with the
#     Python and kernel headers, because pynput's evdev has no wheel and is compiled; dbus
#     for the session bus and libnotify's notify-send for the plyer fallback. Nothing else
#     is built: breakd speaks D-Bus through jeepney, which is pure Python;
#   - a private virtualenv in ~/.local/share/breakd/venv with breakd installed into it
#     (run again, it installs the new code over the old);
#   - ~/.local/bin/breakd, a link to the installed command;
#   - `breakd install`: the systemd user service (or an XDG autostart entry where there is no
#     systemd user manager), the default config if you have none; it stops a breakd that is
#     already running and starts breakd on the code just installed.
# `breakd uninstall` undoes all of it except your config and statistics (`--purge`: those too).
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(python3-venv python3-dev gcc linux-libc-dev dbus libnotify-bin)
# shellcheck source=scripts/apt-packages.sh
. scripts/apt-packages.sh
ensure_apt_packages "${APT_PACKAGES[@]}"

# Keep in step with breakd.service.install.venv_path and link_path (uninstall removes them).
DATA_HOME="${XDG_DATA_HOME:-$HOME/.local/share}"
VENV="$DATA_HOME/breakd/venv"
echo "== installing breakd into $VENV"
python3 -m venv "$VENV"
# pip reinstalls a source directory even at the same version: a re-run is an upgrade.
"$VENV/bin/python" -m pip install -q --disable-pip-version-check .
mkdir -p "$HOME/.local/bin"
ln -sf "$VENV/bin/breakd" "$HOME/.local/bin/breakd"
echo "== $HOME/.local/bin/breakd -> $VENV/bin/breakd"

"$VENV/bin/breakd" install
"$VENV/bin/breakd" status || true
