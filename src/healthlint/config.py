"""Configuration: ``healthlint.toml`` or ``[tool.healthlint]`` in ``pyproject.toml``, validated strictly."""

from __future__ import annotations

import contextlib
import dataclasses
import difflib
import fnmatch
import functools
import os
import re
import tomllib
import types
import typing
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from healthlint.model import Severity
from healthlint.resources import data_lines
from healthlint.text.domains import DomainSet

CONFIG_FILES = ("healthlint.toml", "pyproject.toml")
#: The longest rule-timeout or article-timeout (a day): beyond it the timer's arithmetic breaks, and no rule needs it.
MAX_RULE_TIMEOUT = 86_400
OUTPUT_FORMATS = ("text", "json")
#: Folders never searched for articles unless named on the command line.
DEFAULT_EXCLUDE = (".git", ".hg", ".svn", ".venv", "venv", "node_modules", "__pycache__", ".healthlint_cache", ".tox")


class UsageError(Exception):
    """Healthlint was asked to do something it cannot (a missing path, a bad option). Exit code 2."""


class ConfigError(UsageError):
    """A usage error in configuration: names the file (and key, and the key's line) at fault. Exit code 2."""

    def __init__(self, message: str, path: Path | str | None = None, key: str | None = None) -> None:
        self.message, self.path, self.key = message, path, key
        where = ""
        if path is not None:
            where = f"{path}: "
        if key is not None:
            where += f"{key}: "
        line = key_line(Path(path), key) if path is not None and key is not None else None
        super().__init__(where + message + (f" (line {line})" if line else ""))


class RequirementUnavailable(ConfigError):
    """A plugin option requires something this machine does not have (a model, a server): the run stops (exit 2).

    A gate must not pass what it could not check, so ``check``, ``publish`` and the API stop as for any
    :class:`ConfigError`. An editor's language server instead checks without the requirement (:meth:`waived`) and
    shows the message on every document, so that a missing model does not leave the editor with no findings at all.

    :param table: the plugin options table of the option (as :meth:`Config.plugin_key` takes it).
    :param option: the option (kebab-case, a boolean) that requires it.
    """

    def __init__(self, message: str, config: Config, table: str, option: str) -> None:
        super().__init__(message, config.source, config.plugin_key(table, option))
        self.table, self.option = table, option

    def waived(self, config: Config) -> Config:
        """``config`` with the option set to false (its plugin options are parsed again when the run configures)."""
        tables = dict(config.plugin_tables)
        tables[self.table] = {**tables.get(self.table, {}), self.option: False}
        return dataclasses.replace(config, plugin_tables=tables)


_TOML_KEY = r"""(?:[A-Za-z0-9_-]+|"(?:[^"\\]|\\.)*"|'[^']*')"""
_TOML_DOTTED = re.compile(rf"\s*({_TOML_KEY}(?:\s*\.\s*{_TOML_KEY})*)\s*")
_TOML_PART = re.compile(_TOML_KEY)


def _key_parts(dotted: str) -> list[str]:
    """``tool.healthlint."a.b"`` → ``["tool", "healthlint", "a.b"]`` (quotes taken off)."""
    parts = []
    for match in _TOML_PART.finditer(dotted):
        part = match.group(0)
        if part[:1] in "\"'":
            part = part[1:-1].replace('\\"', '"').replace("\\\\", "\\") if part[0] == '"' else part[1:-1]
        parts.append(part)
    return parts


def key_line(path: Path, key: str) -> int | None:
    """The line of ``path`` where ``key`` (a dotted key as errors name it: ``severity.HL401``, a table's
    ``plugins.spun``) is written, or None (no such file, or a form this look-up does not read).

    tomllib tells no positions, so the file is read again: table headers set the table, and a key's
    line is the first ``name =`` line (or ``[header]``) whose whole dotted name is ``key``; lines inside a
    multi-line string are text, not keys. A key inside an inline table (``severity = { HL401 = "x" }``)
    is on the line of the key that holds the table.
    """
    try:
        if not path.is_file():  # a pipe (--config <(...), a FIFO) was read once: read again it would wait forever
            return None
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return None
    table: list[str] = []
    inline: int | None = None
    open_string: str | None = None
    depth = 0  # of the brackets a value has opened (an array over several lines)
    # TOML counts lines by "\n" alone (str.splitlines also splits at form feeds, U+2028 and more)
    for number, raw in enumerate(text.split("\n"), 1):
        within = open_string is not None or depth > 0
        open_string, opened = _scan_line(raw, open_string)
        depth = max(0, depth + opened)
        if within:  # inside a multi-line string or array: values, whatever they look like
            continue
        line = raw.strip()
        if line.startswith("[") and not line.startswith("[["):
            header = _TOML_DOTTED.match(line, 1)
            if header is None or not line[header.end() :].startswith("]"):
                continue
            table = _key_parts(header.group(1))
            if ".".join(table) == key:
                return number
            continue
        if line.startswith("[["):
            table = ["[["]  # an array of tables: its keys are nobody's that an error names
            continue
        assignment = _TOML_DOTTED.match(raw)
        if assignment is None or not raw[assignment.end() :].startswith("="):
            continue
        name = ".".join([*table, *_key_parts(assignment.group(1))])
        if name == key:
            return number
        if inline is None and key.startswith(name + ".") and raw[assignment.end() + 1 :].lstrip().startswith("{"):
            inline = number
    return inline


def _scan_line(line: str, quote: str | None) -> tuple[str | None, int]:
    """The multi-line string quote (``\"\"\"`` or ``'''``) still open at the end of ``line`` (``quote``: the one
    open at its start), and how many brackets outside strings and comments the line opens less those it closes."""
    at, opened = 0, 0
    if quote is not None:
        at = _string_end(line, 0, quote)
        if at < 0:
            return quote, 0
    while at < len(line):
        char = line[at]
        if char == "#":
            break
        if char in "\"'":
            quote = line[at : at + 3] if line.startswith(char * 3, at) else char
            end = _string_end(line, at + len(quote), quote)
            if end < 0:
                return (quote if len(quote) == 3 else None), opened
            at = end
            continue
        opened += (char in "[{") - (char in "]}")
        at += 1
    return None, opened


def _string_end(line: str, start: int, quote: str) -> int:
    """Where the string closed by ``quote`` ends in ``line`` (past its closing quotes), or -1."""
    at = start
    while (found := line.find(quote, at)) >= 0:
        backslashes = len(line[:found]) - len(line[:found].rstrip("\\"))
        if quote[0] == '"' and backslashes % 2:  # an escaped quote
            at = found + 1
            continue
        end = found + len(quote)
        if len(quote) == 3:  # up to two quotes more belong to the string: '''''' ends with the last three
            while end < len(line) and line[end] == quote[0] and end - found < 5:
                end += 1
        return end
    return -1


@dataclass(frozen=True)
class Config:
    """The effective configuration of one run (file values, then CLI overrides).

    Frozen: a changed configuration is a new one (:func:`dataclasses.replace`, :meth:`with_options`).
    """

    #: The config file read, if any.
    source: Path | None = None
    #: What the keys of :attr:`source` are written under (``tool.healthlint.`` in pyproject.toml).
    key_prefix: str = ""
    #: Folder that relative paths in the config are resolved against.
    root: Path = field(default_factory=Path.cwd)
    paths: list[str] = field(default_factory=lambda: ["articles"])
    exclude: list[str] = field(default_factory=list)
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    fail_on: Severity = Severity.ERROR
    show: Severity = Severity.SUGGESTION
    plugins_dir: str = "plugins"
    #: Where the result cache lives (``.healthlint_cache`` under the project root by default).
    cache_dir: str | None = None
    #: Worker processes for checking (None: one per core).
    jobs: int | None = None
    #: Seconds one rule may take on one article before it is stopped (HL005); 0 for no limit.
    rule_timeout: float = 60.0
    #: Seconds one article may take in all, parsing and every rule (HL005 names what did not run); 0 for no limit.
    article_timeout: float = 180.0
    #: Files larger than this (bytes) are not checked (HL001).
    max_file_size: int = 50_000_000
    disable_plugins: list[str] = field(default_factory=list)
    require_plugins: list[str] = field(default_factory=list)
    output_format: str = "text"
    severity: dict[str, Severity] = field(default_factory=dict)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    #: Raw ``[tool.healthlint.plugins.NAME]`` tables, parsed by :meth:`with_options`.
    plugin_tables: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: Parsed plugin options, by table name.
    options: dict[str, Any] = field(default_factory=dict)
    #: The options table each plugin registered (plugin name -> table name).
    option_owners: dict[str, str] = field(default_factory=dict)
    #: Domains trusted as sources and link targets by claims, links and publish alike
    #: (``trusted-domains``; None: the shipped list, ``healthlint/data/trusted_domains.txt``).
    trusted_domains: list[str] | None = None
    #: ``extend-trusted-domains``: added to :attr:`trusted_domains`.
    extend_trusted_domains: list[str] = field(default_factory=list)
    #: ``[tool.healthlint.publish]``: how ``healthlint publish`` builds the site.
    publish: PublishSettings = field(default_factory=lambda: PublishSettings())
    #: One-line notices for renamed rule codes the file names (already redirected to the new codes).
    renamed_codes: tuple[str, ...] = ()

    # -- Lookups used while running ----------------------------------------------------

    def trusted(self) -> DomainSet:
        """The trusted domains (the shipped list or ``trusted-domains``, plus ``extend-trusted-domains``)."""
        base = data_lines("trusted_domains.txt") if self.trusted_domains is None else self.trusted_domains
        return _domain_set(tuple(base), tuple(self.extend_trusted_domains))

    def options_for(self, name: str) -> Any:
        """The parsed options of a table, or of the table a plugin registered (defaults when unset)."""
        try:
            return self.options[self.option_owners.get(name, name)]
        except KeyError:
            raise KeyError(f"plugin {name!r} registered no options") from None

    def plugin_key(self, plugin: str, key: str = "") -> str:
        """A plugin option as the config file spells it, for error messages.

        ``plugins.NAME.KEY`` in ``healthlint.toml``, ``tool.healthlint.plugins.NAME.KEY`` in ``pyproject.toml``;
        without ``key``, the table itself.
        """
        table = f"{self.key_prefix}plugins.{plugin}"
        return f"{table}.{key}" if key else table

    def severity_for(self, code: str, default: Severity) -> Severity:
        """Per-rule severity override; the longest matching code prefix wins."""
        best, level = -1, default
        for prefix, value in self.severity.items():
            if code.startswith(prefix) and len(prefix) > best:
                best, level = len(prefix), value
        return level

    def ignored_for_path(self, path: str) -> list[str]:
        """Codes and prefixes that ``per-file-ignores`` switches off for a path."""
        if not self.per_file_ignores:
            return []  # resolving the path is the costly part: skip it when nothing can match
        rel, inside = self._relative_inside(path)
        # The file, then each folder it is in below the root: a pattern naming a folder covers what is in it, as
        # exclude's walk skips what is in a folder it skips (and as .gitignore reads it).
        parts = rel.split("/")
        folders = ["/".join(parts[:end]) for end in range(1, len(parts))] if inside else []
        out: list[str] = []
        for pattern, codes in self.per_file_ignores.items():
            if glob_matches(rel, pattern, folder=False) or any(glob_matches(f, pattern, folder=True) for f in folders):
                out.extend(codes)
        return out

    def relative(self, path: str | Path) -> str:
        """A path as seen from the project root, in POSIX form (for matching patterns)."""
        return self._relative_inside(path)[0]

    def _relative_inside(self, path: str | Path) -> tuple[str, bool]:
        """:meth:`relative`, and whether the path is below the root (else it is the path as given)."""
        p = Path(path)
        try:
            return p.resolve().relative_to(self.root.resolve()).as_posix(), True
        except (ValueError, OSError):
            return p.as_posix(), False

    def is_excluded(self, path: Path) -> bool:
        """Whether a file or folder found while walking a folder should be skipped."""
        name = path.name
        if name in DEFAULT_EXCLUDE:
            return True
        if not self.exclude:
            return False
        rel = self.relative(path)
        # Whether it is a folder matters to a pattern ending in '/' alone: ask the file system only then.
        folder = any(pat.endswith("/") for pat in self.exclude) and path.is_dir()
        return any(glob_matches(rel, pat, folder=folder) for pat in self.exclude)

    def with_options(self, schemas: dict[str, type[Any]], owners: dict[str, str] | None = None) -> Config:
        """This config with every plugin options table parsed against the dataclass its plugin registered.

        :raises ConfigError: for a table no plugin claims, an unknown key or a bad value.
        """
        for name in self.plugin_tables:
            if name not in schemas:
                known = ", ".join(sorted(schemas)) or "none"
                raise ConfigError(
                    f"no loaded plugin takes options named {name!r}{did_you_mean(name, schemas)}"
                    f" (plugins with options: {known}); a plugin package must be installed beside healthlint"
                    " (under pre-commit: additional_dependencies)",
                    self.source,
                    self.plugin_key(name),
                )
        options = {
            name: parse_options(
                schema,
                self.plugin_tables.get(name, {}),
                self.source,
                self.plugin_key(name),
                prefix=self.key_prefix,
            )
            for name, schema in schemas.items()
        }
        return dataclasses.replace(self, options=options, option_owners=dict(owners or {}))

    def fingerprint(self) -> dict[str, Any]:
        """Everything in the config that can change findings (for result caches)."""
        return {
            "select": self.select,
            "extend_select": self.extend_select,
            "ignore": self.ignore,
            "severity": {k: str(v) for k, v in sorted(self.severity.items())},
            "per_file_ignores": self.per_file_ignores,
            "plugins": self.plugin_tables,
            "trusted_domains": self.trusted_domains,
            "extend_trusted_domains": self.extend_trusted_domains,
        }


@functools.lru_cache(maxsize=8)
def _domain_set(base: tuple[str, ...], extend: tuple[str, ...]) -> DomainSet:
    return DomainSet.of(base, extend)


# -- Reading the file ------------------------------------------------------------------


def glob_matches(rel: str, pattern: str, *, folder: bool) -> bool:
    """Whether a path from the project root (``rel``: a folder when ``folder``, else a file) matches a glob of the
    config, read as ``.gitignore`` reads it except that ``*`` crosses folders.

    A pattern matches the path or its last part (a file or folder name). A leading ``/`` anchors it to the root
    (the path alone: ``/drafts`` is the top folder ``drafts``); a trailing ``/`` matches a folder only; ``**/`` at
    the start, or ``/**/`` inside, also matches no folder at all (``**/old`` is ``old`` at the top too, ``a/**/b``
    is ``a/b`` too). What is in a folder that matches is the callers' business: the walk does not enter it, and
    ``per-file-ignores`` asks of each folder a file is in.
    """
    if pattern.endswith("/"):
        if not folder:
            return False
        pattern = pattern.rstrip("/")
    anchored = pattern.startswith("/")
    pattern = pattern.lstrip("/")
    if not pattern:
        return False
    name = rel.rpartition("/")[2]
    return any(
        fnmatch.fnmatch(rel, spelling) or (not anchored and fnmatch.fnmatch(name, spelling))
        for spelling in _spellings(pattern)
    )


@functools.lru_cache(maxsize=256)
def _spellings(pattern: str) -> tuple[str, ...]:
    """A glob and what it stands for with each ``**/`` matching no folder (``a/**/b``: also ``a/b``)."""
    found = {pattern}
    if pattern.startswith("**/"):
        found.update(_spellings(pattern[3:]))
    start = 0
    while (at := pattern.find("/**/", start)) >= 0:
        found.update(_spellings(pattern[:at] + pattern[at + 3 :]))
        start = at + 1
    return tuple(sorted(found))


def find_config(start: Path) -> Path | None:
    """The nearest config file at or above ``start``: ``healthlint.toml`` beats ``pyproject.toml``."""
    start = start.resolve()
    for folder in (start, *start.parents):
        candidate = folder / "healthlint.toml"
        if candidate.is_file():
            return candidate
        candidate = folder / "pyproject.toml"
        if candidate.is_file() and _has_tool_table(candidate):
            return candidate
        if candidate.is_file():
            _refuse_misspelt_tool_table(candidate)
    return None


def _refuse_misspelt_tool_table(path: Path) -> None:
    """A ``pyproject.toml`` whose ``[tool.healthlnt]`` was meant for healthlint: its policy would be silently skipped
    (the defaults, or a config further up, read instead). :raises ConfigError: naming the table and its line."""
    try:
        tools = _parse_toml(path.read_text(encoding="utf-8-sig"), path).get("tool")
    except (OSError, UnicodeDecodeError, ConfigError):
        return
    if not isinstance(tools, dict):
        return
    for name in tools:
        spelled = name.replace("_", "-").lower()
        if spelled.startswith("healthlint-"):  # another tool named after it ([tool.healthlint-ci]), not a typo
            continue
        if spelled in ("health-lint", "healthlint") or difflib.get_close_matches(spelled, ["healthlint"], cutoff=0.8):
            raise ConfigError(
                "this table is not read; did you mean [tool.healthlint]? (without it, this file configures nothing)",
                path,
                f"tool.{name}",
            )


def is_config_file(path: Path) -> bool:
    """Whether ``path`` is a file healthlint would read as its config where it is nearest: a ``healthlint.toml``, or
    a ``pyproject.toml`` with a ``[tool.healthlint]`` table (one that cannot be read counts as one)."""
    if path.name == "healthlint.toml":
        return path.is_file()
    if path.name != "pyproject.toml" or not path.is_file():
        return False
    try:
        return _has_tool_table(path)
    except ConfigError:
        return True


def _has_tool_table(path: Path) -> bool:
    """Whether a ``pyproject.toml`` configures healthlint; one that cannot be read may, so it is an error."""
    try:
        raw = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:  # removed since it was listed
        return False
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file: {exc}", path) from None
    data = _parse_toml(raw, path)
    return isinstance(data.get("tool"), dict) and "healthlint" in data["tool"]


def _parse_toml(raw: str, path: Path) -> dict[str, Any]:
    try:
        return tomllib.loads(raw)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"not valid TOML: {exc}", path) from None
    except RecursionError:  # tomllib recurses into nested arrays and inline tables
        raise ConfigError("not valid TOML: nested too deeply", path) from None


def load_config(path: Path | str | os.PathLike[str] | None = None, *, start: Path | None = None) -> Config:
    """Load a config file, given as a path or a string (or discover one from ``start``); no file gives the defaults.

    :raises ConfigError: when the file cannot be read, is not TOML, or has a bad key or value.
    """
    return _load_config(Path(path) if path is not None else None, start)


def _load_config(path: Path | None, start: Path | None) -> Config:
    if path is None:
        path = find_config(start or Path.cwd())
        if path is None:
            return Config(root=(start or Path.cwd()).resolve())
    try:
        raw = path.read_text(encoding="utf-8-sig")  # a byte-order mark (Notepad writes one) is not TOML: dropped
    except FileNotFoundError:
        raise ConfigError("config file not found", path) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read config file: {exc}", path) from None
    data = _parse_toml(raw, path)
    if path.name == "pyproject.toml" or ("tool" in data and "healthlint" in data.get("tool", {})):
        table = data.get("tool", {}).get("healthlint", {})
        prefix = "tool.healthlint."
    else:
        table, prefix = data, ""
    return config_from_table(table, path, prefix)


#: List keys: the attribute each sets, and whether it adds to (rather than replaces) the default.
_LIST_KEYS = {
    "paths": ("paths", False),
    "exclude": ("exclude", False),
    "extend-exclude": ("exclude", True),
    "select": ("select", False),
    "extend-select": ("extend_select", True),
    "ignore": ("ignore", False),
    "extend-ignore": ("ignore", True),
    "disable-plugins": ("disable_plugins", False),
    "require-plugins": ("require_plugins", False),
    "trusted-domains": ("trusted_domains", False),
    "extend-trusted-domains": ("extend_trusted_domains", True),
}


def config_from_table(table: dict[str, Any], path: Path | None, prefix: str = "") -> Config:
    """Build a :class:`Config` from a parsed TOML table, rejecting unknown keys and bad values."""
    values: dict[str, Any] = {}
    if not isinstance(table, dict):
        raise ConfigError("must be a table", path, prefix.rstrip(".") or None)
    extended: dict[str, list[str]] = {}
    renamed: list[str] = []
    for key, value in table.items():
        where = prefix + key
        if key in _LIST_KEYS:
            items = _string_list(value, path, where)
            if key in ("select", "extend-select", "ignore", "extend-ignore"):
                items = _code_prefixes(items, path, where, renamed)
            elif key in ("exclude", "extend-exclude"):
                for item in items:
                    _glob(item, path, where)
            attr, extends = _LIST_KEYS[key]
            if extends:
                extended.setdefault(attr, []).extend(items)
            else:
                values[attr] = items
        elif key in ("fail-on", "show"):
            values[key.replace("-", "_")] = _severity(value, path, where)
        elif key == "plugins-dir":
            values["plugins_dir"] = _string(value, path, where)
        elif key == "cache-dir":
            values["cache_dir"] = _string(value, path, where)
        elif key in ("rule-timeout", "article-timeout"):
            if not isinstance(value, (int, float)) or isinstance(value, bool) or not 0 <= value <= MAX_RULE_TIMEOUT:
                raise ConfigError(f"must be a number of seconds from 0 (no limit) to {MAX_RULE_TIMEOUT}", path, where)
            values[key.replace("-", "_")] = float(value)
        elif key == "max-file-size":
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError("must be a whole number of bytes", path, where)
            values["max_file_size"] = value
        elif key == "jobs":
            if not isinstance(value, int) or isinstance(value, bool) or value < 1:
                raise ConfigError("must be a whole number of at least 1", path, where)
            values["jobs"] = value
        elif key == "output-format":
            fmt = _string(value, path, where)
            values["output_format"] = fmt
        elif key == "severity":
            if not isinstance(value, dict):
                raise ConfigError("must be a table of code = level", path, where)
            severity = values.setdefault("severity", {})
            for code, level in value.items():
                with _hint_misplaced(code, prefix):
                    parsed = _severity(level, path, f"{where}.{code}")
                    for each in _code_prefixes([code], path, f"{where}.{code}", renamed):
                        severity[each] = parsed
        elif key == "per-file-ignores":
            if not isinstance(value, dict):
                raise ConfigError('must be a table of "glob" = [codes]', path, where)
            ignores = values.setdefault("per_file_ignores", {})
            for pattern, codes in value.items():
                with _hint_misplaced(pattern, prefix):
                    _glob(pattern, path, f"{where}.{pattern}")
                    items = _string_list(codes, path, f"{where}.{pattern}")
                    ignores[pattern] = _code_prefixes(items, path, f"{where}.{pattern}", renamed)
        elif key == "plugins":
            if not isinstance(value, dict) or not all(isinstance(v, dict) for v in value.values()):
                raise ConfigError(f"must hold one table per plugin, like [{prefix}plugins.readability]", path, where)
            values["plugin_tables"] = {name: dict(v) for name, v in value.items()}
        elif key == "publish":
            values["publish"] = publish_settings(value, path, where, prefix)
        else:
            hint = did_you_mean(key, KNOWN_KEYS)
            raise ConfigError(f"unknown key{hint} (known keys: {', '.join(sorted(KNOWN_KEYS))})", path, where)
    for attr, items in extended.items():  # extend-* adds to the value, wherever it stands in the file
        values[attr] = [*(values.get(attr) or []), *items]
    root = path.parent.resolve() if path else Path.cwd().resolve()
    return Config(source=path, key_prefix=prefix, root=root, renamed_codes=tuple(renamed), **values)


KNOWN_KEYS = frozenset(
    {
        *_LIST_KEYS,
        "fail-on",
        "show",
        "plugins-dir",
        "cache-dir",
        "jobs",
        "rule-timeout",
        "article-timeout",
        "max-file-size",
        "output-format",
        "severity",
        "per-file-ignores",
        "plugins",
        "publish",
    }
)


def did_you_mean(key: str, known: Iterable[str]) -> str:
    """``; did you mean 'fail-on'?`` for ``fail_on``, ``Fail-On`` or ``fial-on``; ``""`` when nothing is close."""
    names = sorted(known)
    spelled = key.replace("_", "-").lower()
    same = [name for name in names if name.replace("_", "-").lower() == spelled]
    close = same or difflib.get_close_matches(spelled, names, n=1, cutoff=0.75)
    return f"; did you mean {close[0]!r}?" if close else ""


def _misplaced(key: str, prefix: str) -> str:
    """For a key of the top level found inside a table (TOML puts every key below a ``[table]`` header in that
    table): what to add to the error, or ``""``."""
    if key not in KNOWN_KEYS:
        return ""
    return spelled_for(
        f"; {key!r} belongs in [tool.healthlint]: in TOML a key below a [table] header is part of that table,"
        " so write it above the header",
        prefix,
    )


@contextlib.contextmanager
def _hint_misplaced(key: str, prefix: str) -> Iterator[None]:
    """Adds :func:`_misplaced`'s hint to a :class:`ConfigError` about ``key``'s value."""
    try:
        yield
    except ConfigError as exc:
        hint = _misplaced(key, prefix)
        if not hint:
            raise
        raise ConfigError(exc.message + hint, exc.path, exc.key) from None


def _string(value: Any, path: Path | None, where: str) -> str:
    if not isinstance(value, str):
        raise ConfigError(f"must be a string, not {_toml_type(value)}", path, where)
    return value


def _string_list(value: Any, path: Path | None, where: str) -> list[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"must be a list of strings, not {_toml_type(value)}", path, where)
    return list(value)


def _glob(pattern: str, path: Path | None, where: str) -> None:
    """Refuse a glob of ``exclude`` or ``per-file-ignores`` that would silently match nothing: a negation."""
    if pattern.startswith("!"):
        raise ConfigError(
            f"{pattern!r}: a '!' pattern (taking files back, as in .gitignore) is not supported: list only what"
            " is to be skipped (a narrower glob)",
            path,
            where,
        )


def code_prefix(value: str, path: Path | None, where: str) -> str:
    import re

    code = value.strip().upper()
    if not re.fullmatch(r"[A-Z]{1,4}[0-9]{0,3}", code):
        raise ConfigError(f"{value!r} is not a rule code or code prefix (like HL3 or HL301)", path, where)
    return code


def code_options(values: Iterable[str], option: str) -> tuple[list[str], list[str]]:
    """Codes as a command line or an API call writes them (``"HL1,hl301"``, one value or several): each value split
    at its commas and read by :func:`code_prefix` (a :class:`ConfigError` naming ``option`` for one that is no code),
    renamed codes redirected; returns the codes and a notice for each renamed one."""
    from healthlint.rules import redirected

    return redirected(code_prefix(v, None, option) for value in values for v in value.split(",") if v.strip())


def _code_prefixes(values: list[str], path: Path | None, where: str, renamed: list[str]) -> list[str]:
    """Codes and prefixes as written, renamed codes redirected (:data:`~healthlint.rules.REDIRECTS`);
    a notice for each renamed code, saying where it is written, goes to ``renamed``."""
    from healthlint.rules import redirected

    codes, notices = redirected([code_prefix(v, path, where) for v in values])
    source = f"{path}: " if path else ""
    renamed.extend(f"{source}{where}: {notice}" for notice in notices)
    return codes


def _severity(value: Any, path: Path | None, where: str) -> Severity:
    try:
        return Severity.parse(_string(value, path, where))
    except ValueError as exc:
        raise ConfigError(str(exc), path, where) from None


def _toml_type(value: Any) -> str:
    return {
        bool: "a boolean",
        int: "an integer",
        float: "a float",
        str: "a string",
        list: "an array",
        dict: "a table",
    }.get(type(value), type(value).__name__)


# -- Plugin options ----------------------------------------------------------------------


def parse_options(
    schema: type[Any], table: dict[str, Any], path: Path | None, where: str, prefix: str = "tool.healthlint."
) -> Any:
    """Build a plugin's options dataclass from its table; keys are the fields in kebab-case.

    A dataclass may name the keys it no longer reads in a class variable ``RETIRED`` (kebab-case
    key -> the message saying what replaced it), so that a config still setting one is told where
    its setting lives now. Messages name tables as pyproject.toml spells them
    (``[tool.healthlint.plugins.metadata]``); they are respelled for the file at hand (``prefix``
    is what its keys are written under: ``""`` in healthlint.toml).

    :raises ConfigError: for retired and unknown keys and values of the wrong type.
    """
    if not dataclasses.is_dataclass(schema):
        raise TypeError(f"options for {where} must be a dataclass type")
    hints = typing.get_type_hints(schema)
    fields = {f.name.replace("_", "-"): f for f in dataclasses.fields(schema) if f.init}
    retired: Mapping[str, str] = getattr(schema, "RETIRED", {})
    values: dict[str, Any] = {}
    for key, value in table.items():
        if key in retired:
            raise ConfigError(spelled_for(retired[key], prefix), path, f"{where}.{key}")
        if key not in fields:
            known = ", ".join(sorted(fields)) or "none"
            hint = did_you_mean(key, fields)
            raise ConfigError(
                f"unknown option{hint} (options: {known}){_misplaced(key, prefix)}", path, f"{where}.{key}"
            )
        f = fields[key]
        values[f.name] = _coerce(value, hints[f.name], path, f"{where}.{key}")
    return schema(**values)


_TOP_TABLE_RE = re.compile(r"\b(in|under) \[tool\.healthlint\]")


def spelled_for(message: str, prefix: str) -> str:
    """``message`` with its pyproject.toml table names (``[tool.healthlint.plugins.x]``) as a file
    whose keys are written under ``prefix`` spells them (``[plugins.x]`` in healthlint.toml)."""
    if prefix == "tool.healthlint.":
        return message
    top = prefix.rstrip(".")
    if top:
        return message.replace("[tool.healthlint.", f"[{prefix}").replace("[tool.healthlint]", f"[{top}]")
    message = _TOP_TABLE_RE.sub("at the top level (before any table)", message)
    return message.replace("[tool.healthlint.", "[").replace("[tool.healthlint]", "the top level")


def _coerce(value: Any, hint: Any, path: Path | None, where: str) -> Any:
    origin = typing.get_origin(hint)
    args = typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        errors = []
        for arg in args:
            if arg is type(None):
                continue
            try:
                return _coerce(value, arg, path, where)
            except ConfigError as exc:
                errors.append(str(exc))
        raise ConfigError(f"must be {' or '.join(_describe(a) for a in args if a is not type(None))}", path, where)
    if hint is Any:
        return value
    if origin is typing.Literal:  # a fixed set of choices: the host checks them for every plugin
        if isinstance(value, (str, int, bool)) and value in args:
            return value
        choices = ", ".join(repr(a) for a in args)
        raise ConfigError(f"must be one of {choices}, not {value!r}", path, where)
    if hint is bool:
        if isinstance(value, bool):
            return value
    elif hint is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
    elif hint is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
    elif hint is str:
        if isinstance(value, str):
            return value
    elif origin in (list, tuple, frozenset, set) or hint in (list, tuple):
        if isinstance(value, list):
            item = args[0] if args else Any
            items = [_coerce(v, item, path, f"{where}[{i}]") for i, v in enumerate(value)]
            return (origin or hint)(items) if origin in (tuple, frozenset, set) else items
    elif origin is dict or hint is dict:
        if isinstance(value, dict):
            vtype = args[1] if len(args) == 2 else Any
            return {str(k): _coerce(v, vtype, path, f"{where}.{k}") for k, v in value.items()}
    elif isinstance(hint, type) and issubclass(hint, Severity):
        return _severity(value, path, where)
    else:
        return value
    raise ConfigError(f"must be {_describe(hint)}, not {_toml_type(value)}", path, where)


def _describe(hint: Any) -> str:
    origin = typing.get_origin(hint)
    if origin is typing.Literal:
        return "one of " + ", ".join(repr(a) for a in typing.get_args(hint))
    if hint is bool:
        return "true or false"
    if hint is int:
        return "an integer"
    if hint is float:
        return "a number"
    if hint is str:
        return "a string"
    if origin in (list, tuple, frozenset, set):
        return "an array"
    if origin is dict:
        return "a table"
    return getattr(hint, "__name__", str(hint))


# -- Publishing ----------------------------------------------------------------------------


@dataclass(frozen=True)
class PublishSettings:
    """``[tool.healthlint.publish]`` (``[publish]`` in ``healthlint.toml``); keys are the fields in kebab-case."""

    #: Where the site is written when ``--out`` is not given (relative to the config file).
    out_dir: str = "site"
    #: A folder of Jinja2 templates that override the built-in ones (relative to the config file).
    templates: str | None = None
    #: The site's name, in every page title and on the index page.
    title: str = "Health articles"
    #: Absolute URL the site is served from; makes sitemap.xml and canonical links absolute.
    base_url: str | None = None
    #: A site-wide disclaimer shown on every article page (plain text).
    disclaimer: str | None = None
    #: The publishers ``healthlint publish`` runs, in order (``--publisher`` overrides).
    publishers: list[str] = field(default_factory=lambda: ["site"])
    #: The ``lang`` of the pages.
    language: str = "en"


_LANGUAGE_RE = re.compile(r"^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*$")


def publish_settings(value: Any, path: Path | None, where: str, prefix: str = "tool.healthlint.") -> PublishSettings:
    """Parse and check the ``publish`` table (``prefix``: what the file's keys are written under).

    :raises ConfigError: for an unknown key or a bad value, naming the file and key.
    """
    if not isinstance(value, dict):
        raise ConfigError(f"must be a table, like [{prefix}publish]", path, where)
    if "allowed-domains" in value:
        raise ConfigError(
            spelled_for(
                "replaced by the one trusted-domain list: add these domains to extend-trusted-domains"
                " in [tool.healthlint] (links to trusted domains get no rel=nofollow)",
                prefix,
            ),
            path,
            f"{where}.allowed-domains",
        )
    settings: PublishSettings = parse_options(PublishSettings, value, path, where, prefix)
    if not settings.title.strip():
        raise ConfigError("must not be empty", path, f"{where}.title")
    if not settings.out_dir.strip():
        raise ConfigError("must not be empty", path, f"{where}.out-dir")
    if settings.base_url is not None:
        settings = dataclasses.replace(settings, base_url=_base_url(settings.base_url, path, f"{where}.base-url"))
    if settings.disclaimer is not None and not settings.disclaimer.strip():
        settings = dataclasses.replace(settings, disclaimer=None)
    if not settings.publishers:
        raise ConfigError("must name at least one publisher (the built-in one is 'site')", path, f"{where}.publishers")
    if not _LANGUAGE_RE.match(settings.language):
        raise ConfigError(f"{settings.language!r} is not a language tag like en or en-GB", path, f"{where}.language")
    return settings


def _base_url(value: str, path: Path | None, where: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.query or parts.fragment:
        raise ConfigError(
            f"{value!r} is not an absolute http(s) URL without query or fragment, like https://example.org/health/",
            path,
            where,
        )
    url = parts.geturl()
    return url if url.endswith("/") else url + "/"
