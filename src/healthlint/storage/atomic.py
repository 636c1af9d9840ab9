"""The one atomic file writer: a reader sees the old file or the new one, never half of either."""

from __future__ import annotations

import contextlib
import errno
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
    mode: int | None = None,
    before_replace: Callable[[], None] | None = None,
) -> None:
    """Write ``data`` to a temporary file in ``path``'s folder, then rename it over ``path``.

    :param durable: fsync the file (and its folder) so the new content survives a power cut.
    :param keep_mode: give the new file the permission bits of the file it replaces.
    :param mode: the new file's permission bits (by default 0600, as a temporary file is made).
    :param before_replace: called just before the rename; what it raises leaves ``path`` untouched.
    :raises OSError: when the folder or file cannot be written (no temporary file is left behind).
    """
    import tempfile  # only writers pay for importing it

    if keep_mode:
        mode = stat.S_IMODE(path.stat().st_mode)
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


def write_output(path: Path, data: bytes) -> None:
    """Write a file the user named (a report, a baseline) the way they would expect.

    A regular file (or a new one) is replaced atomically; a symbolic link is followed and its
    target replaced; a pipe or device (``-o >(cmd)``, ``/dev/stdout``) is written to as a
    stream. A new file gets the mode the umask gives, a replaced one keeps its own; missing
    folders are made (``-o reports/healthlint.sarif`` in a fresh CI checkout).

    :raises UsageError: naming the path, when it cannot be written.
    """
    from healthlint.config import UsageError

    try:
        try:
            info: os.stat_result | None = path.stat()
        except FileNotFoundError:
            info = None
        if info is not None and not stat.S_ISREG(info.st_mode):
            with open(path, "wb") as stream:
                stream.write(data)
            return
        target = Path(os.path.realpath(path))
        mode = stat.S_IMODE(info.st_mode) if info is not None else new_file_mode()
        replace_file(target, data, durable=True, mode=mode)
    except OSError as exc:
        raise UsageError(f"{path}: cannot be written: {(exc.strerror or str(exc)).lower()}") from None


def check_writable(path: Path) -> None:
    """Make sure :func:`write_output` will be able to write ``path``, before work that must not be done otherwise.

    A pipe or device is taken as writable; a folder is not; for a file, its folder is made if need be (as
    ``write_output`` makes it) and a temporary file is created in it and removed. A full disk is not foreseen.

    :raises UsageError: naming the path, with the message ``write_output`` would give.
    """
    import tempfile

    from healthlint.config import UsageError

    try:
        try:
            info: os.stat_result | None = path.stat()
        except FileNotFoundError:
            info = None
        if info is not None and stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
        if info is not None and not stat.S_ISREG(info.st_mode):
            return
        folder = Path(os.path.realpath(path)).parent
        folder.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{path.name}.", suffix=".probe"):
            pass
    except OSError as exc:
        raise UsageError(f"{path}: cannot be written: {(exc.strerror or str(exc)).lower()}") from None


def umask() -> int:
    """The process's umask, read without changing it where the system tells it (Linux: ``/proc/self/status``).

    Elsewhere reading it means setting it and putting it back, and a file another thread makes in that moment
    gets the mode set meanwhile: the strictest (077), so such a file is never more open than the user's umask
    makes it. (Set to 022 for that moment, a file made under a umask of 077 came out readable by everyone.)
    """
    try:
        with open("/proc/self/status", "rb") as status:
            for line in status:
                if line.startswith(b"Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o077)
    os.umask(mask)
    return mask


def new_file_mode() -> int:
    """The permission bits the umask gives a new file (0644 under the usual 022): for what a user reads."""
    return 0o666 & ~umask()


def write_atomically(path: Path, data: bytes, *, durable: bool = False, mode: int | None = None) -> bool:
    """:func:`replace_file` for files that are only worth having (caches): False, not an error, on failure.

    Several processes may write the same file at once (pre-commit runs hooks in parallel);
    each replaces it whole, and the last one wins. Returns False, logging why at debug
    level, when the folder is not writable.

    :param durable: fsync it (a file read without checking all of it, which a power cut must not leave half-written).
    :param mode: its permission bits (default 0600; :func:`new_file_mode` for a file the user reads).
    """
    try:
        replace_file(path, data, durable=durable, mode=mode)
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
