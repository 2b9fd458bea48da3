"""The guide in a real headless browser (Debian's chromium), at a desktop and a phone width:
no console errors, every drawing drawn and animated, the countdown runs, the links land, and
nothing is wider than a phone's screen. Reuses the report's chromium harness.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from breakd.core.content import CATALOG
from breakd.guide.drawings import drawing_svg
from breakd.guide.page import render_guide
from tests.stats.test_report_browser import (
    ORANGE,
    console_errors,
    decode_png,
    dump,
    run_chromium,
)

DESKTOP, PHONE = (1280, 1600), (390, 1600)

# Run after the page's own script: start the first countdown, then, once virtual time has
# passed and the drawings' animation clock has started, write down what the test cannot see
# from outside the browser. The clock starts with the first animation frame, which a loaded
# machine gives late in virtual time: the probe waits for it (until the budget is nearly
# spent) rather than assuming it. Whether a figure moves is read at a set moment of its
# animation (setCurrentTime), so it does not depend on how far the clock got.
PROBE = """<script>
document.querySelector("button[data-seconds]").click();
function report() {
  var probe = document.createElement("pre");
  probe.id = "probe";
  var svgs = Array.from(document.querySelectorAll(".move svg"));
  var clock = svgs[0].getCurrentTime();
  var countdown = document.querySelector(".timer output").textContent;
  var heads = svgs.map(function (svg) {
    var c = svg.querySelector("circle animate");
    return c ? c.parentNode : null;
  }).filter(Boolean);
  svgs.forEach(function (svg) { svg.pauseAnimations(); svg.setCurrentTime(1.5); });
  var moved = heads.filter(function (c) {
    return c.cx.animVal.value !== c.cx.baseVal.value || c.cy.animVal.value !== c.cy.baseVal.value;
  }).length;
  var drawn = svgs.filter(function (svg) {
    var box = svg.getBoundingClientRect();
    return box.width > 50 && box.height > 50 && svg.getBBox().width > 10;
  }).length;
  probe.textContent = JSON.stringify({
    countdown: countdown, clock: clock,
    heads: heads.length, moved: moved, drawn: drawn, svgs: svgs.length,
    overflow: document.documentElement.scrollWidth > window.innerWidth,
    hash: location.hash, scrolled: window.scrollY
  });
  document.body.appendChild(probe);
}
function look(waited) {
  var clock = document.querySelector(".move svg").getCurrentTime();
  if (clock > 0 || waited >= 6000) { report(); } else { setTimeout(look, 200, waited + 200); }
}
setTimeout(look, 2600, 0);
</script></body>"""


def write_page(tmp: Path, probe: bool, focus: str | None = None) -> Path:
    source = render_guide({s.key: drawing_svg(s.key) for s in CATALOG}, focus=focus)
    if probe:
        source = source.replace("</body>", PROBE)
    page = tmp / "guide.html"
    page.write_text(source, encoding="utf-8")
    return page


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_guide_runs_in_chromium(size: tuple[int, int], tmp_path: Path) -> None:
    import json

    page = write_page(tmp_path, probe=True, focus="march")
    result = run_chromium(
        page,
        tmp_path,
        "--dump-dom",
        "--virtual-time-budget=10000",  # the probe reports by 8.6 s at the latest
        f"--window-size={size[0]},{size[1]}",
    )
    assert result.returncode == 0, result.stderr[-2000:]
    assert console_errors(result.stderr) == []
    found = re.search(r'<pre id="probe">(.*?)</pre>', result.stdout, re.S)
    assert found, "the probe did not run: " + result.stderr[-2000:]
    probe = json.loads(found.group(1).replace("&quot;", '"'))
    assert probe["svgs"] == len(CATALOG)
    assert probe["drawn"] == len(CATALOG), "a drawing did not render"
    assert probe["clock"] > 0, "the animations are not running"  # how far: real time, not asserted
    assert probe["moved"] > 0, "no figure moved"
    first = int(re.search(r'data-seconds="(\d+)"', page.read_text()).group(1))  # type: ignore[union-attr]
    counted = re.fullmatch(r"(\d+)s", probe["countdown"])  # units' English short form: "3s"
    assert counted, probe["countdown"]
    left = int(counted.group(1))
    assert 0 < left < first, probe["countdown"]
    assert probe["overflow"] is False, "the page is wider than the window"
    # `breakd guide march` opens at that movement even if the opener drops the #anchor.
    assert probe["hash"] == "#march"
    assert probe["scrolled"] > 0


def test_the_page_script_has_no_errors(tmp_path: Path) -> None:
    rendered = dump(write_page(tmp_path, probe=False), tmp_path)
    assert console_errors(rendered.log) == []
    assert rendered.dom.count('role="img"') == len(CATALOG)


@pytest.mark.parametrize("size", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_guide_screenshot_shows_figures_and_arrows(size: tuple[int, int], tmp_path: Path) -> None:
    # From the top: headless chromium's --screenshot comes out blank for a scrolled page.
    page = write_page(tmp_path, probe=False)
    png = tmp_path / "shot.png"
    result = run_chromium(
        page, tmp_path, f"--screenshot={png}", f"--window-size={size[0]},{size[1]}"
    )
    assert png.exists(), result.stderr[-2000:]
    width, height, pixels = decode_png(png.read_bytes())
    assert (width, height) == size
    dark = sum(1 for r, g, b in pixels if r + g + b < 150)
    assert dark > 5000, "no figures or text drawn"
    assert sum(1 for p in pixels if p == ORANGE) > 50, "no arrows drawn"


# The countdown in another language: its words come from the page, not from the script.
WORDS_PROBE = """<script>
var button = document.querySelector("button[data-seconds]");
button.click();
setTimeout(function () {
  var probe = document.createElement("pre");
  probe.id = "probe";
  probe.textContent = JSON.stringify({
    countdown: document.querySelector(".timer output").textContent,
    running: button.textContent, lang: document.documentElement.lang
  });
  document.body.appendChild(probe);
}, 2600);
</script></body>"""


def test_the_countdown_speaks_the_pages_language(tmp_path: Path) -> None:
    import json

    from breakd import i18n

    japanese = i18n.translator("ja", {})
    source = render_guide({s.key: drawing_svg(s.key) for s in CATALOG}, tr=japanese)
    page = tmp_path / "guide.html"
    page.write_text(source.replace("</body>", WORDS_PROBE), encoding="utf-8")
    result = run_chromium(page, tmp_path, "--dump-dom", "--virtual-time-budget=10000")
    assert result.returncode == 0, result.stderr[-2000:]
    assert console_errors(result.stderr) == []
    found = re.search(r'<pre id="probe">(.*?)</pre>', result.stdout, re.S)
    assert found, "the probe did not run: " + result.stderr[-2000:]
    probe = json.loads(found.group(1).replace("&quot;", '"'))
    assert probe["lang"] == "ja"
    assert re.fullmatch(r"\d+秒", probe["countdown"]), probe["countdown"]
    assert probe["running"].endswith("ストップ"), probe["running"]
