"""What the tray icon shows and offers, as values: the icon, the tooltip and the menu.

Owns: the one function that reads the daemon's status dict for the tray (``tray_view``), the
menu as data (``menu_for``: fixed item ids, each with the control request or the local
action a click means), and the dbusmenu layout those items become on the bus.

Every word the host shows (tooltip, menu labels) is looked up with the translator ``tr``
passed in (``breakd/core/words.py``); where ``breakd status`` already says the same thing, the
tray uses the very same msgid, so both read alike and nothing is translated twice.

Must not: do I/O, read a clock (``now`` is passed in), read a catalog (``tr`` is passed in),
or know how the status dict is built: it is read defensively through ``formats.StatusView``
plus a few optional fields, so a daemon that adds fields (or an older one) never breaks the
tray.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from breakd.control.formats import StatusView, held_text, kind_name
from breakd.control.protocol import Request
from breakd.core import units
from breakd.core.checkin import CHOICES as CHECKIN_CHOICES
from breakd.core.checkin import TITLE as CHECKIN_QUESTION
from breakd.core.content import state_sentence
from breakd.core.types import EngineState
from breakd.core.words import ENGLISH, Translator

Icon = Literal["active", "due", "paused", "held", "away"]
ICONS: tuple[Icon, ...] = ("active", "due", "paused", "held", "away")
# States in which breakd holds reminders for the desktop or the clock, not for the user; the
# tray says them as ``breakd status`` does (``state_sentence``).
_HELD_STATES = frozenset({EngineState.DO_NOT_DISTURB, EngineState.QUIET, EngineState.OFF_HOURS})
_AWAY_STATES = frozenset({EngineState.AWAY, EngineState.ON_BREAK})


@dataclass(frozen=True)
class TrayView:
    """One status as the tray shows it."""

    icon: Icon
    tooltip: tuple[str, ...]  # one or two lines, as ``breakd status`` says it in short
    reminder_up: bool  # a reminder is on screen (or due): Snooze and Skip apply
    paused: bool
    snoozed: bool  # a reminder is put off: Resume also ends that
    on_break: bool

    @property
    def attention(self) -> bool:
        return self.icon == "due"


# Before the first status. Never read by a host (the item registers with the first real
# status), so it needs no translation.
STOPPED = TrayView("paused", ("breakd is starting",), False, False, False, False)


def tray_view(result: Mapping[str, Any], now: float, tr: Translator = ENGLISH) -> TrayView:
    """The tray's view of a ``status`` result (``now``: epoch seconds, for clock times), in
    the words of ``tr``."""
    view = StatusView.from_result(result)
    raw_kinds = [k for k in _list(result.get("kinds")) if isinstance(k, Mapping)]
    snoozed = [k for k in raw_kinds if _number(k.get("snoozed_until")) is not None]
    reminder_up = not view.paused and any(k.pending for k in view.kinds)
    held_by = result.get("held_by")
    held = view.state in _HELD_STATES or (isinstance(held_by, str) and bool(held_by))
    if view.paused:
        icon: Icon = "paused"
    elif held:
        icon = "held"
    elif view.due:
        icon = "due"
    elif view.state in _AWAY_STATES:
        icon = "away"
    else:
        icon = "active"
    reason = held_by if isinstance(held_by, str) and held_by else None
    lines = [_headline(view, result, now, reason, tr)]
    if view.active_today is not None:
        text = tr.gettext("active today: {duration}")
        lines.append(text.format(duration=units.short_duration(view.active_today, tr)))
    return TrayView(
        icon=icon,
        tooltip=tuple(lines),
        reminder_up=reminder_up,
        paused=view.paused,
        snoozed=bool(snoozed),
        on_break=view.on_break,
    )


def _headline(
    view: StatusView, result: Mapping[str, Any], now: float, held_by: str | None, tr: Translator
) -> str:
    if view.paused:
        until = view.paused_until
        if until is None:
            return state_sentence(EngineState.PAUSED, tr)
        return tr.gettext("breakd is paused until {time}").format(time=_at(until, now, tr))
    if view.on_break:
        until = _number(result.get("break_until"))
        if until is None:
            return state_sentence(EngineState.ON_BREAK, tr)
        # No time left here: the tray is not told again until something changes.
        text = tr.gettext("breakd: you are on a break until {time}")
        return text.format(time=_at(until, now, tr))
    if held_by:  # as breakd status says it: breakd's own reasons translated, a desktop's not
        text = tr.gettext("breakd is holding reminders: {reason}")
        return text.format(reason=held_text(held_by, tr))
    if view.state in _HELD_STATES:
        return state_sentence(view.state, tr)
    soonest = view.soonest()
    if soonest is not None and soonest.is_due:
        return tr.gettext("{kind}: due now").format(kind=_kind(soonest.kind, tr))
    if view.state is EngineState.AWAY:
        return tr.gettext("away: the timers wait for you")
    if soonest is None:
        return tr.gettext("no reminders enabled")
    if soonest.due_in is None:
        return tr.gettext("{kind}: on hold").format(kind=_kind(soonest.kind, tr))
    text = tr.gettext("next: {kind} at {time}")
    return text.format(kind=_kind(soonest.kind, tr), time=_at(now + soonest.due_in, now, tr))


def _kind(kind: str, tr: Translator) -> str:
    return kind_name(kind, tr)


def _at(epoch: float, now: float, tr: Translator) -> str:
    """A clock time, with the weekday when it is not today (a tooltip is read later)."""
    when, today = dt.datetime.fromtimestamp(epoch), dt.datetime.fromtimestamp(now)
    if when.date() == today.date():
        return units.clock(when, tr)
    return units.weekday_and_clock(when, tr)


def _number(value: object) -> float | None:
    ok = isinstance(value, (int, float)) and not isinstance(value, bool)
    return float(value) if ok else None  # type: ignore[arg-type]


def _list(value: object) -> list[Any]:
    return value if isinstance(value, list) else []


# --- the menu ------------------------------------------------------------------------------

# Local actions: what the tray does itself (a page, a file, a check-in), named for tests.
Local = Literal["report", "settings", "guide", "warning-signs", "checkin"]


@dataclass(frozen=True)
class MenuItem:
    """One menu entry; ``id`` is fixed, so a click refers to the same item in any layout."""

    id: int
    label: str = ""
    request: Request | None = None  # a control request, handled like the command line's
    local: Local | None = None
    score: int | None = None  # for the check-in
    visible: bool = True
    enabled: bool = True
    separator: bool = False
    children: tuple[MenuItem, ...] = field(default=())

    def properties(self) -> dict[str, tuple[str, object]]:
        """Its dbusmenu properties (variants), defaults left out as the spec allows."""
        props: dict[str, tuple[str, object]] = {}
        if self.separator:
            props["type"] = ("s", "separator")
        else:
            props["label"] = ("s", self.label)
        if not self.visible:
            props["visible"] = ("b", False)
        if not self.enabled:
            props["enabled"] = ("b", False)
        if self.children:
            props["children-display"] = ("s", "submenu")
        return props


ROOT = 0


def menu_for(view: TrayView, version: str, tr: Translator = ENGLISH) -> MenuItem:
    """The whole menu for this view, in the words of ``tr``: what applies now is visible;
    the rest hidden."""
    up, paused = view.reminder_up, view.paused

    def pause(item_id: int, label: str, **args: object) -> MenuItem:
        return MenuItem(item_id, label, Request("pause", args), visible=not paused)

    # The check-in's question, words and scores, as the check-in notification says them.
    checkin = tuple(
        MenuItem(40 + c.score, tr.gettext(c.label), local="checkin", score=c.score)
        for c in CHECKIN_CHOICES
    )
    about = tr.gettext("About breakd {version}").format(version=version)
    items = (
        MenuItem(1, view.tooltip[0], enabled=False),  # the state in words, also without tooltips
        MenuItem(2, separator=True),
        MenuItem(
            10, tr.gettext("Take a break now"), Request("break-now"), visible=not view.on_break
        ),
        MenuItem(11, tr.gettext("Snooze"), Request("snooze"), visible=up),
        MenuItem(12, tr.gettext("Skip this reminder"), Request("skip"), visible=up),
        pause(20, tr.gettext("Pause for 30 minutes"), seconds=1800),
        pause(21, tr.gettext("Pause for 1 hour"), seconds=3600),
        pause(22, tr.gettext("Pause until tomorrow"), tomorrow=True),
        MenuItem(23, tr.gettext("Resume"), Request("resume"), visible=paused or view.snoozed),
        MenuItem(3, separator=True),
        MenuItem(30, tr.gettext(CHECKIN_QUESTION), children=checkin),
        MenuItem(31, tr.gettext("Open today's report"), local="report"),
        MenuItem(32, tr.gettext("Edit settings"), local="settings"),
        MenuItem(4, separator=True),
        MenuItem(33, tr.gettext("Warning signs: when to get help"), local="warning-signs"),
        MenuItem(34, about, local="guide"),
    )
    return MenuItem(ROOT, children=items)


def find_item(root: MenuItem, item_id: int) -> MenuItem | None:
    if root.id == item_id:
        return root
    for child in root.children:
        found = find_item(child, item_id)
        if found is not None:
            return found
    return None


LAYOUT = "(ia{sv}av)"


def layout(item: MenuItem, depth: int, names: frozenset[str]) -> tuple[int, dict[str, Any], list]:
    """``GetLayout``'s ``(ia{sv}av)`` for ``item``: children down to ``depth`` (-1: all),
    properties limited to ``names`` (empty: all)."""
    props = item.properties()
    if names:
        props = {k: v for k, v in props.items() if k in names}
    children: list[tuple[str, object]] = []
    if depth != 0:
        children = [(LAYOUT, layout(c, depth - 1, names)) for c in item.children]
    return (item.id, props, children)


def all_items(root: MenuItem) -> list[MenuItem]:
    items = [root]
    for child in root.children:
        items.extend(all_items(child))
    return items
