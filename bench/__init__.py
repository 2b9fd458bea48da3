"""breakd's resource benchmark: what the daemon costs next to the libraries it is built on.

Not part of the test suite: tests assert behaviour, this prints figures (see bench/README.md).
Run it as ``.venv/bin/python -m bench`` from the repository root.
"""
