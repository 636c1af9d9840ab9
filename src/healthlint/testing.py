"""A pytest plugin for testing healthlint and healthlint plugins.

Enable it in ``conftest.py`` with ``pytest_plugins = ["healthlint.testing"]``; it provides:

- ``article_file(text, name="article.md")``: writes an article under ``tmp_path``.
- ``lint(target, select=..., config=..., plugins=...)``: checks a file, folder or text
  and returns a :class:`~healthlint.Report`.
- ``run_cli(*args, cwd=None)``: runs the ``healthlint`` command in-process and returns
  a :class:`CliResult` with ``exit_code``, ``stdout`` and ``stderr``.

Rule fixtures (:func:`rule_fixtures`) are articles in ``tests/rules/<CODE>/`` that end with a
comment saying what the rule must report in them::

    <!-- fixture
    expect: HL301 at 5, 9          (exactly these lines; "expect: HL301" for any line)
    config: extend-select = ["HL305"]
    -->

``expect: none`` marks an article the rule must not flag. ``config:`` lines are TOML for the
``[tool.healthlint]`` table (dotted keys reach plugin tables: ``plugins.claims.require = "always"``);
``requires: languagetool`` skips the fixture when no LanguageTool server is configured, ``requires: deep`` when
the spun family's deeper stage cannot run (its extra or model is not installed);
``plugins: FOLDER`` loads the local plugins of a folder beside the fixture (for the codes the
host reports about plugins, such as HL002 "rule crashed"). A code reported as a run notice
(HL003) is found among the report's notices.
"""

from __future__ import annotations

import dataclasses
import json
import os
import textwrap
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from healthlint.article import ARTICLE_SUFFIXES
from healthlint.config import Config, config_from_table, load_config
from healthlint.engine.driver import Driver, collect_files
from healthlint.model import Finding, Report
from healthlint.plugins import get_plugin_manager

#: Where a fixture's expectations start; everything from here to the end of the file is removed before checking.
FIXTURE_MARK = "<!-- fixture"


@dataclass(frozen=True)
class RuleFixture:
    """One article of ``tests/rules/<CODE>/`` and what the rule ``code`` must report in it."""

    path: Path
    code: str
    #: The article's text without the fixture comment.
    text: str
    #: True: the rule must flag the article; False: it must not.
    flags: bool
    #: The file lines the rule must report (exactly); empty: any line, at least once.
    lines: frozenset[int]
    #: TOML for the ``[tool.healthlint]`` table.
    config: str
    requires: frozenset[str]


def read_rule_fixture(path: Path, code: str) -> RuleFixture:
    """Parse a fixture article. :raises ValueError: naming the file when its comment is malformed."""
    raw = path.read_text(encoding="utf-8")
    at = raw.rfind(FIXTURE_MARK)
    if at < 0:
        raise ValueError(f"{path}: no '{FIXTURE_MARK}' comment at the end")
    flags: bool | None = None
    lines: set[int] = set()
    config: list[str] = []
    requires: set[str] = set()
    for line in raw[at + len(FIXTURE_MARK) :].splitlines():
        key, _, value = line.strip().partition(":")
        value = value.strip()
        if key == "expect":
            if value == "none":
                flags = False
                continue
            named, _, where = value.partition(" at ")
            if named.strip() != code:
                raise ValueError(f"{path}: expects {named.strip()!r} but lives in the folder of {code}")
            flags = True
            lines.update(int(n) for n in where.replace(",", " ").split())
        elif key == "config":
            config.append(value)
        elif key == "requires":
            requires.update(value.split())
        elif key == "plugins":
            folder = (path.parent / value).resolve()
            if not folder.is_dir():
                raise ValueError(f"{path}: plugins folder {value!r} does not exist")
            config.append(f"plugins-dir = {json.dumps(str(folder))}")
    if flags is None:
        raise ValueError(f"{path}: the fixture comment has no 'expect:' line")
    return RuleFixture(
        path, code, raw[:at].rstrip() + "\n", flags, frozenset(lines), "\n".join(config), frozenset(requires)
    )


def rule_fixtures(folder: Path) -> list[RuleFixture]:
    """Every fixture under ``folder`` (one sub-folder per code), sorted by code and file name."""
    return [
        read_rule_fixture(path, code_dir.name)
        for code_dir in sorted(p for p in folder.iterdir() if p.is_dir())
        for path in sorted(code_dir.iterdir())
        if path.suffix.lower() in ARTICLE_SUFFIXES
    ]


@dataclass
class CliResult:
    exit_code: int
    stdout: str
    stderr: str
    exception: BaseException | None = None

    @property
    def lines(self) -> list[str]:
        return self.stdout.splitlines()


def make_config(config: Config | dict[str, Any] | str | None, root: Path) -> Config:
    """A config from a Config, a dict (the ``[tool.healthlint]`` table) or TOML text."""
    if isinstance(config, Config):
        return config
    if isinstance(config, str):
        path = root / "healthlint.toml"
        path.write_text(textwrap.dedent(config), encoding="utf-8")
        return load_config(path)
    return dataclasses.replace(config_from_table(config or {}, None), root=root)


def codes(report_or_findings: Report | Iterable[Finding]) -> list[str]:
    """The codes found, in order (a handy thing to assert on)."""
    if isinstance(report_or_findings, Report):
        return [f.code for a in report_or_findings.articles for f in a.findings]
    return [f.code for f in report_or_findings]


def _is_existing_path(value: str) -> bool:
    """Whether a string names an existing file or folder (article text never does)."""
    if "\n" in value or len(value) > 1024:
        return False
    try:
        return Path(value).exists()
    except (OSError, ValueError):  # too long a name, or a NUL byte
        return False


@pytest.fixture
def article_file(tmp_path: Path) -> Callable[..., Path]:
    """Write an article (dedented) under ``tmp_path`` and return its path."""

    def write(text: str, name: str = "article.md", encoding: str = "utf-8") -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(textwrap.dedent(text).lstrip("\n"), encoding=encoding)
        return path

    return write


@pytest.fixture
def lint(tmp_path: Path) -> Callable[..., Report]:
    """Check a path (or a text, written to ``tmp_path/name``) and return the report."""

    def run(
        target: Path | str,
        *,
        select: list[str] | None = None,
        config: Config | dict[str, Any] | str | None = None,
        plugins: Iterable[object] = (),
        name: str = "article.md",
        local_plugins: bool = False,
    ) -> Report:
        if isinstance(target, str) and not _is_existing_path(target):
            path = tmp_path / name
            path.write_text(textwrap.dedent(target).lstrip("\n"), encoding="utf-8")
            target = path
        cfg = make_config(config, tmp_path)
        if select is not None:
            cfg = dataclasses.replace(cfg, select=select)
        # A config that names its own plugins folder (a rule fixture's ``plugins:``) loads it.
        local = local_plugins or cfg.plugins_dir != Config().plugins_dir
        pm = get_plugin_manager(cfg, autoload=False, local=local, extra=plugins)
        files = collect_files([str(target)], pm.config, pm)
        with Driver(pm.config, pm) as driver:
            return driver.run(files)

    return run


@pytest.fixture
def run_cli(monkeypatch: pytest.MonkeyPatch) -> Callable[..., CliResult]:
    """Run ``healthlint ARGS...`` in-process (optionally from ``cwd``)."""
    from healthlint.cli import cli

    def run(*args: str, cwd: Path | None = None, env: dict[str, str] | None = None) -> CliResult:
        if cwd is not None:
            monkeypatch.chdir(cwd)
        runner = CliRunner()
        result = runner.invoke(cli, list(args), env={"NO_COLOR": "1", **(env or {})}, catch_exceptions=True)
        exception = result.exception if not isinstance(result.exception, SystemExit) else None
        return CliResult(result.exit_code, result.stdout, result.stderr, exception)

    return run


@pytest.fixture
def no_network(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Make any attempt to open a network connection (other than to 127.0.0.1) fail loudly."""
    import socket

    real_connect = socket.socket.connect

    def guarded(self: socket.socket, address: Any) -> Any:
        host = address[0] if isinstance(address, tuple) else address
        if (isinstance(host, str) and host in ("127.0.0.1", "localhost", "::1")) or self.family == getattr(
            socket, "AF_UNIX", None
        ):
            return real_connect(self, address)
        raise OSError(f"network access blocked in this test (tried {address!r})")

    # socket.create_connection ends in socket.connect, so loopback clients (a local LanguageTool) still work.
    monkeypatch.setattr(socket.socket, "connect", guarded)
    monkeypatch.setenv("NO_PROXY", "*")
    monkeypatch.setitem(os.environ, "HEALTHLINT_OFFLINE", "1")
    yield
