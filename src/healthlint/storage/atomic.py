"""The one atomic file writer: a reader sees the old file or the new one, never half of either."""

from __future__ import annotations

import contextlib
import logging
import os
import stat
from collections.abc import Callable
from pathlib import Path

LOG = logging.getLogger(__name__)


def replace_file(
    path: Path,
    data: bytes,
    *,
    durable: bool = False,
    keep_mode: bool = False,
    before_replace: Callable[[], None] | None = None,
) -> None:
    """Write ``data`` to a temporary file in ``path``'s folder, then rename it over ``path``.

    :param durable: fsync the file (and its folder) so the new content survives a power cut.
    :param keep_mode: give the new file the permission bits of the file it replaces.
    :param before_replace: called just before the rename; what it raises leaves ``path`` untouched.
    :raises OSError: when the folder or file cannot be written (no temporary file is left behind).
    """
    import tempfile  # only writers pay for importing it

    mode = stat.S_IMODE(path.stat().st_mode) if keep_mode else None
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            if durable:
                handle.flush()
                os.fsync(handle.fileno())
        if mode is not None:
            os.chmod(tmp, mode)
        if before_replace is not None:
            before_replace()
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    if durable:
        fsync_folder(path.parent)


def write_atomically(path: Path, data: bytes) -> bool:
    """:func:`replace_file` for files that are only worth having (caches): False, not an error, on failure.

    Several processes may write the same file at once (pre-commit runs hooks in parallel);
    each replaces it whole, and the last one wins. Returns False, logging why at debug
    level, when the folder is not writable.
    """
    try:
        replace_file(path, data)
    except OSError as exc:
        LOG.debug("cannot write cache file %s: %s", path, exc)
        return False
    return True


def fsync_folder(folder: Path) -> None:
    """Make a rename in ``folder`` durable (best effort: not every file system can)."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)
