#!/usr/bin/env bash
# Install breakd for the current user on Debian/Ubuntu and start it with the default config.
#   - system packages it needs (via sudo when not root): Python venv and headers, the
#     D-Bus development files dbus-python builds against, and libnotify's notify-send;
#   - a private virtualenv in ~/.local/share/breakd/venv with breakd installed into it;
#   - ~/.local/bin/breakd, a link to the installed command;
#   - `breakd install`: the systemd user service (or an XDG autostart entry where there is no
#     systemd user manager), the default config if you have none, and starts it; without
#     systemd it starts `breakd run` in the background now.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(python3-venv python3-dev gcc pkg-config linux-libc-dev libdbus-1-dev libglib2.0-dev dbus libnotify-bin)
# shellcheck source=scripts/apt-packages.sh
. scripts/apt-packages.sh
ensure_apt_packages "${APT_PACKAGES[@]}"

DATA_HOME="${XDG_DATA_HOME:-$HOME/.local/share}"
VENV="$DATA_HOME/breakd/venv"
echo "== installing breakd into $VENV"
python3 -m venv "$VENV"
"$VENV/bin/python" -m pip install -q --disable-pip-version-check .
mkdir -p "$HOME/.local/bin"
ln -sf "$VENV/bin/breakd" "$HOME/.local/bin/breakd"
echo "== $HOME/.local/bin/breakd -> $VENV/bin/breakd"

"$VENV/bin/breakd" install

# Without a systemd user manager the autostart entry starts breakd at the next login; start
# it now too, so the reminders begin today.
if ! "$VENV/bin/breakd" status >/dev/null 2>&1; then
  if [ -n "${DISPLAY:-}" ]; then
    LOG="${XDG_STATE_HOME:-$HOME/.local/state}/breakd/breakd.log"
    mkdir -p "$(dirname "$LOG")"
    nohup "$VENV/bin/breakd" run >>"$LOG" 2>&1 &
    echo "== started breakd in the background (log: $LOG)"
    for _ in $(seq 50); do  # up to 5 s for its control socket, so the status below is real
      "$VENV/bin/breakd" status >/dev/null 2>&1 && break
      sleep 0.1
    done
  else
    echo "== no DISPLAY here: breakd will start with your next desktop login"
  fi
fi
"$VENV/bin/breakd" status || true
