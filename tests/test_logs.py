"""Log lines: timestamps in a terminal, syslog priorities and none under systemd's journal."""

from __future__ import annotations

import logging
import re

import pytest

from breakd.logs import setup_logging


def test_a_terminal_gets_timestamps(capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging(verbose=False, env={})
    logging.getLogger("breakd.test").info("reminder 1 shown")
    logging.getLogger("breakd.test").debug("hidden without -v")
    line = capsys.readouterr().err
    assert re.fullmatch(r"\d{4}-\d\d-\d\d \d\d:\d\d:\d\d INFO reminder 1 shown\n", line), line


def test_the_journal_gets_priorities_and_no_timestamps(capsys: pytest.CaptureFixture[str]) -> None:
    setup_logging(verbose=True, env={"JOURNAL_STREAM": "8:12345"})
    log = logging.getLogger("breakd.test")
    log.warning("reminder 2 could not be shown")
    log.debug("stored 1 minutes")
    assert capsys.readouterr().err == "<4>reminder 2 could not be shown\n<7>stored 1 minutes\n"
