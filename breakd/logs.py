"""Logging set-up: one readable line per event worth knowing, to stderr.

Under systemd's journal (JOURNAL_STREAM set) lines carry a syslog priority prefix and no
timestamp (the journal adds its own); in a terminal they carry a timestamp. Log lines never
contain key identity: breakd never has it past the input callback.
"""

from __future__ import annotations

import logging
import os
import sys
from collections.abc import Mapping

_SYSLOG_PRIORITY = {
    logging.CRITICAL: 2,
    logging.ERROR: 3,
    logging.WARNING: 4,
    logging.INFO: 6,
    logging.DEBUG: 7,
}


class _JournalFormatter(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        priority = _SYSLOG_PRIORITY.get(record.levelno, 6)
        return f"<{priority}>{super().format(record)}"


def setup_logging(verbose: bool, env: Mapping[str, str] = os.environ) -> None:
    handler = logging.StreamHandler(sys.stderr)
    if env.get("JOURNAL_STREAM"):
        handler.setFormatter(_JournalFormatter("%(message)s"))
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(message)s", "%Y-%m-%d %H:%M:%S")
        )
    root = logging.getLogger("breakd")
    root.handlers[:] = [handler]
    root.setLevel(logging.DEBUG if verbose else logging.INFO)
    root.propagate = False
    # APScheduler logs every job run at INFO; only its problems are worth a line.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
