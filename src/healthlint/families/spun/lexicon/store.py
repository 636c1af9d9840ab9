"""The word index on disk: one file per machine in the data cache, built by one process at a time.

The index is compiled from the source packages on first use (:mod:`.build`, about ten seconds)
and kept in the data cache (:mod:`healthlint.storage.datacache`) as ``lexicon-<key>.marshal``,
the key naming :data:`~.units.INDEX_VERSION` and the versions of the source packages; storing it
replaces the file of any other key. pre-commit starts several healthlint processes at once on a
fresh machine: the first to need the index builds it under a lock on ``lexicon.lock`` in the
same folder, and the others wait for it and then read the file it wrote. When the folder is not
writable, each process builds the index in memory for its own run.

Reading never loads the whole file (38 MB): :meth:`~.format.IndexFile.open` reads the parts an
article needs, on demand.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import json
import logging
import os
import threading
from collections.abc import Iterator
from pathlib import Path

from healthlint.storage import datacache

from .format import IndexFile
from .lookups import Lexicon
from .sources import meta
from .units import INDEX_VERSION

LOG = logging.getLogger(__name__)

#: Held by the process building the index; the others wait on it.
LOCK_NAME = "lexicon.lock"
#: Where releases before the data cache's one folder kept their index files.
LEGACY_FOLDER = "spun"


def cache_name() -> str:
    key = hashlib.sha256(json.dumps(meta(), sort_keys=True).encode()).hexdigest()[:16]
    return f"lexicon-{key}.marshal"


def cache_path() -> Path:
    return datacache.data_cache_dir() / cache_name()


def build_index() -> bytes:
    """:func:`.build.build_index`, imported only when an index is built (not on every start)."""
    from .build import build_index as build

    return build()


def load_or_build() -> IndexFile:
    """Open the cached index file, or build it once for the machine and open it (in memory when not writable)."""
    path = cache_path()
    index = _open(path)
    if index is not None:
        return index
    with datacache.building(), build_lock():
        index = _open(path)  # built by another process while this one waited
        if index is not None:
            return index
        datacache.announce("thesaurus index", "about 10 to 20 s")
        payload = build_index()
        if datacache.store(path.name, payload):
            _remove_legacy_files()
            index = _open(path)  # read on demand, not held in memory whole
            if index is not None:
                return index
        return IndexFile(payload)


def _open(path: Path) -> IndexFile | None:
    try:
        index = IndexFile.open(path)
    except FileNotFoundError:
        return None
    except (OSError, EOFError, ValueError, TypeError) as exc:
        LOG.debug("unreadable lexicon cache %s (%s); rebuilding", path, exc)
        return None
    if index.meta.get("index") != INDEX_VERSION:
        LOG.debug("stale lexicon cache %s; rebuilding", path)
        return None
    return index


@contextlib.contextmanager
def build_lock(name: str = LOCK_NAME) -> Iterator[None]:
    """Held while this process builds the index (or another data cache file: ``name`` is the lock file's), so that
    processes started together build it once.

    The lock is released when the process ends, however it ends. Without ``fcntl`` (Windows) or a
    writable cache folder, every process builds on its own; the atomic write still leaves one whole file.
    """
    try:
        import fcntl
    except ImportError:
        fcntl = None  # type: ignore[assignment]
    fd = -1
    if fcntl is not None:
        folder = datacache.data_cache_dir()
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd = os.open(folder / name, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            LOG.debug("cannot lock %s (%s); building without the lock", folder / name, exc)
    try:
        if fd >= 0:
            fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        if fd >= 0:
            os.close(fd)  # releases the lock


def _remove_legacy_files() -> None:
    """Index files of releases that kept them in a folder of their own (38 MB each)."""
    with contextlib.suppress(OSError):
        for old in (datacache.data_cache_dir() / LEGACY_FOLDER).glob("lexicon-v*.marshal"):
            old.unlink(missing_ok=True)


_LOADING = threading.Lock()


@functools.cache
def _process_lexicon() -> Lexicon:
    return Lexicon(load_or_build())


def get_lexicon() -> Lexicon:
    """The process-wide lexicon: read from the data cache, or built (and cached) on first use."""
    with _LOADING:
        return _process_lexicon()
