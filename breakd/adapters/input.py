"""Keyboard and mouse activity from pynput (X11 through the RECORD extension).

Owns the pynput listeners and their callbacks. The callbacks are the daemon's hot path: they
turn an event into an ``InputKind`` and hand it on, nothing more. Key identity never leaves
the callback's arguments: it is not stored, compared, logged or passed on. Pointer motion can
arrive 1000 times a second from a real mouse, so it is coalesced to one event per
``MOTION_COALESCE`` seconds: presence needs to know the pointer moved, not where.

On X11 breakd pays per batch, not per event (issue 17). pynput's listeners would wake up and
build a python-xlib event object for every X event (~150 us each, for an answer breakd reduces
to a counter), so breakd runs one pynput RECORD listener for keys and pointer together
(``_record_listener``) and takes over its RECORD handler (``_handler``): ``tally`` counts the
events in the raw RECORD data by their type byte alone (the keycode, byte 1 of a key event, is
never read, and pynput never gets to translate it), and ``RecordReader`` then rests for
``BATCH_DELAY`` whenever nothing more is waiting, so the events of the next second arrive
together, in one wake-up. The first event after a quiet spell is seen at once; under load the
listener wakes about once a second; while idle its thread blocks in the X socket, as before.
Events are stamped with the X server's own time of each RECORD reply (``ServerClock``), so
batching moves when breakd learns of an input, by at most ``BATCH_DELAY``, not when it says the
input happened: presence, counts and the motion coalescing come out as unbatched.

pynput facts this relies on (shared/notes/pitfalls.md): importing it opens an X connection
(so it is imported only after the session check, in ``start``); a listener whose X server
went away ends its thread and cannot be restarted (a new one is made); ``stop()`` returns at
once but the thread lingers until the next X event (the threads are daemons, so this is fine).
"""

from __future__ import annotations

import logging
import os
import select
import threading
import time
from collections.abc import Callable, Mapping
from typing import Any

from breakd.adapters.clock import Clock
from breakd.core.types import InputKind

log = logging.getLogger("breakd.input")

MOTION_COALESCE = 1.0
READY_TIMEOUT = 5.0
# Under load, a listener reads the X socket at most once per this many seconds: the bound on how
# late breakd learns of an input. The engine is told (``input_latency``), so it believes a
# pause in input only once the input still on its way has arrived.
BATCH_DELAY = 1.0
# A RECORD reply that seems to have waited longer than this (the X server's clock jumped:
# suspend, a wrap after 49 days) re-anchors the server clock: no reply really waits that long.
STALE_AFTER = 2.0

Feed = Callable[[InputKind], None]
FeedAt = Callable[[float, InputKind], None]  # (when it happened on the clock, what)

KEY, CLICK, MOTION = InputKind.KEY, InputKind.CLICK, InputKind.MOTION


class NoDisplay(Exception):
    """The session offers nothing pynput can watch."""


def check_display(env: Mapping[str, str] = os.environ) -> str:
    """The X display pynput will use, or NoDisplay saying why there is none."""
    display = env.get("DISPLAY", "")
    if display:
        return display
    if env.get("WAYLAND_DISPLAY"):
        raise NoDisplay(
            "this is a Wayland session without an X display (DISPLAY is not set): "
            "pynput can only watch X11 input. Run breakd under XWayland with DISPLAY set."
        )
    raise NoDisplay(
        "no display: DISPLAY is not set. breakd watches keyboard and mouse activity on the "
        "desktop; run it inside your graphical session (as a systemd user service started "
        "with the session, make sure the session imported DISPLAY into the user manager)."
    )


class InputWatcher:
    """The listeners (one on X11, a keyboard and a mouse one elsewhere) feeding one callback;
    replaceable together."""

    def __init__(
        self,
        feed: Feed,
        clock: Clock,
        died: threading.Event,
        *,
        count_input: bool = True,
        feed_at: FeedAt | None = None,
    ) -> None:
        self._feed = feed
        # Batched input knows when each event happened; without ``feed_at`` it is fed now.
        self._feed_at: FeedAt = feed_at or (lambda _t, kind: feed(kind))
        self._clock = clock
        self.set_counting(count_input)
        self._next_motion = 0.0
        self._listeners: list[Any] = []
        self.died = died  # set when either listener's thread ends
        self.latency = 0.0  # how late an input may be fed: BATCH_DELAY once reading X11 batches

    def start(self) -> None:
        record_listener = _record_listener()
        reader = None
        if record_listener is not None:  # X11: the raw RECORD stream, in batches
            listener = record_listener()
            reader = RecordReader(self._on_counts, self._clock, listener.more_waiting)
            listener.reader = reader
            self._listeners = [listener]
            self.latency = BATCH_DELAY
        else:  # macOS, Windows, uinput: pynput's listeners and callbacks, as they are
            from pynput import keyboard, mouse

            self._listeners = [
                keyboard.Listener(on_press=self._on_press),
                mouse.Listener(
                    on_move=self._on_move, on_click=self._on_click, on_scroll=self._on_scroll
                ),
            ]
        for listener in self._listeners:
            listener.daemon = True
            listener.start()
        for listener in self._listeners:
            # Blocking joins in idle threads: noticing a dead listener costs no wake-ups.
            threading.Thread(
                target=self._watch, args=(listener,), name="breakd-input-watch", daemon=True
            ).start()
        for listener in self._listeners:
            _wait_ready(listener, READY_TIMEOUT)
        if reader is not None:  # and the X server records: "watching" is then true
            reader.recording.wait(READY_TIMEOUT)

    def set_counting(self, count_input: bool) -> None:
        """Presence-only mode (False): key presses and clicks are fed as mere presence,
        coalesced like pointer motion, so not even their number is known."""
        self._counting = count_input

    def alive(self) -> bool:
        return bool(self._listeners) and all(lst.is_alive() for lst in self._listeners)

    def stop(self) -> None:
        for listener in self._listeners:
            try:
                listener.stop()
            except Exception:  # a listener whose X server is gone may fail to stop: it is dead
                log.debug("listener stop failed", exc_info=True)

    def _watch(self, listener: Any) -> None:
        # threading.Thread.join, not pynput's: pynput's join then waits on a queue that a
        # listener killed by a lost X connection never fills, so it would block forever.
        threading.Thread.join(listener)
        self.died.set()

    # --- the hot path: a few cheap operations each, key identity is never kept -----------

    # Each takes pynput's trailing ``injected`` too, so pynput calls it without a wrapper.

    def _on_press(self, _key: object, _injected: bool = False) -> None:
        if self._counting:
            self._feed(KEY)
        else:
            self._presence()

    def _on_click(
        self, _x: int, _y: int, _button: object, pressed: bool, _injected: bool = False
    ) -> None:
        if not pressed:
            return
        if self._counting:
            self._feed(CLICK)
        else:
            self._presence()

    def _on_scroll(self, _x: int, _y: int, _dx: int, _dy: int, _injected: bool = False) -> None:
        self._on_click(_x, _y, None, True)

    def _on_move(self, _x: int, _y: int, _injected: bool = False) -> None:
        self._presence()

    def _presence(self) -> None:
        t = self._clock()
        if t >= self._next_motion:
            self._next_motion = t + MOTION_COALESCE
            self._feed(MOTION)

    def _on_counts(self, t: float, keys: int, clicks: int, moves: int) -> None:
        """One RECORD reply's events, all at ``t`` (X11): numbers of each, nothing more."""
        if self._counting:
            for _ in range(keys):
                self._feed_at(t, KEY)
            for _ in range(clicks):
                self._feed_at(t, CLICK)
        elif keys or clicks:
            moves += 1
        if moves and t >= self._next_motion:
            self._next_motion = t + MOTION_COALESCE
            self._feed_at(t, MOTION)


# --- X11: the raw RECORD stream, counted by event type and read in batches ----------------------

# X event types (the low 7 bits of an event's first byte; the top bit marks a SendEvent).
_KEY_PRESS, _BUTTON_PRESS, _MOTION_NOTIFY = 2, 4, 6
_SENT = 0x80
_EVENT_SIZE = 32  # each core device event in RECORD data
_FROM_SERVER = 0  # the RECORD reply category that carries device events
_START_OF_DATA = 4  # the first reply: the server records from here on


def tally(data: bytes | memoryview) -> tuple[int, int, int]:
    """Key presses, button presses (clicks and scroll steps) and pointer motions in the data
    of one RECORD reply. Reads the type byte of each event and nothing else: a key's code
    (byte 1) is never looked at, so it cannot reach anything."""
    types = bytes(data[::_EVENT_SIZE])
    return (
        types.count(_KEY_PRESS) + types.count(_KEY_PRESS | _SENT),
        types.count(_BUTTON_PRESS) + types.count(_BUTTON_PRESS | _SENT),
        types.count(_MOTION_NOTIFY) + types.count(_MOTION_NOTIFY | _SENT),
    )


class ServerClock:
    """The X server's millisecond time of a RECORD reply, on breakd's clock.

    The offset between the two clocks is the smallest seen (a reply read at once shows it, to
    a millisecond: no reply arrives before its event). A reply that seems older than
    ``STALE_AFTER`` means the server's clock moved (breakd's clock counts suspend, Xorg's
    does not; the server's 32-bit milliseconds wrap): the offset is taken afresh. A stamp is
    never later than now.
    """

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._offset = float("inf")

    def stamp(self, server_ms: int) -> float:
        server = server_ms / 1000.0
        seen = self._clock() - server
        if seen < self._offset or seen > self._offset + STALE_AFTER:
            self._offset = seen
        return server + self._offset


Counts = Callable[[float, int, int, int], None]  # (when, keys, clicks, moves)


class RecordReader:
    """One RECORD listener's replies: counts them, stamps them, and rests between batches.

    After a reply with events, when nothing more is waiting (``more_waiting``), it rests
    ``BATCH_DELAY`` before the listener reads the X socket again: what arrives meanwhile is
    read in one go. So an event is handled at most ``BATCH_DELAY`` (plus the reading) after
    it arrived, a listener wakes about once a second under load, and an idle listener stays
    blocked in the socket: no wake-ups.
    """

    def __init__(
        self,
        on_counts: Counts,
        clock: Clock,
        more_waiting: Callable[[], bool],
        rest: Callable[[float], None] = time.sleep,
        delay: float = BATCH_DELAY,
    ) -> None:
        self._on_counts = on_counts
        self._delay = delay
        self._stamps = ServerClock(clock)
        self._more_waiting = more_waiting
        self._rest = rest
        # Set by the server's first reply. pynput says it is ready a moment before it asks the
        # server to record, so only this says input is seen from now on.
        self.recording = threading.Event()

    def reply(self, category: int, server_ms: int, data: bytes | memoryview) -> None:
        if category == _START_OF_DATA:
            self.recording.set()
            return
        if category != _FROM_SERVER or not data:  # end of data: nothing to count
            return
        keys, clicks, moves = tally(data)
        if keys or clicks or moves:  # not just releases
            self._on_counts(self._stamps.stamp(server_ms), keys, clicks, moves)
        if not self._more_waiting():
            self._rest(self._delay)


def _more_waiting(display: Any) -> bool:
    """python-xlib holds another complete reply after the one being handled, or the socket
    has data: keep reading; resting now would only let the backlog grow."""
    if len(display.data_recv) - display.recv_packet_len >= _EVENT_SIZE:
        return True
    return bool(select.select([display.socket], [], [], 0)[0])


def _handle_reply(listener: Any, reply: Any) -> None:
    """pynput's ``_handler`` for breakd's listeners: the raw reply goes to the reader, no
    python-xlib event objects are built and no pynput callback is called."""
    if not listener.running:
        raise listener.StopException()
    listener.reader.reply(reply.category, reply.server_time, reply.data)


def _record_listener() -> Any:
    """On X11, the one pynput RECORD listener breakd needs (see the module doc); else None.

    Uses private parts of pynput's xorg backend, pinned by the input tests: ``_EVENTS``, the
    (first, last) range of X event types its RECORD context asks for; ``_handler``, which
    gets each raw RECORD reply (wrapped in pynput's ``_emitter``, so an error still ends the
    listener as a failing callback would); and python-xlib's receive buffer
    (``_more_waiting``). The listener gets a ``reader`` (a ``RecordReader``) before it starts.
    """
    from pynput import mouse  # opens the X connection: only now

    if mouse.Listener.__module__ != "pynput.mouse._xorg":
        return None
    from pynput._util import AbstractListener
    from Xlib import X

    class KeysAndPointer(mouse.Listener):
        # Key press .. pointer motion: one context, one thread, one wake-up a second under
        # load (two listeners woke twice as often). Key and button releases come along (a
        # range has no gaps) and are read past; enter/leave and everything else are not asked.
        _EVENTS = (X.KeyPress, X.MotionNotify)
        _handler = AbstractListener._emitter(_handle_reply)
        reader: RecordReader

        def more_waiting(self) -> bool:
            return _more_waiting(self._display_record.display)

    return KeysAndPointer


def _wait_ready(listener: Any, timeout: float) -> bool:
    """Wait until the listener's X connection is up, or it died, or time ran out.

    pynput's own ``wait()`` has no timeout and blocks forever when the X server is gone, so
    this waits on the same condition pynput notifies (a private attribute, pinned by the
    input tests).
    """
    condition = listener._condition
    with condition:
        return condition.wait_for(lambda: listener._ready or not listener.is_alive(), timeout)
