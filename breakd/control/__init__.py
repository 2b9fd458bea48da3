"""The control edge: a JSON-lines protocol over a private Unix socket.

``protocol`` defines the messages (pure, no I/O), ``server`` serves them from one background
thread inside the daemon, ``client`` sends one request from the command line, ``paths`` says
where the socket lives and ``commands`` turns CLI subcommands into requests and prints replies.
"""
