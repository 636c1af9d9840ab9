"""Regular expressions compiled once per machine instead of once per process.

CPython compiles a pattern in pure Python (``re._parser`` and ``re._compiler``); the
result is a list of integers handed to the C engine (``_sre.compile``). The built-in
rules compile about 500 patterns, some of them large word alternations, which cost about
40 ms of every single-file check. :func:`compile` keeps those integer programs in a file
under the data cache folder (see :mod:`healthlint.storage.datacache`) and rebuilds the pattern
from it with ``_sre.compile``, skipping the parse.

Safety:

- The file is keyed by the exact interpreter build (``sys.version``) and the engine's
  ``_sre.MAGIC``, so a program is only ever given to the engine that produced it.
- A program is stored only after the pattern rebuilt from it compares equal to what
  ``re.compile`` returns (``Pattern.__eq__`` compares the flags, the source and the
  whole program), and ``_sre.compile`` validates every program it is given.
- Anything unexpected (another Python implementation, changed internals, an unreadable
  or corrupt file) switches the store off for the process, and :func:`compile` is then
  exactly ``re.compile``.

New programs are written when the process exits, through a temporary file and a rename,
so parallel processes (pre-commit runs several) never see half a file.

Why it stays: measured for issue 14 (``healthlint check`` of one 300-word article, 25 interleaved
runs each, CPU time of the process), the store saves 23-37 ms of 390-460 ms, 6-8% of a
single-file check, more than the 5% budget a refactoring may spend. The internals it relies on
are named in ``tests/test_datacache.py::test_the_regex_internals_the_store_relies_on_are_there``,
which fails loudly when a Python upgrade changes them.
"""

from __future__ import annotations

import atexit
import hashlib
import logging
import marshal
import re
import sys
import threading
from array import array
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from healthlint.storage import datacache

LOG = logging.getLogger(__name__)

__all__ = ["LazyPattern", "compile", "lazy"]

#: Bump when the layout of the stored entries changes.
FORMAT = 2
#: More entries than this and a write keeps only what the writing process used.
MAX_ENTRIES = 5000

# (pattern, flags) -> (flags of the compiled pattern, program, groups, groupindex, indexgroup)
# The program is kept as the bytes of an array of unsigned ints, a fifth the size of marshalled
# ints and unpacked only for the patterns a process uses.
_Entry = tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]


class _Store:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.loaded = False
        self.enabled = True
        #: ``regex_<interpreter>-<build>.marshal`` in the data cache: a new build of the same
        #: interpreter replaces its old file (the data cache's one prune policy), other interpreters keep theirs.
        self.name: str | None = None
        self.entries: dict[tuple[str, int], _Entry] = {}
        self.used: set[tuple[str, int]] = set()
        self.new: dict[tuple[str, int], _Entry] = {}
        self.save_registered = False

    def load(self) -> None:
        self.loaded = True
        try:
            import _sre  # type: ignore[import-not-found]
            from re import _compiler, _parser  # type: ignore[attr-defined]

            if sys.implementation.name != "cpython" or not (
                array("I").itemsize == _sre.CODESIZE
                and callable(getattr(_sre, "compile", None))
                and callable(getattr(_compiler, "_code", None))
                and callable(getattr(_parser, "parse", None))
            ):
                raise RuntimeError("unsupported regular expression internals")
            self.name = _store_name(_sre.MAGIC, _sre.CODESIZE)
        except Exception as exc:
            LOG.debug("compiled-regex cache off: %s", exc)
            self.enabled = False
            return
        data = _decode(datacache.load(self.name))
        if data is not None:
            self.entries = data

    @property
    def path(self) -> Path | None:
        """Where the store's file is (None until loaded, or when the store is off)."""
        return None if self.name is None else datacache.data_cache_dir() / self.name

    def save(self, *, everything: bool = False) -> None:
        """Write the new programs to the store's file (``everything``: the loaded ones too, even if none is new)."""
        with self.lock:
            if not (self.new or (everything and self.entries)) or self.name is None:
                return
            if len(self.new) > MAX_ENTRIES:  # patterns made up at run time, not a fixed set: not worth keeping
                LOG.debug("%d new patterns in one run; not storing them", len(self.new))
                return
            entries = self.entries
            if len(entries) + len(self.new) > MAX_ENTRIES:
                entries = {key: entries[key] for key in self.used if key in entries}
            merged = {**entries, **self.new}
            self.new = {}
            name = self.name
        # Another process may have added programs since this one loaded the file: keep them.
        current = _decode(datacache.load(name))
        if current is not None and len(current) + len(merged) <= MAX_ENTRIES:
            merged = {**current, **merged}
        try:
            payload = marshal.dumps(merged)
        except ValueError as exc:
            LOG.debug("cannot store compiled patterns: %s", exc)
            return
        datacache.store(name, payload)


def _store_name(magic: int, codesize: int) -> str:
    build = hashlib.sha256(f"{sys.version}|{magic}|{codesize}|{FORMAT}".encode()).hexdigest()[:16]
    interpreter = sys.implementation.cache_tag.replace("-", "_")  # "-" parts the kind from the key
    return f"regex_{interpreter}-{build}.marshal"


def store_name() -> str | None:
    """The name of this interpreter's store file in the data cache (None where the store is off)."""
    store = _STORE
    if store.loaded:
        return store.name
    try:
        import _sre

        return _store_name(_sre.MAGIC, _sre.CODESIZE) if sys.implementation.name == "cpython" else None
    except (ImportError, AttributeError):
        return None


def save_now() -> Path | None:
    """Write every program this process holds to the store's file now (``healthlint cache build``, after rules
    compiled their patterns); the file's path, or None when the store is off."""
    store = _STORE
    if not store.loaded:
        with store.lock:
            if not store.loaded:
                store.load()
    if not store.enabled:
        return None
    store.save(everything=True)
    return store.path


def discard_unsaved() -> None:
    """Forget the programs this process has not written yet, so that its exit does not write the store again
    (``healthlint cache clear`` has just deleted it)."""
    store = _STORE
    with store.lock:
        store.new = {}


def _decode(payload: bytes | None) -> dict[tuple[str, int], _Entry] | None:
    """The entries of a store file, or None when there is none or it is damaged."""
    if payload is None:
        return None
    try:
        data = marshal.loads(payload)
    except (EOFError, ValueError, TypeError) as exc:
        LOG.debug("unreadable compiled-regex cache: %s", exc)
        return None
    return data if isinstance(data, dict) else None


_STORE = _Store()


def compile(pattern: str, flags: int | re.RegexFlag = 0) -> re.Pattern[str]:
    """``re.compile(pattern, flags)``, from the machine's store of compiled programs when it can be."""
    store = _STORE
    flags = int(flags)
    if not store.loaded:
        with store.lock:
            if not store.loaded:
                store.load()
    if not store.enabled or type(pattern) is not str or flags & re.DEBUG:
        return re.compile(pattern, flags)
    key = (pattern, flags)
    entry = store.entries.get(key) or store.new.get(key)
    if entry is not None:
        try:
            compiled = _from_entry(pattern, entry)
        except Exception as exc:
            LOG.debug("stored program of %r refused: %s", pattern[:60], exc)
            store.entries.pop(key, None)
        else:
            store.used.add(key)
            return compiled
    compiled = re.compile(pattern, flags)
    _remember(store, key, compiled)
    return compiled


def _from_entry(pattern: str, entry: _Entry) -> re.Pattern[str]:
    import _sre

    final_flags, program, groups, groupindex, indexgroup = entry
    code = array("I")
    code.frombytes(program)
    compiled: re.Pattern[str] = _sre.compile(pattern, final_flags, code.tolist(), groups, groupindex, indexgroup)
    return compiled


def _remember(store: _Store, key: tuple[str, int], compiled: re.Pattern[str]) -> None:
    """Store the program of a pattern ``re.compile`` just compiled, if rebuilding it gives the same pattern."""
    try:
        from re import _compiler, _parser  # type: ignore[attr-defined]

        pattern, flags = key
        parsed = _parser.parse(pattern, flags)
        code = _compiler._code(parsed, flags)
        groupindex = dict(parsed.state.groupdict)
        indexgroup: list[str | None] = [None] * parsed.state.groups
        for name, index in groupindex.items():
            indexgroup[index] = name
        entry: _Entry = (
            int(flags | parsed.state.flags),  # an enum when the pattern sets flags inline
            array("I", code).tobytes(),
            parsed.state.groups - 1,
            groupindex,
            tuple(indexgroup),
        )
        if _from_entry(pattern, entry) != compiled:
            raise RuntimeError("the rebuilt pattern differs from re.compile's")
    except Exception as exc:
        LOG.debug("compiled-regex cache off: %s", exc)
        store.enabled = False
        return
    with store.lock:
        store.new[key] = entry
        store.used.add(key)
        if not store.save_registered:
            store.save_registered = True
            atexit.register(store.save)


class LazyPattern:
    """A pattern compiled on its first use.

    A run that never reaches a pattern (another rule selected, or no sentence that passes
    the cheap word checks in front of it) never pays for it. After the first use the
    compiled pattern's bound methods sit in the instance's slots, so a call costs the same
    as on a ``re.Pattern``.
    """

    __slots__ = ("_flags", "_source", "findall", "finditer", "fullmatch", "match", "search", "split", "sub")
    search: Callable[..., re.Match[str] | None]
    match: Callable[..., re.Match[str] | None]
    fullmatch: Callable[..., re.Match[str] | None]
    finditer: Callable[..., Iterator[re.Match[str]]]
    findall: Callable[..., list[Any]]
    split: Callable[..., list[str]]
    sub: Callable[..., str]

    def __init__(self, source: str, flags: int = 0) -> None:
        self._source = source
        self._flags = flags

    @property
    def pattern(self) -> str:
        return self._source

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        compiled = compile(self._source, self._flags)
        for method in ("search", "match", "fullmatch", "finditer", "findall", "split", "sub"):
            setattr(self, method, getattr(compiled, method))
        return getattr(compiled, name)


def lazy(source: str, flags: int = 0) -> LazyPattern:
    """A :class:`LazyPattern`: compiled (through :func:`compile`) when first used."""
    return LazyPattern(source, flags)
