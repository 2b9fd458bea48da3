"""``python -m bench``: start a private desktop, measure breakd and its baselines, report.

Order: the in-process figures (no desktop); then ``--runs`` runs, each starting breakd and
the two baselines afresh (one at a time, for a clean start-up time) and measuring all three
at once through an idle, a typing and a heavy-motion phase, so every phase hits the three with
the very same input; then one soak of ``--soak-minutes`` of bursty typing, during which a
second breakd with a seconds-scale config measures how late its reminders arrive.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench import hotpath, load, procstat, report, subjects, tray
from bench.desktop import Desktop, missing_tools
from bench.subjects import Subject

RESULTS_DIR = Path(__file__).resolve().parent / "results"
SETTLE_S = 2.0  # after start-up, before the first sample: let imports and threads settle

# The reminder-lateness daemon: only the sitting reminder, every 20 s of presence; a pause of
# natural_break restarts it, so each burst of typing starts a fresh, exactly known interval.
# Typing stops 2 s before the reminder is due: longer than notify.grace_pause (so the typing
# grace does not defer it: this measures punctuality, not the grace) and shorter than
# idle_after (so presence, and the due time, run on unchanged).
LATE_EVERY_S = 20.0
LATE_TYPE_S = 18
LATE_NATURAL_BREAK_S = 5.0
LATE_PAUSE_S = LATE_NATURAL_BREAK_S + 1.5
LATE_GIVE_UP_S = 45.0  # a reminder later than this counts as lost
LATE_CONFIG = f"""\
[activity]
active_gap = "1s"
idle_after = "3s"
natural_break = "{LATE_NATURAL_BREAK_S:.0f}s"
[sitting]
every = "{LATE_EVERY_S:.0f}s"
duration = "5s"
max_repeats = 0
[repetition]
enabled = false
[posture]
enabled = false
[water]
enabled = false
[daily]
enabled = false
[notify]
min_gap = "1s"
grace_pause = "1s"
{tray.NO_TRAY}"""


@dataclass(frozen=True)
class Plan:
    """How long each part lasts."""

    mode: str
    runs: int
    idle_s: int
    typing_s: int
    motion_s: int
    soak_min: float


FULL = Plan("full", runs=3, idle_s=60, typing_s=60, motion_s=30, soak_min=10.0)
QUICK = Plan("quick", runs=1, idle_s=10, typing_s=10, motion_s=5, soak_min=1.0)


def plan_from(args: argparse.Namespace) -> Plan:
    base = QUICK if args.quick else FULL
    return Plan(
        base.mode,
        args.runs or base.runs,
        base.idle_s,
        base.typing_s,
        base.motion_s,
        args.soak_minutes if args.soak_minutes is not None else base.soak_min,
    )


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    p.add_argument("--quick", action="store_true", help="a short smoke run (about 2 minutes)")
    p.add_argument("--runs", type=int, help="runs to take medians over (default 3, quick 1)")
    p.add_argument("--soak-minutes", type=float, help="minutes of simulated use (default 10)")
    p.add_argument("--out", type=Path, default=RESULTS_DIR, help="where the JSON goes")
    p.add_argument(
        "--compare", nargs=2, type=Path, metavar=("A", "B"), help="compare two result files"
    )
    return p.parse_args(argv)


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    if args.compare:
        print(report.compare(*args.compare))
        return 0
    missing = missing_tools()
    if missing:
        print(f"missing tools; install: apt-get install {' '.join(missing)}", file=sys.stderr)
        return 2
    # SIGTERM unwinds like Ctrl-C, so every process started here is stopped on the way out.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    plan = plan_from(args)
    results: dict[str, Any] = {"meta": machine(plan), "runs": []}
    print(f"breakd benchmark, {plan.mode} mode: {asdict(plan)}", flush=True)
    progress("in-process hot path and simulated week")
    results["hotpath"] = hotpath.run_all()
    with (
        Desktop() as desktop,
        tempfile.TemporaryDirectory(prefix="breakd-bench-") as tmp,
        tray.tray_host(desktop) as host,
    ):
        home = Path(tmp)
        with_tray = host is not None
        for i in range(plan.runs):
            progress(f"run {i + 1}/{plan.runs}")
            results["runs"].append(one_run(desktop, home / f"run{i}", plan, with_tray))
        progress(f"soak: {plan.soak_min:g} min of bursty typing, with reminder lateness")
        results["soak"] = soak(desktop, home / "soak", plan.soak_min, with_tray)
    results["meta"]["loadavg_end"] = os.getloadavg()
    results["summary"] = report.summarize(results)
    results["targets"] = report.verdicts(results["summary"])
    print()
    print(describe(results["meta"]))
    print(report.table(results["summary"]))
    print(report.errors(results))
    path = report.save(results, args.out)
    print(f"\nresults: {path}")
    return 0


def progress(text: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {text}", flush=True)


def machine(plan: Plan) -> dict[str, Any]:
    from breakd import __version__

    return {
        "date": dt.date.today().isoformat(),
        "started": dt.datetime.now().isoformat(timespec="seconds"),
        "host": socket.gethostname(),
        "nproc": os.cpu_count(),
        "cpu": _cpu_model(),
        "kernel": platform.release(),
        "python": platform.python_version(),
        "breakd": __version__,
        "commit": _git_commit(),
        "mode": plan.mode,
        "plan": asdict(plan),
        "loadavg_start": os.getloadavg(),
    }


def describe(meta: dict[str, Any]) -> str:
    return (
        f"{meta['started']} on {meta['host']}: {meta['nproc']} x {meta['cpu']}, "
        f"Linux {meta['kernel']}, Python {meta['python']}, "
        f"breakd {meta['breakd']} at {meta.get('commit', '?')}, "
        f"{meta['mode']} mode ({meta['plan']['runs']} run(s)); load average "
        f"{meta['loadavg_start'][0]:.2f} at start, {meta['loadavg_end'][0]:.2f} at end\n"
    )


def _git_commit() -> str:
    """HEAD, with "+dirty" when the working tree differs (the benchmark runs the tree)."""
    repo = str(subjects.REPO)
    try:
        head = subprocess.run(
            ["git", "-C", repo, "rev-parse", "--short", "HEAD"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "-C", repo, "status", "--porcelain", "--untracked-files=no"],
            capture_output=True,
            text=True,
            check=True,
            timeout=10,
        ).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return "unknown"
    return f"{head}+dirty" if dirty else head


def _cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


# --- one run: start-up, idle, typing, heavy motion ------------------------------------------


def breakds(home: Path, with_tray: bool) -> list[Subject]:
    """breakd without its tray icon, and (with a tray host) breakd with it: the default
    config, its icon registered with the host before the figures are taken."""
    home.mkdir(parents=True, exist_ok=True)
    no_tray = home / "no-tray.toml"
    no_tray.write_text(tray.NO_TRAY)
    subs = [subjects.breakd(config=no_tray)]
    if with_tray:
        subs.append(subjects.breakd(subjects.WITH_TRAY))
    return subs


def wait_registered(subs: list[Subject]) -> None:
    """The tray icon registered with the host (its first status is the daemon's first)."""
    for s in subs:
        if s.name == subjects.WITH_TRAY and not s.wait_for_line(tray.REGISTERED_LINE, 15.0):
            print(f"  {s.name}: the tray icon did not register; its figures are without it")


def one_run(desktop: Desktop, home: Path, plan: Plan, with_tray: bool) -> dict[str, Any]:
    subs = [
        *breakds(home, with_tray),
        subjects.bare_pynput(),
        subjects.bare_stack(),
        *subjects.peers(),
    ]
    try:
        subs = subjects.start_all(desktop, subs, home)
        wait_registered(subs)
        time.sleep(SETTLE_S)
        out: dict[str, Any] = {s.name: start_figures(s) for s in subs}
        env = desktop.env()
        phases: dict[str, Callable[[], load.Delivered | None]] = {
            "idle": lambda: time.sleep(plan.idle_s),
            "typing": lambda: load.type_steadily(env, plan.typing_s),
            "motion": lambda: load.heavy_motion(env, plan.motion_s),
        }
        for phase, action in phases.items():
            for name, figures in measure(subs, action).items():
                out[name][phase] = figures
        for s in subs:
            out[s.name]["mem_end"] = asdict(procstat.memory(s.pid))
            out[s.name]["errors"] = s.errors()
        return out
    finally:
        subjects.stop_all(subs)


def start_figures(s: Subject) -> dict[str, Any]:
    return {
        "ready_s": s.ready_s,
        "ready_via": s.ready_via,
        "ready_marks": s.marks,
        "mem_start": asdict(procstat.memory(s.pid)),
    }


def measure(
    subs: list[Subject], action: Callable[[], load.Delivered | None]
) -> dict[str, dict[str, Any]]:
    """Sample every subject, run the load, sample again: the cost of each during the load."""
    before = {s.name: procstat.sample(s.pid) for s in subs}
    delivered = action()
    after = {s.name: procstat.sample(s.pid) for s in subs}
    out = {}
    for s in subs:
        use = procstat.usage(before[s.name], after[s.name])
        figures: dict[str, Any] = {
            **asdict(use),
            "cpu_pct": use.cpu_pct,
            "wakeups_per_s": use.wakeups_per_s,
        }
        switches = use.voluntary + use.involuntary
        if switches:  # a wake-up handles one batch of events: what a batch costs
            figures["us_per_wakeup"] = 1e6 * use.cpu_seconds / switches
        if delivered is not None:
            figures["delivered"] = asdict(delivered)
            figures["us_per_event"] = 1e6 * use.cpu_seconds / delivered.x_events
        out[s.name] = figures
    return out


# --- the soak, with reminder lateness -------------------------------------------------------


def soak(desktop: Desktop, home: Path, minutes: float, with_tray: bool) -> dict[str, Any]:
    """Bursts of typing (until the reminder) and short pauses (a natural break each) for
    ``minutes``; memory before and after, CPU over all of it, and each reminder's lateness."""
    home.mkdir(parents=True, exist_ok=True)
    config = home / "reminders.toml"
    config.write_text(LATE_CONFIG)
    reminders = subjects.breakd("breakd-reminders", config)
    subs = [*breakds(home, with_tray), subjects.bare_pynput(), subjects.bare_stack(), reminders]
    try:
        subjects.start_all(desktop, subs, home)
        wait_registered(subs)
        time.sleep(SETTLE_S)
        mem_start = {s.name: asdict(procstat.memory(s.pid)) for s in subs}
        end = time.monotonic() + minutes * 60
        lateness: list[float | None] = []
        measured = measure(subs, lambda: _lateness_cycles(desktop, reminders, end, lateness))
        return {
            "minutes": minutes,
            "lateness_s": lateness,
            "config": LATE_CONFIG,
            "subjects": {
                s.name: {
                    "mem_start": mem_start[s.name],
                    "mem_end": asdict(procstat.memory(s.pid)),
                    "usage": measured[s.name],
                    "errors": s.errors(),
                }
                for s in subs
            },
        }
    finally:
        subjects.stop_all(subs)


def _lateness_cycles(
    desktop: Desktop, reminders: Subject, end: float, lateness: list[float | None]
) -> None:
    """Pause (a natural break); type from T0 for 18 s, then wait: lateness is the Notify
    call's time minus T0 + every. T0 is taken just before the first key is sent, so the
    figure errs late by xdotool's start-up (a few ms), never early."""
    env = desktop.env()
    recorder = desktop.recorder
    assert recorder is not None
    chain = load.typing_chain(load.TYPING_KEYS_PER_S, load.TYPING_MOVES_PER_S)
    stopped = time.monotonic()
    while time.monotonic() + LATE_PAUSE_S + LATE_EVERY_S + 2 < end:
        time.sleep(max(0.0, stopped + LATE_PAUSE_S - time.monotonic()))
        seen = len(recorder.calls(reminders.pid))
        due = load.key_now(env) + LATE_EVERY_S
        load.drive(env, chain, LATE_TYPE_S)
        stopped = time.monotonic()
        give_up = LATE_EVERY_S - LATE_TYPE_S + LATE_GIVE_UP_S
        if recorder.wait_for(reminders.pid, seen + 1, give_up):
            lateness.append(recorder.calls(reminders.pid)[seen].wall - due)
        else:
            lateness.append(None)
            print(f"  no reminder within {LATE_GIVE_UP_S:.0f} s of due", flush=True)
    remaining = end - time.monotonic()  # keep the soak's length exact: type until the end
    if remaining >= 1:
        load.drive(env, chain, int(remaining))
