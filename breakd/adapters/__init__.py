"""Adapters: the thin edges between the pure core and the desktop (input, time,
notifications, the service manager, the control socket)."""
