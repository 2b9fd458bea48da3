"""``breakd doctor``: checks that breakd can work on this desktop and says how to fix what not.

``checks`` holds one small function per check, each returning a ``CheckResult`` and taking
what it looks at (environment, paths, a systemctl runner, a bus address) as parameters, so
tests can drive every failing path without a real desktop. ``command`` runs them in order,
prints them (text or ``--json``) and picks the exit code.
"""

INPUT_TIMEOUT = 10.0  # seconds the user gets to move the mouse or press a key
