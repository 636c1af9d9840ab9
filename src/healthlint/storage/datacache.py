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
from collections.abc import Iterator
from pathlib import Path

from healthlint.storage.atomic import new_file_mode, write_atomically

LOG = logging.getLogger(__name__)

CACHE_ENV = "HEALTHLINT_CACHE_DIR"


def data_cache_dir() -> Path:
    """``$HEALTHLINT_CACHE_DIR``, else ``$XDG_CACHE_HOME/healthlint``, else ``~/.cache/healthlint``."""
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "healthlint"


def data_cache_source() -> str:
    """Which setting chose :func:`data_cache_dir`: ``HEALTHLINT_CACHE_DIR``, ``XDG_CACHE_HOME`` or ``home``."""
    if os.environ.get(CACHE_ENV):
        return CACHE_ENV
    return "XDG_CACHE_HOME" if os.environ.get("XDG_CACHE_HOME") else "home"


def load(name: str) -> bytes | None:
    """The bytes of data cache file ``name``, or None when it is not there or cannot be read."""
    try:
        return (data_cache_dir() / name).read_bytes()
    except OSError:
        return None


#: How many files of one kind with other keys a new build leaves in place, newest first.
KEEP_OTHERS = 1


def store(name: str, data: bytes, *, durable: bool = False) -> bool:
    """Write data cache file ``name`` (``<what>-<key>.<ext>``) and prune the files it supersedes.

    The one prune policy: of the files of the same ``<what>-`` with another key (built from an
    older source or by another version), the newest :data:`KEEP_OTHERS` stay and the rest are
    deleted. Keeping one means two installations of different versions on one machine (a
    pre-commit hook's and a project's) do not delete each other's build on every run.
    Returns False when the folder is not writable (the caller rebuilds next time).

    The file gets the mode the umask gives (0644 under the usual 022), not a temporary file's 0600:
    a CI image built by one user (``healthlint cache build``) is often run by another, who must be
    able to read what was built.

    :param durable: fsync the file before it replaces the old one (see :func:`write_atomically`).
    """
    path = data_cache_dir() / name
    if not write_atomically(path, data, durable=durable, mode=new_file_mode()):
        return False
    what = name.split("-", 1)[0] + "-"
    others = []
    for other in path.parent.glob(f"{what}*{path.suffix}"):
        if other.name != name and not other.name.endswith(".tmp"):
            try:
                others.append((other.stat().st_mtime, other))
            except OSError:
                continue
    others.sort(reverse=True)
    for _, old in others[KEEP_OTHERS:]:
        # another process may have it open (Windows will not delete a mapped file): the next build prunes it
        with contextlib.suppress(OSError):
            old.unlink(missing_ok=True)
    return True


#: Seconds this process has spent inside :func:`building` (the article clock leaves them out).
_built_seconds = [0.0]
_depth = [0]


def seconds_building() -> float:
    """Seconds this process has spent building data cache files (or waiting for another process's build)."""
    return _built_seconds[0]


def writable(folder: Path) -> bool:
    """Whether files can be made in ``folder``: it, or the nearest folder above it that exists (where it would be
    made), is writable by this process (``os.access``: a read-only file system counts as not writable)."""
    for candidate in (folder, *folder.parents):
        if candidate.exists():
            return candidate.is_dir() and os.access(candidate, os.W_OK)
    return False


def announce(what: str, seconds: str) -> None:
    """One line on stderr that a build of ``seconds`` is under way (only the process that builds says so).

    A terminal is always told, and "once per machine" only when the folder can keep what it builds. Elsewhere (CI, a
    pre-commit hook, a script) only a folder that cannot keep it is worth a line: there every run pays for the build
    again, silently, unless it says so.
    """
    import sys

    if sys.stderr is None:
        return
    folder = data_cache_dir()
    terminal = sys.stderr.isatty()
    if writable(folder):
        if not terminal:
            return
        line = f"healthlint: building the {what} in {folder} (once per machine, {seconds})"
    else:
        line = f"healthlint: building the {what} ({seconds}; {folder} is not writable, so every run builds it"
        line += ")" if terminal else f": set {CACHE_ENV} to a folder that is)"
    sys.stderr.write(line + "\n")
    sys.stderr.flush()


@contextlib.contextmanager
def building() -> Iterator[None]:
    """Around the once-per-machine build of a data cache file and the wait for another process's build (and the
    once-per-process load of the deeper spun stage's model, which a stopped timer would make start over).

    It does not count against a rule's time limit (``rule-timeout``, a SIGALRM timer: see ``engine.runner``), nor
    against the article's (``article-timeout``: ``engine.runner.article_clock``): interrupted, a build would start again
    from nothing on every run. The timer is stopped, and given back what it had left.
    """
    import signal
    import threading
    import time

    timed = hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
    remaining = signal.setitimer(signal.ITIMER_REAL, 0)[0] if timed else 0.0
    outermost = not _depth[0]
    _depth[0] += 1
    start = time.monotonic()
    try:
        yield
    finally:
        _depth[0] -= 1
        if outermost:
            _built_seconds[0] += time.monotonic() - start
        if remaining > 0:
            signal.setitimer(signal.ITIMER_REAL, remaining)
