"""The HTML report in a real headless browser (Debian's chromium): no console errors, charts drawn.

Without chromium the tests skip, naming the package; in CI (CI=true) they fail instead, so a
missing package cannot hide a broken report.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import struct
import subprocess
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest

from breakd.stats.report import render_report
from breakd.stats.summary import PeriodSummary, summarize
from breakd.store.sqlite import History
from tests.stats.days import DAY, DayBuilder, at, months, present, reminder

FOUR = dt.time(4, 0)
NOW = dt.datetime.combine(DAY, dt.time(18))
BLUE = (0x00, 0x72, 0xB2)  # the active-time bars
ORANGE = (0xD5, 0x5E, 0x00)  # the sitting-stretch bars


def chromium() -> str:
    path = shutil.which("chromium") or (
        "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None
    )
    if path is None:
        message = "chromium is not installed (Debian package: chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message + "; CI must install it")
        pytest.skip(message + "; apt-get install chromium")
    return path


@dataclass(frozen=True)
class Rendered:
    dom: str
    log: str  # chromium's stderr, console messages included


def run_chromium(page: Path, tmp: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    command = [
        chromium(),
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
        f"--user-data-dir={tmp / 'profile'}",
        "--enable-logging=stderr",
        "--v=0",
        *extra,
        page.as_uri(),
    ]
    env = {**os.environ, "HOME": str(tmp)}
    return subprocess.run(
        command, capture_output=True, text=True, timeout=120, check=False, env=env, cwd=tmp
    )


def dump(page: Path, tmp: Path) -> Rendered:
    result = run_chromium(page, tmp, "--dump-dom")
    assert result.returncode == 0, result.stderr[-2000:]
    return Rendered(result.stdout, result.stderr)


def console_errors(log: str) -> list[str]:
    return [
        line
        for line in log.splitlines()
        if "Uncaught" in line or re.search(r"(ERROR|WARNING):CONSOLE", line)
    ]


def screenshot(page: Path, tmp: Path) -> tuple[int, int, list[tuple[int, int, int]]]:
    png = tmp / "shot.png"
    result = run_chromium(page, tmp, f"--screenshot={png}", "--window-size=900,2000")
    assert png.exists(), result.stderr[-2000:]
    return decode_png(png.read_bytes())


def decode_png(data: bytes) -> tuple[int, int, list[tuple[int, int, int]]]:
    """Width, height and RGB pixels of an 8-bit RGB or RGBA PNG (what chromium writes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, idat, header = 8, b"", b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind, body = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (2, 6), (depth, colour)
    channels = 3 if colour == 2 else 4
    raw = zlib.decompress(idat)
    stride = width * channels
    rows: list[bytearray] = []
    previous = bytearray(stride)
    for y in range(height):
        start = y * (stride + 1)
        kind, line = raw[start], bytearray(raw[start + 1 : start + 1 + stride])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[i] = (line[i] + pred) & 0xFF
        rows.append(line)
        previous = line
    pixels = [(row[x], row[x + 1], row[x + 2]) for row in rows for x in range(0, stride, channels)]
    return width, height, pixels


def write_page(tmp: Path, summary: PeriodSummary) -> Path:
    page = tmp / "report.html"
    page.write_text(render_report(summary, generated=NOW, advice=None), encoding="utf-8")
    return page


def one_day() -> PeriodSummary:
    b = DayBuilder()
    b.minutes += present(at(DAY, 9), 95)
    b.events += reminder(at(DAY, 9, 30), 1, "sitting", "taken")
    b.events += reminder(at(DAY, 10, 30), 2, "repetition", "ignored")
    return summarize(b.history(DAY, DAY), FOUR)


def three_months() -> PeriodSummary:
    return summarize(months(DAY).history(DAY - dt.timedelta(days=90), DAY), FOUR)


def empty() -> PeriodSummary:
    return summarize(History(DAY - dt.timedelta(days=27), DAY), FOUR)


def test_the_harness_sees_console_errors(tmp_path: Path) -> None:
    # So that "no console errors" below means something.
    page = tmp_path / "bad.html"
    page.write_text("<!DOCTYPE html><p>x</p><script>throw new Error('boom')</script>")
    assert console_errors(dump(page, tmp_path).log)


@pytest.mark.parametrize("make", [empty, one_day, three_months], ids=["empty", "day", "months"])
def test_report_renders_without_errors_with_its_charts(make, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    summary = make()
    page = write_page(tmp_path, summary)
    source = page.read_text(encoding="utf-8")
    # Self-contained: no script, and nothing fetched (the SVG namespace is a name, not a fetch).
    assert "<script" not in source
    assert not re.search(r"""(src|href)\s*=|url\(|@import""", source)
    rendered = dump(page, tmp_path)
    assert console_errors(rendered.log) == []
    charts = re.findall(r'<svg[^>]*role="img"[^>]*id="(\w+)"', rendered.dom)
    assert charts == ["active", "sitting", "kinds", "checkins"]
    for chart in charts:
        assert f'<title id="{chart}-title">' in rendered.dom
        assert f'<desc id="{chart}-desc">' in rendered.dom
    bars = rendered.dom.count("<rect")
    if summary.has_data:
        assert bars >= sum(1 for d in summary.days if d.active_s)
    else:
        assert "No data yet" in rendered.dom


@pytest.mark.parametrize("make", [one_day, three_months], ids=["day", "months"])
def test_report_screenshot_shows_the_bars(make, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    page = write_page(tmp_path, make())
    width, height, pixels = screenshot(page, tmp_path)
    assert (width, height) == (900, 2000)
    distinct = set(pixels)
    assert len(distinct) > 20, "the page is blank"
    assert sum(1 for p in pixels if p == BLUE) > 200, "no active-time bars"
    assert sum(1 for p in pixels if p == ORANGE) > 200, "no sitting-stretch bars"


def test_empty_report_screenshot_is_not_blank(tmp_path: Path) -> None:
    _, _, pixels = screenshot(write_page(tmp_path, empty()), tmp_path)
    dark = sum(1 for r, g, b in pixels if r + g + b < 200)
    assert dark > 500, "no text drawn"
