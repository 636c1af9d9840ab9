"""The result cache: each article's findings, in SQLite, keyed by content, configuration and plugin versions."""

from __future__ import annotations

import contextlib
import hashlib
import inspect
import json
import logging
import marshal
import os
import sqlite3
import stat
import time
import types
from pathlib import Path
from typing import TYPE_CHECKING, Any

from healthlint.config import Config
from healthlint.model import ArticleResult, Finding, Fix, Notice, Severity

if TYPE_CHECKING:
    from healthlint.plugins import PluginManager

LOG = logging.getLogger(__name__)

CACHE_ENV = "HEALTHLINT_CACHE_DIR"
DEFAULT_CACHE_DIR = ".healthlint_cache"
#: Bump when the stored payload changes shape.
SCHEMA = 3
#: Entries not used for this long are pruned.
MAX_AGE_SECONDS = 30 * 24 * 3600
#: Beyond this many entries, the least recently used are pruned.
MAX_ENTRIES = 200_000
#: Environment variables that do not change findings.
NOT_CONFIGURATION = frozenset({"HEALTHLINT_CACHE_DIR", "HEALTHLINT_DEBUG", "HEALTHLINT_DISABLE_PLUGIN_AUTOLOAD"})


def resolve_cache_dir(config: Config, cli_value: Path | None = None) -> Path:
    """``--cache-dir``, else ``$HEALTHLINT_CACHE_DIR``, else config ``cache-dir``, else ``.healthlint_cache``."""
    if cli_value is not None:
        return cli_value
    env = os.environ.get(CACHE_ENV)
    if env:
        return Path(env)
    path = Path(config.cache_dir or DEFAULT_CACHE_DIR)
    return path if path.is_absolute() else config.root / path


def run_fingerprint(config: Config, plugin_versions: dict[str, str]) -> str:
    """What besides the article itself decides its findings: the config and every loaded plugin."""
    from healthlint import __version__

    # HEALTHLINT_* variables configure plugins too (a LanguageTool URL, say); paths and debugging do not.
    environment = {
        k: v for k, v in sorted(os.environ.items()) if k.startswith("HEALTHLINT_") and k not in NOT_CONFIGURATION
    }
    payload = json.dumps(
        {
            "schema": SCHEMA,
            "healthlint": __version__,
            "config": config.fingerprint(),
            "plugins": plugin_versions,
            "environment": environment,
            "option_files": _option_files(config),
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


# Stored results are marshalled tuples (format 4, readable by every Python 3 since 3.4): a warm
# run over 500 articles decodes and rebuilds them in a third of the time JSON objects took.
_MARSHAL_VERSION = 4
_SEVERITIES = {int(s): s for s in Severity}


def pack_result(result: ArticleResult) -> bytes:
    """An article's result as stored. :raises ValueError: for metrics marshal cannot store."""
    return marshal.dumps(
        (
            result.path,
            result.passed,
            result.metrics,
            [(n.code, n.message, n.plugin) for n in result.notices],
            [
                (
                    f.path,
                    f.line,
                    f.column,
                    f.end_line,
                    f.end_column,
                    f.code,
                    f.name,
                    int(f.severity),
                    f.message,
                    f.match,
                    f.suggestion,
                    None if f.fix is None else (f.fix.replacement, f.fix.safe),
                    f.plugin,
                    f.key,
                )
                for f in result.findings
            ],
        ),
        _MARSHAL_VERSION,
    )


def unpack_result(payload: bytes) -> ArticleResult:
    """:func:`pack_result` undone. :raises ValueError, TypeError, KeyError, EOFError: for a damaged payload."""
    path, passed, metrics, notices, findings = marshal.loads(payload)
    return ArticleResult(
        path=path,
        findings=[_unpack_finding(*row) for row in findings],
        metrics=metrics,
        passed=passed,
        notices=[Notice(code, message, plugin) for code, message, plugin in notices],
    )


def _unpack_finding(
    path: str,
    line: int,
    column: int,
    end_line: int,
    end_column: int,
    code: str,
    name: str,
    severity: int,
    message: str,
    match: str | None,
    suggestion: str | None,
    fix: tuple[str, bool] | None,
    plugin: str,
    key: str | None,
) -> Finding:
    return Finding(
        path,
        line,
        column,
        end_line,
        end_column,
        code,
        name,
        _SEVERITIES[severity],
        message,
        match,
        suggestion,
        None if fix is None else Fix(fix[0], fix[1]),
        plugin,
        key,
    )


class ResultCache:
    """Findings per article in an SQLite database, safe for several healthlint processes at once.

    Any problem with the database (unwritable folder, corrupt file, lock timeouts) turns the
    cache off for the run with one warning: a cache must never fail a check.
    """

    def __init__(self, folder: Path, fingerprint: str) -> None:
        self.folder = folder
        self.fingerprint = fingerprint
        self.warning: str | None = None
        self.hits = 0
        self.misses = 0
        self._pending: list[tuple[str, str, bytes, float]] = []
        self._used: list[tuple[float, str]] = []
        self._db: sqlite3.Connection | None = None
        try:
            folder.mkdir(parents=True, exist_ok=True)
            gitignore = folder / ".gitignore"
            if not gitignore.exists():
                gitignore.write_text("# Created by healthlint: this folder is a cache.\n*\n", encoding="utf-8")
            db = sqlite3.connect(folder / "results.sqlite3", timeout=10, isolation_level=None)
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=NORMAL")
            db.execute(
                "CREATE TABLE IF NOT EXISTS results (key TEXT PRIMARY KEY, path TEXT NOT NULL, "
                "payload BLOB NOT NULL, used REAL NOT NULL)"
            )
            db.execute("CREATE INDEX IF NOT EXISTS results_used ON results(used)")
            self._db = db
        except (OSError, sqlite3.Error) as exc:
            self._disable(exc)

    def _disable(self, exc: BaseException) -> None:
        self.warning = f"result cache in {self.folder} is off for this run: {exc}"
        LOG.debug("cache disabled", exc_info=True)
        if self._db is not None:
            with contextlib.suppress(sqlite3.Error):
                self._db.close()
        self._db = None

    @property
    def enabled(self) -> bool:
        return self._db is not None

    def key(self, display_path: str, content: bytes) -> str:
        digest = hashlib.sha256()
        digest.update(self.fingerprint.encode())
        digest.update(b"\0")
        digest.update(display_path.encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
        digest.update(content)
        return digest.hexdigest()

    def get(self, key: str) -> ArticleResult | None:
        if self._db is None:
            return None
        try:
            row = self._db.execute("SELECT payload FROM results WHERE key = ?", (key,)).fetchone()
        except sqlite3.Error as exc:
            self._disable(exc)
            return None
        if row is None:
            self.misses += 1
            return None
        try:
            result = unpack_result(row[0])
        except (ValueError, KeyError, TypeError, EOFError):
            self.misses += 1
            return None
        self.hits += 1
        self._used.append((time.time(), key))
        return result

    def put(self, key: str, result: ArticleResult) -> None:
        if self._db is None:
            return
        try:
            payload = pack_result(result)
        except ValueError:  # a plugin's metric marshal cannot store: check that article again next time
            LOG.debug("result of %s not cached: unstorable metrics", result.path, exc_info=True)
            return
        self._pending.append((key, result.path, payload, time.time()))

    def close(self) -> None:
        """Write what this run learned, prune stale entries, and close."""
        if self._db is None:
            return
        db = self._db
        try:
            db.execute("BEGIN IMMEDIATE")
            insert = "INSERT OR REPLACE INTO results (key, path, payload, used) VALUES (?, ?, ?, ?)"
            db.executemany(insert, self._pending)
            db.executemany("UPDATE results SET used = ? WHERE key = ?", self._used)
            db.execute("DELETE FROM results WHERE used < ?", (time.time() - MAX_AGE_SECONDS,))
            db.execute(
                "DELETE FROM results WHERE key IN (SELECT key FROM results ORDER BY used DESC LIMIT -1 OFFSET ?)",
                (MAX_ENTRIES,),
            )
            db.execute("COMMIT")
        except sqlite3.Error as exc:
            with contextlib.suppress(sqlite3.Error):
                db.execute("ROLLBACK")
            self.warning = f"result cache in {self.folder} was not updated: {exc}"
        finally:
            db.close()
            self._db = None

    def entries(self) -> int:
        if self._db is None:
            return 0
        return int(self._db.execute("SELECT COUNT(*) FROM results").fetchone()[0])


def plugin_versions(pm: PluginManager) -> dict[str, str]:
    """A version per loaded plugin that changes whenever its code or data does; and for each plugin that failed or was
    left out, a mark saying so (HL004 reads a run with it missing differently from one where it is not installed).

    A version number does not change with an editable install, a local plugin or a file edited in place, so the
    files are stamped too (their names, sizes and modification times: cheap, and enough to notice an edit):

    - a plugin from an installed distribution (an entry point): every file the distribution installed, as its
      ``RECORD`` lists them, so a rule in another module or package of the distribution, or a data file, counts;
      for an editable install (or one without a ``RECORD``), its top-level packages where the import system finds
      them (``top_level.txt``, else the entry points' modules);
    - a local plugin: every file of the plugins folder (a helper module or word list beside it);
    - anything else (a plugin object handed to the API): its module's top-level package.
    """
    out: dict[str, str] = {}
    stamps: dict[tuple[str, str], str] = {}  # one per distribution or folder, however many plugins it holds
    for name, info in sorted(pm.infos.items()):
        if info.error:  # its rules do not run, and HL004 cannot tell its codes from typos: not as if it were absent
            out[name] = "failed to load"
            continue
        plugin = pm.get_plugin(name)
        module = plugin if isinstance(plugin, types.ModuleType) else inspect.getmodule(type(plugin))
        source = getattr(module, "__file__", None)
        stamp = "?"
        if info.metadata:
            key = ("dist", info.metadata)
            if key not in stamps:
                stamps[key] = _distribution_stamp(Path(info.metadata), source)
            stamp = stamps[key]
        elif source:
            local = info.package == "local"
            root = Path(source).parent if local else _package_root(Path(source))
            key = ("tree", str(root))
            if key not in stamps:
                stamps[key] = _plugins_folder_stamp(root) if local else _stamp(root)
            stamp = stamps[key]
        out[name] = f"{info.package}:{info.version}:{stamp}"
    for name in sorted(set(pm.left_out)):  # under HEALTHLINT_DISABLE_PLUGIN_AUTOLOAD, say (not in the fingerprint)
        out.setdefault(name, "left out")
    return out


def _option_files(config: Config) -> dict[str, str]:
    """Stamps of the files plugin options name (word lists, say): editing one must invalidate results."""
    out: dict[str, str] = {}

    def visit(value: Any) -> None:
        if isinstance(value, str) and value and len(value) < 4096 and "\\n" not in value:
            path = Path(value) if Path(value).is_absolute() else config.root / value
            try:
                if path.is_file():
                    out[value] = _stamp(path)
            except OSError:
                pass
        elif isinstance(value, list):
            for item in value:
                visit(item)
        elif isinstance(value, dict):
            for item in value.values():
                visit(item)

    visit(config.plugin_tables)
    return out


def _package_root(source: Path) -> Path:
    """The top-level package folder of a module file (the file itself for a lone module)."""
    folder = source.parent
    if not (folder / "__init__.py").exists():
        return source
    while (folder.parent / "__init__.py").exists():
        folder = folder.parent
    return folder


def _distribution_stamp(metadata: Path, source: str | None) -> str:
    """A stamp of the files of the distribution whose metadata folder is ``metadata`` (see :func:`plugin_versions`);
    ``source``: the plugin module's file, stamped with its package where nothing else is found."""
    digest = hashlib.sha256()
    site = metadata.parent
    record = _record_files(metadata)
    if record and not _editable(metadata):
        for relative in record:
            path = site / relative
            try:
                info = path.stat()
            except OSError:
                digest.update(f"{relative}:missing\n".encode())
                continue
            digest.update(f"{relative}:{info.st_size}:{info.st_mtime_ns}\n".encode())
        return digest.hexdigest()[:16]
    # Editable, or no RECORD (an egg-info, a system package): the metadata, then the distribution's packages.
    roots = {root for name in _top_level_names(metadata) if (root := _import_root(name)) is not None}
    if not roots and source:
        roots.add(_package_root(Path(source)))
    for root in sorted(roots):
        digest.update(f"{root}:{_stamp(root)}\n".encode())
    digest.update(f"metadata:{_stamp(metadata)}\n".encode())
    return digest.hexdigest()[:16]


def _record_files(metadata: Path) -> list[str]:
    """The files a ``*.dist-info`` folder's ``RECORD`` lists (relative to the folder holding it), less compiled
    bytecode (written on first import, so not an edit)."""
    import csv

    try:
        with open(metadata / "RECORD", encoding="utf-8", newline="") as handle:
            rows = list(csv.reader(handle))
    except (OSError, csv.Error, UnicodeDecodeError):
        return []
    return sorted(
        {row[0] for row in rows if row and row[0] and "__pycache__" not in row[0] and not row[0].endswith(".pyc")}
    )


def _editable(metadata: Path) -> bool:
    """Whether the distribution is an editable install (PEP 660: ``direct_url.json`` says so)."""
    try:
        info = json.loads((metadata / "direct_url.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return bool(isinstance(info, dict) and isinstance(info.get("dir_info"), dict) and info["dir_info"].get("editable"))


def _top_level_names(metadata: Path) -> list[str]:
    """The distribution's top-level import names: ``top_level.txt``, else its entry points' modules."""
    try:
        names = (metadata / "top_level.txt").read_text(encoding="utf-8").split()
    except OSError:
        names = []
    if not names:
        try:
            text = (metadata / "entry_points.txt").read_text(encoding="utf-8")
        except OSError:
            text = ""
        for line in text.splitlines():
            _, equals, value = line.partition("=")
            if equals and not line.lstrip().startswith(("#", ";", "[")):
                names.append(value.strip().split(":")[0].split(".")[0])
    return sorted({n for n in names if n.isidentifier()})


def _import_root(name: str) -> Path | None:
    """Where the import system finds a top-level package (its folder) or module (its file), without importing it."""
    import importlib.util

    try:
        spec = importlib.util.find_spec(name)
    except (ImportError, ValueError):
        return None
    if spec is None:
        return None
    if spec.submodule_search_locations:
        locations = list(spec.submodule_search_locations)
        return Path(locations[0]) if locations else None
    return Path(spec.origin) if spec.origin and spec.has_location else None


def _plugins_folder_stamp(folder: Path) -> str:
    """:func:`_stamp` of the local plugins folder, less what lies under a name starting with a dot: the folder may be
    the project's own (``plugins-dir = "."``), where each run writes the result cache (``.healthlint_cache``), and a
    version control's or an editor's files come and go."""
    digest = hashlib.sha256()
    files: list[tuple[str, str]] = []
    for top, folders, names in os.walk(folder):  # pruned: a .git folder is not walked at all
        folders[:] = [name for name in folders if not name.startswith(".") and name != "__pycache__"]
        files.extend((top, name) for name in names if not name.startswith("."))
    for top, name in sorted(files):
        path = Path(top, name)
        try:
            info = path.stat()
        except OSError:
            continue
        if stat.S_ISREG(info.st_mode):
            digest.update(f"{path.relative_to(folder)}:{info.st_size}:{info.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def _stamp(root: Path) -> str:
    digest = hashlib.sha256()
    files = (
        sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts) if root.is_dir() else [root]
    )
    for path in files:
        try:
            info = path.stat()
        except OSError:
            continue
        digest.update(
            f"{path.relative_to(root) if root.is_dir() else path.name}:{info.st_size}:{info.st_mtime_ns}\n".encode()
        )
    return digest.hexdigest()[:16]
