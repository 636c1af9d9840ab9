"""Replacing a folder as a whole: build a new one beside it, then swap it in.

The new tree is built in ``.<name>.healthlint-tmp-<stamp>`` beside the output folder,
holding a ``.healthlint-building`` marker until it is complete. Then it is swapped in:

* On Linux, ``renameat2(RENAME_EXCHANGE)`` exchanges the two folders in one step, so the
  output path always holds either the old site or the new one, whatever happens.
* Elsewhere (or on file systems without it), two renames: ``out`` → ``.<name>.healthlint-old-<stamp>``,
  then the new tree → ``out``. A crash exactly between the two leaves no ``out`` but the old
  site intact under the ``-old-`` name; the next run puts it back before doing anything else.

SIGINT and SIGTERM are held back during the swap. Leftovers of killed runs are cleaned at the
start of the next run, and only files healthlint made are deleted: a leftover file is removed
when it is listed in that tree's own manifest, is a link to (or an identical copy of) the file
at the same place in the live site, or sits in an unfinished build; anything else is kept and
reported.
"""

from __future__ import annotations

import contextlib
import errno
import filecmp
import hashlib
import json
import os
import shutil
import signal
import stat
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from healthlint.config import UsageError
from healthlint.storage.atomic import fsync_folder, umask

MANIFEST = "manifest.json"
BUILDING_MARKER = ".healthlint-building"
GENERATOR = "healthlint publish"
TMP_INFIX = ".healthlint-tmp-"
OLD_INFIX = ".healthlint-old-"


# -- The previous site -----------------------------------------------------------------------


@dataclass
class Existing:
    """What is in the output folder now: which files healthlint made, and which it did not."""

    #: The folder exists (and is a folder).
    exists: bool = False
    #: Files listed in the previous manifest (healthlint made them), relative POSIX paths.
    ours: set[str] = field(default_factory=set)
    #: Files, symbolic links and empty folders healthlint did not make, relative POSIX paths.
    foreign: list[str] = field(default_factory=list)
    #: The previous manifest, parsed.
    manifest: dict[str, Any] | None = None
    #: Files the previous manifest lists without a content hash (written before hashes were
    #: recorded, or added by hand): counted in ``foreign``, since nothing proves healthlint wrote them.
    unproven: set[str] = field(default_factory=set)


def read_manifest(folder: Path) -> dict[str, Any] | None:
    """A healthlint manifest in ``folder``, or None when there is none.

    :raises UsageError: when ``manifest.json`` exists but is not one healthlint wrote.
    """
    path = folder / MANIFEST
    if not path.is_file() or path.is_symlink():
        if path.is_symlink() or path.exists():
            raise UsageError(f"{path}: is not a file healthlint wrote; move it away or choose another --out")
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        raise UsageError(f"{path}: cannot be read as a healthlint manifest ({exc}); move it away") from None
    files = data.get("files") if isinstance(data, dict) else None
    if not isinstance(data, dict) or data.get("generator") != GENERATOR or not isinstance(files, list):
        raise UsageError(
            f"{path}: is not a manifest written by healthlint publish; move it away or choose another --out"
        )
    for item in files:
        if not isinstance(item, str) or not _safe_relative(item):
            raise UsageError(f"{path}: lists {item!r}, which is not a path inside the site; the manifest was edited")
    return data


def file_hash(data: bytes) -> str:
    """What a manifest records of each file it lists, to prove later that healthlint wrote it."""
    return "sha256:" + hashlib.sha256(data).hexdigest()


def made_here(folder: Path, manifest: dict[str, Any]) -> set[str]:
    """The files ``folder``'s manifest lists that still hold what healthlint wrote there.

    A listed file whose content hash differs, or that has no hash (an edited manifest added it,
    or a manifest from before hashes were recorded lists it), is not healthlint's to delete:
    a list alone proves nothing.
    """
    hashes = _hashes(manifest)
    return {rel for rel in manifest["files"] if rel in hashes and _hash_of(folder / rel) == hashes[rel]}


def _hashes(manifest: dict[str, Any]) -> dict[str, str]:
    recorded = manifest.get("file_hashes")
    if not isinstance(recorded, dict):
        return {}
    return {rel: value for rel, value in recorded.items() if isinstance(value, str)}


def _hash_of(path: Path) -> str | None:
    try:
        return None if path.is_symlink() or not path.is_file() else file_hash(path.read_bytes())
    except OSError:
        return None


def _safe_relative(rel: str) -> bool:
    p = PurePosixPath(rel)
    return bool(rel) and not p.is_absolute() and ".." not in p.parts and "\\" not in rel and rel == p.as_posix()


def scan(out: Path) -> Existing:
    """Look at the output folder before publishing.

    :raises UsageError: when it is not a folder, or holds files but no healthlint manifest.
    """
    if not os.path.lexists(out):
        return Existing()
    if not out.is_dir():
        raise UsageError(f"{out}: exists and is not a folder")
    manifest = read_manifest(out)
    ours = made_here(out, manifest) if manifest else set()
    ours.add(MANIFEST)
    foreign: list[str] = []
    for folder, dirs, files in os.walk(out, followlinks=False):
        base = Path(folder)
        for name in list(dirs):
            if (base / name).is_symlink():  # a link to a folder: keep the link, do not walk into it
                dirs.remove(name)
                files.append(name)
        for name in files:
            path = base / name
            rel = path.relative_to(out).as_posix()
            mode = path.lstat().st_mode
            if not (stat.S_ISREG(mode) or stat.S_ISLNK(mode)):
                raise UsageError(f"{path}: is not a regular file or link; healthlint publish cannot keep it")
            if rel not in ours:
                foreign.append(rel)
        if not dirs and not files and base != out:
            foreign.append(base.relative_to(out).as_posix() + "/")
    if manifest is None and foreign:
        raise UsageError(
            f"{out}: folder is not empty and was not written by healthlint publish (it has no {MANIFEST});"
            " choose a new or empty folder for --out"
        )
    unproven = set(manifest["files"]) - set(_hashes(manifest)) if manifest else set()
    return Existing(True, ours - {MANIFEST}, sorted(foreign), manifest, unproven & set(foreign))


def carry_over(out: Path, tree: Path, foreign: list[str]) -> None:
    """Put the files healthlint did not make into the new tree: hard links (the same files), else copies."""
    for rel in foreign:
        source = out / rel
        target = tree / rel
        if rel.endswith("/"):
            target.mkdir(parents=True, exist_ok=True)
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.is_symlink():
            os.symlink(os.readlink(source), target)
            continue
        try:
            os.link(source, target, follow_symlinks=False)
        except OSError:
            shutil.copy2(source, target, follow_symlinks=False)


# -- Locking, leftovers, swapping ------------------------------------------------------------


@contextlib.contextmanager
def locked(folder: Path) -> Iterator[None]:
    """Hold an exclusive lock on ``folder`` (the output's parent) so two publishes never interleave."""
    try:
        import fcntl
    except ImportError:  # not POSIX: no lock
        yield
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise UsageError(
                f"another healthlint publish is writing in {folder}; wait for it to finish and try again"
            ) from None
        yield
    finally:
        os.close(fd)  # closing releases the lock


def leftovers(out: Path) -> tuple[list[Path], list[Path]]:
    """Unfinished builds and moved-away old sites of earlier runs, oldest first."""
    tmp_prefix = f".{out.name}{TMP_INFIX}"
    old_prefix = f".{out.name}{OLD_INFIX}"
    tmps: list[Path] = []
    olds: list[Path] = []
    with contextlib.suppress(FileNotFoundError):
        for entry in os.scandir(out.parent):
            if not entry.is_dir(follow_symlinks=False):
                continue
            if entry.name.startswith(tmp_prefix):
                tmps.append(Path(entry.path))
            elif entry.name.startswith(old_prefix):
                olds.append(Path(entry.path))
    return sorted(tmps), sorted(olds)


def recover(out: Path) -> list[str]:
    """Undo what killed runs left behind; returns a line for each thing done or kept.

    An old site moved away by a run that died before moving the new one in is put back
    when there is no ``out``; other leftovers are removed as far as they hold only what
    healthlint made.
    """
    notes: list[str] = []
    tmps, olds = leftovers(out)
    if olds and not os.path.lexists(out):
        latest = olds.pop()
        os.rename(latest, out)
        notes.append(f"put back the previous site from {latest.name} (an earlier run was interrupted)")
    for leftover in tmps + olds:
        kept = discard(leftover, out)
        if kept:
            notes.append(f"kept {leftover} because it holds files healthlint did not make: {', '.join(kept[:5])}")
    return notes


def discard(tree: Path, live: Path) -> list[str]:
    """Delete a tree healthlint built or replaced, except files it did not make; returns those kept.

    A file goes when the tree is an unfinished build, when the tree's own manifest lists it,
    or when the live site has the same file (a hard link or an identical copy) at the same place.
    """
    building = (tree / BUILDING_MARKER).exists()
    try:
        manifest = read_manifest(tree)
    except UsageError:
        manifest = None
    ours = made_here(tree, manifest) | {MANIFEST} if manifest else set()
    kept: list[str] = []
    for folder, dirs, files in os.walk(tree, topdown=False, followlinks=False):
        base = Path(folder)
        for name in files + [d for d in dirs if (base / d).is_symlink()]:
            path = base / name
            rel = path.relative_to(tree).as_posix()
            if rel == MANIFEST:
                continue  # last, so an interrupted discard can be finished later
            if building or rel in ours or _same_file(path, live / rel):
                path.unlink()
            else:
                kept.append(rel)
        if base != tree:
            with contextlib.suppress(OSError):  # not empty: something was kept
                base.rmdir()
    for name in (MANIFEST, BUILDING_MARKER):
        with contextlib.suppress(FileNotFoundError):
            (tree / name).unlink()
    with contextlib.suppress(OSError):
        tree.rmdir()
    return sorted(kept)


def _same_file(a: Path, b: Path) -> bool:
    try:
        sa, sb = a.lstat(), b.lstat()
    except OSError:
        return False
    if stat.S_ISLNK(sa.st_mode) or stat.S_ISLNK(sb.st_mode):
        return stat.S_ISLNK(sa.st_mode) and stat.S_ISLNK(sb.st_mode) and os.readlink(a) == os.readlink(b)
    if (sa.st_dev, sa.st_ino) == (sb.st_dev, sb.st_ino):
        return True
    return stat.S_ISREG(sa.st_mode) and sa.st_size == sb.st_size and filecmp.cmp(a, b, shallow=False)


def new_tree(out: Path) -> Path:
    """An empty folder beside ``out`` for the new site, marked as an unfinished build."""
    tree = out.parent / f".{out.name}{TMP_INFIX}{_stamp()}"
    tree.mkdir(mode=0o700)
    (tree / BUILDING_MARKER).touch()
    mode = stat.S_IMODE(out.stat().st_mode) if out.is_dir() else 0o777 & ~umask()
    os.chmod(tree, mode)
    return tree


def _stamp() -> str:
    return f"{time.time_ns():020d}-{os.getpid()}"


def write_file(tree: Path, rel: str, data: bytes) -> None:
    """Create a new file in the tree (never through an existing file or link)."""
    path = tree / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
    except OSError as exc:
        if exc.filename is not None:
            raise
        # A full disk (ENOSPC) or a size limit (EFBIG) names no file: name it, so the error says which disk.
        raise OSError(exc.errno, exc.strerror, str(path)) from exc


def swap_in(tree: Path, out: Path) -> Path | None:
    """Make the finished tree the output folder; returns the folder now holding the old site.

    :returns: None when there was no old site.
    """
    (tree / BUILDING_MARKER).unlink()
    _sync(out.parent)
    with _signals_held():
        if not os.path.lexists(out):
            os.rename(tree, out)
            replaced = None
        elif exchange(tree, out):
            replaced = tree
        else:
            replaced = out.parent / f".{out.name}{OLD_INFIX}{_stamp()}"
            os.rename(out, replaced)
            try:
                os.rename(tree, out)
            except BaseException:
                os.rename(replaced, out)
                raise
    fsync_folder(out.parent)
    return replaced


def exchange(a: Path, b: Path) -> bool:
    """Swap two folders in one step (Linux ``renameat2`` with ``RENAME_EXCHANGE``); False where unsupported."""
    if not sys.platform.startswith("linux"):
        return False
    import ctypes

    try:
        libc = ctypes.CDLL(None, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    renameat2.restype = ctypes.c_int
    at_fdcwd, rename_exchange = -100, 2
    if renameat2(at_fdcwd, os.fsencode(a), at_fdcwd, os.fsencode(b), rename_exchange) == 0:
        return True
    err = ctypes.get_errno()
    if err in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP, errno.ENOTSUP):
        return False
    raise OSError(err, os.strerror(err), str(b))


@contextlib.contextmanager
def _signals_held() -> Iterator[None]:
    """Hold back Ctrl-C and SIGTERM for the few system calls of the swap (main thread only)."""
    if threading.current_thread() is not threading.main_thread() or not hasattr(signal, "pthread_sigmask"):
        yield
        return
    held = {signal.SIGINT, signal.SIGTERM}
    previous = signal.pthread_sigmask(signal.SIG_BLOCK, held)
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_SETMASK, previous)


def _sync(folder: Path) -> None:
    """Flush the new files to disk before they go live (``syncfs`` on Linux, else ``sync``)."""
    if sys.platform.startswith("linux"):
        import ctypes

        try:
            libc = ctypes.CDLL(None, use_errno=True)
            fd = os.open(folder, os.O_RDONLY)
            try:
                if libc.syncfs(fd) == 0:
                    return
            finally:
                os.close(fd)
        except (OSError, AttributeError):
            pass
    if hasattr(os, "sync"):
        os.sync()
