"""The machine-wide data cache: compiled forms of shipped data, built on first use.

Word indexes, the syllable table and compiled regular expressions are derived from data
that ships with healthlint or its dependencies. Deriving them takes from tens of
milliseconds to seconds, so each is built once and kept under :func:`data_cache_dir`,
keyed by what it was built from. Losing the folder only costs the time to rebuild it, so
failing to write there is never an error. This is not the result cache (``cache.py``),
which holds findings per project.
"""

from __future__ import annotations

import contextlib
import logging
import os
from pathlib import Path

LOG = logging.getLogger(__name__)

CACHE_ENV = "HEALTHLINT_CACHE_DIR"


def data_cache_dir() -> Path:
    """``$HEALTHLINT_CACHE_DIR``, else ``$XDG_CACHE_HOME/healthlint``, else ``~/.cache/healthlint``."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "healthlint"


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
