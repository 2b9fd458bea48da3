"""One jeepney session bus connection and its listener thread, shared by the D-Bus adapters.

Owns: a ``jeepney.io.threading.DBusConnection`` and ONE listener thread per connection that
blocks in ``receive()`` (a selector on the socket and a stop pipe; ``interrupt()`` wakes it):
it hands each method reply to the caller waiting in ``call`` (matched by serial), each signal
to ``on_signal``, each method call made to us to ``on_call`` (for a service such as the tray
icon; without one, calls go unanswered), and once the connection ends it fails the calls in
flight and reports why to ``on_lost``. Also the match rules, signal tests and property
helpers several adapters need.

Must not: poll (no receive timeout, no timer), run more than one thread per connection, decide
anything about what a signal means (that is the adapter's ``on_signal``), or raise into its
callers anything but the documented errors: ``BusUnreachable`` from ``open`` (no bus),
``BusError`` when a call gets no answer, and jeepney's ``DBusErrorResponse`` when the peer
answers with an error (from ``call`` and from ``open``'s match rules). ``on_signal``,
``on_call`` and ``on_lost`` run on the listener thread: they must be quick and must not
``call`` (a reply can only arrive through that same thread); ``send`` is fine there.

jeepney's own ``DBusRouter`` would need a second thread to drain its filter queues, so replies
are matched to calls here, in the one listener thread.
"""

from __future__ import annotations

import concurrent.futures
import logging
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from jeepney import (
    DBusAddress,
    HeaderFields,
    MatchRule,
    Message,
    MessageFlag,
    MessageType,
    new_method_call,
)
from jeepney.bus_messages import message_bus
from jeepney.io.threading import DBusConnection, ReceiveStopped, open_dbus_connection
from jeepney.wrappers import unwrap_msg

log = logging.getLogger("breakd.dbus")

CALL_TIMEOUT = 5.0  # seconds; a service that takes longer is as good as absent
BUS_NAME = "org.freedesktop.DBus"
PROPERTIES = "org.freedesktop.DBus.Properties"


def session_bus_address(address: str | None = None) -> str:
    """``address``, or else the environment's session bus ("" when there is none)."""
    return address or os.environ.get("DBUS_SESSION_BUS_ADDRESS", "")


class BusError(Exception):
    """A call did not get an answer (connection closed or lost, timeout); the text says why."""


class BusUnreachable(BusError):
    """``open`` found no session bus to talk to (no address, refused, failed auth)."""


@dataclass(frozen=True)
class Signal:
    """A signal as the adapters see it."""

    sender: str
    path: str
    interface: str
    member: str
    body: tuple[object, ...]

    @classmethod
    def of(cls, msg: Message) -> Signal:
        fields = msg.header.fields
        return cls(
            sender=str(fields.get(HeaderFields.sender, "")),
            path=str(fields.get(HeaderFields.path, "")),
            interface=str(fields.get(HeaderFields.interface, "")),
            member=str(fields.get(HeaderFields.member, "")),
            body=tuple(msg.body),
        )


class DBusLink:
    """A session bus connection whose single listener thread delivers replies and signals."""

    def __init__(
        self,
        conn: DBusConnection,
        on_signal: Callable[[Signal], None],
        *,
        thread_name: str,
        on_lost: Callable[[str], None] | None = None,
        timeout: float = CALL_TIMEOUT,
        on_call: Callable[[Message], None] | None = None,
    ) -> None:
        self._conn = conn
        self._on_signal = on_signal
        self._on_call = on_call
        self._on_lost = on_lost
        self._timeout = timeout
        self._lock = threading.Lock()
        self._pending: dict[int, concurrent.futures.Future[Message]] = {}
        self.dead: str | None = None  # why the connection ended, once it has
        self.thread = threading.Thread(target=self._listen, name=thread_name, daemon=True)
        self.thread.start()

    @classmethod
    def open(
        cls,
        address: str | None,
        on_signal: Callable[[Signal], None],
        *,
        thread_name: str,
        rules: Iterable[MatchRule] = (),
        on_lost: Callable[[str], None] | None = None,
        timeout: float = CALL_TIMEOUT,
        on_call: Callable[[Message], None] | None = None,
    ) -> DBusLink:
        """Connect and subscribe to ``rules``; ``timeout`` is also the default for ``call``.

        ``address`` None or empty: the session bus of the environment.

        Raises ``BusUnreachable`` when there is no bus; ``BusError`` or ``DBusErrorResponse``
        when a match rule is not accepted (the connection is closed again then).
        """
        address = session_bus_address(address)
        if not address:
            raise BusUnreachable("no session bus (DBUS_SESSION_BUS_ADDRESS is not set)")
        try:
            # Connects, authenticates and says Hello (through a short-lived jeepney router).
            conn = open_dbus_connection(bus=address, auth_timeout=timeout)
        # Refused or missing socket, bad address or auth (ValueError), no Hello reply (on 3.10
        # concurrent.futures.TimeoutError is not the builtin one).
        except (OSError, RuntimeError, ValueError, concurrent.futures.TimeoutError) as exc:
            raise BusUnreachable(f"cannot connect to the session bus: {exc}") from None
        link = cls(
            conn,
            on_signal,
            thread_name=thread_name,
            on_lost=on_lost,
            timeout=timeout,
            on_call=on_call,
        )
        try:
            for rule in rules:
                link.call(message_bus.AddMatch(rule))
        except BaseException:
            link.close()
            raise
        return link

    def call(self, msg: Message, timeout: float | None = None) -> tuple[object, ...]:
        """Send a method call, wait for the reply's body (``DBusErrorResponse`` on an error)."""
        return tuple(unwrap_msg(self.call_raw(msg, timeout)))

    def call_raw(self, msg: Message, timeout: float | None = None) -> Message:
        """Send a method call and return the reply message; ``BusError`` if none comes."""
        wait = self._timeout if timeout is None else timeout
        future: concurrent.futures.Future[Message] = concurrent.futures.Future()
        with self._lock:
            if self.dead is not None:
                raise BusError(self.dead)
            serial = next(self._conn.outgoing_serial)
            self._pending[serial] = future  # before sending: an instant reply finds its caller
        try:
            self._conn.send(msg, serial=serial)
            return future.result(wait)
        except concurrent.futures.TimeoutError:
            raise BusError(f"no answer within {wait:g} s") from None
        except OSError as exc:
            raise BusError(f"session bus connection lost: {exc}") from None
        finally:
            with self._lock:
                self._pending.pop(serial, None)

    def send(self, msg: Message) -> None:
        """Send a message that expects no reply (a signal, or our reply to a call made to us);
        safe from any thread, the listener's included. ``BusError`` if the connection is gone."""
        if self.dead is not None:
            raise BusError(self.dead)
        try:
            self._conn.send(msg)
        except OSError as exc:
            raise BusError(f"session bus connection lost: {exc}") from None

    @property
    def unique_name(self) -> str:
        """Our own name on the bus (":1.42"), which peers use to reach our objects."""
        return str(self._conn.unique_name)

    def close(self) -> None:
        """End the listener and the connection; calls in flight fail at once."""
        # Interrupt first and close the socket only once the thread is out of its select().
        self._conn.interrupt()
        if self.thread is not threading.current_thread():
            self.thread.join(CALL_TIMEOUT)
        self._conn.close()

    def _listen(self) -> None:
        reason = "connection closed"
        try:
            while True:
                self._dispatch(self._conn.receive())  # blocks on the socket: no timeout
        except ReceiveStopped:
            pass
        except Exception as exc:  # EOF, reset, a garbled message: the connection is unusable
            reason = f"session bus connection lost: {type(exc).__name__}: {exc}"
            log.debug("%s stopped: %s", self.thread.name, reason)
        finally:
            with self._lock:
                self.dead = reason
                pending, self._pending = list(self._pending.values()), {}
            for future in pending:
                if not future.done():
                    future.set_exception(BusError(reason))
            if self._on_lost is not None:
                self._on_lost(reason)

    def _dispatch(self, msg: Message) -> None:
        reply_to = msg.header.fields.get(HeaderFields.reply_serial)
        if reply_to is not None:
            with self._lock:
                future = self._pending.get(reply_to)
            if future is not None and not future.done():
                future.set_result(msg)
        elif msg.header.message_type is MessageType.signal:
            try:
                self._on_signal(Signal.of(msg))
            except Exception:  # a bad signal must not end the listener
                log.exception("%s: error handling a signal", self.thread.name)
        elif msg.header.message_type is MessageType.method_call and self._on_call is not None:
            try:
                self._on_call(msg)
            except Exception:  # nor a bad call
                log.exception("%s: error answering a call", self.thread.name)


def name_owner_rule(name: str) -> MatchRule:
    """Match the bus's NameOwnerChanged for ``name`` (the service coming, going, changing)."""
    rule = MatchRule(type="signal", sender=BUS_NAME, interface=BUS_NAME, member="NameOwnerChanged")
    rule.add_arg_condition(0, name)
    return rule


def owner_changed(signal: Signal, name: str) -> bool:
    """True for a NameOwnerChanged about ``name``."""
    return (
        signal.interface == BUS_NAME
        and signal.member == "NameOwnerChanged"
        and bool(signal.body)
        and signal.body[0] == name
    )


def lost_owner(signal: Signal, name: str) -> bool:
    """True for the NameOwnerChanged that says ``name`` has no owner any more."""
    return owner_changed(signal, name) and len(signal.body) == 3 and not signal.body[2]


def get_property(bus_name: str, path: str, interface: str, prop: str) -> Message:
    """``Properties.Get`` of ``prop``; asking must not start the service (on a normal session
    bus many are activatable, and a watcher that launches one changes what it watches)."""
    address = DBusAddress(path, bus_name=bus_name, interface=PROPERTIES)
    msg = new_method_call(address, "Get", "ss", (interface, prop))
    msg.header.flags |= MessageFlag.no_auto_start
    return msg


def properties_changed_rule(bus_name: str, path: str) -> MatchRule:
    """Match ``PropertiesChanged`` from ``bus_name``'s current owner at ``path``."""
    return MatchRule(
        type="signal", sender=bus_name, path=path, interface=PROPERTIES, member="PropertiesChanged"
    )


def changed_property(signal: Signal, interface: str, prop: str) -> object | None:
    """The new (variant) value of ``interface.prop`` a ``PropertiesChanged`` carries, or None."""
    if signal.interface != PROPERTIES or signal.member != "PropertiesChanged":
        return None
    if len(signal.body) < 2 or signal.body[0] != interface:
        return None
    changed = signal.body[1]
    return changed.get(prop) if isinstance(changed, dict) else None


def unvariant(value: object, signature: str) -> object | None:
    """The value of a variant of ``signature`` (jeepney hands one over as (signature, value))."""
    if isinstance(value, tuple) and len(value) == 2 and value[0] == signature:
        return value[1]
    return None
