"""What a process costs, read from /proc: memory, CPU time and context switches.

Context switches stand in for wake-ups: a thread that sleeps and is woken once counts one
voluntary switch; one preempted while busy counts an involuntary one. Both are summed over
all threads (``/proc/PID/task/*/status``), because the thread that wakes is rarely the main
one. A thread that exits between two samples takes its counts with it, so threads are
matched by id and a vanished thread counts what it had at the first sample (nothing more).
CPU time is each thread's run time in nanoseconds (``/proc/PID/task/*/schedstat``), summed the
same way: /proc/PID/stat has only clock ticks (10 ms), too coarse for a process that uses 0.5 %
of a core; its figure is kept as a cross-check (it also counts exited threads).
"""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

CLK_TCK = os.sysconf("SC_CLK_TCK")


@dataclass(frozen=True)
class Memory:
    """Resident set and proportional set size in KiB (PSS splits shared pages fairly)."""

    rss_kb: int
    pss_kb: int


@dataclass(frozen=True)
class Sample:
    """One reading of a process's counters, stamped with the monotonic clock."""

    t: float
    cpu_ticks: int
    # thread id -> (voluntary switches, involuntary switches, run time in ns)
    threads: dict[int, tuple[int, int, int]] = field(default_factory=dict)


@dataclass(frozen=True)
class Usage:
    """The cost of a process between two samples."""

    seconds: float
    cpu_seconds: float
    cpu_seconds_ticks: float
    voluntary: int
    involuntary: int
    threads: int

    @property
    def cpu_pct(self) -> float:
        return 100.0 * self.cpu_seconds / self.seconds if self.seconds > 0 else 0.0

    @property
    def wakeups_per_s(self) -> float:
        total = self.voluntary + self.involuntary
        return total / self.seconds if self.seconds > 0 else 0.0


def memory(pid: int) -> Memory:
    """RSS and PSS from smaps_rollup (one cheap read; PSS needs the kernel's page walk)."""
    values: dict[str, int] = {}
    for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
        name, _, rest = line.partition(":")
        if name in ("Rss", "Pss"):
            values[name] = int(rest.split()[0])
    return Memory(values["Rss"], values["Pss"])


def sample(pid: int) -> Sample:
    """Read CPU ticks and every thread's context switches now."""
    stat = Path(f"/proc/{pid}/stat").read_text()
    fields = stat[stat.rindex(")") + 2 :].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime (fields 14 and 15 of stat)
    return Sample(time.monotonic(), ticks, _threads(pid))


def usage(before: Sample, after: Sample) -> Usage:
    """The difference of two samples of the same process."""
    vol = invol = ns = 0
    for tid, (v1, i1, n1) in after.threads.items():
        v0, i0, n0 = before.threads.get(tid, (0, 0, 0))
        vol += v1 - v0
        invol += i1 - i0
        ns += n1 - n0
    return Usage(
        seconds=after.t - before.t,
        cpu_seconds=ns / 1e9,
        cpu_seconds_ticks=(after.cpu_ticks - before.cpu_ticks) / CLK_TCK,
        voluntary=vol,
        involuntary=invol,
        threads=len(after.threads),
    )


def _threads(pid: int) -> dict[int, tuple[int, int, int]]:
    counts: dict[int, tuple[int, int, int]] = {}
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            text = (task / "status").read_text()
            ns = int((task / "schedstat").read_text().split()[0])
        except OSError:  # the thread ended while we looked
            continue
        vol = invol = 0
        for line in text.splitlines():
            if line.startswith("voluntary_ctxt_switches:"):
                vol = int(line.split()[1])
            elif line.startswith("nonvoluntary_ctxt_switches:"):
                invol = int(line.split()[1])
        counts[int(task.name)] = (vol, invol, ns)
    return counts
