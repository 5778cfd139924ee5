"""The desk's connections: slow clients must not take it down.

uvicorn's h11 protocol waits for a request's headers for ever (its keep-alive timeout runs only
between requests, and any byte stops it) and accepts connections until the process runs out of
file descriptors. 1,100 half-sent requests, no token needed, took a network-bound desk down
("Too many open files", every real request timed out), and one stayed open 90+ s. So:

- A request's line and headers must be complete :data:`HEADER_SECONDS` after the connection
  opened or its previous response ended; else the connection is closed. (Bodies have their
  own time limits, in ``security.BodyLimit``.)
- The desk keeps at most a cap of connections, set from the process's limit of open files
  (raised to its hard limit first) minus what the desk needs itself. At the cap, a new
  connection closes the one that has waited longest for its headers: a browser sends its
  headers at once, so the ones waiting are the slow ones, and a caseworker's request gets in.
  When none is waiting (every connection is a request in progress), the new one is closed.
- uvicorn's ``limit_concurrency`` is not used: it answers 503 to every request once the slow
  connections reach it, which is the outage again by another name.

A desk on the network belongs behind a reverse proxy with TLS all the same (the token and
citizens' data would otherwise cross the network in plain text): see docs/it/skrivebord-drift.md.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.h11_impl import H11Protocol

HEADER_SECONDS = 10.0
#: Connections accepted in one go (the listen backlog): each holds a file descriptor before
#: the cap can close one, so the cap leaves room for a whole burst.
BACKLOG = 128
#: File descriptors the desk needs besides connections: templates, fonts, logs, the pipes of
#: two batch processes, a zip being sent.
RESERVED_FILES = 256
MAX_CONNECTIONS = 4096  # far more than a municipality's caseworkers


class GuardedH11Protocol(H11Protocol):
    """uvicorn's h11 protocol with a deadline for request headers and a cap on connections
    (:func:`guarded_protocol` makes the class with its cap)."""

    cap = MAX_CONNECTIONS

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        super().connection_made(transport)
        self._header_timer: asyncio.TimerHandle | None = None
        self._restart_header_clock()
        if len(self.connections) > self.cap:
            self._make_room()

    def on_response_complete(self) -> None:
        super().on_response_complete()
        self._restart_header_clock()

    def connection_lost(self, exc: Exception | None) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
        super().connection_lost(exc)

    def waiting(self) -> bool:
        """No request in hand: waiting for (the rest of) the next request's headers."""
        return self.cycle is None or self.cycle.response_complete

    def _restart_header_clock(self) -> None:
        if self._header_timer is not None:
            self._header_timer.cancel()
        self.waiting_since = self.loop.time()
        self._header_timer = self.loop.call_later(HEADER_SECONDS, self._header_deadline)

    def _header_deadline(self) -> None:
        if self.waiting() and not self.transport.is_closing():
            self.transport.close()

    def _make_room(self) -> None:
        waiting = [other for other in self.connections
                   if isinstance(other, GuardedH11Protocol) and other is not self
                   and other.waiting() and not other.transport.is_closing()]
        victim = min(waiting, key=lambda other: other.waiting_since, default=self)
        victim.transport.close()


def guarded_protocol(cap: int) -> type[GuardedH11Protocol]:
    """The protocol class for uvicorn's ``http`` setting, with at most ``cap`` connections."""
    return type("GuardedH11Protocol", (GuardedH11Protocol,), {"cap": cap})


def connection_cap() -> int:
    """How many connections this process can hold, after raising its soft limit of open files
    as far as it may."""
    files = _raise_file_limit(MAX_CONNECTIONS + BACKLOG + RESERVED_FILES)
    return max(16, min(MAX_CONNECTIONS, files - BACKLOG - RESERVED_FILES))


def _raise_file_limit(wanted: int) -> int:
    """The soft limit of open files, raised towards ``wanted`` (never above the hard limit);
    ``wanted`` where the system has no such limit (Windows)."""
    try:
        import resource
    except ImportError:
        return wanted
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    target = wanted if hard == resource.RLIM_INFINITY else min(wanted, hard)
    if soft != resource.RLIM_INFINITY and soft < target:
        try:
            resource.setrlimit(resource.RLIMIT_NOFILE, (target, hard))
            soft = target
        except (OSError, ValueError):  # not allowed here: the cap follows the soft limit
            pass
    return wanted if soft == resource.RLIM_INFINITY else int(soft)


def server_options(cap: int) -> dict[str, Any]:
    """uvicorn settings for the desk's connections."""
    return {"http": guarded_protocol(cap), "backlog": BACKLOG, "timeout_keep_alive": 5,
            "h11_max_incomplete_event_size": 16 * 1024}
