"""``healthlint server``: the language server for editors (the optional extra ``healthlint[server]``)."""

from __future__ import annotations

import click

from healthlint.cli import HealthlintError, State


@click.command()
@click.option("--stdio", is_flag=True, help="Speak LSP over stdin and stdout (the default and only transport).")
@click.pass_obj
def server(state: State, stdio: bool) -> None:
    """Run the language server (LSP over stdio) for editors: findings as diagnostics, quick fixes, rule docs.

    Needs the optional extra: pip install 'healthlint[server]'. Set-up per editor: docs/editors.md.
    """
    import importlib.util

    if not all(importlib.util.find_spec(m) for m in ("pygls", "lsprotocol")):
        raise HealthlintError("server needs pygls: pip install 'healthlint[server]'")
    from healthlint.server.lsp import serve

    code = serve(state.config_path)
    if code:
        raise SystemExit(code)  # an exit without a shutdown request first: LSP asks for 1
