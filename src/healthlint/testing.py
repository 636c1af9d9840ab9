"""A pytest plugin for testing healthlint and healthlint plugins.

Enable it in ``conftest.py`` with ``pytest_plugins = ["healthlint.testing"]``; it provides:

- ``article_file(text, name="article.md")``: writes an article under ``tmp_path``.
- ``lint(target, select=..., config=..., plugins=...)``: checks a file, folder or text
  and returns a :class:`~healthlint.Report`.
- ``run_cli(*args, cwd=None)``: runs the ``healthlint`` command in-process and returns
  a :class:`CliResult` with ``exit_code``, ``stdout`` and ``stderr``.
"""

from __future__ import annotations

import os
import textwrap
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from healthlint.config import Config, config_from_table, load_config
from healthlint.findings import Finding, Report
from healthlint.plugins import get_plugin_manager
from healthlint.runner import Linter, collect_files


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
    built = config_from_table(config or {}, None)
    built.root = root
    return built


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
            cfg.select = select
        pm = get_plugin_manager(cfg, autoload=False, local=local_plugins, extra=plugins)
        files = collect_files([str(target)], cfg, pm)
        with Linter(cfg, pm) as linter:
            return linter.finish(list(linter.run(files)))

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

    monkeypatch.setattr(socket.socket, "connect", guarded)
    monkeypatch.setattr(
        socket,
        "create_connection",
        lambda *a, **k: (_ for _ in ()).throw(OSError("network access blocked in this test")),
    )
    monkeypatch.setenv("NO_PROXY", "*")
    monkeypatch.setitem(os.environ, "HEALTHLINT_OFFLINE", "1")
    yield
