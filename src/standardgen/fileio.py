"""Writing files so that a reader never sees a half-written one."""

from __future__ import annotations

import os
import secrets
from pathlib import Path


def write_atomic(target: Path, data: bytes, mode: int = 0o644) -> None:
    """Write ``data`` to a temporary file beside ``target`` and rename it into place.

    A killed process leaves either the old file or the new one, never a torn one; the temporary
    name (``.<name>.<random>.tmp``) starts with a dot so that globbing for outputs does not pick
    it up. The name is chosen before the file is created, so that a signal arriving at any point
    after the creation still finds the name to remove.
    """
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.parent / f".{target.name}.{secrets.token_hex(4)}.tmp"
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
