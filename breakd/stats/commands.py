"""``breakd stats``, ``breakd report`` and ``breakd checkin``: the commands and their parsers.

What this module owns: the edges of the statistics - reading the clock, the environment, the
config (only for ``daily.day_starts``) and the store, and writing to stdout or the report
file. ``cli.py`` calls ``add_stats_parsers`` and then the ``*_command`` functions.

Must not: change the daemon's data except a check-in (``stats`` and ``report`` open the file
read-only, so they work while the daemon writes), or fail because there is no data yet.
"""

from __future__ import annotations

import argparse
import codecs
import dataclasses
import datetime as dt
import json
import os
import sys
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from breakd import exitcodes, i18n
from breakd.core import units
from breakd.core.calendar import day_of
from breakd.core.content import display_width
from breakd.core.words import ENGLISH, N_, Phrase, Translator

# Only what the parsers need is imported up front: ``breakd`` builds every subparser on each
# run, and ``breakd status`` should not pay for SQLite and the chart code. The commands import
# the rest when they run.
if TYPE_CHECKING:
    from breakd.config.model import Config
    from breakd.stats.summary import PeriodSummary
    from breakd.store.sqlite import Checkin, History

NO_DATA = N_("no data yet {dash} breakd records your days while it runs")
MAX_NOTE = 500
DEFAULT_WEEKS = 8
MAX_WEEKS = 520
WEEKS_RANGE = N_("use a whole number from 1 to 520")  # MAX_WEEKS

SCORE_RANGE = N_("use a whole number from 0 (no pain) to 10 (the worst imaginable)")
# The numbers are checkin.py's PAIN_SCORE and STREAK_DAYS (a test checks they agree).
CHECKIN_HELP = N_(
    "Record how your neck and shoulders feel today. "
    "Scores: 0 = no pain, 10 = the worst imaginable; one per day: a later one replaces the "
    "score, and the note if it gives one. "
    "If you record pain (3 or more) on more than three days in a row (days with "
    "no check-in, such as a weekend, do not break the run), or it rises at three check-ins "
    "in a row, breakd suggests seeing a doctor or physiotherapist. One bad day does not. "
    "The warning signs that need help sooner: breakd warning-signs."
)


# --- parsers -------------------------------------------------------------------------------


def add_stats_parsers(sub: argparse._SubParsersAction) -> None:
    """Add the ``stats``, ``report`` and ``checkin`` subcommands to ``breakd``'s parser."""
    stats = sub.add_parser(
        "stats", help=N_("show today's statistics (or the last week or month, with a chart)")
    )
    which = stats.add_mutually_exclusive_group()
    which.add_argument("--week", action="store_true", help=N_("the last 7 days, with a chart"))
    which.add_argument("--month", action="store_true", help=N_("the last 30 days, with a chart"))
    stats.add_argument("--json", action="store_true", help=N_("print the numbers as JSON"))

    report = sub.add_parser(
        "report", help=N_("write an HTML page with charts of the last weeks (no network, no JS)")
    )
    report.add_argument(
        "--out",
        metavar="FILE",
        help=N_(
            "where to write it (default: $XDG_STATE_HOME/breakd/report.html, "
            "~/.local/state/breakd/report.html)"
        ),
    )
    report.add_argument(
        "--weeks",
        type=_weeks,
        default=DEFAULT_WEEKS,
        metavar="N",
        help=N_("how many weeks to show (default %(default)s)"),
    )

    checkin = sub.add_parser(
        "checkin",
        help=N_("record how your neck and shoulders feel today, 0 (no pain) to 10"),
        description=CHECKIN_HELP,
    )
    checkin.add_argument(
        "score",
        nargs="?",
        type=_score,
        metavar="0-10",
        help=N_("0 = no pain, 10 = the worst imaginable (without it: show recent check-ins)"),
    )
    checkin.add_argument("--note", metavar="TEXT", help=N_("a few words to remember the day by"))


def _score(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if not 0 <= value <= 10:
        raise argparse.ArgumentTypeError(SCORE_RANGE)  # in the user's words: breakd.arguments
    return value


def _weeks(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = 0
    if not 1 <= value <= MAX_WEEKS:
        # A fixed sentence, so breakd.arguments can say it in the user's words.
        raise argparse.ArgumentTypeError(WEEKS_RANGE)
    return value


# --- breakd stats --------------------------------------------------------------------------


def stats_command(
    args: argparse.Namespace,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
    env: Mapping[str, str] = os.environ,
    now: dt.datetime | None = None,
) -> int:
    """Print the summary for today, ``--week`` or ``--month``, as text or ``--json``."""
    from breakd.stats.chart import Targets, render
    from breakd.stats.checkin import needs_professional
    from breakd.stats.summary import period, summarize
    from breakd.store.sqlite import default_db_path

    out, err = out or sys.stdout, err or sys.stderr
    which = "month" if args.month else "week" if args.week else "today"
    day_starts = _day_starts(env, err)
    today = day_of(now or dt.datetime.now(), day_starts)
    first, last = period(which, today)
    try:
        history = _read_history(default_db_path(env), first, last, day_starts)
    except _store_errors() as exc:
        _cannot_read(exc, env, err)
        return exitcodes.FAILURE
    summary = summarize(history, day_starts)
    recent = _recent_checkins(env, today)
    if args.json:  # JSON stays English: scripts read it
        advice = needs_professional(recent, today=today)
        print(json.dumps(summary_json(summary, which, advice), indent=2), file=out)
        return exitcodes.OK
    unicode = _is_utf8(out)
    targets = Targets.from_config(_config(env, err, quiet=True))

    def text(tr: Translator) -> str:
        advice = needs_professional(recent, today=today, tr=tr)
        if summary.has_data:
            return render(summary, which, unicode=unicode, advice=advice, targets=targets, tr=tr)
        empty = tr.gettext(NO_DATA).format(dash="\u2014" if unicode else "-")
        return empty + "\n" + (f"\n{advice}\n" if advice else "")

    page = text(i18n.user_translator(env))
    if not _can_encode(out, page):  # a terminal whose encoding lacks the language's letters
        page = text(ENGLISH)
    print(page, end="", file=out)
    return exitcodes.OK


def summary_json(summary: PeriodSummary, which: str, advice: str | None) -> dict[str, Any]:
    """The summary as plain JSON values: dates as ISO text, durations in seconds."""
    return {
        "period": which,
        "first": summary.first.isoformat(),
        "last": summary.last.isoformat(),
        "has_data": summary.has_data,
        "total": _day_json(summary.total),
        "days": [_day_json(d) for d in summary.days],
        "advice": advice,
    }


def _day_json(day: Any) -> dict[str, Any]:
    data = dataclasses.asdict(day)
    data["day"] = day.day.isoformat()
    data["shown"], data["taken"], data["answered"] = day.shown, day.taken, day.answered
    data["compliance"] = day.compliance
    return data


# --- breakd report -------------------------------------------------------------------------


def report_command(
    args: argparse.Namespace,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
    env: Mapping[str, str] = os.environ,
    now: dt.datetime | None = None,
) -> int:
    """Write the HTML report and say where."""
    from breakd.stats.chart import Targets
    from breakd.stats.checkin import needs_professional
    from breakd.stats.report import render_report
    from breakd.stats.summary import summarize
    from breakd.store.sqlite import default_db_path, state_dir

    out, err = out or sys.stdout, err or sys.stderr
    now = now or dt.datetime.now()
    day_starts = _day_starts(env, err)
    today = day_of(now, day_starts)
    first = today - dt.timedelta(days=7 * args.weeks - 1)
    try:
        history = _read_history(default_db_path(env), first, today, day_starts)
    except _store_errors() as exc:
        _cannot_read(exc, env, err)
        return exitcodes.FAILURE
    tr = i18n.user_translator(env)
    advice = needs_professional(_recent_checkins(env, today), today=today, tr=tr)
    targets = Targets.from_config(_config(env, err, quiet=True))
    page = render_report(
        summarize(history, day_starts), generated=now, advice=advice, targets=targets, tr=tr
    )
    target = Path(args.out) if args.out else state_dir(env) / "report.html"
    try:
        _write_atomically(target, page)
    except OSError as exc:
        print(_cannot_write(target, exc, tr), file=err)
        return exitcodes.FAILURE
    print(tr.gettext("wrote the report to {path}").format(path=target), file=out)
    return exitcodes.OK


def _write_atomically(target: Path, text: str) -> None:
    # A half-written page open in a browser would look like a bug; replace it in one step.
    target.parent.mkdir(parents=True, exist_ok=True)
    partial = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, target)
    finally:
        partial.unlink(missing_ok=True)


# --- breakd checkin ------------------------------------------------------------------------


def checkin_command(
    args: argparse.Namespace,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
    env: Mapping[str, str] = os.environ,
    now: dt.datetime | None = None,
) -> int:
    """Record today's score (or, without one, show the recent check-ins)."""
    from breakd.stats.checkin import needs_professional
    from breakd.store.sqlite import Store, default_db_path

    out, err = out or sys.stdout, err or sys.stderr
    today = day_of(now or dt.datetime.now(), _day_starts(env, err))
    tr = i18n.user_translator(env)
    if args.score is None:
        return _show_checkins(_recent_checkins(env, today), out, tr)
    note = (args.note or "").strip() or None
    if note is not None and len(note) > MAX_NOTE:
        too_long = tr.ngettext(
            "breakd: the note is longer than {n} character",
            "breakd: the note is longer than {n} characters",
            MAX_NOTE,
        )
        print(too_long.format(n=MAX_NOTE), file=err)
        return exitcodes.USAGE
    errors: tuple[type[Exception], ...] = (*_store_errors(), OSError)
    try:
        with Store.open(default_db_path(env)) as store:
            earlier = store.checkins(today, today)
            store.add_checkin(today, args.score, note)
    except errors as exc:
        text = tr.gettext("breakd: cannot record the check-in: {error}")
        print(text.format(error=Phrase.of(exc).say(tr)), file=err)
        return exitcodes.FAILURE
    print(_recorded(args.score, today, earlier, note, tr), file=out)
    advice = needs_professional(_recent_checkins(env, today), today=today, tr=tr)
    if advice:
        print("\n" + advice, file=out)
    return exitcodes.OK


def _recorded(
    score: int, day: dt.date, earlier: tuple[Checkin, ...], note: str | None, tr: Translator
) -> str:
    """What was recorded, and what it did to an earlier check-in of the day:
    ``recorded 2/10 for Mon 5 Jan 2026 (was 6/10; note kept)``."""
    values = {"score": score, "day": units.date(day, tr)}
    if not earlier:
        return tr.gettext("recorded {score}/10 for {day}").format(**values)
    values["earlier"] = earlier[0].score
    if note is None and earlier[0].note:
        text = tr.gettext("recorded {score}/10 for {day} (was {earlier}/10; note kept)")
    else:
        text = tr.gettext("recorded {score}/10 for {day} (was {earlier}/10)")
    return text.format(**values)


def _show_checkins(checkins: tuple[Checkin, ...], out: TextIO, tr: Translator) -> int:
    if not checkins:
        print(tr.gettext("no check-ins yet; record one with `breakd checkin 0-10`"), file=out)
        return exitcodes.OK
    days = [units.date(c.day, tr) for c in checkins]
    width = max(display_width(day) for day in days)
    for day, c in zip(days, checkins, strict=True):
        note = f"  {c.note}" if c.note else ""
        padding = " " * (width - display_width(day))
        print(f"{day}{padding}  {c.score:>2}/10{note}", file=out)
    return exitcodes.OK


# --- shared --------------------------------------------------------------------------------


def _cannot_read(exc: Exception, env: Mapping[str, str], err: TextIO) -> None:
    tr = i18n.user_translator(env)
    text = tr.gettext("breakd: cannot read the statistics: {error}")
    print(text.format(error=Phrase.of(exc).say(tr)), file=err)


def _cannot_write(target: Path, exc: OSError, tr: Translator) -> str:
    """Why a page (the report, the guide) was not written; the system's reason as it says it."""
    text = tr.gettext("breakd: cannot write {path}: {error}")
    return text.format(path=target, error=exc.strerror or exc)


def _store_errors() -> tuple[type[Exception], ...]:
    """What reading or writing the store may raise that is the file's fault, not a bug."""
    import sqlite3

    from breakd.store.sqlite import StoreError

    return (StoreError, sqlite3.Error)


def _read_history(path: Path, first: dt.date, last: dt.date, day_starts: dt.time) -> History:
    """What the store holds for the days, or an empty history when there is no file yet."""
    from breakd.store.sqlite import History, Store

    if not path.exists():
        return History(first, last)
    with Store.open(path, readonly=True) as store:
        return store.history(first, last, day_starts=day_starts)


def _recent_checkins(env: Mapping[str, str], today: dt.date) -> tuple[Checkin, ...]:
    from breakd.stats.checkin import LOOKBACK_DAYS
    from breakd.store.sqlite import Store, default_db_path

    path = default_db_path(env)
    if not path.exists():
        return ()
    try:
        with Store.open(path, readonly=True) as store:
            return store.checkins(today - dt.timedelta(days=LOOKBACK_DAYS), today)
    except _store_errors():
        return ()  # the command that needs the store reports the problem


def _day_starts(env: Mapping[str, str], err: TextIO) -> dt.time:
    """``daily.day_starts`` from the user's config; the default if the config is broken."""
    return _config(env, err).daily.day_starts


def _config(env: Mapping[str, str], err: TextIO, *, quiet: bool = False) -> Config:
    """The user's config (for when days start and the intervals the charts mark); the
    defaults if it is broken (said once on ``err`` unless ``quiet``)."""
    from breakd.config.load import ConfigError, load_config
    from breakd.config.model import Config

    try:
        return load_config(env=env)
    except ConfigError:
        # Statistics are still worth showing; check-config explains what is wrong.
        if not quiet:
            text = N_(
                "breakd: the config has problems (see `breakd check-config`); "
                "days start at the default time"
            )
            print(i18n.user_translator(env).gettext(text), file=err)
        return Config()


def _is_utf8(stream: TextIO) -> bool:
    encoding = getattr(stream, "encoding", None)
    if not encoding:
        return False
    try:
        return codecs.lookup(encoding).name == "utf-8"
    except LookupError:
        return False


def _can_encode(stream: TextIO, text: str) -> bool:
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True
