"""The daemon's wiring without a desktop: a fake clock and notifier, the real engine and
scheduler (not started: the tests call the wake-up themselves)."""

from __future__ import annotations

import datetime as dt
import logging
from pathlib import Path

import pytest

from breakd.config.model import Config
from breakd.control.formats import status_lines
from breakd.control.protocol import Request
from breakd.core.types import CheckinQuestion, InputKind, Reminder
from breakd.daemon import RETRY_FIRST, Daemon
from breakd.store.sqlite import Store
from tests.core import conftest


def make_config(**sections) -> Config:
    """The core tests' make_config, with the check-in off: it is asked at a time of day, and
    these tests run at any time of day (the ones about it turn it on)."""
    sections.setdefault("checkin", {"enabled": False})
    return conftest.make_config(**sections)


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


class FakeNotifier:
    def __init__(self) -> None:
        self.up = True
        self.shown: list[Reminder] = []
        self.withdrawn: list[int] = []
        self.questions: list[CheckinQuestion] = []
        self.closed = False

    def show(self, reminder: Reminder) -> bool:
        if self.up:
            self.shown.append(reminder)
        return self.up

    def withdraw(self, reminder_id: int) -> None:
        self.withdrawn.append(reminder_id)

    def ask_checkin(self, question: CheckinQuestion) -> bool:
        if self.up:
            self.questions.append(question)
        return self.up

    def set_snooze_label(self, label: str) -> None:
        self.snooze_label = label

    def set_sound(self, sound: str) -> None:
        self.sound = sound

    def close(self) -> None:
        self.closed = True


# grace_pause 1 s: the fake clock stops 1 s after the last key, which then counts as a pause.
CONFIG = make_config(
    only=("sitting",), sitting={"every": 60.0, "max_repeats": 0}, notify={"grace_pause": 1.0}
)


# Reminders that stay pending (repeat until answered).
REPEATING = make_config(
    only=("sitting",), sitting={"every": 60.0, "repeat": 30.0}, notify={"grace_pause": 1.0}
)


def make_daemon(tmp_path: Path, config=CONFIG) -> tuple[Daemon, FakeClock, FakeNotifier]:
    clock, notifier = FakeClock(), FakeNotifier()
    daemon = Daemon(config, config_path=str(tmp_path / "c.toml"), clock=clock, notifier=notifier)
    return daemon, clock, notifier


def type_for(daemon: Daemon, clock: FakeClock, seconds: float) -> None:
    end = clock.t + seconds
    while clock.t < end:
        daemon.on_input(InputKind.KEY)
        clock.t += 1.0


def test_reminder_shown_when_due(tmp_path):
    daemon, clock, notifier = make_daemon(tmp_path)
    type_for(daemon, clock, 61)
    daemon.host.tick()
    assert [r.kind.value for r in notifier.shown] == ["sitting"]


def test_undelivered_reminder_is_logged_and_delivered_once_a_server_appears(tmp_path, caplog):
    daemon, clock, notifier = make_daemon(tmp_path)
    notifier.up = False
    type_for(daemon, clock, 61)
    with caplog.at_level(logging.WARNING, logger="breakd"):
        daemon.host.tick()
    assert notifier.shown == []
    assert "could not be shown" in caplog.text and "Time to" in caplog.text
    notifier.up = True
    clock.t += RETRY_FIRST
    daemon.host.tick()
    assert len(notifier.shown) == 1


def test_an_unseen_reminder_waits_for_a_user_who_has_gone_and_comes_first_when_back(tmp_path):
    daemon, clock, notifier = make_daemon(tmp_path)
    notifier.up = False
    type_for(daemon, clock, 61)
    daemon.host.tick()
    assert daemon.host.engine.unseen is not None
    notifier.up = True
    clock.t += 200  # gone (idle_after is 2 min), not yet a natural break (5 min)
    daemon.host.tick()
    assert notifier.shown == []  # nobody there to see it
    assert "not shown: no notification server" in "\n".join(status_lines(daemon.requests.status()))
    type_for(daemon, clock, 2)  # back before a natural break: the reminder is still due
    daemon.host.tick()
    assert [(r.id, r.repeat) for r in notifier.shown] == [(1, 0)]
    assert daemon.host.engine.unseen is None


def test_an_unseen_reminder_is_dropped_by_a_natural_break(tmp_path):
    daemon, clock, notifier = make_daemon(tmp_path)
    notifier.up = False
    type_for(daemon, clock, 61)
    daemon.host.tick()
    notifier.up = True
    clock.t += 600  # a natural break, noticed when the user types again
    type_for(daemon, clock, 5)
    daemon.host.tick()
    assert notifier.shown == [] and daemon.host.engine.unseen is None


def test_an_unseen_reminder_is_not_retried_during_do_not_disturb(tmp_path):
    """Issue 14: the retry ignored do-not-disturb."""
    daemon, clock, notifier = make_daemon(tmp_path)
    notifier.up = False
    type_for(daemon, clock, 61)
    daemon.host.tick()
    notifier.up = True
    daemon.sources.on_desktop_dnd_by("dunst do-not-disturb")
    clock.t += 10 * RETRY_FIRST  # still there (idle_after is 2 min)
    daemon.host.tick()
    assert notifier.shown == []
    assert daemon.requests.status()["held_by"] == "dunst do-not-disturb"
    daemon.sources.on_desktop_dnd_by(None)
    daemon.host.tick()
    assert [(r.id, r.repeat) for r in notifier.shown] == [(1, 0)]


def test_a_notification_server_appearing_shows_the_unseen_reminder_at_once(tmp_path, caplog):
    daemon, clock, notifier = make_daemon(tmp_path, REPEATING)
    notifier.up = False
    type_for(daemon, clock, 61)
    daemon.host.tick()
    clock.t += 0.5  # long before the next retry
    notifier.up = True
    with caplog.at_level(logging.INFO, logger="breakd"):
        daemon.sources.on_notification_server()
        daemon.host.tick()
    assert [(r.id, r.repeat) for r in notifier.shown] == [(1, 0)]  # a first showing
    assert "a notification server appeared: showing reminder 1" in caplog.text


def test_the_next_wakeup_is_scheduled_and_none_while_away(tmp_path):
    daemon, clock, _ = make_daemon(tmp_path)
    daemon.on_input(InputKind.KEY)
    daemon.host.tick()
    assert daemon.host.timer.pending() is not None
    clock.t += 3600
    daemon.host.tick()
    assert daemon.host.timer.pending() is None


def test_reload_keeps_the_running_config_when_the_new_one_is_bad(tmp_path, caplog):
    daemon, _, _ = make_daemon(tmp_path)
    (tmp_path / "c.toml").write_text('[sitting]\nevery = "soon"\n')
    with caplog.at_level(logging.ERROR, logger="breakd"):
        assert daemon.reload() is not None
    assert "sitting.every" in caplog.text
    assert daemon.host.engine.config == CONFIG
    (tmp_path / "c.toml").write_text('[sitting]\nevery = "2m"\n')
    assert daemon.reload() is None
    assert daemon.host.engine.config.sitting.every == 120.0


@pytest.mark.parametrize("env", [{}, {"WAYLAND_DISPLAY": "wayland-0"}])
def test_run_without_display_exits_78_with_a_clear_message(env, capsys, monkeypatch, tmp_path):
    from breakd import daemon as daemon_module

    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.setenv("XDG_RUNTIME_DIR", str(tmp_path))
    assert daemon_module.run_command(None, verbose=False) == 78
    err = capsys.readouterr().err
    assert "cannot watch" in err and "tried" in err and "Traceback" not in err
    assert ("DISPLAY" in err) if not env else ("wayland-idle" in err)


def test_run_with_a_bad_config_exits_78_naming_the_key(capsys, monkeypatch, tmp_path):
    from breakd import daemon as daemon_module

    monkeypatch.setenv("DISPLAY", ":0")
    bad = tmp_path / "bad.toml"
    bad.write_text('[sitting]\nevery = "often"\n')
    assert daemon_module.run_command(str(bad), verbose=False) == 78
    err = capsys.readouterr().err
    assert str(bad) in err and "sitting.every" in err and "often" in err


# --- control commands through the handler ----------------------------------------------------


def test_status_reports_every_enabled_kind(tmp_path):
    daemon, clock, _ = make_daemon(tmp_path, config=make_config())
    type_for(daemon, clock, 30)
    reply = daemon.requests.handle(Request("status", {}))
    assert reply.ok
    result = reply.result
    assert result["state"] == "active"
    assert {k["kind"] for k in result["kinds"]} == {
        "sitting",
        "repetition",
        "posture",
        "water",
        "daily",
    }
    assert result["source"] == "pynput"


def test_status_warns_when_the_source_is_nearly_blind(tmp_path):
    blind = "Wayland session: pynput sees only XWayland windows' input"
    daemon = Daemon(CONFIG, clock=FakeClock(), notifier=FakeNotifier(), source_warning=blind)
    result = daemon.requests.handle(Request("status", {})).result
    assert result["warning"] == blind
    assert f"warning: {blind}" in status_lines(result)
    assert "warning" not in make_daemon(tmp_path)[0].requests.handle(Request("status", {})).result


def test_pause_resume_and_snooze_reach_the_engine(tmp_path):
    daemon, clock, notifier = make_daemon(tmp_path)
    reply = daemon.requests.handle(Request("pause", {"seconds": 600}))
    assert reply.ok and "paused until" in reply.result["message"]
    type_for(daemon, clock, 120)
    daemon.host.tick()
    assert notifier.shown == []
    assert daemon.requests.handle(Request("status", {})).result["state"] == "paused"
    assert daemon.requests.handle(Request("resume", {})).ok
    assert daemon.requests.handle(Request("status", {})).result["state"] != "paused"
    reply = daemon.requests.handle(Request("snooze", {"seconds": 90}))
    message = reply.result["message"]
    assert message.startswith("nothing is due; the next reminder is 2 minutes later: sitting until")
    assert daemon.requests.handle(Request("resume", {})).result["message"] == (
        "not paused; snooze ended for sitting"
    )
    assert daemon.requests.handle(Request("resume", {})).result["message"] == (
        "nothing to resume: breakd is not paused"
    )


def test_snooze_says_which_reminder_and_status_says_snoozed_until_when(tmp_path):
    daemon, clock, notifier = make_daemon(tmp_path, REPEATING)
    type_for(daemon, clock, 61)
    daemon.host.tick()
    assert [r.id for r in notifier.shown] == [1]
    message = daemon.requests.handle(Request("snooze", {"seconds": 600})).result["message"]
    assert message.startswith("snoozed for 10 minutes: sitting (reminder 1) until ")
    result = daemon.requests.handle(Request("status", {})).result
    (sitting,) = result["kinds"]
    assert sitting["pending"] is False and result["due"] is False
    assert sitting["snoozed_until"] is not None and sitting["reminder"] == 1
    assert status_lines(result)[-1].startswith("  sitting  snoozed until ")


def test_pause_until_tomorrow_ends_at_the_start_of_the_next_day(tmp_path):
    daemon, _, _ = make_daemon(tmp_path)
    reply = daemon.requests.handle(Request("pause", {"tomorrow": True}))
    assert reply.ok and "04:00" in reply.result["message"]
    paused_until = daemon.requests.handle(Request("status", {})).result["paused_until"]
    assert paused_until is not None


def test_break_now_shows_a_stretch(tmp_path):
    daemon, _, notifier = make_daemon(tmp_path)
    assert daemon.requests.handle(Request("break-now", {})).ok
    assert [r.kind.value for r in notifier.shown] == ["sitting"]


def test_reload_command_reports_a_bad_config(tmp_path):
    daemon, _, _ = make_daemon(tmp_path)
    (tmp_path / "c.toml").write_text("[sitting]\nevry = 5\n")
    reply = daemon.requests.handle(Request("reload", {}))
    assert not reply.ok and "running config stays" in reply.error
    assert "sitting.evry" in reply.error and "did you mean" in reply.error  # says why


# --- statistics ------------------------------------------------------------------------------


def test_minutes_and_reminder_events_are_stored(tmp_path):
    import datetime as dt

    from breakd.store.sqlite import Store

    store = Store.open(tmp_path / "state" / "breakd.db")
    clock, notifier = FakeClock(), FakeNotifier()
    daemon = Daemon(CONFIG, clock=clock, notifier=notifier, store=store)
    type_for(daemon, clock, 130)
    daemon.host.tick()
    daemon._shutdown()
    with Store.open(tmp_path / "state" / "breakd.db", readonly=True) as reader:
        today = dt.date.today()
        history = reader.history(today - dt.timedelta(days=1), today + dt.timedelta(days=1))
    assert sum(m.keys for m in history.minutes) == 130
    assert sum(m.present_s for m in history.minutes) >= 125
    assert [(e.kind, e.event) for e in history.events] == [("sitting", "shown")]


def test_old_minutes_are_rolled_up_into_days_as_the_config_says(tmp_path):
    import datetime as dt

    from breakd.store.sqlite import MinuteRow, Store

    path = tmp_path / "breakd.db"
    today = dt.date.today()
    with Store.open(path) as store:
        for days_ago in (1, 5, 40):
            start = dt.datetime.combine(today - dt.timedelta(days=days_ago), dt.time(10, 0))
            store.write([MinuteRow(start, 60.0, 30.0, 10, 1, 2)], [])
    config = make_config(only=("sitting",), stats={"keep_minutes_days": 3})
    daemon = Daemon(config, clock=FakeClock(), notifier=FakeNotifier(), store=Store.open(path))
    daemon.effects.new_day_if_needed()  # what start-up and the first wake-up of a day do
    daemon._shutdown()
    with Store.open(path, readonly=True) as reader:
        history = reader.history(today - dt.timedelta(days=60), today)
    assert [m.start.date() for m in history.minutes] == [today - dt.timedelta(days=1)]
    assert sorted(d.day for d in history.days) == [
        today - dt.timedelta(days=40),
        today - dt.timedelta(days=5),
    ]
    assert all(d.keys == 10 for d in history.days)


def test_a_restarted_daemon_carries_the_day_on(tmp_path, caplog):
    """Shut down, then started on a rebooted machine (its clock starts afresh): the day goes
    on from the store, the pause included."""
    from breakd.store.sqlite import Store

    path = tmp_path / "breakd.db"
    config = make_config(only=("sitting",), sitting={"every": 600.0}, notify={"grace_pause": 1.0})
    clock = FakeClock()
    first = Daemon(config, clock=clock, notifier=FakeNotifier(), store=Store.open(path))
    type_for(first, clock, 120)
    first.requests.handle(Request("pause", {"seconds": 3600}))
    before = first.host.engine.status(clock.t)
    first._shutdown()

    rebooted = FakeClock()
    rebooted.t = 5.0
    second = Daemon(config, clock=rebooted, notifier=FakeNotifier(), store=Store.open(path))
    with caplog.at_level(logging.INFO, logger="breakd"):
        second.effects.restore_day()
    after = second.host.engine.status(rebooted.t)
    # The seconds the test took count as presence, like any short gap in input.
    assert after.active_today == pytest.approx(before.active_today, abs=2)
    assert after.presence == pytest.approx(before.presence, abs=2)
    assert after.state == "paused"
    assert after.paused_until == pytest.approx(before.paused_until - clock.t + rebooted.t, abs=2)
    assert "carried the day over" in caplog.text
    second._shutdown()


def test_a_broken_store_costs_no_reminder(tmp_path, caplog):
    class BrokenStore:
        def write(self, *args, **kwargs):
            raise OSError("disk full")

        def close(self):
            pass

    clock, notifier = FakeClock(), FakeNotifier()
    daemon = Daemon(CONFIG, clock=clock, notifier=notifier, store=BrokenStore())
    type_for(daemon, clock, 61)
    with caplog.at_level(logging.WARNING, logger="breakd"):
        daemon.host.tick()
    assert len(notifier.shown) == 1
    assert "statistics not saved: OSError: disk full" in caplog.text


# --- answers from the notification ------------------------------------------------------------

REPEATING = make_config(
    only=("sitting",), sitting={"every": 60.0, "max_repeats": 2}, notify={"grace_pause": 1.0}
)


def test_snooze_button_withdraws_and_brings_the_reminder_back(tmp_path):
    daemon, clock, notifier = make_daemon(tmp_path, config=REPEATING)
    type_for(daemon, clock, 61)
    daemon.host.tick()
    (reminder,) = notifier.shown
    daemon.requests.on_answer(reminder.id, "snooze")
    assert notifier.withdrawn == [reminder.id]
    assert daemon.requests.handle(Request("status", {})).result["state"] == "active"


def test_skip_button_resolves_the_reminder(tmp_path):
    daemon, clock, notifier = make_daemon(tmp_path, config=REPEATING)
    type_for(daemon, clock, 61)
    daemon.host.tick()
    daemon.requests.on_answer(notifier.shown[0].id, "skip")
    kinds = daemon.requests.handle(Request("status", {})).result["kinds"]
    assert [k["pending"] for k in kinds] == [False]


def test_take_break_button_makes_the_next_idle_the_break(tmp_path):
    daemon, clock, notifier = make_daemon(tmp_path, config=REPEATING)
    type_for(daemon, clock, 61)
    daemon.host.tick()
    daemon.requests.on_answer(notifier.shown[0].id, "take")
    clock.t += 130  # away for idle_after (2 min): with Take, that is the whole break
    daemon.on_input(InputKind.KEY)
    daemon.host.tick()
    status = daemon.requests.handle(Request("status", {})).result
    assert status["presence"] < 5
    assert notifier.withdrawn == [notifier.shown[0].id]


def test_an_answer_from_an_old_notification_does_not_answer_a_newer_reminder(tmp_path, caplog):
    config = make_config(
        only=("sitting", "posture"),
        sitting={"every": 60.0, "max_repeats": 2},
        posture={"every": 30.0},  # shown once, nothing to answer afterwards
        notify={"grace_pause": 1.0, "min_gap": 5.0},
    )
    daemon, clock, notifier = make_daemon(tmp_path, config=config)
    type_for(daemon, clock, 31)
    daemon.host.tick()
    type_for(daemon, clock, 40)
    daemon.host.tick()
    posture, sitting = notifier.shown
    assert (posture.kind.value, sitting.kind.value) == ("posture", "sitting")
    with caplog.at_level(logging.INFO, logger="breakd"):
        daemon.requests.on_answer(posture.id, "skip")  # the posture popup was still on screen
    assert "answered from an old notification: ignored" in caplog.text
    kinds = daemon.requests.handle(Request("status", {})).result["kinds"]
    assert any(k["kind"] == "sitting" and k["pending"] for k in kinds)


def test_unknown_answers_are_ignored_and_shutdown_closes_the_notifier(tmp_path):
    daemon, _, notifier = make_daemon(tmp_path)
    daemon.requests.on_answer(1, "default")
    daemon._shutdown()
    assert notifier.closed


# --- presence sources (Wayland) ----------------------------------------------------------------


def test_a_presence_source_drives_reminders_without_input_events(tmp_path):
    clock, notifier = FakeClock(), FakeNotifier()
    daemon = Daemon(CONFIG, clock=clock, notifier=notifier, source="mutter")
    daemon.sources.active()
    clock.t += 61
    daemon.host.tick()
    assert notifier.shown == []  # due, but the user may be typing: the grace waits
    clock.t += 5
    daemon.sources.idle(5.0)  # the pause
    daemon.host.tick()
    assert [r.kind.value for r in notifier.shown] == ["sitting"]
    status = daemon.requests.handle(Request("status", {})).result
    assert status["source"] == "mutter" and status["counting"] is False
    daemon.sources.idle(5.0)
    clock.t += 600
    assert daemon.requests.handle(Request("status", {})).result["state"] == "away"


def test_pain_on_four_days_in_a_row_brings_one_gentle_notification(tmp_path):
    import datetime as dt

    from breakd.store.sqlite import Store

    store = Store.open(tmp_path / "breakd.db")
    today = dt.date.today() if dt.datetime.now().hour >= 4 else dt.date.today() - dt.timedelta(1)
    for days_ago in range(4):
        store.add_checkin(today - dt.timedelta(days=days_ago), 6, None)
    clock, notifier = FakeClock(), FakeNotifier()
    daemon = Daemon(CONFIG, clock=clock, notifier=notifier, store=store)
    daemon.effects.new_day_if_needed()
    (notice,) = notifier.shown
    assert "professional" in notice.title.lower()
    assert "numb" in notice.body.lower() or "tingl" in notice.body.lower(), notice.body
    daemon.effects.today = None  # the next day: the same episode is not notified again
    daemon.effects.new_day_if_needed()
    assert len(notifier.shown) == 1


# --- desktop etiquette: do-not-disturb, fullscreen, screen lock -----------------------------


@pytest.mark.parametrize("hold", ["on_desktop_dnd", "on_fullscreen"])
def test_do_not_disturb_and_fullscreen_hold_the_reminder_until_they_end(tmp_path, hold):
    daemon, clock, notifier = make_daemon(tmp_path)
    getattr(daemon.sources, hold)(True)
    type_for(daemon, clock, 61)
    clock.t += 2
    daemon.host.tick()
    assert notifier.shown == []
    assert daemon.requests.handle(Request("status", {})).result["state"] == "do-not-disturb"
    getattr(daemon.sources, hold)(False)
    daemon.host.tick()  # the wake-up that ending the hold asked for
    assert [r.kind.value for r in notifier.shown] == ["sitting"]


@pytest.mark.parametrize(
    ("hold", "key"), [("on_desktop_dnd", "respect_dnd"), ("on_fullscreen", "hold_in_fullscreen")]
)
def test_the_config_can_ignore_do_not_disturb_and_fullscreen(tmp_path, hold, key):
    config = make_config(
        only=("sitting",),
        sitting={"every": 60.0, "max_repeats": 0},
        notify={"grace_pause": 1.0, key: False},
    )
    daemon, clock, notifier = make_daemon(tmp_path, config)
    getattr(daemon.sources, hold)(True)
    type_for(daemon, clock, 61)
    clock.t += 2
    daemon.host.tick()
    assert [r.kind.value for r in notifier.shown] == ["sitting"]


@pytest.mark.parametrize(
    ("hold", "key"), [("on_desktop_dnd", "respect_dnd"), ("on_fullscreen", "hold_in_fullscreen")]
)
def test_reload_applies_the_new_rules_to_a_hold_already_on(tmp_path, hold, key):
    """The engine decides again on a reload (the daemon passes the desktop on as it is)."""
    daemon, clock, notifier = make_daemon(tmp_path)
    getattr(daemon.sources, hold)(True)
    type_for(daemon, clock, 61)
    clock.t += 2
    daemon.host.tick()
    assert notifier.shown == []
    (tmp_path / "c.toml").write_text(
        f'[sitting]\nevery = "1m"\nmax_repeats = 0\n[notify]\n{key} = false\ngrace_pause = 1\n'
    )
    assert daemon.reload() is None
    assert daemon.requests.status()["held_by"] is None
    daemon.host.tick()
    assert [r.kind.value for r in notifier.shown] == ["sitting"]


def test_a_reload_with_a_new_snooze_keeps_the_notifier_and_relabels_its_button(tmp_path):
    daemon, _, notifier = make_daemon(tmp_path)
    (tmp_path / "c.toml").write_text('[notify]\nsnooze = "10m"\n')
    assert daemon.reload() is None
    assert daemon.effects.notifier is notifier and not notifier.closed
    assert notifier.snooze_label == "Snooze 10m"


def test_a_reload_with_a_new_sound_tells_the_notifier(tmp_path):
    daemon, _, notifier = make_daemon(tmp_path)
    (tmp_path / "c.toml").write_text('[notify]\nsound = "bell"\n')
    assert daemon.reload() is None
    assert daemon.effects.notifier is notifier and notifier.sound == "bell"


def test_a_locked_screen_counts_as_away(tmp_path):
    daemon, clock, notifier = make_daemon(tmp_path)
    type_for(daemon, clock, 30)
    daemon.sources.on_screen_lock(True)
    assert daemon.requests.handle(Request("status", {})).result["state"] == "away"
    clock.t += 40
    daemon.host.tick()
    assert notifier.shown == []
    daemon.sources.on_screen_lock(False)
    daemon.on_input(InputKind.KEY)
    assert daemon.requests.handle(Request("status", {})).result["state"] == "active"


# --- status bars -------------------------------------------------------------------------------


class FakeControl:
    """Stands in for the control server: one status bar subscribed."""

    subscribers = 1

    def __init__(self) -> None:
        self.published: list[dict] = []

    def publish(self, result: dict) -> None:
        self.published.append(result)


def test_a_user_back_from_away_is_pushed_to_status_bars(tmp_path):
    daemon, clock, _ = make_daemon(tmp_path)
    daemon.effects.control = control = FakeControl()
    type_for(daemon, clock, 10)
    clock.t += 150  # away (idle_after 2 min), not a natural break (5 min)
    daemon.host.tick()
    assert control.published[-1]["state"] == "away"
    daemon.on_input(InputKind.KEY)  # back: the engine asks for a wake-up at once
    daemon.host.tick()
    assert control.published[-1]["state"] == "active"


def test_a_break_is_pushed_to_status_bars_with_its_time_left_running(tmp_path):
    daemon, clock, notifier = make_daemon(tmp_path)
    daemon.effects.control = control = FakeControl()
    pushes: list[str] = []
    daemon.host.timer.call_in = lambda job, seconds, callback: pushes.append(job)
    type_for(daemon, clock, 10)
    daemon.requests.handle(Request("break-now", {}))
    assert notifier.shown[-1].on_break
    assert control.published[-1]["state"] == "on-break"
    assert pushes[-1] == "status-push"  # again in a minute: the bar counts the break down


# --- suspend ------------------------------------------------------------------------------------


def test_a_suspend_is_a_natural_break_and_brings_no_burst_of_stale_reminders(tmp_path, caplog):
    # Every kind on, intervals of a minute or two: several would have fallen due in the
    # hour the laptop slept. The engine's clock (CLOCK_BOOTTIME) counted through it.
    config = make_config(
        only=("sitting", "posture", "repetition"),
        sitting={"every": 60.0, "max_repeats": 2, "repeat": 30.0},
        posture={"every": 90.0},
        repetition={"every": 100.0},
        notify={"grace_pause": 1.0, "min_gap": 10.0},
    )
    daemon, clock, notifier = make_daemon(tmp_path, config)
    type_for(daemon, clock, 30)
    daemon.host.tick()
    assert notifier.shown == [] and daemon.host.timer.pending() is not None
    clock.t += 3600  # suspended for an hour; the late wake-up runs on resume
    with caplog.at_level(logging.INFO, logger="breakd"):
        daemon.host.tick()
    assert notifier.shown == []  # nothing replayed
    assert "natural break" in caplog.text
    type_for(daemon, clock, 20)  # back at the desk
    daemon.host.tick()
    assert notifier.shown == []  # timers restarted: a full interval first


# --- the daily check-in -------------------------------------------------------------------------


def checkin_config() -> Config:
    """The check-in due a minute ago, in a day that began two hours ago (whatever the time)."""
    now = dt.datetime.now()
    return make_config(
        only=(),
        daily={"day_starts": (now - dt.timedelta(hours=2)).time().replace(second=0, microsecond=0)},
        checkin={"enabled": True, "at": (now - dt.timedelta(minutes=1)).time().replace(second=0)},
        notify={"grace_pause": 1.0},
    )


def checkin_daemon(tmp_path: Path) -> tuple[Daemon, FakeClock, FakeNotifier, Store]:
    store = Store.open(tmp_path / "breakd.db")
    clock, notifier = FakeClock(), FakeNotifier()
    daemon = Daemon(checkin_config(), clock=clock, notifier=notifier, store=store)
    daemon.effects.new_day_if_needed()  # as run() does at start
    return daemon, clock, notifier, store


def test_the_check_in_is_asked_and_its_button_records_like_breakd_checkin(tmp_path):
    daemon, clock, notifier, store = checkin_daemon(tmp_path)
    type_for(daemon, clock, 5)
    clock.t += 2  # a pause in typing
    daemon.host.tick()
    (question,) = notifier.questions
    today = daemon.effects.today
    assert question.day == today
    sore = next(c for c in question.choices if c.label == "Sore")
    daemon.requests.on_checkin(question.day, sore.score)
    assert [(c.day, c.score, c.note) for c in store.checkins(today, today)] == [(today, 4, None)]
    type_for(daemon, clock, 5)
    clock.t += 2
    daemon.host.tick()
    assert len(notifier.questions) == 1  # once a day


def test_a_day_with_a_check_in_is_not_asked(tmp_path):
    daemon, clock, notifier, store = checkin_daemon(tmp_path)
    store.add_checkin(daemon.effects.today, 1, None)  # `breakd checkin 1` while the daemon runs
    type_for(daemon, clock, 5)
    clock.t += 2
    daemon.host.tick()
    assert notifier.questions == []
    daemon.effects.today = None  # a restart later that day: told at start, not asked either
    daemon.effects.new_day_if_needed()
    type_for(daemon, clock, 5)
    clock.t += 2
    daemon.host.tick()
    assert notifier.questions == []


def test_a_check_in_not_shown_is_asked_again_later(tmp_path):
    daemon, clock, notifier, _ = checkin_daemon(tmp_path)
    notifier.up = False
    type_for(daemon, clock, 5)
    clock.t += 2
    daemon.host.tick()
    assert notifier.questions == []
    notifier.up = True
    wake = daemon.host.engine.next_wakeup(clock.t)
    assert wake is not None and wake >= clock.t + 9 * 60  # not at once: a server is missing
    for _ in range(11):  # present meanwhile: a key now and then
        clock.t += 60
        daemon.on_input(InputKind.KEY)
    clock.t += 2
    # Not host.tick(): it re-anchors local time to the real clock, which the fake one outran.
    daemon.effects.carry_out(daemon.host.engine.advance(clock.t))
    assert len(notifier.questions) == 1


def test_four_sore_days_from_the_notification_bring_the_advice(tmp_path):
    daemon, _, notifier, store = checkin_daemon(tmp_path)
    today = daemon.effects.today
    for days_ago in (3, 2, 1):
        store.add_checkin(today - dt.timedelta(days=days_ago), 4, None)
    daemon.requests.on_checkin(today, 4)
    (advice,) = notifier.shown
    assert "professional" in advice.title.lower()


# --- calls and hooks ---------------------------------------------------------------------------


def test_a_call_holds_the_reminder_and_the_hooks_hear_of_it(tmp_path):
    hooks = {"held": ("true",), "released": ("true",), "shown": ("true",)}
    config = make_config(
        only=("sitting",),
        sitting={"every": 60.0, "max_repeats": 0},
        notify={"grace_pause": 1.0},
        hooks=hooks,
    )
    daemon, clock, notifier = make_daemon(tmp_path, config)
    fired = []
    daemon.effects.hooks.runner.fire = fired.append  # what would run, without running it
    daemon.sources.on_call("microphone in use")
    type_for(daemon, clock, 61)
    clock.t += 2
    daemon.host.tick()
    assert notifier.shown == []
    assert daemon.requests.status()["held_by"] == "microphone in use"
    daemon.sources.on_call(None)
    daemon.host.tick()  # the wake-up that ending the call asked for: the typing grace first
    assert notifier.shown == []
    clock.t += 1  # grace_pause after the call ended
    daemon.host.tick()
    assert [r.kind.value for r in notifier.shown] == ["sitting"]
    assert [e.hook.value for e in fired] == ["held", "released", "shown"]
    assert fired[1].held_by == "microphone in use"


def test_without_hooks_for_them_status_changes_are_not_computed_for_hooks(tmp_path):
    daemon, _, _ = make_daemon(tmp_path)
    assert not daemon.effects.hooks.wants_status
    seen = []
    daemon.effects.hooks.status = lambda *args: seen.append(args)  # what would be told
    daemon.sources.on_call("camera in use")
    daemon.sources.on_call(None)
    assert seen == []


def test_a_reload_with_a_new_language_speaks_it(tmp_path):
    daemon, clock, notifier = make_daemon(tmp_path)
    made: list[FakeNotifier] = []

    def make(config):  # the notifier of the new language (the real one asks the bus)
        made.append(FakeNotifier())
        return made[-1]

    daemon.effects._make_notifier = make
    (tmp_path / "c.toml").write_text(
        '[sitting]\nevery = "1m"\nmax_repeats = 0\n'
        "[repetition]\nenabled = false\n[posture]\nenabled = false\n"
        "[water]\nenabled = false\n[daily]\nenabled = false\n"
        '[notify]\ngrace_pause = "1s"\nlanguage = "de"\n'
    )
    assert daemon.reload() is None
    assert notifier.closed and daemon.effects.notifier is made[0]
    type_for(daemon, clock, 61)
    daemon.host.tick()
    assert [r.title for r in made[0].shown] == ["Zeit aufzustehen und sich zu bewegen"]
