"""The one atomic file writer: a reader sees the old file or the new one, never half of either."""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

LOG = logging.getLogger(__name__)


def write_atomically(path: Path, data: bytes) -> bool:
    """Write ``data`` through a temporary file in the same folder, so no reader sees half of it.

    Several processes may write the same file at once (pre-commit runs hooks in parallel);
    each replaces it whole, and the last one wins. Returns False, logging why at debug
    level, when the folder is not writable.
    """
    import tempfile  # only writers pay for importing it

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=path.name + ".", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        LOG.debug("cannot write cache file %s: %s", path, exc)
        return False
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.replace(tmp, path)
    except BaseException as exc:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        if isinstance(exc, OSError):
            LOG.debug("cannot write cache file %s: %s", path, exc)
            return False
        raise
    return True
