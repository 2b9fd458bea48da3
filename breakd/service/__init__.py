"""Service integration: installing breakd to start with the desktop session, and removing it.

The unit file itself lives in ``systemd/breakd.service`` (shipped as package data through the
``breakd/data/breakd.service`` link); ``install`` renders it with the installed executable.
"""
