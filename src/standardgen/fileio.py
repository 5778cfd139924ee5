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
