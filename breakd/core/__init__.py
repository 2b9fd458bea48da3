"""The pure core of breakd: decisions only.

What lives here: what counts as activity and presence, when a reminder is due, how reminders
merge and repeat, and what they say. What must never live here: I/O, clock reads, threads,
randomness that is not seeded, or imports of pynput, APScheduler, plyer, sockets or SQLite.
The adapters in ``breakd.adapters`` feed this core timestamped events and carry out the
actions it returns.
"""
