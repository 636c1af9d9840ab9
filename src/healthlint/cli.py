"""The ``healthlint`` command line."""

from __future__ import annotations

import atexit
import contextlib
import dataclasses
import functools
import io
import json
import os
import sys
import threading
import traceback
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NoReturn

import click

from healthlint import __version__
from healthlint.article import ARTICLE_SUFFIXES
from healthlint.config import Config, ConfigError, UsageError, code_options, load_config
from healthlint.console import Descriptor1ToStderr, open_closed_streams
from healthlint.engine.driver import Driver, collect_files
from healthlint.engine.gate import ExitCode
from healthlint.engine.parallel import default_jobs
from healthlint.engine.selection import check_selection
from healthlint.interrupts import INTERRUPTED, quick_exit_on_interrupt, take_interrupts
from healthlint.model import Severity
from healthlint.output import Reporter, TextReporter
from healthlint.plugins import HookFailed, PluginManager, get_plugin_manager
from healthlint.rules import DOC_SECTIONS, REDIRECTS, Rule, doc_sections
from healthlint.storage.atomic import write_output
from healthlint.storage.baseline import Baseline
from healthlint.storage.baseline import write_baseline as write_baseline_file
from healthlint.storage.results import ResultCache, plugin_versions, resolve_cache_dir, run_fingerprint
from healthlint.vcs import changed_files

SEVERITY_CHOICE = click.Choice([str(s) for s in Severity], case_sensitive=False)


class HealthlintError(click.ClickException):
    """A usage, configuration or input error: one line on stderr, exit code 2."""

    exit_code = ExitCode.USAGE_ERROR

    def show(self, file: Any = None) -> None:
        click.echo(f"healthlint: error: {self.format_message()}", err=True)


class HealthlintGroup(click.Group):
    """Turns expected errors into exit 2 and bugs into exit 3, never a bare traceback."""

    def invoke(self, ctx: click.Context) -> Any:
        take_interrupts()  # the program's quick exit on Ctrl-C ends here: the command handles its interrupt
        try:
            return super().invoke(ctx)
        except UsageError as exc:
            raise HealthlintError(str(exc)) from None
        except HookFailed as exc:  # a plugin's bug: exit 3, naming the plugin and the hook
            click.echo(f"healthlint: error: {exc} (report it to the plugin's author)", err=True)
            ctx.exit(ExitCode.INTERNAL_ERROR)
        except (click.exceptions.ClickException, click.exceptions.Exit, click.exceptions.Abort):
            raise
        except KeyboardInterrupt:
            # Not click's "Aborted!" and exit 1, which a script reads as "an article fails the gate".
            click.echo(INTERRUPTED, err=True)
            ctx.exit(ExitCode.INTERRUPTED)
        except BrokenPipeError:
            # The reader went away (`healthlint rules | head`): stop quietly, as other tools do.
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
            ctx.exit(ExitCode.GATE_FAILED)
        except Exception as exc:  # a bug in healthlint or a plugin hook: exit 3 with a clear line
            if os.environ.get("HEALTHLINT_DEBUG"):
                traceback.print_exc()
            click.echo(
                f"healthlint: internal error: {type(exc).__name__}: {exc}"
                " (set HEALTHLINT_DEBUG=1 for the traceback, and please report it)",
                err=True,
            )
            ctx.exit(ExitCode.INTERNAL_ERROR)


@dataclass
class State:
    config_path: Path | None = None
    #: True in the ``healthlint`` program (not when the command line is called in-process, as tests
    #: do): the run may then tune the process as a whole (see ``Driver.owns_process``).
    owns_process: bool = False


def _codes(values: Sequence[str], option: str = "--select") -> list[str]:
    """``--select HL1,HL3 --select HL401`` → ``["HL1", "HL3", "HL401"]`` (renamed codes redirected, with a notice).

    A value that is not a code or prefix (``HL3O1``) is a usage error naming ``option``, as it is in a config file.
    """
    codes, notices = code_options(values, option)
    for notice in notices:
        click.echo(f"healthlint: warning: command line: {notice}", err=True)
    return codes


def _load(
    state: State,
    *,
    warn: bool = True,
    checks_articles: bool = False,
    more_select: Sequence[str] = (),
    more_ignore: Sequence[str] = (),
    **overrides: Any,
) -> tuple[Config, PluginManager]:
    """The config file with the command line's overrides (a new frozen config), and the plugins.

    :param checks_articles: the command checks articles (``check``, ``publish``): a selection that runs no rule is
        refused, and each code in it that names no rule gets a warning.
    """
    config = file_config = load_config(state.config_path)
    changes = {key: value for key, value in overrides.items() if value is not None}
    if more_select:
        changes["extend_select"] = [*config.extend_select, *more_select]
    if more_ignore:
        changes["ignore"] = [*config.ignore, *more_ignore]
    if changes:
        config = dataclasses.replace(config, **changes)
    pm = get_plugin_manager(config)
    if warn:
        for notice in config.renamed_codes:
            click.echo(f"healthlint: warning: {notice}", err=True)
        for error in pm.errors:
            click.echo(f"healthlint: warning: {error}", err=True)
        for message in pm.warnings:
            click.echo(f"healthlint: warning: {message}", err=True)
    if not pm.builtin_loaded:
        raise HealthlintError(
            "no built-in plugins found: is healthlint installed? (reinstall it; in a checkout: pip install -e .)"
        )
    if checks_articles:
        _check_selection(file_config, pm, overrides.get("select"), more_select, more_ignore)
    return pm.config, pm  # with the plugin options parsed, for every hook and reporter


def _warn_other_configs(others: list[str], config: Config) -> None:
    """One warning for the config files in the folders checked that the run does not read (it reads one)."""
    if not others:
        return
    used = f"it reads {config.source}" if config.source is not None else "it found none, so the defaults apply"
    listed = ", ".join(others[:5]) + (f" and {len(others) - 5} more" if len(others) > 5 else "")
    click.echo(
        f"healthlint: warning: {listed} {'is' if len(others) == 1 else 'are'} not read: a run reads one config, the"
        f" nearest to the current folder ({used}); run healthlint from that folder, or pass --config, to use another",
        err=True,
    )


def _check_selection(
    file_config: Config,
    pm: PluginManager,
    select: Sequence[str] | None,
    extend_select: Sequence[str],
    ignore: Sequence[str],
) -> None:
    """Warn of each code in the selection that names no loaded rule; refuse a run in which no rule would run."""
    report = check_selection(file_config, pm, select, extend_select, ignore)
    for message in report.warnings:
        click.echo(f"healthlint: warning: {message}", err=True)
    if report.error is not None:
        raise HealthlintError(report.error)


@click.group(cls=HealthlintGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, "-V", "--version", prog_name="healthlint")
@click.option(
    "--config",
    "config_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Config file to use instead of the nearest healthlint.toml or pyproject.toml.",
)
@click.pass_context
def cli(ctx: click.Context, config_path: Path | None) -> None:
    """healthlint: a content-quality gate for health articles.

    It flags spun text, missing safety disclaimers, unsupported study claims, hard
    prose, grammar errors and spam links, in Markdown and plain-text articles.

    Exit codes: 0 every article passes, 1 at least one fails the gate,
    2 usage, configuration or input error, 3 internal error, 130 interrupted.
    """
    ctx.obj = State(config_path, owns_process=isinstance(ctx.obj, State) and ctx.obj.owns_process)


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "-f",
    "--format",
    "output_format",
    help="Output format: text (default), json, github, sarif, junit or html; plugins can add more.",
)
@click.option("--select", multiple=True, help="Run only these codes or prefixes (comma-separated).")
@click.option("--extend-select", multiple=True, help="Also run these codes or prefixes.")
@click.option("--ignore", multiple=True, help="Do not run these codes or prefixes.")
@click.option("--fail-on", type=SEVERITY_CHOICE, help="Lowest severity that fails the gate [default: error].")
@click.option("--show", type=SEVERITY_CHOICE, help="Lowest severity shown in text output [default: suggestion].")
@click.option("--color/--no-color", default=None, help="Color the text output [default: on a terminal].")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when articles fail (usage errors still exit 2).")
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write the --format output to this file; the terminal still gets the text output.",
)
@click.option(
    "--baseline",
    "baseline_path",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Report and fail only on findings not recorded in this baseline file.",
)
@click.option(
    "--write-baseline",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Record every current finding in this file (then exit 0).",
)
@click.option("--diff", "diff_ref", metavar="REF", help="Check only articles changed since this git ref.")
@click.option(
    "-j", "--jobs", type=click.IntRange(min=1), help="Worker processes [default: the config's jobs, or one per core]."
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Result cache folder [default: $HEALTHLINT_CACHE_DIR, the config's cache-dir, or .healthlint_cache].",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache.")
@click.option("--fix", is_flag=True, help="Apply safe fixes in place (each change printed on stderr), then check.")
@click.option(
    "--force-exclude",
    is_flag=True,
    help="Skip named files that exclude (or a plugin) skips in folders, as pre-commit needs: it names every file.",
)
@click.pass_obj
def check(state: State, /, **options: Any) -> None:
    """Check articles (files or folders; default: the config's paths, or articles/).

    Prints one line per finding, path:line:column: CODE [severity] message, with a
    suggestion on the next line, then a summary.
    """
    # From the start, so what a plugin writes to descriptor 1 while it loads (its register hooks) is kept out of a
    # JSON or SARIF document too; a text report gives descriptor 1 back as soon as the format is known.
    guarded = state.owns_process and options["output"] is None and options["write_baseline"] is None
    with Descriptor1ToStderr() if guarded else contextlib.nullcontext(None) as redirect:
        _check(state, redirect, **options)


def _check(
    state: State,
    redirect: Descriptor1ToStderr | None,
    paths: tuple[str, ...],
    output_format: str | None,
    select: tuple[str, ...],
    extend_select: tuple[str, ...],
    ignore: tuple[str, ...],
    fail_on: str | None,
    show: str | None,
    color: bool | None,
    exit_zero: bool,
    output: Path | None,
    baseline_path: Path | None,
    write_baseline: Path | None,
    diff_ref: str | None,
    jobs: int | None,
    cache_dir: Path | None,
    no_cache: bool,
    fix: bool,
    force_exclude: bool,
) -> None:
    config, pm = _load(
        state,
        select=_codes(select) or None,
        fail_on=Severity.parse(fail_on) if fail_on else None,
        show=Severity.parse(show) if show else None,
        output_format=output_format,
        more_select=_codes(extend_select, "--extend-select"),
        more_ignore=_codes(ignore, "--ignore"),
        checks_articles=True,
    )
    if redirect is not None and config.output_format == "text":
        redirect.restore()  # a person's report: what a plugin prints goes to stderr as before (print only)
    reporter_cls = pm.reporters.get(config.output_format)
    if reporter_cls is None:
        problem = f"unknown format {config.output_format!r} (choose from {', '.join(sorted(pm.reporters))})"
        if output_format is not None:
            raise HealthlintError(f"--format: {problem}")
        raise ConfigError(problem, config.source, config.key_prefix + "output-format")
    if baseline_path and write_baseline:
        raise HealthlintError("use --baseline or --write-baseline, not both")
    targets = list(paths) or _default_paths(config)
    others: list[str] = []
    files = collect_files(targets, config, pm, force_exclude=force_exclude, other_configs=others)
    _warn_other_configs(others, config)
    if not files and not force_exclude:  # a gate that checks nothing passes: say so (publish refuses outright)
        suffixes = " ".join(sorted(ARTICLE_SUFFIXES))
        click.echo(
            f"healthlint: warning: no articles found in {', '.join(targets)} (files ending {suffixes})", err=True
        )
    if diff_ref:
        changed = changed_files(diff_ref)
        files = [(shown, path) for shown, path in files if os.path.realpath(path) in changed]
    baseline = Baseline.load(baseline_path, config) if baseline_path else None
    if baseline is not None:  # an article deleted or moved out of a folder walked is a known finding gone too
        baseline.walked = [config.relative(target) for target in targets if os.path.isdir(target)]
    # Standard output carries the report alone (a JSON or SARIF document): what a plugin prints goes to stderr; for
    # a machine's format on standard output, what anything writes to descriptor 1 itself too (a C library, a child
    # process, a worker), in the program (an in-process caller's descriptors are its own).
    machine = redirect is not None and redirect.active
    stdout = redirect.stream if redirect is not None and machine else sys.stdout
    use_color = color if color is not None else (stdout.isatty() and "NO_COLOR" not in os.environ)
    buffer = io.StringIO()
    cache = None if no_cache else open_cache(config, pm, cache_dir)
    jobs = jobs or config.jobs or default_jobs()
    try:
        with (
            contextlib.nullcontext() if machine else contextlib.redirect_stdout(sys.stderr),
            Driver(config, pm, baseline=baseline, cache=cache, jobs=jobs, owns_process=state.owns_process) as driver,
        ):
            out = stdout
            if output is not None or write_baseline is not None:
                terminal: Reporter = TextReporter(out, config=config, rules=pm.rules, color=use_color)
                reporters = [terminal, reporter_cls(buffer, config=config, rules=pm.rules, color=False)]
            else:
                reporters = [reporter_cls(out, config=config, rules=pm.rules, color=use_color)]
            for reporter in reporters:
                reporter.plugins = pm.infos
            if fix:  # fixed files are then checked again below, so fixed findings do not fail the gate
                from healthlint.fixes import fix_files

                fix_files(driver.checker, files, lambda line: click.echo(line, err=True))
            results = []
            for result in driver.check(files):
                for reporter in reporters:
                    reporter.article(result)
                results.append(result)
            report = driver.finish(results)
            for reporter in reporters:
                reporter.finish(report)
    finally:
        if cache is not None:
            cache.close()
    stdout.flush()
    if cache is not None and cache.warning:
        click.echo(f"healthlint: warning: {cache.warning}", err=True)
    if output is not None:
        write_output(output, buffer.getvalue().encode())
    if write_baseline is not None:
        count = write_baseline_file(write_baseline, config, results)
        click.echo(f"healthlint: recorded {count} finding{'s' if count != 1 else ''} in {write_baseline}", err=True)
        sys.exit(ExitCode.OK)
    sys.exit(ExitCode.OK if report.passed or exit_zero else ExitCode.GATE_FAILED)


def open_cache(config: Config, pm: PluginManager, cli_dir: Path | None) -> ResultCache:
    """The result cache for this run's configuration and plugins."""
    fingerprint = run_fingerprint(config, plugin_versions(pm))
    return ResultCache(resolve_cache_dir(config, cli_dir), fingerprint)


def _default_paths(config: Config) -> list[str]:
    """The config's paths, shown relative to the current folder when they are below it.

    One that does not exist is a usage error that says where it came from: the user typed no path.
    """
    out = []
    for p in config.paths:
        full = Path(p) if Path(p).is_absolute() else config.root / p
        try:
            out.append(os.path.relpath(full))
        except ValueError:
            out.append(str(full))
        if not (full.exists() or full.is_symlink()):
            where = config.source or "healthlint.toml or pyproject.toml"
            raise HealthlintError(
                f"{out[-1]}: no such file or folder (checked when no path is named: `paths` in {where},"
                " default articles/); name the files or folders to check, or set `paths`"
            )
    return out


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=str))
@click.option(
    "-o",
    "--out",
    type=click.Path(path_type=Path),
    help="Folder to write the site to [default: the config's publish.out-dir, or site].",
)
@click.option("--dry-run", is_flag=True, help="Check and render everything, but write nothing.")
@click.option("--strict", is_flag=True, help="Publish nothing and exit 1 if any article is withheld.")
@click.option(
    "--publisher",
    "publishers",
    multiple=True,
    metavar="NAME",
    help="Publisher to use (repeatable) [default: the config's publish.publishers, or site].",
)
@click.option("--progress/--no-progress", default=None, help="Show a progress bar [default: on a terminal].")
@click.option(
    "--report",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Write an HTML report of the withheld articles, findings marked in place, to this file.",
)
@click.option(
    "--cache-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Result cache folder, shared with 'healthlint check' [default: as check's].",
)
@click.option("--no-cache", is_flag=True, help="Neither read nor write the result cache.")
@click.pass_obj
def publish(
    state: State,
    paths: tuple[str, ...],
    out: Path | None,
    dry_run: bool,
    strict: bool,
    publishers: tuple[str, ...],
    progress: bool | None,
    report: Path | None,
    cache_dir: Path | None,
    no_cache: bool,
) -> None:
    """Check articles and publish those that pass as a static site (and only those).

    Runs the same checks as 'healthlint check' (with the config's selection and fail-on),
    renders each passing article to a page, and writes index.html, sitemap.xml and
    manifest.json. The new site replaces the old one in one step; a failed or interrupted
    run leaves the old site as it was. Results come from and go to the result cache that
    'healthlint check' keeps, so articles just checked are not checked again. Exit codes: 0 the
    site was written (some articles may be withheld), 1 --strict and an article was withheld,
    2 usage error, 3 internal error, 130 interrupted (Ctrl-C or SIGTERM; the old site is kept).
    """
    from healthlint.publish.pipeline import command

    config, pm = _load(state, checks_articles=True)
    targets = list(paths) or _default_paths(config)
    others: list[str] = []
    files = collect_files(targets, config, pm, other_configs=others)
    _warn_other_configs(others, config)
    code = command(
        config,
        pm,
        files,
        jobs=config.jobs or default_jobs(),
        targets=targets,
        out=out,
        publishers=_names(publishers),
        dry_run=dry_run,
        strict=strict,
        progress=progress,
        report=report,
        # opened once the destination is accepted; a dry run writes nothing, the result cache included
        cache=None if no_cache or dry_run else functools.partial(open_cache, config, pm, cache_dir),
    )
    sys.exit(code)


def _names(values: Sequence[str]) -> list[str]:
    """``--publisher site,s3 --publisher cms`` → ``["site", "s3", "cms"]``."""
    return [v.strip() for value in values for v in value.split(",") if v.strip()]


@cli.command()
@click.argument("targets", nargs=-1, metavar="[CODE|NAME|PREFIX] | --write FILES...")
@click.option(
    "-f",
    "--format",
    "output_format",
    type=click.Choice(["text", "json", "markdown"]),
    default="text",
    help="text, json, or a markdown table (of the codes starting with PREFIX).",
)
@click.option(
    "--write",
    is_flag=True,
    help="Rewrite the generated rule tables (<!-- rules-table PREFIX --> markers) in the FILES given.",
)
@click.option("--check", "check_only", is_flag=True, help="With FILES: exit 1 if a generated rule table is stale.")
@click.pass_obj
def rules(state: State, targets: tuple[str, ...], output_format: str, write: bool, check_only: bool) -> None:
    """List every rule, or print the documentation of one (by code or name).

    With --format markdown, print the rule table of the codes starting with PREFIX (all by
    default); --write FILES... rewrites the tables generated between marker comments.
    """
    _, pm = _load(state)
    if write or check_only:
        _refresh_rule_tables([Path(t) for t in targets], pm, check_only=check_only)
        return
    if len(targets) > 1:
        raise HealthlintError("give one rule code or name (or --write FILES...)")
    code = targets[0] if targets else None
    table = sorted(pm.rules.values(), key=lambda r: r.code)
    if output_format == "markdown":
        from healthlint.ruletables import markdown_table

        prefix = (code or "").strip().upper()
        if not any(r.code.startswith(prefix) for r in table):
            raise HealthlintError(f"no rule code starts with {prefix!r} (see 'healthlint rules')")
        click.echo(markdown_table(table, prefix), nl=False)
        return
    if code:
        wanted = code.strip()
        rule = next((r for r in table if wanted.upper() == r.code or wanted.lower() == r.name), None)
        if rule is None and wanted.upper() in REDIRECTS:  # a renamed code: its notice, then the rule now doing its job
            successors, notice = REDIRECTS[wanted.upper()]
            click.echo(f"healthlint: warning: {notice}", err=True)
            rule = next((r for r in table if r.code == successors[0]), None)
        if rule is None:
            raise HealthlintError(f"unknown rule {code!r} (see 'healthlint rules')")
        if output_format == "json":
            click.echo(json.dumps(_rule_json(rule), indent=2))
        else:
            _print_rule_doc(rule)
        return
    if output_format == "json":
        click.echo(json.dumps([_rule_json(r) for r in table], indent=2))
    else:
        width = max((len(r.name) for r in table), default=10)
        for r in table:
            off = "  (off by default)" if not r.enabled_by_default else ""
            click.echo(f"{r.code}  {r.name:<{width}}  {r.severity!s:<10}  {r.summary}{off}")


def _refresh_rule_tables(paths: list[Path], pm: PluginManager, *, check_only: bool) -> None:
    from healthlint.ruletables import REFRESH_COMMAND, read_tables, write_fresh

    if not paths:
        raise HealthlintError("name the files whose rule tables to refresh, e.g. README.md docs/*.md")
    missing = [str(p) for p in paths if not p.is_file()]
    if missing:
        raise HealthlintError(f"{missing[0]}: no such file")
    try:
        files = read_tables(paths, pm.rules)
    except ValueError as exc:
        raise HealthlintError(str(exc)) from None
    if not any(f.tables for f in files):  # a mistyped file name would otherwise pass in silence
        named = str(files[0].path) if len(files) == 1 else f"none of the {len(files)} files"
        click.echo(
            f"healthlint: warning: {named}: no <!-- rules-table PREFIX --> markers, nothing to refresh", err=True
        )
    if check_only:
        stale = [f.path for f in files if f.stale]
        for path in stale:
            click.echo(f"{path}: rule table is stale; refresh it with: {REFRESH_COMMAND}")
        sys.exit(ExitCode.GATE_FAILED if stale else ExitCode.OK)
    for path in write_fresh(files):  # the files as read and checked above, not read a second time
        click.echo(f"rewrote the rule tables of {path}")


def _rule_json(rule: Rule) -> dict[str, Any]:
    return {
        "code": rule.code,
        "name": rule.name,
        "severity": str(rule.severity),
        "summary": rule.summary,
        "plugin": rule.plugin,
        "enabled_by_default": rule.enabled_by_default,
        "doc": rule.doc.strip(),
    }


def _print_rule_doc(rule: Rule) -> None:
    state = "on by default" if rule.enabled_by_default else "off by default"
    click.echo(click.style(f"{rule.code} {rule.name}", bold=True))
    click.echo(f"{rule.summary}.")
    click.echo(f"Default severity: {rule.severity}; {state}; plugin: {rule.plugin}.")
    sections = doc_sections(rule.doc)
    for title in DOC_SECTIONS:
        if title in sections:
            click.echo(f"\n## {title}\n{sections[title]}")
    for title, body in sections.items():
        if title not in DOC_SECTIONS:
            click.echo(f"\n## {title}\n{body}")


@cli.command("new-rule")
@click.argument("code")
@click.argument("name")
@click.option("--family", required=True, help="The family package under src/healthlint/families/ (e.g. claims).")
@click.option("--summary", help="One line for the rule tables [default: a placeholder to replace].")
@click.pass_obj
def new_rule(state: State, code: str, name: str, family: str, summary: str | None) -> None:
    """Start a new built-in rule in a checkout: its module, fixtures and rule-table rows.

    Writes src/healthlint/families/FAMILY/rules/<code>_<name>.py (a working rule whose
    check finds a placeholder word; replace it), tests/rules/CODE/flag.md and clean.md,
    and rewrites the generated rule tables of README.md and docs/*.md.
    """
    from healthlint.ruletables import TableError, refresh_tables, write_tables
    from healthlint.scaffold import ScaffoldError, add_to_gate_policy, doc_files, load_rule, source_root
    from healthlint.scaffold import new_rule as scaffold_rule

    _, pm = _load(state)
    try:
        # The tables must refresh before anything is written: one listing a local plugin's codes (README's HS
        # table) cannot where plugins/ is not loaded (another folder), and the rule would be left half made.
        for path in doc_files():
            try:
                refresh_tables(path.read_text(encoding="utf-8"), pm.rules)
            except TableError as exc:  # named file:line, as rules --write names it
                raise ScaffoldError(
                    f"{path}:{exc.line}: {exc.reason}, so its rule tables could not be refreshed; nothing was written."
                    f" Run new-rule from the checkout's folder ({source_root()}), where its plugins load"
                ) from None
        made = scaffold_rule(code, name, family, summary or f"What {code} flags (replace this summary)", pm.rules)
        rules = {**pm.rules, code: load_rule(made.module)}
        for path in (made.module, *made.fixtures):
            click.echo(f"wrote {path}")
        for path in write_tables(doc_files(), rules):
            click.echo(f"rewrote the rule tables of {path}")
        readme = source_root() / "README.md"
        if code.startswith("HL") and readme.is_file():
            severity = str(rules[code].severity)
            if add_to_gate_policy(readme, code, severity):
                click.echo(
                    f"added {code} to the {severity} row of README's gate policy; move it to the row that says why,"
                    " or give the row a reason of its own"
                )
    except (ScaffoldError, ValueError) as exc:
        raise HealthlintError(str(exc)) from None


@cli.command()
@click.option("-f", "--format", "output_format", type=click.Choice(["text", "json"]), default="text")
@click.pass_obj
def plugins(state: State, output_format: str) -> None:
    """List the plugins loaded, with version, hooks and rule codes (and any that failed)."""
    _, pm = _load(state, warn=False)
    infos = sorted(pm.infos.values(), key=lambda i: (not i.builtin, i.package != "local", i.name))
    if output_format == "json":
        shown = [{k: v for k, v in info.__dict__.items() if k != "metadata"} for info in infos]
        click.echo(json.dumps(shown, indent=2))
        return
    for info in infos:
        kind = "built-in" if info.builtin else ("local" if info.package == "local" else info.package)
        version = f" {info.version}" if info.version else ""
        click.echo(click.style(f"{info.name}{version}", bold=True) + f"  ({kind}: {info.source})")
        if info.error:
            click.echo("  " + click.style("error: ", fg="red", bold=True) + info.error)
            continue
        click.echo(f"  hooks: {', '.join(info.hooks) or '-'}")
        click.echo(f"  rules: {', '.join(sorted(info.rules)) or '-'}")


def _add_optional_commands() -> None:
    # Commands of the optional extras and of LanguageTool live with their packages (heavy imports wait for use).
    from healthlint.audit.command import audit
    from healthlint.families.grammar.command import languagetool
    from healthlint.families.spun.command import spun
    from healthlint.server.command import server
    from healthlint.storage.command import cache

    cli.add_command(audit)
    cli.add_command(cache)
    cli.add_command(languagetool)
    cli.add_command(server)
    cli.add_command(spun)


_add_optional_commands()


def main(argv: Sequence[str] | None = None, *, owns_process: bool = False) -> NoReturn:
    """Run the command line with ``argv`` (default: ``sys.argv[1:]``); raises SystemExit with the exit code."""
    args = list(argv) if argv is not None else None
    cli.main(args=args, prog_name="healthlint", obj=State(owns_process=owns_process))
    sys.exit(0)  # click's main exits itself; this only satisfies NoReturn


def console_main() -> NoReturn:
    """The ``healthlint`` program: :func:`main`, then exit without tearing the interpreter down.

    Freeing the word tables, indexes and compiled rules object by object at exit takes longer
    than some whole checks (about 30 ms of a 600-word article's 250 ms), so once the command
    has finished, exit handlers run, the standard streams are flushed and the process ends
    (as mypy does). Plugins release what they hold in ``healthlint_unconfigure`` or an exit
    handler. With other threads still running, the exit is the usual one, which waits for them.
    """
    closed = open_closed_streams()
    if "stdout" in closed:
        print("healthlint: warning: standard output is closed; only the exit code tells the result", file=sys.stderr)
    try:
        main(owns_process=True)
    except SystemExit as exc:
        code = exc.code
    quick_exit_on_interrupt()  # the command is over: an interrupt in the teardown is one line too
    if threading.active_count() > 1:
        sys.exit(code)
    if code is None:
        status = 0
    elif isinstance(code, int):
        status = code & 0xFF
    else:  # sys.exit("message"): Python prints the message and exits with 1
        print(code, file=sys.stderr)
        status = 1
    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe (healthlint check | head): nothing more to say
            status = status or 1
    os._exit(status)
