#!/usr/bin/env bash
# Run breakd's whole test suite on a fresh Debian/Ubuntu machine: installs the system
# packages the tests need (a real X server, synthetic input, a session bus, a notification
# server, systemd-analyze), a virtualenv with the Python dependencies, then lint, type check,
# the import direction (the core imports no I/O layer) and pytest.
# Extra arguments go to pytest, e.g. `bash scripts/test.sh -k engine`.
set -euo pipefail
cd "$(dirname "$0")/.."

APT_PACKAGES=(
  python3-venv python3-dev gcc pkg-config linux-libc-dev  # venv; dbus-python and evdev build
  libdbus-1-dev libglib2.0-dev                             # dbus-python (notifications)
  xvfb xdotool x11-utils                                   # a real X server, input, xdpyinfo
  dbus dbus-bin dbus-x11 libnotify-bin dunst               # session bus, notification server
  dconf-service dconf-gsettings-backend gsettings-desktop-schemas libglib2.0-bin  # GNOME DND
  systemd procps                                           # systemd-analyze verify; pkill
  chromium                                                 # renders the HTML report in tests
  kwin-wayland plasma-wayland-protocols                    # a real Wayland compositor (idle)
  pulseaudio pulseaudio-utils                              # a sound server, pactl, parecord
  sway waybar grim fonts-dejavu-core                       # a real tray host (waybar in sway)
  librsvg2-common                                          # waybar's SVG loader: breakd's icons
  gettext                                                  # xgettext: the catalogs match the code
)

# shellcheck source=scripts/apt-packages.sh
. scripts/apt-packages.sh
ensure_apt_packages "${APT_PACKAGES[@]}"

if [ ! -x .venv/bin/python ]; then
  echo "== creating .venv"
  python3 -m venv .venv
fi
echo "== installing breakd and its test dependencies into .venv"
.venv/bin/python -m pip install -q --disable-pip-version-check -e '.[test]'

echo "== ruff"
.venv/bin/ruff check .
.venv/bin/ruff format --check .

echo "== mypy (strict on breakd/core; settings in pyproject.toml)"
.venv/bin/mypy

echo "== import direction"
.venv/bin/python scripts/check_imports.py

echo "== pytest"
exec .venv/bin/python -m pytest "$@"
