"""breakd's statistics: per-day summaries, check-ins, terminal charts and the HTML report.

Pure functions over ``breakd.store`` rows, plus ``commands.py`` (``breakd stats``, ``report``,
``checkin``). Nothing here writes reminder state or talks to the daemon.
"""
