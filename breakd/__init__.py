"""breakd: an ergonomic break-reminder daemon."""

from breakd.core.words import N_

__version__ = "0.1.0"

# What breakd is, in one sentence: `breakd --help` and the guide's About (the tray's About).
ABOUT = N_(
    "An ergonomic break reminder: watches keyboard and mouse activity and "
    "reminds you to stand up, rest your hands, drink and check your posture."
)
