"""``healthlint audit``: whole archives and crawls on Dask (the optional extra ``healthlint[audit]``)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import click

from healthlint.cli import SEVERITY_CHOICE, HealthlintError, State, _codes
from healthlint.engine.gate import ExitCode
from healthlint.engine.parallel import default_jobs
from healthlint.model import Severity

#: The rule selection options, as ``check`` takes them.
_SELECTION_OPTIONS = (
    ("--select", "Run only these codes or prefixes (comma-separated)."),
    ("--extend-select", "Also run these codes or prefixes."),
    ("--ignore", "Do not run these codes or prefixes."),
)


def _rule_selection(command: Any) -> Any:
    """Adds ``--select``, ``--extend-select`` and ``--ignore`` to a command."""
    for flag, text in reversed(_SELECTION_OPTIONS):
        command = click.option(flag, multiple=True, help=text)(command)
    return command


@click.command()
@click.argument("sources", nargs=-1, required=True, type=click.Path(path_type=str))
@click.option(
    "--out", "out_dir", required=True, type=click.Path(file_okay=False, path_type=Path), help="Folder for the results."
)
@click.option(
    "--workers", type=click.IntRange(min=1), help="Worker processes of the local cluster [default: one per core]."
)
@click.option("--text-field", default="text", show_default=True, help="JSON key or Parquet column of the text.")
@click.option(
    "--id-field", default="id", show_default=True, help="Key or column of the document id ('' names them file:line)."
)
@click.option("--url-field", help="Key or column of the document's URL (for counts per site).")
@click.option("--kind", type=click.Choice(["markdown", "text"]), default="markdown", show_default=True)
@click.option(
    "--partition-size", type=click.IntRange(min=1), default=100, show_default=True, help="Documents per task."
)
@_rule_selection
@click.option("--fail-on", type=SEVERITY_CHOICE, help="Lowest severity that fails a document [default: error].")
@click.option("--progress/--no-progress", default=None, help="Show a progress bar [default: on a terminal].")
@click.option("--fresh", is_flag=True, help="Start over, forgetting the partitions an earlier run in --out finished.")
@click.option("--scheduler", metavar="tcp://HOST:PORT", help="Use a running Dask cluster instead of a local one.")
@click.pass_obj
def audit(
    state: State,
    sources: tuple[str, ...],
    out_dir: Path,
    workers: int | None,
    scheduler: str | None,
    text_field: str,
    id_field: str,
    url_field: str | None,
    kind: str,
    partition_size: int,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    progress: bool | None,
    fresh: bool,
) -> None:
    """Check a whole archive or crawl on a Dask cluster; results as Parquet in --out.

    SOURCES are folders of articles, JSON Lines files (.jsonl, .jsonl.gz: one object a line)
    and Parquet files. Writes findings.parquet, documents.parquet and summary.json, and
    prints the summary. An interrupted audit resumes where it stopped when run again.
    Exit codes: 0 done, 2 usage or input error, 3 internal error, 130 interrupted (Ctrl-C; run it again to resume).
    """
    import importlib.util

    if not all(importlib.util.find_spec(m) for m in ("distributed", "pyarrow")):
        raise HealthlintError("audit needs Dask and pyarrow: pip install 'healthlint[audit]'")
    from healthlint.audit.checker import load_settings
    from healthlint.audit.run import AuditError, AuditOptions, Interrupted, ProgressBar, quiet_dask, run_audit
    from healthlint.audit.sources import Fields
    from healthlint.audit.summary import table

    overrides = {
        "select": _codes(select) or None,
        "fail_on": Severity.parse(fail_on) if fail_on else None,
    }
    loaded = load_settings(
        state.config_path, overrides, _codes(extend_select, "--extend-select"), _codes(ignore, "--ignore")
    )
    for error in loaded.warnings:
        click.echo(f"healthlint: warning: {error}", err=True)
    options = AuditOptions(
        sources=list(sources),
        out=out_dir,
        fields=Fields(text_field, id_field, url_field or None),
        kind=kind,
        partition_size=partition_size,
        workers=workers or default_jobs(),
        scheduler=scheduler,
        fresh=fresh,
    )
    bar = ProgressBar() if (progress if progress is not None else sys.stderr.isatty()) else None

    def say(line: str) -> None:
        if bar is not None:
            bar.note(f"healthlint: {line}")
        else:
            click.echo(f"healthlint: {line}", err=True)

    quiet_dask()
    try:
        summary = run_audit(
            loaded,
            options,
            on_step=bar,
            say=say,
        )
    except Interrupted as exc:
        click.echo(f"\nhealthlint: {exc}; run the same command again to resume", err=True)
        sys.exit(ExitCode.INTERRUPTED)  # as check and publish exit on Ctrl-C (128 + SIGINT, what shells expect)
    except AuditError as exc:
        raise HealthlintError(str(exc)) from None
    click.echo(table(summary))
    click.echo(f"\nresults in {out_dir}: findings.parquet, documents.parquet, summary.json")
    sys.exit(ExitCode.OK)
