"""``healthlint languagetool``: get and run the LanguageTool server the grammar rules ask."""

from __future__ import annotations

from pathlib import Path

import click

from healthlint.cli import HealthlintError, State, _load


@click.group()
def languagetool() -> None:
    """Get and run LanguageTool, the server the grammar rules (HL6xx) ask."""


@languagetool.command("fetch")
@click.option(
    "--dir",
    "folder",
    type=click.Path(file_okay=False, path_type=Path),
    help="Where to put it [default: languagetool-VERSION in the data cache folder].",
)
def languagetool_fetch(folder: Path | None) -> None:
    """Fetch the pinned LanguageTool from Maven Central (needs Maven; running it needs Java 17)."""
    from healthlint.families.grammar import server
    from healthlint.families.grammar.options import GRAMMAR_TABLE

    try:
        where = server.fetch(folder or server.fetched_dir())
    except server.ServerError as exc:
        raise HealthlintError(str(exc)) from None
    click.echo(f"LanguageTool {server.pinned_version()} is in {where}")
    click.echo(f"To use it, set {server.DIR_ENV}={where}")
    click.echo(f'(or languagetool-dir = "{where}" in the grammar table: {GRAMMAR_TABLE})')


@languagetool.command("serve")
@click.option(
    "--dir",
    "folder",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="LanguageTool folder [default: languagetool-dir, $HEALTHLINT_LANGUAGETOOL_DIR, or the fetched one].",
)
@click.option("--port", type=click.IntRange(1, 65535), default=8081, show_default=True)
@click.pass_obj
def languagetool_serve(state: State, folder: Path | None, port: int) -> None:
    """Run LanguageTool on 127.0.0.1 until Ctrl-C, for editors, pre-commit and healthlint runs to share."""
    from healthlint.families.grammar import server
    from healthlint.families.grammar.options import PLUGIN, URL_ENV
    from healthlint.families.grammar.session import configured_folder

    config, _ = _load(state)
    try:
        folder = folder or configured_folder(config, config.options_for(PLUGIN)) or server.fetched_dir()
        if not server.is_languagetool_dir(folder):
            raise server.ServerError(f"{folder} holds no LanguageTool: run `healthlint languagetool fetch` first")
        click.echo(f"starting LanguageTool from {folder} (this takes a few seconds)...", err=True)
        server.serve(
            folder.resolve(),
            port,
            lambda url: click.echo(
                f"LanguageTool serves at {url}; set {URL_ENV}={url}"
                f" (healthlint runs with {server.DIR_ENV}={folder} use it too). Ctrl-C stops it.",
                err=True,
            ),
        )
    except server.ServerError as exc:
        raise HealthlintError(str(exc)) from None
