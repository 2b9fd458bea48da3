"""breakd's statistics store: what happened each day, as counts and times in one SQLite file.

The daemon writes (``Store.write``, ``Store.rollup``); ``breakd stats``, ``breakd report`` and
``breakd checkin`` read and add check-ins. See ``sqlite.py`` for what is stored and what never is,
and ``records.py`` for turning the engine's actions into rows.
"""

from breakd.store.sqlite import (
    BreakRow,
    Checkin,
    DayRow,
    History,
    KindClock,
    MinuteRow,
    ReminderEvent,
    SavedDay,
    Store,
    StoreError,
    default_db_path,
)

__all__ = [
    "BreakRow",
    "Checkin",
    "DayRow",
    "History",
    "KindClock",
    "MinuteRow",
    "ReminderEvent",
    "SavedDay",
    "Store",
    "StoreError",
    "default_db_path",
]
