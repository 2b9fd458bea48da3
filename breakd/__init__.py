"""breakd: an ergonomic break-reminder daemon."""

__version__ = "0.1.0"
