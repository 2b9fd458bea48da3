"""``breakd stats``, ``breakd report``, the guide page and ``breakd movements`` in the user's
language: translated headings, no English left in known places, layouts that still fit and
line up, and the pages' ``lang``."""

from __future__ import annotations

import argparse
import ast
import datetime as dt
import io
import re
from pathlib import Path

import pytest

from breakd import i18n
from breakd.content_commands import movements_command
from breakd.core import units
from breakd.core.content import CATALOG, STOP_ON_PAIN, by_key, display_width
from breakd.guide.page import CAUSE_TEXT, guide_command, render_guide
from breakd.stats.chart import OUTCOME_LEGEND, WIDTH, render
from breakd.stats.checkin import Advice
from breakd.stats.commands import report_command, stats_command
from breakd.stats.report import render_report
from tests.stats.days import DAY
from tests.stats.test_chart import three_months
from tests.stats.test_commands import fill, parse, text_of, utf8

ROOT = Path(__file__).resolve().parent.parent
NOW = dt.datetime.combine(DAY, dt.time(18, 0))
GERMAN = i18n.translator("de", {})


def drawings() -> dict[str, str]:
    return {s.key: "<svg></svg>" for s in CATALOG}  # the page's words, not its drawings


# --- breakd stats ---------------------------------------------------------------------------


def test_stats_text_in_german() -> None:
    text = render(three_months("week"), "week", unicode=True, tr=GERMAN)
    lines = text.splitlines()
    assert lines[0].startswith("breakd — letzte 7 Tage, ")
    assert "  aktive Zeit " in text and "  natürliche Pausen " in text
    assert "beantwortet: " in text and "(0 = kein Schmerz)" in text
    header = next(line for line in lines if line.startswith("  Erinnerungen"))
    assert header.split()[1:] == [
        "gezeigt",
        "genommen",
        "verschoben",
        "ausgelassen",
        "ignoriert",
        "vereint",
    ]
    assert any(line.startswith("Tag ") and "Schmerz" in line for line in lines)
    assert any(line.startswith(("Mo ", "Di ", "Mi ")) for line in lines)  # the day chart
    assert GERMAN.gettext(OUTCOME_LEGEND)[:40] in text
    for english in ("active time", "natural breaks", "reminders", "taken/answered", "taken:"):
        assert english not in text


@pytest.mark.parametrize("language", i18n.LANGUAGES)
@pytest.mark.parametrize("which", ["today", "week", "month"])
def test_stats_text_fits_and_lines_up_in_every_language(language: str, which: str) -> None:
    tr = i18n.translator(language, {})
    advice = Advice("streak", DAY, 5, 6).text(tr=tr)
    summary = three_months(which)
    text = render(summary, which, unicode=True, advice=advice, tr=tr)
    english = render(summary, which, unicode=True, advice=Advice("streak", DAY, 5, 6).text())
    lines = text.splitlines()
    assert [line for line in lines if display_width(line) > WIDTH] == []
    assert len(lines) >= len(english.splitlines()) - 5  # wrapping differs, nothing is lost
    assert OUTCOME_LEGEND[:30] not in text
    # The per-kind table: each count ends under the end of its heading.
    at = lines.index(
        next(line for line in lines if line.startswith(f"  {tr.gettext('reminders')} "))
    )
    assert _column_ends(lines[at + 1])[-6:] == _column_ends(lines[at])[-6:], lines[at : at + 2]
    if which != "today":
        # The day chart: one line per day, the bars starting in one column.
        chart = [line for line in lines if "█" in line]
        starts = {
            display_width(line[: line.index(next(c for c in line if c in "█▏▎▍▌▋▊▉"))])
            for line in chart
        }
        assert len(starts) == 1, chart


def _column_ends(line: str) -> list[int]:
    """The display column where each word of ``line`` ends."""
    return [display_width(line[: m.end()]) for m in re.finditer(r"\S+", line)]


def test_stats_command_speaks_the_users_language(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path / "state"), "LANGUAGE": "de"}
    out = utf8()
    assert stats_command(parse("stats"), out=out, env=env, now=NOW) == 0
    assert text_of(out) == "noch keine Daten — breakd zeichnet deine Tage auf, solange es läuft\n"
    fill(env)
    out = utf8()
    assert stats_command(parse("stats", "--week"), out=out, env=env, now=NOW) == 0
    assert "letzte 7 Tage" in text_of(out)
    # JSON stays English for scripts; a terminal that cannot show the letters gets English.
    out = utf8()
    assert stats_command(parse("stats", "--json"), out=out, env=env, now=NOW) == 0
    assert '"period": "today"' in text_of(out)
    japanese = {**env, "LANGUAGE": "ja"}
    out = io.TextIOWrapper(io.BytesIO(), encoding="latin-1")
    assert stats_command(parse("stats", "--week"), out=out, env=japanese, now=NOW) == 0
    assert text_of(out).startswith("breakd - last 7 days")


# --- breakd report --------------------------------------------------------------------------

# English sentences of the report, each of which must be gone in another language.
REPORT_ENGLISH = (
    "breakd: your days from",
    "from the statistics breakd keeps",
    "Active time per day",
    "Hours of active keyboard and mouse use per day.",
    "Longest sitting stretch per day",
    "The line marks",
    "Reminders taken and ignored, by kind",
    "For each kind of reminder",
    "Check-in scores against sitting time",
    "Each dot is a day with a check-in",
    "The numbers",
    "pain score (0-10)",
    "hours at the desk that day",
    "Breaks taken when reminded",
    OUTCOME_LEGEND[:40],
)


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_the_report_speaks_the_language(language: str) -> None:
    tr = i18n.translator(language, {})
    advice = Advice("rising", DAY, 3, 7).text(tr=tr)
    page = render_report(three_months("month"), generated=NOW, advice=advice, tr=tr)
    assert f'<html lang="{language.replace("_", "-")}">' in page
    assert [english for english in REPORT_ENGLISH if english in page] == []
    heading = tr.gettext("breakd: your days from {first} to {last}").split("{")[0]
    assert f"<h1>{heading}" in page.replace("&#x27;", "'")


def test_the_report_writes_german_numbers_dates_and_durations() -> None:
    summary = three_months("month")
    page = render_report(summary, generated=NOW, tr=GERMAN)
    first, last = units.date(summary.first, GERMAN), units.date(summary.last, GERMAN)
    assert (first, last) == ("Mo, 5. Mai 2025", "Di, 3. Juni 2025")
    assert f"<h1>breakd: deine Tage vom {first} bis {last}</h1>" in page
    assert "Erstellt am Di, 3. Juni 2025, 18:00 aus den Statistiken" in page
    assert "beantwortet (33 %)" in page.replace("\u00a0", " ")  # units' percent, no-break space
    assert ">Mo 5.</text>" in page  # a bar's day on the axis
    assert ">1 Std. 20 Min.</text>" in page and ">8 Std.</text>" in page  # axis ticks
    assert "<td>Di, 3. Juni 2025</td><td>4 Std. 1 Min.</td>" in page  # a day in the table
    for english in ("2025-06-03", "3/6<", "4h01m", "Sek."):  # ("0 Sek.": the axes start at 0)
        assert english not in page


def test_stats_write_german_numbers_dates_and_durations() -> None:
    text = render(three_months("week"), "week", unicode=True, tr=GERMAN).replace("\u00a0", " ")
    assert text.startswith("breakd — letzte 7 Tage, Mi, 28. Mai 2025 bis Di, 3. Juni 2025\n")
    assert "  aktive Zeit             18 Std. 28 Min.\n" in text  # its note on the next line
    assert "17 von 37 beantwortet: 46 %" in text
    assert "\nDi 3.  " in text and "4 Std. 1 Min." in text  # the day chart


def test_the_report_in_german_and_with_no_data() -> None:
    empty = three_months("today").__class__(DAY, DAY, ())
    page = render_report(empty, generated=NOW, tr=GERMAN)
    assert "<h1>breakd: deine Tage vom " in page
    assert "Noch keine Daten: breakd zeichnet deine Tage auf" in page
    assert ">noch keine Daten</text>" in page  # the charts say it too
    assert "<summary>Die Zahlen</summary>" in page
    assert "English" not in page and "no data yet" not in page


def test_the_report_command_writes_the_users_language(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path / "state"), "LANG": "fr_FR.UTF-8"}
    fill(env)
    target = tmp_path / "r.html"
    out = io.StringIO()
    args = argparse.Namespace(out=str(target), weeks=2)
    assert report_command(args, out=out, env=env, now=NOW) == 0
    assert out.getvalue() == f"rapport écrit dans {target}\n"
    page = target.read_text(encoding="utf-8")
    assert '<html lang="fr">' in page and "Temps actif par jour" in page


def test_an_english_report_says_lang_en() -> None:
    assert '<html lang="en">' in render_report(three_months("week"), generated=NOW)


# --- the guide ------------------------------------------------------------------------------

GUIDE_ENGLISH = (
    "movements for your breaks",
    "Each drawing shows where the movement goes",
    ">By body area<",
    ">By cause<",
    ">Desk setup checklist<",
    ">Warning signs<",
    "Helps with:",
    ">see it<",
    "Done. Relax.",
    ": start<",
    CAUSE_TEXT["sitting"],
    STOP_ON_PAIN,
)


@pytest.mark.parametrize("language", i18n.LANGUAGES)
def test_the_guide_speaks_the_language(language: str) -> None:
    tr = i18n.translator(language, {})
    page = render_guide(drawings(), tr=tr)
    assert f'<html lang="{language.replace("_", "-")}">' in page
    assert [english for english in GUIDE_ENGLISH if english in page] == []
    escaped = page.replace("&#x27;", "'")
    for suggestion in CATALOG:
        # The reminders' own translations: one catalog entry for a movement's words.
        assert tr.gettext(suggestion.lead) in escaped, suggestion.key
        assert tr.gettext(suggestion.how) in escaped, suggestion.key
        assert f"<h3>{tr.gettext(suggestion.title)}</h3>" in escaped, suggestion.key
    assert (
        tr.gettext("Urgent: call your local emergency number or get medical help today for:")
        in escaped
    )


def test_the_guide_in_german() -> None:
    page = render_guide(drawings(), tr=GERMAN)
    card = page[page.index('id="side-tilt"') :].split("</article>")[0]
    assert "<h3>Ohr zur Schulter</h3>" in card
    # Lengths as units writes them in German (the status line's "15 Sek.").
    assert "Etwa 40 Sek. &middot; 15 Sek. halten &middot; Nacken" in card
    assert 'data-start="15 Sek. halten: Start" data-stop="15 Sek. halten: Stopp"' in card
    assert "Hilft bei: " in card
    assert '<h3 class="area" id="area-neck">Nacken</h3>' in page  # the anchors stay English
    assert 'data-count="{seconds} Sek." data-done="Fertig. Entspann dich."' in page


def test_the_guide_command_writes_the_users_language(tmp_path: Path) -> None:
    env = {"HOME": str(tmp_path), "XDG_STATE_HOME": str(tmp_path / "state"), "LANGUAGE": "ja"}
    target = tmp_path / "g.html"
    out = io.StringIO()
    args = argparse.Namespace(key="chin-tuck", out=str(target))
    assert guide_command(args, out=out, env=env) == 0
    assert out.getvalue() == f"ガイドを {target} に書き出しました\n"
    page = target.read_text(encoding="utf-8")
    assert '<html lang="ja">' in page and "<h3>あご引き</h3>" in page
    # The drawings too: what a screen reader says of each, and what a hover shows.
    assert 'aria-label="あご引き"' in page and "<title>あご引き</title>" in page
    assert 'aria-label="Chin' not in page and "<title>Chin" not in page


# --- breakd movements -----------------------------------------------------------------------


@pytest.mark.parametrize("language", ["de", "ja"])
def test_movements_speaks_the_language_and_lines_up(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, language: str
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))  # no user config
    monkeypatch.setenv("LANGUAGE", language)
    tr = i18n.translator(language, {})
    config = tmp_path / "breakd" / "config.toml"
    config.parent.mkdir()
    keys = ", ".join(f'"{s.key}"' for s in CATALOG if s.key.startswith("water-"))
    config.write_text(f"[content]\nexclude = [{keys}]\n", encoding="utf-8")
    out = io.StringIO()
    assert movements_command(argparse.Namespace(config=None), out=out) == 0
    lines = out.getvalue().splitlines()
    assert lines[0].split()[:2] == [tr.gettext("KEY"), tr.gettext("TITLE")]
    rows = lines[1 : len(CATALOG) + 1]
    for row, suggestion in zip(rows, CATALOG, strict=True):
        assert row[2:].startswith(suggestion.key + " ")
        assert tr.gettext(suggestion.title) in row and tr.gettext(suggestion.area) in row
    # The area column starts at one display column on every line, titles wide or not.
    area = display_width(lines[0][: lines[0].index(tr.gettext("AREA"))])
    for row, suggestion in zip(rows, CATALOG, strict=True):
        title = tr.gettext(suggestion.title)
        after_title = row.index(title) + len(title)
        before = row[: row.index(tr.gettext(suggestion.area), after_title)]
        assert display_width(before) == area, row
    name = tr.gettext("water")
    assert re.search(f"^{name}[:\uff1a]", out.getvalue(), re.M)  # ":" or the Japanese one
    assert "Leave any out" not in out.getvalue() and "every suggestion" not in out.getvalue()
    assert by_key("chin-tuck").title not in out.getvalue()


# --- the catalog template -------------------------------------------------------------------


def test_no_translated_string_is_looked_up_inside_an_f_string() -> None:
    """xgettext does not read inside f-strings: a string looked up there is never extracted,
    so it would stay English in every language."""
    found = []
    for path in sorted((ROOT / "breakd").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not isinstance(node, ast.JoinedStr):
                continue
            for call in ast.walk(node):
                if (
                    isinstance(call, ast.Call)
                    and isinstance(call.func, ast.Attribute)
                    and call.func.attr in ("gettext", "ngettext")
                    and call.args
                    and isinstance(call.args[0], ast.Constant)
                ):
                    found.append(f"{path.relative_to(ROOT)}:{call.lineno}")
    assert found == []
