"""Private temporary folders that do not outlive their process, not even a killed one.

The desk writes a citizen's CSV (names, full CPR numbers) and the letters of a batch into a
temporary folder, and a template override makes a merged view there too. The process removes
its folders on every way out it sees (the end of a batch, a signal, ``atexit``); a SIGKILL, a
power cut or a crash leaves them, so the desk sweeps its own stale folders when it starts.

Which folders are stale: each is made private (0700) with a lock file that its process holds
an exclusive ``flock`` on for as long as the folder is in use. The kernel drops the lock when the
process dies, however it dies, so a folder whose lock can be taken is no one's any more. A
folder without a lock file (made by an older standardgen, or this very moment) counts as stale
only when it has not changed for :data:`UNLOCKED_STALE_SECONDS`.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import stat
import tempfile
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no flock; folders are then judged by age alone
    fcntl = None  # type: ignore[assignment]

LOCK_NAME = ".standardgen-lock"
UNLOCKED_STALE_SECONDS = 12 * 3600

_held: dict[Path, int] = {}  # folder -> the descriptor of its locked lock file
_guard = threading.Lock()


def _remove_held() -> None:
    """At exit: every folder this process still holds (a caller that forgot, a test)."""
    for folder in list(_held):
        remove_tempdir(folder)


atexit.register(_remove_held)


def private_tempdir(prefix: str) -> Path:
    """A new folder in the system's temporary folder, readable by this user only (0700),
    locked for as long as this process lives or until :func:`remove_tempdir`."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))  # mkdtemp makes it 0700
    if fcntl is not None:
        fd = os.open(folder / LOCK_NAME, os.O_RDWR | os.O_CREAT | os.O_EXCL | _NOFOLLOW, 0o600)
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        with _guard:
            _held[folder] = fd
    return folder


def remove_tempdir(folder: Path) -> None:
    """Remove a folder made by :func:`private_tempdir` (its lock last: until it is gone, no
    sweep takes the folder for stale while it is being removed)."""
    shutil.rmtree(folder, ignore_errors=True)
    with _guard:
        fd = _held.pop(folder, None)
    if fd is not None:
        os.close(fd)


def sweep_stale(prefixes: Sequence[str], root: Path | None = None) -> list[Path]:
    """Remove this user's stale folders named ``<prefix>*`` in the temporary folder (``root``);
    the folders removed."""
    base = root or Path(tempfile.gettempdir())
    removed = []
    for prefix in prefixes:
        for folder in sorted(base.glob(f"{prefix}*")):
            if not _owned_folder(folder):
                continue
            with _stale(folder) as stale:
                if stale:
                    shutil.rmtree(folder, ignore_errors=True)
                    removed.append(folder)
    return removed


def _owned_folder(path: Path) -> bool:
    try:
        info = path.lstat()  # a symbolic link named like ours is never followed, nor removed
    except OSError:
        return False
    return stat.S_ISDIR(info.st_mode) and info.st_uid == _uid()


@contextlib.contextmanager
def _stale(folder: Path) -> Iterator[bool]:
    """Whether ``folder`` is stale, holding its lock (if it has one) for the block."""
    lock = folder / LOCK_NAME
    if fcntl is None or not lock.exists():
        yield _unchanged_for(folder, UNLOCKED_STALE_SECONDS)
        return
    try:
        fd = os.open(lock, os.O_RDWR | _NOFOLLOW)
    except OSError:
        yield False
        return
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:  # held: its process is alive (this one too, for its own folders)
        os.close(fd)
        yield False
        return
    try:
        yield True
    finally:
        os.close(fd)


def _unchanged_for(folder: Path, seconds: float) -> bool:
    try:
        return time.time() - folder.stat().st_mtime > seconds
    except OSError:
        return False


def _uid() -> int:
    getuid = getattr(os, "getuid", None)
    return int(getuid()) if getuid is not None else 0


_NOFOLLOW = getattr(os, "O_NOFOLLOW", 0)
