"""``breakd guide [KEY]``: one self-contained HTML page showing every movement.

What this module owns: the page (each movement's animated drawing, steps, hold time and a
countdown; the movements grouped by body area and by the cause they answer; the desk setup
checklist and the warning signs) and the command that writes it and opens it in the browser.
Styles are inline CSS, drawings inline SVG with SMIL animation, and the one short script runs
the countdowns, so the file works offline, anywhere, with nothing fetched.

The words are in the user's language (a translator ``tr``, ``breakd.i18n``); movement titles,
steps and warning signs are the reminders' own catalog entries, and the page's ``lang`` names
the language.

Must not: say anything the content module does not (titles, steps, checklist and warning signs
come from ``breakd.core.content``), or fetch, link or embed anything outside the file.
"""

from __future__ import annotations

import argparse
import html
import logging
import os
import re
import sys
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, TextIO

from breakd import ABOUT, __version__, exitcodes, i18n
from breakd.core import units
from breakd.core.content import CATALOG, STOP_ON_PAIN, Cause, Suggestion, warning_signs_text
from breakd.core.words import ENGLISH, N_, Translator

if TYPE_CHECKING:
    from breakd.adapters.browser import Opener

log = logging.getLogger("breakd.guide")

# One line on each cause (by its value), for the "by cause" section.
CAUSE_TEXT: Mapping[str, str] = {
    "posture": N_("Holding one position for long, head forward toward the screen."),
    "repetition": N_("The same small movements over and over: typing, clicking, scrolling."),
    "sitting": N_("Hours in the chair without standing up."),
    "stress": N_("Tension that settles in the neck and shoulders."),
    "dehydration": N_("Too little to drink through a long day."),
    "sleep": N_("A pillow too high or too flat, or sleeping on your front."),
    "cold": N_("A draught on the neck from a fan, a vent or an open window."),
    "overexertion": N_("A new workout or sport, done too hard too soon."),
    "injury": N_("Coming back after an injury."),
}

# Each cause's name (by its value); posture, repetition and sitting are also reminders' names.
# TRANSLATORS: the causes of neck and shoulder pain the guide groups movements by.
CAUSE_NAMES: Mapping[str, str] = {
    "posture": N_("posture"),
    "repetition": N_("repetition"),
    "sitting": N_("sitting"),
    "stress": N_("stress"),
    "dehydration": N_("dehydration"),
    "sleep": N_("sleep"),
    "cold": N_("cold"),
    "overexertion": N_("overexertion"),
    "injury": N_("injury"),
}

# The desk setup checklist is the catalog's setup checks.
SETUP_PREFIX = "posture-"

_SECONDS = re.compile(r"(\d+)(?:\s*(?:-|to)\s*(\d+))?\s*(?:seconds?|s)\b")


def steps_of(suggestion: Suggestion, tr: Translator = ENGLISH) -> tuple[str, ...]:
    """What to do, line by line: the reminder's lead line, then how."""
    return (tr.gettext(suggestion.lead), tr.gettext(suggestion.how))


def hold_seconds(suggestion: Suggestion) -> int | None:
    """The hold (or look, or breathe) time its steps name, the longer end of a range (read
    from the English steps)."""
    for step in steps_of(suggestion):
        match = _SECONDS.search(step)
        if match:
            return int(match.group(2) or match.group(1))
    return None


def _e(text: str) -> str:
    return html.escape(text, quote=True)


def _duration(seconds: int, tr: Translator = ENGLISH) -> str:
    """A movement's or a hold's length, to the second: "30s", "2m", "1m30s"."""
    return units.short_duration(seconds, tr, exact=True)


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")


def _card(suggestion: Suggestion, svg: str, tr: Translator = ENGLISH) -> str:
    hold = hold_seconds(suggestion)
    timer = hold or suggestion.seconds
    steps = "".join(f"<li>{_e(step)}</li>" for step in steps_of(suggestion, tr))
    causes = " ".join(
        f'<a class="tag" href="#cause-{c.value}">{_e(tr.gettext(CAUSE_NAMES[c.value]))}</a>'
        for c in suggestion.causes
    )
    facts = [tr.gettext("About {duration}").format(duration=_duration(suggestion.seconds, tr))]
    if hold:
        facts.append(tr.gettext("hold {duration}").format(duration=_duration(hold, tr)))
    facts.append(tr.gettext(suggestion.area))
    length = _duration(timer, tr)
    if hold and hold < suggestion.seconds:
        start = tr.gettext("Hold {duration}: start").format(duration=length)
        stop = tr.gettext("Hold {duration}: stop").format(duration=length)
    else:
        start = tr.gettext("Time {duration}: start").format(duration=length)
        stop = tr.gettext("Time {duration}: stop").format(duration=length)
    helps = _e(tr.gettext("Helps with: {causes}")).format(causes=causes)
    return (
        f'<article class="move" id="{_e(suggestion.key)}">'
        f'<a class="pic" href="#{_e(suggestion.key)}">{svg}</a>'
        f'<div class="text"><h3>{_e(tr.gettext(suggestion.title))}</h3>'
        f'<p class="facts">{" &middot; ".join(_e(fact) for fact in facts)}</p>'
        f"<ol>{steps}</ol>"
        f'<p class="timer"><button type="button" data-seconds="{timer}" '
        f'data-start="{_e(start)}" data-stop="{_e(stop)}">{_e(start)}</button> '
        f'<output aria-live="polite"></output></p>'
        f'<p class="causes">{helps}</p></div></article>'
    )


def _areas(catalog: Sequence[Suggestion]) -> dict[str, list[Suggestion]]:
    areas: dict[str, list[Suggestion]] = {}
    for suggestion in catalog:
        areas.setdefault(suggestion.area, []).append(suggestion)
    return areas


def _warning_signs_html(tr: Translator = ENGLISH) -> str:
    """The warning signs as headed lists (the content module's text: a heading, then items)."""
    out, open_list = [], False
    lines = warning_signs_text(tr=tr).splitlines()
    for line in lines:
        if not line.strip():
            continue
        if line.startswith("- "):
            if not open_list:
                out.append("<ul>")
                open_list = True
            out.append(f"<li>{_e(line[2:])}</li>")
            continue
        if open_list:
            out.append("</ul>")
            open_list = False
        out.append(f"<p><strong>{_e(line)}</strong></p>")
    if open_list:
        out.append("</ul>")
    return "".join(out)


def render_guide(
    drawings: Mapping[str, str],
    *,
    catalog: Sequence[Suggestion] = CATALOG,
    focus: str | None = None,
    tr: Translator = ENGLISH,
) -> str:
    """The whole page; ``drawings`` maps each key to its SVG, ``focus`` is a key to open at;
    the words in the language of ``tr``."""
    areas = _areas(catalog)
    area_nav = " ".join(f'<a href="#area-{_slug(a)}">{_e(tr.gettext(a))}</a>' for a in areas)
    title = tr.gettext("breakd: movements for your breaks")
    lead = tr.gettext(
        "Each drawing shows where the movement goes: grey is where it starts, the arrow which "
        "way it moves."
    )
    # Looked up outside the f-strings: xgettext does not read inside them.
    sections, by_area, by_cause = (
        tr.gettext("Sections"),
        tr.gettext("By body area"),
        tr.gettext("By cause"),
    )
    setup, warning = tr.gettext("Desk setup"), tr.gettext("Warning signs")
    checklist = tr.gettext("Desk setup checklist")
    body = [
        f"<header><h1>{_e(title)}</h1>",
        f'<p class="lead">{_e(tr.gettext(STOP_ON_PAIN))} {_e(lead)}</p>',
        f'<nav aria-label="{_e(sections)}">'
        f'<a href="#areas">{_e(by_area)}</a> '
        f'<a href="#causes">{_e(by_cause)}</a> '
        f'<a href="#setup">{_e(setup)}</a> '
        f'<a href="#warning">{_e(warning)}</a></nav></header>',
        f'<section id="areas"><h2>{_e(by_area)}</h2><p class="areas">{area_nav}</p>',
    ]
    for area, suggestions in areas.items():
        name = _capital(tr.gettext(area))
        body.append(f'<h3 class="area" id="area-{_slug(area)}">{_e(name)}</h3>')
        body.append('<div class="grid">')
        body += [_card(s, drawings[s.key], tr) for s in suggestions]
        body.append("</div>")
    body.append("</section>")
    body.append(f'<section id="causes"><h2>{_e(by_cause)}</h2>')
    for cause in Cause:
        helps = [s for s in catalog if cause in s.causes]
        if not helps:
            continue
        links = "".join(
            f'<li><a href="#{_e(s.key)}">{_e(tr.gettext(s.title))}</a></li>' for s in helps
        )
        name = _capital(tr.gettext(CAUSE_NAMES[cause.value]))
        text = tr.gettext(CAUSE_TEXT[cause.value]) if cause.value in CAUSE_TEXT else ""
        body.append(
            f'<div class="cause" id="cause-{cause.value}"><h3>{_e(name)}</h3>'
            f"<p>{_e(text)}</p><ul>{links}</ul></div>"
        )
    body.append("</section>")
    # TRANSLATORS: a desk checklist item: the check's name in bold, then what to do.
    item = _e(tr.gettext("{title}: {steps}"))
    see_it = _e(tr.gettext("see it"))
    checks = "".join(
        "<li><label><input type=checkbox> "
        + item.format(
            title=f"<strong>{_e(tr.gettext(s.title))}</strong>", steps=_e(" ".join(steps_of(s, tr)))
        )
        + f'</label> <a href="#{_e(s.key)}">{see_it}</a></li>'
        for s in catalog
        if s.key.startswith(SETUP_PREFIX)
    )
    body.append(f'<section id="setup"><h2>{_e(checklist)}</h2>')
    body.append(f'<ul class="checks">{checks}</ul></section>')
    body.append(f'<section id="warning"><h2>{_e(warning)}</h2>{_warning_signs_html(tr)}</section>')
    # What the tray's About opens: the same words as the tray item and `breakd --help`.
    about = tr.gettext("About breakd {version}").format(version=__version__)
    body.append(f'<section id="about"><h2>{_e(about)}</h2><p>{_e(tr.gettext(ABOUT))}</p></section>')
    return _PAGE.format(
        lang=_e(i18n.language_tag(tr)),
        title=_e(title),
        focus=_e(focus or ""),
        # The countdown's words, for the page's script.
        count=_e(units.seconds_pattern(tr)),
        done=_e(tr.gettext("Done. Relax.")),
        body="\n".join(body),
        script=_SCRIPT,
    )


# --- the command ---------------------------------------------------------------------------


def add_guide_parser(sub: argparse._SubParsersAction) -> None:
    """Add ``breakd guide`` to ``breakd``'s parser."""
    guide = sub.add_parser(
        "guide",
        help=N_("show every movement with its drawing, steps and a timer (an HTML page)"),
    )
    guide.add_argument(
        "key", nargs="?", metavar="KEY", help=N_("open at this movement, e.g. chin-tuck")
    )
    guide.add_argument(
        "--out",
        metavar="FILE",
        help=N_(
            "only write the page to FILE, do not open it (default: write "
            "$XDG_STATE_HOME/breakd/guide.html and open it in the browser)"
        ),
    )


def guide_path(env: Mapping[str, str] = os.environ) -> Path:
    """Where ``breakd guide`` (and a reminder's Show me) writes the page it opens."""
    from breakd.store.sqlite import state_dir

    return state_dir(env) / "guide.html"


def write_guide(target: Path, focus: str | None = None, tr: Translator = ENGLISH) -> None:
    """Write the whole page to ``target`` (atomically), to open at ``focus``, in the language
    of ``tr``; OSError if not."""
    from breakd.guide.drawings import drawing_svg
    from breakd.stats.commands import _write_atomically

    drawings = {s.key: drawing_svg(s.key, tr.gettext(s.title)) for s in CATALOG}
    _write_atomically(target, render_guide(drawings, focus=focus, tr=tr))


def show_movement(
    key: str,
    *,
    env: Mapping[str, str] = os.environ,
    opener: Opener | None = None,
    tr: Translator | None = None,
) -> bool:
    """A reminder's Show me: write the guide and open it at movement ``key``, as ``breakd
    guide KEY`` does, in the language of ``tr`` (the user's by default); False (logged) if the
    page could not be written or opened."""
    from breakd.adapters.browser import open_page

    target = guide_path(env)
    try:
        write_guide(target, key, i18n.user_translator(env) if tr is None else tr)
    except OSError as exc:
        log.warning("the guide was not written to %s: %s", target, exc.strerror or exc)
        return False
    if open_page(target, key, opener=opener):
        log.info("opened the guide at %s", key)
        return True
    log.warning("the guide at %s was written to %s, but no browser opened it", key, target)
    return False


def guide_command(
    args: argparse.Namespace,
    *,
    out: TextIO | None = None,
    err: TextIO | None = None,
    env: Mapping[str, str] = os.environ,
    opener: Opener | None = None,
) -> int:
    """Write the guide; without ``--out``, open it in the default browser."""
    from breakd.adapters.browser import open_page

    out, err = out or sys.stdout, err or sys.stderr
    keys = [s.key for s in CATALOG]
    if args.key is not None and args.key not in keys:
        tr = i18n.user_translator(env)
        text = tr.gettext("breakd: no movement {key}; one of: {keys}")
        print(text.format(key=repr(args.key), keys=", ".join(keys)), file=err)
        return exitcodes.USAGE
    target = Path(args.out) if args.out else guide_path(env)
    tr = i18n.user_translator(env)
    try:
        write_guide(target, args.key, tr)
    except OSError as exc:
        text = tr.gettext("breakd: cannot write {path}: {error}")  # as `breakd report` says it
        print(text.format(path=target, error=exc.strerror or exc), file=err)
        return exitcodes.FAILURE
    if args.out:
        print(tr.gettext("wrote the guide to {path}").format(path=target), file=out)
        return exitcodes.OK
    if open_page(target, args.key, opener=opener):
        print(tr.gettext("opened the guide: {path}").format(path=target), file=out)
    else:
        text = tr.gettext("wrote the guide to {path}; open it in a browser")
        print(text.format(path=target), file=out)
    return exitcodes.OK


# --- the page's frame ----------------------------------------------------------------------

_SCRIPT = """
(function () {
  var focus = document.body.getAttribute("data-focus");
  // Opened with a movement: go to it, also when the opener dropped the URL's #anchor.
  if (focus && !location.hash && document.getElementById(focus)) {
    location.replace("#" + focus);
  }
  if (window.matchMedia && matchMedia("(prefers-reduced-motion: reduce)").matches) {
    document.querySelectorAll("svg").forEach(function (svg) {
      if (svg.pauseAnimations) { svg.pauseAnimations(); }
    });
  }
  // The words come from the page, in its language.
  var count = document.body.getAttribute("data-count");
  var done = document.body.getAttribute("data-done");
  function label(button, running) {
    return button.getAttribute(running ? "data-stop" : "data-start");
  }
  function seconds(left) { return count.replace("{seconds}", left); }
  document.querySelectorAll("button[data-seconds]").forEach(function (button) {
    var output = button.nextElementSibling, timer = null;
    button.addEventListener("click", function () {
      if (timer) {
        clearInterval(timer); timer = null;
        button.textContent = label(button, 0); output.textContent = "";
        return;
      }
      var left = parseInt(button.getAttribute("data-seconds"), 10);
      output.textContent = seconds(left);
      button.textContent = label(button, 1);
      timer = setInterval(function () {
        left -= 1;
        output.textContent = left > 0 ? seconds(left) : done;
        if (left <= 0) {
          clearInterval(timer); timer = null; button.textContent = label(button, 0);
        }
      }, 1000);
    });
  });
})();
"""

_PAGE = """<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title}</title>
<style>
body {{ font-family: system-ui, sans-serif; color: #1a1a1a; background: #fff;
       max-width: 68rem; margin: 1.5rem auto; padding: 0 1rem; line-height: 1.45; }}
h1 {{ font-size: 1.5rem; margin-bottom: 0.3rem; }}
h2 {{ font-size: 1.3rem; margin-top: 2.5rem; border-bottom: 2px solid #eee; }}
h3.area {{ font-size: 1.1rem; margin: 1.8rem 0 0.6rem; }}
.lead {{ color: #333; }}
nav a, .areas a {{ display: inline-block; margin: 0 0.8rem 0.4rem 0; }}
a {{ color: #0b5d91; }}
.grid {{ display: grid; grid-template-columns: repeat(auto-fill, minmax(19rem, 1fr)); gap: 1rem; }}
.move {{ display: flex; gap: 0.8rem; border: 1px solid #ddd; border-radius: 8px; padding: 0.7rem;
        scroll-margin-top: 1rem; }}
.move:target {{ border-color: #d55e00; box-shadow: 0 0 0 3px #f6d3bd; }}
.pic {{ flex: 0 0 auto; align-self: flex-start; }}
.pic svg {{ width: 8.5rem; height: 8.5rem; display: block; }}
.text {{ min-width: 0; }}
.move h3 {{ margin: 0 0 0.2rem; font-size: 1.05rem; }}
.facts, .causes {{ color: #555; font-size: 0.85rem; margin: 0.2rem 0; }}
.move ol {{ padding-left: 1.2rem; margin: 0.4rem 0; font-size: 0.95rem; }}
.timer {{ margin: 0.4rem 0; }}
.timer button {{ font: inherit; font-size: 0.9rem; padding: 0.25rem 0.7rem; border-radius: 6px;
                border: 1px solid #0b5d91; background: #eef5fb; color: #0b5d91; cursor: pointer; }}
.timer output {{ font-weight: 600; margin-left: 0.4rem; font-variant-numeric: tabular-nums; }}
.tag {{ display: inline-block; padding: 0 0.4rem; border-radius: 4px; background: #f1f1f1; }}
.cause {{ margin-bottom: 1rem; }}
.cause ul {{ columns: 2 14rem; margin: 0.3rem 0; }}
.checks {{ list-style: none; padding: 0; }}
.checks li {{ margin: 0.3rem 0; }}
#warning {{ border-left: 4px solid #cc3311; padding: 0.2rem 1rem 0.6rem; background: #fdf1ea; }}
@media (max-width: 30rem) {{
  body {{ margin: 0.8rem auto; }}
  .move {{ flex-direction: column; align-items: center; }}
  .pic {{ align-self: center; }}
  .pic svg {{ width: 11rem; height: 11rem; }}
  .text {{ align-self: stretch; }}
}}
@media print {{ .timer, nav {{ display: none; }} .move {{ break-inside: avoid; }} }}
</style>
</head>
<body data-focus="{focus}" data-count="{count}" data-done="{done}">
<main>
{body}
</main>
<script>{script}</script>
</body>
</html>
"""
