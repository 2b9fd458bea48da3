"""`breakd guide`: the page (self-contained, every movement, working anchors) and the command."""

from __future__ import annotations

import argparse
import html
import io
import re
import webbrowser
from pathlib import Path

import pytest

from breakd import cli, exitcodes
from breakd.adapters.browser import open_page, page_url
from breakd.core.content import CATALOG, Cause, by_key, warning_signs_text
from breakd.guide.drawings import drawing_svg
from breakd.guide.page import (
    SETUP_PREFIX,
    guide_command,
    hold_seconds,
    render_guide,
    show_movement,
    steps_of,
)

SVG_NAMESPACE = "http://www.w3.org/2000/svg"


def page(focus: str | None = None) -> str:
    return render_guide({s.key: drawing_svg(s.key) for s in CATALOG}, focus=focus)


def assert_self_contained(source: str) -> None:
    # Nothing fetched: no URL but the SVG namespace (a name, not a fetch), no src, no
    # external href, no CSS url() or @import, no external script.
    assert re.findall(r"https?://[^\s\"'<>]+", source) == [SVG_NAMESPACE] * source.count(
        SVG_NAMESPACE
    )
    assert not re.search(r"\bsrc\s*=|url\(|@import|<link\b", source)
    assert all(h.startswith("#") for h in re.findall(r'href="([^"]*)"', source))


def test_the_page_is_self_contained() -> None:
    assert_self_contained(page())


def test_every_movement_is_on_the_page_with_its_anchor_drawing_and_steps() -> None:
    source = page()
    for s in CATALOG:
        assert source.count(f'id="{s.key}"') == 1, s.key
        card = source.split(f'id="{s.key}"', 1)[1].split("</article>", 1)[0]
        assert html.escape(s.title) in card
        assert 'role="img"' in card and "<animate" in card
        for step in steps_of(s):
            assert html.escape(step) in card
        assert "data-seconds=" in card


def test_every_link_goes_to_something_on_the_page() -> None:
    source = page()
    ids = set(re.findall(r'\bid="([^"]+)"', source))
    targets = set(re.findall(r'href="#([^"]+)"', source))
    assert targets - ids == set()
    # Grouped by body area and by cause, and each group links each of its movements.
    for s in CATALOG:
        for cause in s.causes:
            section = source.split(f'id="cause-{cause.value}"', 1)[1].split("</div>", 1)[0]
            assert f'href="#{s.key}"' in section


def test_the_page_has_the_checklist_and_the_warning_signs() -> None:
    source = page()
    checklist = source.split('id="setup"', 1)[1].split("</section>", 1)[0]
    setup = [s for s in CATALOG if s.key.startswith(SETUP_PREFIX)]
    assert setup
    for s in setup:
        assert f'href="#{s.key}"' in checklist and html.escape(s.title) in checklist
    for line in warning_signs_text().splitlines():
        assert html.escape(line.removeprefix("- ")) in source
    assert {f"cause-{c.value}" for c in Cause} <= set(re.findall(r'id="([^"]+)"', source))


def test_a_key_opens_the_page_at_its_movement() -> None:
    assert 'data-focus="chin-tuck"' in page("chin-tuck")
    assert 'data-focus=""' in page()


def test_hold_times_come_from_the_steps() -> None:
    assert hold_seconds(by_key("side-tilt")) == 15
    assert hold_seconds(by_key("chin-tuck")) == 5  # "3-5 seconds": the longer end
    assert hold_seconds(by_key("walk")) is None


def args(*argv: str) -> argparse.Namespace:
    return cli.build_parser().parse_args(["guide", *argv])


def test_guide_out_only_writes(tmp_path: Path) -> None:
    opened: list[str] = []
    target = tmp_path / "sub" / "guide.html"
    out = io.StringIO()
    code = guide_command(args("--out", str(target)), out=out, opener=opened.append)
    assert code == exitcodes.OK
    assert opened == []
    assert str(target) in out.getvalue()
    assert_self_contained(target.read_text(encoding="utf-8"))


def test_guide_writes_to_the_state_dir_and_opens_at_the_key(tmp_path: Path) -> None:
    opened: list[str] = []

    def opener(url: str) -> bool:
        opened.append(url)
        return True

    env = {"XDG_STATE_HOME": str(tmp_path)}
    code = guide_command(args("march"), out=io.StringIO(), env=env, opener=opener)
    assert code == exitcodes.OK
    target = tmp_path / "breakd" / "guide.html"
    assert opened == [target.as_uri() + "#march"]
    assert 'id="march"' in target.read_text(encoding="utf-8")


def test_guide_says_where_the_page_is_when_no_browser_opens(tmp_path: Path) -> None:
    out = io.StringIO()
    env = {"XDG_STATE_HOME": str(tmp_path)}
    assert guide_command(args(), out=out, env=env, opener=lambda url: False) == exitcodes.OK
    assert "open it in a browser" in out.getvalue()


def test_an_unknown_key_is_a_usage_error(tmp_path: Path) -> None:
    err = io.StringIO()
    code = guide_command(args("no-such", "--out", str(tmp_path / "g.html")), err=err)
    assert code == exitcodes.USAGE
    assert "chin-tuck" in err.getvalue()
    assert not (tmp_path / "g.html").exists()


def test_the_cli_runs_guide_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    target = tmp_path / "guide.html"
    assert cli.main(["guide", "walk", "--out", str(target)]) == exitcodes.OK
    assert 'data-focus="walk"' in target.read_text(encoding="utf-8")


def test_open_page_survives_a_browser_that_fails(tmp_path: Path) -> None:
    def broken(url: str) -> bool:
        raise webbrowser.Error("no runnable browser")

    assert open_page(tmp_path / "p.html", "x", opener=broken) is False
    assert page_url(tmp_path / "p.html", "x").endswith("/p.html#x")


def test_show_me_writes_the_guide_and_opens_it_at_the_movement(tmp_path: Path) -> None:
    opened: list[str] = []
    env = {"XDG_STATE_HOME": str(tmp_path)}
    assert show_movement("chin-tuck", env=env, opener=lambda url: opened.append(url) or True)
    target = tmp_path / "breakd" / "guide.html"
    assert opened == [target.as_uri() + "#chin-tuck"]
    assert 'data-focus="chin-tuck"' in target.read_text(encoding="utf-8")


def test_show_me_says_in_the_log_when_nothing_opened(tmp_path: Path, caplog) -> None:
    (tmp_path / "breakd").write_text("a file where the folder should be")
    env = {"XDG_STATE_HOME": str(tmp_path)}
    with caplog.at_level("WARNING", logger="breakd.guide"):
        assert not show_movement("march", env=env, opener=lambda url: True)
        assert "the guide was not written" in caplog.text
        caplog.clear()
        env = {"XDG_STATE_HOME": str(tmp_path / "ok")}
        assert not show_movement("march", env=env, opener=lambda url: False)
    assert "no browser opened it" in caplog.text


def test_the_page_ends_with_what_breakd_is() -> None:
    """The tray's About opens the guide there: the version and what breakd is."""
    from breakd import ABOUT, __version__
    from breakd.guide.page import render_guide

    page = render_guide({s.key: "<svg></svg>" for s in CATALOG})
    about = page[page.index('<section id="about">') :]
    assert f"About breakd {__version__}" in about and ABOUT in about
