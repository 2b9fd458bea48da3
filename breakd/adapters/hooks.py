"""Hooks: the user's commands from ``[hooks]``, run on breakd's events.

``HookRunner.fire(event)`` returns at once: each hook has ONE worker thread (started when
first needed) that runs its command for each event in turn, so never two instances of the
same hook at a time; events that come while it runs wait in its queue (at most
``QUEUE_MAX``; more are dropped, and the log says so). A command runs without a shell unless
``[hooks] shell = true`` (then a string goes to ``sh -c``), with the event in ``BREAKD_*``
environment variables (``HookEvent.environment``), stdin from /dev/null, in its own process
group, killed with that group after ``[hooks] timeout``. Output and failures are logged.

Must not: block the caller, raise into it, or decide which events there are (the core's
``HookFeed`` does).
"""

from __future__ import annotations

import contextlib
import logging
import os
import queue
import shlex
import signal
import subprocess
import threading
from collections.abc import Mapping

from breakd.config.model import HookCommand, HooksConfig
from breakd.core.hooks import Hook, HookEvent, HookFeed
from breakd.core.types import Action, Status

log = logging.getLogger("breakd.hooks")

QUEUE_MAX = 16
# The hooks told from status changes (the others come from the engine's actions).
STATUS_HOOKS = frozenset(
    {Hook.BREAK_STARTED, Hook.BREAK_ENDED, Hook.PAUSED, Hook.RESUMED, Hook.HELD, Hook.RELEASED}
)
OUTPUT_MAX = 2000  # characters of a hook's output kept for the log


def argv_for(command: HookCommand, shell: bool) -> list[str]:
    """The program and its arguments; [] for no hook."""
    if isinstance(command, tuple):
        return list(command)
    if not command.strip():
        return []
    return ["/bin/sh", "-c", command] if shell else shlex.split(command)


class Hooks:
    """What the daemon holds: the core's ``HookFeed`` (what happened) and the runner (run it).
    Called from any of the daemon's threads."""

    def __init__(self, config: HooksConfig) -> None:
        self._feed = HookFeed()
        self._lock = threading.Lock()
        self.runner = HookRunner(config)

    def actions(self, actions: list[Action]) -> None:
        with self._lock:
            events = self._feed.actions(actions)
        for event in events:
            self.runner.fire(event)

    @property
    def wants_status(self) -> bool:
        """Whether any hook hears of status changes: else the daemon need not compute it."""
        return self.runner.configured(STATUS_HOOKS)

    def status(self, status: Status, holding: str | None, now: float) -> None:
        with self._lock:
            events = self._feed.status(status, holding, now)
        for event in events:
            self.runner.fire(event)


class HookRunner:
    def __init__(self, config: HooksConfig, env: Mapping[str, str] | None = None) -> None:
        self._config = config
        self._env = dict(os.environ if env is None else env)
        self._lock = threading.Lock()
        self._queues: dict[Hook, queue.Queue[tuple[HookEvent, HooksConfig] | None]] = {}

    def configure(self, config: HooksConfig) -> None:
        with self._lock:
            self._config = config

    def configured(self, hooks: frozenset[Hook]) -> bool:
        config = self._config
        return any(argv_for(getattr(config, hook.value), config.shell) for hook in hooks)

    def fire(self, event: HookEvent) -> None:
        with self._lock:
            config = self._config
            if not argv_for(getattr(config, event.hook.value), config.shell):
                return
            jobs = self._queues.get(event.hook)
            if jobs is None:
                jobs = self._queues[event.hook] = queue.Queue(QUEUE_MAX)
                threading.Thread(
                    target=self._work,
                    args=(event.hook, jobs),
                    name=f"breakd-hook-{event.hook.value}",
                    daemon=True,
                ).start()
        try:
            jobs.put_nowait((event, config))
        except queue.Full:
            log.warning(
                "hook %s: still busy with %d events; this one is dropped",
                event.hook.value,
                QUEUE_MAX,
            )

    def stop(self) -> None:
        """Let the workers end; a hook running now is left to finish (or time out)."""
        with self._lock:
            for jobs in self._queues.values():
                with contextlib.suppress(queue.Full):  # the worker is busy: it ends after
                    jobs.put_nowait(None)
            self._queues.clear()

    def _work(self, hook: Hook, jobs: queue.Queue[tuple[HookEvent, HooksConfig] | None]) -> None:
        while True:
            job = jobs.get()
            if job is None:
                return
            event, config = job
            try:
                self._run(event, config)
            except Exception:  # a broken hook must not end the worker
                log.exception("hook %s failed", hook.value)

    def _run(self, event: HookEvent, config: HooksConfig) -> None:
        name = event.hook.value
        argv = argv_for(getattr(config, name), config.shell)
        if not argv:
            return
        env = {**self._env, **event.environment()}
        try:
            child = subprocess.Popen(
                argv,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.STDOUT,
                env=env,
                start_new_session=True,  # its own process group: a timeout kills all of it
            )
        except OSError as exc:
            log.warning("hook %s: cannot run %s: %s", name, argv[0], exc.strerror or exc)
            return
        try:
            output, _ = child.communicate(timeout=config.timeout)
        except subprocess.TimeoutExpired:
            _kill_group(child)
            try:
                output, _ = child.communicate(timeout=5)
            except subprocess.TimeoutExpired:  # something that left its group keeps the pipe
                output = b""
            log.warning(
                "hook %s: killed after %gs (the [hooks] timeout)%s",
                name,
                config.timeout,
                _said(output),
            )
            return
        if child.returncode != 0:
            log.warning(
                "hook %s: %s exited with %d%s", name, argv[0], child.returncode, _said(output)
            )
        else:
            log.info("hook %s ran%s", name, _said(output))


def _kill_group(child: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(child.pid, signal.SIGKILL)
    except OSError:
        child.kill()


def _said(output: bytes | None) -> str:
    text = (output or b"").decode("utf-8", "replace").strip()
    if not text:
        return ""
    if len(text) > OUTPUT_MAX:
        text = text[:OUTPUT_MAX] + "..."
    return "; it said: " + text.replace("\n", " | ")
