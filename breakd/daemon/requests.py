"""Control requests and notification answers, turned into engine commands; the status and the
words said back.

Owns: the meaning of each control command on the daemon's side (``handle``), the status result,
the messages that say what a command did, answers from notification buttons; refusing them all
once the daemon stops (``close``).
Must not: wait on D-Bus or the store (a request returns once the engine has answered; what it
asked for is queued for ``effects``); decide anything the engine decides.
"""

from __future__ import annotations

import datetime as dt
import logging
import os
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager

from breakd import __version__
from breakd.config.load import ConfigError
from breakd.control import answers
from breakd.control.answers import Answer, Snoozed
from breakd.control.protocol import (
    COMMANDS,
    ENGINE_COMMANDS,
    UNKNOWN_COMMAND,
    Reply,
    Request,
    status_result,
)
from breakd.core.types import (
    BreakNow,
    Command,
    EngineState,
    KindStatus,
    Pause,
    Resume,
    Skip,
    Snooze,
    Status,
)
from breakd.core.words import N_, phrase
from breakd.daemon.effects import Effects
from breakd.daemon.host import EngineHost

log = logging.getLogger("breakd")

Reload = Callable[[], ConfigError | None]  # None: reloaded; else why not
# A request that comes while the daemon stops (a tray click): what the client says then.
STOPPING = N_("breakd is not running")


class Requests:
    def __init__(
        self,
        host: EngineHost,
        effects: Effects,
        reload: Reload,
        *,
        source: str,
        source_warning: str = "",
    ) -> None:
        self._host = host
        self._effects = effects
        self._reload = reload
        self._source = source
        self._source_warning = source_warning  # e.g. pynput on Wayland: shown in status
        # What the last reload read: the file's name, and whether it was missing (defaults).
        self.config_read = ("config", False)
        # Open until shutdown begins; ``close`` waits for the requests inside to finish.
        self._open = True
        self._inside = 0
        self._gate = threading.Condition()

    def close(self) -> None:
        """Shutdown begins: from now on requests are refused and answers ignored, since what
        they ask for would be carried out on their own thread (the effects worker ends) while
        the store and the notifier close. Returns once those already taken have finished."""
        with self._gate:
            self._open = False
            self._gate.wait_for(lambda: self._inside == 0)

    @contextmanager
    def _taken(self, what: str) -> Iterator[bool]:
        """Whether a request (``what``, for the log) is carried out: not once ``close`` ran."""
        with self._gate:
            taken = self._open
            if taken:
                self._inside += 1
        if not taken:
            log.debug("%s while stopping: not carried out", what)
        try:
            yield taken
        finally:
            if taken:
                with self._gate:
                    self._inside -= 1
                    self._gate.notify_all()

    def handle(self, request: Request) -> Reply:
        """The control server's thread (or a tray click's): one request, one reply."""
        with self._taken(f"request {request.cmd!r}") as taken:
            return self._handle(request) if taken else Reply.refusal(phrase(STOPPING))

    def _handle(self, request: Request) -> Reply:
        if request.cmd == "status":
            result = self.status()
            self._effects.keep_pushing(result)  # a new subscriber asks for status first
            return Reply.success(result)
        if request.cmd == "reload":
            error = self._reload()
            if error is None:
                # lifecycle has logged the reload, in more detail
                file, missing = self.config_read
                return _said(Answer(answers.RELOADED, source=file, defaults=missing))
            return _refused(error)
        if request.cmd not in ENGINE_COMMANDS:
            known = ", ".join(sorted(COMMANDS))
            return Reply.refusal(phrase(UNKNOWN_COMMAND, command=repr(request.cmd), known=known))
        engine, effects = self._host.engine, self._effects
        with self._host.turn() as turn:
            now = turn.now
            command = self._command_for(request, now)
            before = engine.status(now)
            actions = engine.command(command, now)
            self._host.reschedule(now)
            answer = self._answer(command, now, before, engine.status(now))
            turn.then(effects.carry_out, actions)
            turn.then(effects.record, actions, ())
            turn.then(effects.publish)
        reply = _said(answer)
        log.info("%s", reply.result["message"])
        return reply

    def status(self) -> dict[str, object]:
        with self._host.turn() as turn:
            now = turn.now
            status = self._host.engine.status(now)
            config = self._host.engine.config
        wall_now = time.time()
        result = status_result(
            status,
            to_epoch=lambda t: wall_now + (t - now),
            source=self._source,
            pid=os.getpid(),
            version=__version__,
        )
        result.update(
            counting=config.activity.count_input and self._source == "pynput",
            off_hours=status.state is EngineState.OFF_HOURS,
            due=any(k.pending or k.undelivered or k.due_in == 0 for k in status.kinds),
            sitting_every=config.sitting.every if config.sitting.enabled else None,
        )
        if self._source_warning:
            result["warning"] = self._source_warning
        return result

    # --- notification buttons (the notifier's thread) -----------------------------------------

    def on_answer(self, reminder_id: int, key: str) -> None:
        """A button on a notification: answered like the command line would."""
        with self._taken(f"answer {key!r} to reminder {reminder_id}") as taken:
            if taken:
                self._answered(reminder_id, key)

    def _answered(self, reminder_id: int, key: str) -> None:
        effects = self._effects
        with self._host.turn() as turn:
            stale = self._host.engine.is_stale(reminder_id)
            actions = self._host.engine.answer(reminder_id, key, turn.now)
            self._host.reschedule(turn.now)
            if not stale:
                turn.then(effects.carry_out, actions)
                turn.then(effects.record, actions, ())
                turn.then(effects.publish)
        if stale:  # an old notification left on screen: its answer is not for a newer one
            log.info("reminder %d answered from an old notification: ignored", reminder_id)
            return
        log.info("reminder %d answered from the notification: %s", reminder_id, key)

    def on_checkin(self, day: dt.date, score: int) -> None:
        """A check-in button: recorded exactly like ``breakd checkin SCORE``."""
        with self._taken(f"check-in {score}/10 for {day}") as taken:
            if not taken:
                return
            with self._host.turn() as turn:
                self._host.engine.checked_in(day)
                turn.then(self._effects.record_checkin, day, score)

    # --- commands -------------------------------------------------------------------------

    def _command_for(self, request: Request, now: float) -> Command:
        """The engine command a request names (one of ``ENGINE_COMMANDS``)."""
        args = request.args
        if request.cmd == "snooze":
            return Snooze(args.get("seconds"))
        if request.cmd == "pause":
            return Pause(until=self._pause_end(args, now))
        return _NO_ARGUMENTS[request.cmd]()

    def _pause_end(self, args: Mapping[str, object], now: float) -> float | None:
        seconds, until = args.get("seconds"), args.get("until")
        if isinstance(seconds, int | float):
            return now + float(seconds)
        if isinstance(until, int | float):
            return now + (float(until) - time.time())
        if args.get("tomorrow"):
            return self._host.engine.tomorrow(now)
        return None

    def _answer(self, command: Command, now: float, before: Status, after: Status) -> Answer:
        """What the command did, from the engine's status before and after it."""
        wall_now = time.time()

        def epoch(t: float) -> float:
            return wall_now + (t - now)

        if isinstance(command, Pause):
            return Answer(
                answers.PAUSED, until=None if command.until is None else epoch(command.until)
            )
        if isinstance(command, Snooze):
            seconds = command.seconds or self._host.engine.config.notify.snooze
            return _snooze_answer(before, after, epoch, seconds)
        if isinstance(command, Resume):
            return _resume_answer(before, after)
        if isinstance(command, BreakNow):
            until = None if after.break_until is None else epoch(after.break_until)
            return Answer(answers.ON_BREAK, until=until)
        return _skip_answer(before, after)


def _said(answer: Answer) -> Reply:
    """The reply: the answer, for the client to word in its user's language, and the same in
    English as the message, for the log and for clients from before answers."""
    return Reply.success({"message": answers.words(answer), "answer": answer.to_wire()})


def _refused(error: ConfigError) -> Reply:
    """A refused reload: the config's problems in English (the error older clients print) and
    as values, for the client to say in its user's language."""
    english = f"{answers.NOT_RELOADED}\n{error}"
    return Reply.failure(english, [problem.to_wire() for problem in error.problems])


_NO_ARGUMENTS: Mapping[str, Callable[[], Command]] = {
    "skip": Skip,
    "resume": Resume,
    "break-now": BreakNow,
}
assert set(ENGINE_COMMANDS) == {*_NO_ARGUMENTS, "snooze", "pause"}, "a command without a meaning"


def _snooze_answer(
    before: Status, after: Status, epoch: Callable[[float], float], length: float
) -> Answer:
    """Which reminder a snooze moved, and to when; or that there was nothing to snooze."""
    waiting = {k.kind for k in before.kinds if k.pending or k.undelivered}
    snoozed = [k for k in after.kinds if k.snoozed_until is not None and k.kind in waiting]
    if snoozed:
        return Answer(answers.SNOOZED, length=length, snoozed=_snoozed(snoozed, epoch))
    moved = [k for k in after.kinds if k.snoozed_until is not None]
    if moved:
        return Answer(answers.SNOOZE_MOVED, length=length, snoozed=_snoozed(moved, epoch))
    return Answer(answers.NOTHING_TO_SNOOZE)


def _skip_answer(before: Status, after: Status) -> Answer:
    """Which reminder a skip ended (the one waiting), or whose timer it started over."""
    waiting = {k.kind for k in after.kinds if k.pending or k.undelivered}
    ended = [
        k.kind.value for k in before.kinds if (k.pending or k.undelivered) and k.kind not in waiting
    ]
    if ended:
        return Answer(answers.SKIPPED, ended=tuple(ended))
    restarted = [
        now.kind.value
        for then, now in zip(before.kinds, after.kinds, strict=True)
        if then.due_in is not None and now.due_in is not None and now.due_in > then.due_in
    ]
    return Answer(answers.SKIPPED_NEXT, ended=tuple(restarted))


def _snoozed(kinds: list[KindStatus], epoch: Callable[[float], float]) -> tuple[Snoozed, ...]:
    return tuple(
        Snoozed(k.kind.value, epoch(k.snoozed_until), k.reminder_id)
        for k in kinds
        if k.snoozed_until is not None
    )


def _resume_answer(before: Status, after: Status) -> Answer:
    ended = tuple(k.kind.value for k in before.kinds if k.snoozed_until is not None)
    if before.state is EngineState.PAUSED:
        return Answer(answers.RESUMED, ended=ended)
    if ended:
        return Answer(answers.NOT_PAUSED, ended=ended)
    return Answer(answers.NOTHING_TO_RESUME)
