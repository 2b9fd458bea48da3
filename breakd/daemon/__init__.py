"""The daemon: wires the engine to input, time and notifications. No decisions live here.

One module per job:

* ``lifecycle`` -- wiring and life cycle: builds the parts, starts and stops them, signals,
  reloads, ``breakd run``;
* ``host`` -- the engine, its one lock, the clock and the wake-up (APScheduler's single
  worker); every turn of the engine queues its effects under that lock, so they keep the
  engine's order;
* ``effects`` -- the one owner of side effects, in two ordered lanes: one worker thread
  writes the store, pushes status and runs hooks, and passes each notifier call on, in the
  same order, to a second one that shows and withdraws notifications and asks the check-in;
  a delivery that failed goes back to the engine as an input;
* ``supervise`` -- input listeners or a presence source, the fullscreen and desktop
  watchers, systemd's watchdog: started, watched, restarted, reported to the engine;
* ``requests`` -- control requests and notification answers turned into engine commands,
  the status result and the words said back.

A thread that dies of an exception is logged as an error with its traceback (lifecycle);
input supervision starts over after a bug in it; stopping refuses requests and answers from
then on, stops the wake-up, then carries out what is queued (the effects lane's, then the
notification lane's), before the store and the notifier close.

Threads: pynput's listeners (the hot path: clock read, engine input, rarely a reschedule),
the wake-up, the supervisors and watchers, the control server and the notifier's action
listener only ever hold the engine's lock briefly and queue; the effects lane alone waits on
the store, the notification lane alone on the notification server, so a slow or hung one
delays only later notifications.
"""

from breakd.core.engine import RETRY_FIRST, RETRY_MAX
from breakd.daemon.lifecycle import Daemon, run_command

__all__ = ["RETRY_FIRST", "RETRY_MAX", "Daemon", "run_command"]  # the retry policy is the engine's
