"""What a browser just posted, kept in memory for a short while so that the answer to a post
can be a redirect (Post/Redirect/Get): Back and Forward then never ask to send a form again.

Never on disk, never logged; each entry belongs to the browser that posted it (its CSRF cookie),
is kept for :data:`KEEP_SECONDS` and is dropped when more than :data:`MAX_ENTRIES` are held.
The case itself still travels in the pages (the case file to download, "Gem kladde").
"""

from __future__ import annotations

import secrets
import threading
import time
from collections import OrderedDict
from collections.abc import Mapping
from dataclasses import dataclass, field

KEEP_SECONDS = 30 * 60
MAX_ENTRIES = 500  # about 20 caseworkers' worth of open pages; the oldest goes first


@dataclass(frozen=True)
class Posted:
    owner: str
    values: Mapping[str, str]
    mode: str  # "check": check and show the preview or the problems; "form": show the form
    raw: bytes = b""  # an uploaded case file: checked as it is, not as form values
    created: float = field(default_factory=time.monotonic)


class Recent:
    def __init__(self) -> None:
        self._entries: OrderedDict[str, Posted] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, owner: str, values: Mapping[str, str], mode: str = "check",
            raw: bytes = b"") -> str:
        key = secrets.token_urlsafe(16)
        with self._lock:
            self._expire()
            self._entries[key] = Posted(owner, dict(values), mode, raw)
            while len(self._entries) > MAX_ENTRIES:
                self._entries.popitem(last=False)
        return key

    def get(self, key: str, owner: str) -> Posted | None:
        with self._lock:
            self._expire()
            entry = self._entries.get(key)
        if entry is None or not secrets.compare_digest(entry.owner, owner):
            return None
        return entry

    def _expire(self) -> None:
        now = time.monotonic()
        while self._entries:
            key, entry = next(iter(self._entries.items()))
            if now - entry.created <= KEEP_SECONDS:
                return
            del self._entries[key]
