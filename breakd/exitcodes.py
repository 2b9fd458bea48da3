"""Exit codes shared by the daemon and the command line (sysexits.h where one fits)."""

OK = 0
FAILURE = 1
USAGE = 2
NOT_RUNNING = 3  # a control command found no running daemon
ALREADY_RUNNING = 4  # `breakd run` found another daemon of this user running
CONFIG = 78  # EX_CONFIG: bad configuration or an unusable session; systemd must not restart
