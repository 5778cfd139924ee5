"""Writing files so that a reader never sees a half-written one."""

from __future__ import annotations

import contextlib
import errno
import functools
import os
import secrets
import sys
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from standardgen.core.codes import Code
from standardgen.core.problems import InputError, Problem, Severity, display_path

#: Threads that wait for the disk at once in ``write_all_atomic``.
_SYNC_THREADS = 16


# The file-system errors a user can meet, in Danish: the system's own text is English
# ("File exists" for a file where the output folder should be).
_OS_ERRORS = {
    errno.EEXIST: "der ligger en fil med det navn, hvor standardgen skal lave en mappe; flyt "
                  "filen, eller vælg en anden mappe med --out",
    errno.ENOTDIR: "en del af stien er en fil, ikke en mappe; flyt filen, eller vælg en anden "
                   "mappe med --out",
    errno.EISDIR: "er en mappe, ikke en fil",
    errno.ENOENT: "findes ikke",
    errno.EACCES: "adgang nægtet; du har ikke ret til at skrive eller læse her",
    errno.EPERM: "adgang nægtet; du har ikke ret til at skrive eller læse her",
    errno.EROFS: "filsystemet er skrivebeskyttet",
    errno.ENOSPC: "disken er fuld; frigør plads, og kør igen",
    errno.EDQUOT: "din diskkvote er brugt op; frigør plads, og kør igen",
    errno.ENAMETOOLONG: "navnet er for langt",
}


def os_error_message(exc: OSError) -> str:
    """A file-system error as a Danish sentence (without the file's name)."""
    return _OS_ERRORS.get(exc.errno or 0) or f"filen kan ikke bruges ({exc.strerror or exc})"


def inside(folder: Path, name: str) -> Path:
    """``folder / name``, or :class:`InputError` when that path, resolved (``..``, an absolute
    name, a symbolic link on the way), lies outside ``folder``: a name taken from a document must
    never place a file anywhere else."""
    target = folder / name
    root = folder.resolve()
    if not target.resolve().is_relative_to(root) or target.resolve() == root:
        raise InputError([Problem(display_path(target), 0, 0, Severity.ERROR,
                                  f"filnavnet '{name}' peger uden for mappen "
                                  f"{display_path(folder)}; intet er skrevet", Code.UNSAFE_PATH)])
    return target


def child(folder: Path, name: str) -> Path:
    """``folder / name`` for a name that cannot leave ``folder`` (no separator, not ``..``),
    checked without touching the disk: one call per letter in a batch of thousands. A link
    already at that name is replaced by the rename of ``write_atomic``, never followed."""
    if not name or name in (".", "..") or "/" in name or "\\" in name or "\0" in name:
        raise ValueError(f"unsafe file name {name!r}")  # a bug: the name's pattern allows none
    return folder / name


def write_atomic(target: Path, data: bytes, mode: int = 0o644) -> None:
    """Write ``data`` to a temporary file beside ``target`` and rename it into place.

    A killed process leaves either the old file or the new one, never a torn one; the temporary
    name (``.<name>.<random>.tmp``) starts with a dot so that globbing for outputs does not pick
    it up. The name is chosen before the file is created, so that a signal arriving at any point
    after the creation still finds the name to remove.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = _temporary(target)
    try:
        # Created private (0600) so that a citizen's letter is never readable, even briefly.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise


def write_all_atomic(files: Sequence[tuple[Path, bytes]],
                     mode: int = 0o644) -> list[OSError | None]:
    """Write many files as :func:`write_atomic` does, waiting for the disk once, not per file.

    Each file is written to its temporary name, then all of them are flushed to the disk at the
    same time (one thread each, so the file system commits them together: ~0.5 ms a file
    rather than ~8 ms one after the other), and only a file whose data is on the disk is
    renamed into place. The same guarantee as ``write_atomic``: a killed process or a crash
    leaves whole files or none. Returns, per file, the error that kept it from being written.
    """
    temps = [_temporary(target) for target, _ in files]  # named before any is created
    errors: list[OSError | None] = [None] * len(files)
    try:
        for index, ((target, data), tmp) in enumerate(zip(files, temps, strict=True)):
            errors[index] = _write_private(target, tmp, data)
        pending = [index for index, error in enumerate(errors) if error is None]
        for index, error in zip(pending, _sync_pool().map(_sync, (temps[i] for i in pending)),
                                strict=True):
            errors[index] = error
        for index, ((target, _), tmp) in enumerate(zip(files, temps, strict=True)):
            if errors[index] is None:
                try:
                    os.chmod(tmp, mode)
                    os.replace(tmp, target)
                except OSError as exc:
                    errors[index] = exc
            if errors[index] is not None:
                _discard(tmp)
    except BaseException:
        for tmp in temps:
            _discard(tmp)
        raise
    return errors


def _discard(tmp: Path) -> None:
    with contextlib.suppress(OSError):  # never made, or its folder is not one: nothing to remove
        tmp.unlink(missing_ok=True)


@functools.cache
def _sync_pool() -> ThreadPoolExecutor:
    """The threads that wait for the disk, started once per process (a batch writes many
    chunks); they only ever run ``_sync``, which cannot raise."""
    return ThreadPoolExecutor(_SYNC_THREADS, thread_name_prefix="fsync")


def _temporary(target: Path) -> Path:
    return target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"


def remove_temporaries(folder: Path, endings: tuple[str, ...]) -> int:
    """Remove the temporary files a killed run left in ``folder`` (``.<name>.<random>.tmp``, as
    :func:`_temporary` names them) for file names that end in one of ``endings``. A run rewrites
    every file anyway, so none of them is worth keeping."""
    removed = 0
    if folder.is_dir():
        for path in folder.glob(".*.tmp"):
            name = path.name[1:].rsplit(".", 2)[0]
            if name.endswith(endings):
                path.unlink(missing_ok=True)
                removed += 1
    return removed


def _write_private(target: Path, tmp: Path, data: bytes) -> OSError | None:
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        # Created private (0600) so that a citizen's letter is never readable, even briefly.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
    except OSError as exc:
        return exc
    return None


def _sync(path: Path) -> OSError | None:
    try:
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
    except OSError as exc:
        return exc
    return None


@contextlib.contextmanager
def folder_lock(folder: Path) -> Iterator[None]:
    """Hold the only right to write in ``folder`` (an advisory lock on the folder itself, so no
    lock file is left among the letters). Two runs into one folder used to remove each other's
    temporary files (each cleans up what a killed run left) and lose letters; the second run now
    waits for the first, and says so. The lock goes with the process, however it ends."""
    if sys.platform == "win32":  # no flock, and a folder cannot be opened: not serialised there
        yield
        return
    import fcntl

    fd = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            sys.stderr.write(f"venter: en anden kørsel skriver i {display_path(folder)}\n")
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # releases the lock


def private_dir(folder: Path) -> str | None:
    """Create ``folder`` (and any missing parents) as 0700, whatever the umask: it is for
    personal data. Returns a Danish warning when the folder already existed and others can read
    or enter it (it is left as the user made it), else None."""
    missing = [folder, *folder.parents]
    missing = [path for path in missing if not path.exists()]
    folder.mkdir(parents=True, exist_ok=True)
    for path in missing:
        os.chmod(path, 0o700)  # mkdir's mode is cut by the umask; chmod is not
    mode = folder.stat().st_mode & 0o777
    if folder not in missing and mode & 0o077:
        return (f"mappen kan læses af andre (rettigheder {mode:04o}); filerne med "
                "personoplysninger er selv private (0600), men gør mappen privat med "
                "'chmod 700'")
    return None
