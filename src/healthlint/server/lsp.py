"""The Language Server Protocol side of ``healthlint server`` (pygls): what the editor asks, and what it is sent.

Diagnostics are published when a document is opened, after typing pauses (debounced), and
on save (the only time grammar runs). Each carries the rule code, a severity, a link to the
rule's documentation and the suggestion; a finding's fix is a quick fix (the safe ones
preferred), hovering a finding shows its rule's documentation, and the command
``healthlint.fixAllSafe`` (also the ``source.fixAll.healthlint`` code action) applies every safe fix.
"""

from __future__ import annotations

import asyncio
import logging
from pathlib import Path
from typing import Any

from lsprotocol import types
from pygls.lsp.server import LanguageServer
from pygls.uris import to_fs_path

from healthlint import __version__
from healthlint.article import ARTICLE_SUFFIXES
from healthlint.config import UsageError
from healthlint.fixes import Edit
from healthlint.model import Finding, Severity
from healthlint.server.positions import LineIndex
from healthlint.server.ruledocs import RuleLinks, hover_markdown
from healthlint.server.session import CONFIG_NAMES, Document, Session

LOG = logging.getLogger(__name__)

FIX_ALL_COMMAND = "healthlint.fixAllSafe"
FIX_ALL_KIND = f"{types.CodeActionKind.SourceFixAll.value}.healthlint"
#: Seconds typing must pause before a document is checked again.
DEFAULT_DEBOUNCE = 0.25
LANGUAGES = {"markdown": ".md", "plaintext": ".txt"}

_SEVERITY = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.SUGGESTION: types.DiagnosticSeverity.Information,
}


class HealthlintServer(LanguageServer):
    """A language server holding one :class:`Session` (config, plugins, open documents)."""

    def __init__(self, config_path: Path | None = None) -> None:
        super().__init__("healthlint", __version__, text_document_sync_kind=types.TextDocumentSyncKind.Incremental)
        self.config_path = config_path
        self.session: Session | None = None
        self.links = RuleLinks()
        self.debounce = DEFAULT_DEBOUNCE
        self._pending: dict[str, asyncio.TimerHandle] = {}
        #: The editor asked to shut down before it said exit (LSP: exit code 0, else 1).
        self.shut_down = False

    # -- Helpers ------------------------------------------------------------------------

    @property
    def encoding(self) -> str:
        value = self.workspace.position_encoding or "utf-16"
        return str(getattr(value, "value", value))

    def say(self, message: str, kind: types.MessageType = types.MessageType.Info, *, show: bool = False) -> None:
        self.window_log_message(types.LogMessageParams(kind, f"healthlint: {message}"))
        if show:
            self.window_show_message(types.ShowMessageParams(kind, f"healthlint: {message}"))

    def start_session(self, root: Path) -> None:
        try:
            self.session = Session(root, self.config_path)
        except UsageError as exc:
            self.say(f"not checking: {exc}", types.MessageType.Error, show=True)
            return
        for error in self.session.plugin_errors:
            self.say(error, types.MessageType.Warning)
        self.say_unmet()

    def say_unmet(self) -> None:
        """Once per session start: what the config requires that is missing (each document also shows it)."""
        for exc in self.session.unmet if self.session else []:
            self.say(f"checking without what the config requires: {exc}", types.MessageType.Error, show=True)

    def article_path(self, uri: str, language: str | None = None) -> str | None:
        """The path a document is checked as, or None for a document that is not an article."""
        path = to_fs_path(uri) if uri.startswith("file:") else None
        if path is not None and Path(path).suffix.lower() in ARTICLE_SUFFIXES:
            return path
        if path is None and language in LANGUAGES:
            return "untitled" + LANGUAGES[language]
        return None

    def diagnostic(self, finding: Finding, index: LineIndex) -> types.Diagnostic:
        start = index.offset_of_finding(finding.line, finding.column)
        end = index.offset_of_finding(finding.end_line, finding.end_column)
        rule = self.session.rule(finding.code) if self.session else None
        href = self.links.link(rule) if rule is not None else None
        message = finding.message + (f"\nsuggestion: {finding.suggestion}" if finding.suggestion else "")
        data: dict[str, Any] = {"name": finding.name, "suggestion": finding.suggestion}
        if finding.fix is not None:
            data["fix"] = {"replacement": finding.fix.replacement, "safe": finding.fix.safe}
        return types.Diagnostic(
            range=self.range(index, start, end),
            message=message,
            severity=_SEVERITY[finding.severity],
            code=finding.code,
            code_description=types.CodeDescription(href=href) if href else None,
            source="healthlint",
            data=data,
        )

    @staticmethod
    def range(index: LineIndex, start: int, end: int) -> types.Range:
        return types.Range(types.Position(*index.position(start)), types.Position(*index.position(end)))

    # -- Checking -----------------------------------------------------------------------

    def check(self, uri: str, *, saved: bool) -> None:
        self._cancel(uri)
        if self.session is None:
            return
        document = self.workspace.get_text_document(uri)
        path = self.article_path(uri, document.language_id)
        if path is None:
            return
        if uri.startswith("file:") and self.session.skipped(path):
            self.session.forget(uri)  # the config may have changed: what was shown goes
            self.publish(uri, None, document.version)
            return
        try:
            doc = self.session.check(uri, path, document.source, saved=saved)
        except UsageError as exc:
            self.say(str(exc), types.MessageType.Error)
            return
        self.publish(uri, doc, document.version)
        for notice in self.session.new_notices():
            self.say(f"{notice.code} {notice.message}", types.MessageType.Warning)

    def publish(self, uri: str, doc: Document | None, version: int | None = None) -> None:
        diagnostics = []
        if doc is not None:
            index = LineIndex(doc.text, self.encoding)
            diagnostics = [self.diagnostic(f, index) for f in doc.all_findings]
        self.text_document_publish_diagnostics(types.PublishDiagnosticsParams(uri, diagnostics, version))

    def current(self, uri: str) -> Document | None:
        """The document as checked, checked again first if the editor's text moved on (a pending debounce)."""
        doc = self.session.documents.get(uri) if self.session else None
        if doc is not None and uri in self._pending:
            self.check(uri, saved=False)
            doc = self.session.documents.get(uri) if self.session else None
        return doc

    def check_later(self, uri: str) -> None:
        self._cancel(uri)
        loop = asyncio.get_running_loop()
        self._pending[uri] = loop.call_later(self.debounce, lambda: self.check(uri, saved=False))

    def _cancel(self, uri: str) -> None:
        handle = self._pending.pop(uri, None)
        if handle is not None:
            handle.cancel()

    def reload(self) -> None:
        """The config changed: load it (and the plugins) again and check every open document."""
        if self.session is None:
            self.start_session(self.root)
        else:
            try:
                self.session.reload()
            except UsageError as exc:
                self.say(f"config not reloaded (the previous one stays): {exc}", types.MessageType.Error, show=True)
                return
            self.say("config reloaded")
            self.say_unmet()
        for uri in list(self.workspace.text_documents):
            self.check(uri, saved=False)

    @property
    def root(self) -> Path:
        folders = list(self.workspace.folders.values())
        root = folders[0].uri if folders else self.workspace.root_uri
        path = to_fs_path(root) if root else None
        return Path(path) if path else Path.cwd()

    # -- Fixes --------------------------------------------------------------------------

    def text_edits(self, doc: Document, edits: list[Edit]) -> list[types.TextEdit]:
        index = LineIndex(doc.text, self.encoding)
        return [types.TextEdit(self.range(index, e.start, e.end), e.replacement) for e in edits]

    def code_actions(self, params: types.CodeActionParams) -> list[types.CodeAction]:
        uri = params.text_document.uri
        doc = self.current(uri)
        if doc is None:
            return []
        index = LineIndex(doc.text, self.encoding)
        wanted = params.range
        first = index.offset(wanted.start.line, wanted.start.character)
        last = index.offset(wanted.end.line, wanted.end.character)
        only = params.context.only
        actions: list[types.CodeAction] = []
        if only is None or any(types.CodeActionKind.QuickFix.value.startswith(k) for k in only):
            for finding in doc.all_findings:
                action = self.quick_fix(uri, doc, index, finding, first, last)
                if action is not None:
                    actions.append(action)
        if only is None or any(FIX_ALL_KIND.startswith(k) for k in only):
            planned = self.session.fix_all_safe(uri) if self.session else None
            if planned and planned[0]:
                edit = types.WorkspaceEdit(changes={uri: self.text_edits(doc, planned[0])})
                actions.append(types.CodeAction("healthlint: fix all safe", kind=FIX_ALL_KIND, edit=edit))
        return actions

    def quick_fix(
        self, uri: str, doc: Document, index: LineIndex, finding: Finding, first: int, last: int
    ) -> types.CodeAction | None:
        if finding.fix is None:
            return None
        start = index.offset_of_finding(finding.line, finding.column)
        end = index.offset_of_finding(finding.end_line, finding.end_column)
        if end < first or start > last:
            return None
        if finding.match is not None and " ".join(doc.text[start:end].split()) != " ".join(finding.match.split()):
            return None  # the text there is not what the rule matched
        replacement = finding.fix.replacement
        title = f"{finding.code}: replace with '{replacement}'" if replacement else f"{finding.code}: remove it"
        edit = types.WorkspaceEdit(changes={uri: [types.TextEdit(self.range(index, start, end), replacement)]})
        return types.CodeAction(
            title,
            kind=types.CodeActionKind.QuickFix,
            diagnostics=[self.diagnostic(finding, index)],
            is_preferred=finding.fix.safe,
            edit=edit,
        )

    def fix_all(self, uri: str) -> int:
        """Ask the editor to apply every safe fix of a document; the number of fixes sent."""
        doc = self.current(uri)
        planned = self.session.fix_all_safe(uri) if self.session else None
        if not planned or not planned[0] or doc is None:
            return 0
        edit = types.WorkspaceEdit(changes={uri: self.text_edits(doc, planned[0])})
        self.workspace_apply_edit(types.ApplyWorkspaceEditParams(edit, label="healthlint: fix all safe"))
        return len(planned[0])

    def hover(self, params: types.HoverParams) -> types.Hover | None:
        doc = self.current(params.text_document.uri)
        if doc is None or self.session is None:
            return None
        index = LineIndex(doc.text, self.encoding)
        at = index.offset(params.position.line, params.position.character)
        parts = []
        for finding in doc.all_findings:
            start = index.offset_of_finding(finding.line, finding.column)
            end = index.offset_of_finding(finding.end_line, finding.end_column)
            if start <= at <= end:
                parts.append(hover_markdown(finding, self.session.rule(finding.code)))
        if not parts:
            return None
        return types.Hover(types.MarkupContent(types.MarkupKind.Markdown, "\n\n---\n\n".join(parts)))


def create_server(config_path: Path | None = None) -> HealthlintServer:
    """The server with every feature registered (``healthlint server`` runs it over stdio)."""
    server = HealthlintServer(config_path)

    @server.feature(types.INITIALIZE)
    def initialize(ls: HealthlintServer, params: types.InitializeParams) -> None:
        options = params.initialization_options if isinstance(params.initialization_options, dict) else {}
        if isinstance(options.get("ruleDocsUrl"), str):
            ls.links = RuleLinks(options["ruleDocsUrl"])
        if isinstance(options.get("debounceMs"), int | float):
            ls.debounce = max(float(options["debounceMs"]), 0.0) / 1000
        ls.start_session(ls.root)

    @server.feature(types.INITIALIZED)
    def initialized(ls: HealthlintServer, params: types.InitializedParams) -> None:
        watched = ls.client_capabilities.workspace and ls.client_capabilities.workspace.did_change_watched_files
        if watched and watched.dynamic_registration:
            watchers = [types.FileSystemWatcher(glob_pattern=f"**/{name}") for name in CONFIG_NAMES]
            options = types.DidChangeWatchedFilesRegistrationOptions(watchers=watchers)
            registration = types.Registration("healthlint-config", types.WORKSPACE_DID_CHANGE_WATCHED_FILES, options)
            ls.client_register_capability(types.RegistrationParams([registration]))

    @server.feature(types.TEXT_DOCUMENT_DID_OPEN)
    def did_open(ls: HealthlintServer, params: types.DidOpenTextDocumentParams) -> None:
        ls.check(params.text_document.uri, saved=False)

    @server.feature(types.TEXT_DOCUMENT_DID_CHANGE)
    def did_change(ls: HealthlintServer, params: types.DidChangeTextDocumentParams) -> None:
        ls.check_later(params.text_document.uri)

    @server.feature(types.TEXT_DOCUMENT_DID_SAVE)
    def did_save(ls: HealthlintServer, params: types.DidSaveTextDocumentParams) -> None:
        uri = params.text_document.uri
        path = to_fs_path(uri) if uri.startswith("file:") else None
        if path is not None and ls.session is not None and ls.session.is_config_file(Path(path)):
            ls.reload()
        else:
            ls.check(uri, saved=True)

    @server.feature(types.TEXT_DOCUMENT_DID_CLOSE)
    def did_close(ls: HealthlintServer, params: types.DidCloseTextDocumentParams) -> None:
        uri = params.text_document.uri
        ls._cancel(uri)
        if ls.session is not None:
            ls.session.forget(uri)
        ls.publish(uri, None)

    @server.feature(types.WORKSPACE_DID_CHANGE_WATCHED_FILES)
    def watched_files(ls: HealthlintServer, params: types.DidChangeWatchedFilesParams) -> None:
        paths = [to_fs_path(change.uri) for change in params.changes]
        if ls.session is None or any(p and ls.session.is_config_file(Path(p)) for p in paths):
            ls.reload()

    @server.feature(
        types.TEXT_DOCUMENT_CODE_ACTION,
        types.CodeActionOptions(code_action_kinds=[types.CodeActionKind.QuickFix, FIX_ALL_KIND]),
    )
    def code_action(ls: HealthlintServer, params: types.CodeActionParams) -> list[types.CodeAction]:
        return ls.code_actions(params)

    @server.feature(types.TEXT_DOCUMENT_HOVER)
    def hover(ls: HealthlintServer, params: types.HoverParams) -> types.Hover | None:
        return ls.hover(params)

    @server.command(FIX_ALL_COMMAND)
    def fix_all(ls: HealthlintServer, *args: Any) -> dict[str, int]:
        given = args[0] if args else None
        uri = given.get("uri") if isinstance(given, dict) else given
        return {"fixes": ls.fix_all(uri) if isinstance(uri, str) else 0}

    @server.feature(types.SHUTDOWN)
    def shutdown(ls: HealthlintServer, params: None) -> None:
        ls.shut_down = True
        for uri in list(ls._pending):
            ls._cancel(uri)
        if ls.session is not None:
            ls.session.close()
            ls.session = None

    return server


def serve(config_path: Path | None = None) -> int:
    """Run the server over stdin and stdout until the editor says exit; the exit code.

    The code is 0 when the editor asked to shut down first and 1 otherwise (an exit without a shutdown, or the
    editor gone), as LSP asks. Standard output carries the protocol alone: anything a plugin prints goes to
    standard error.
    """
    import sys

    protocol_out = sys.stdout.buffer
    sys.stdout = sys.stderr
    logging.basicConfig(level=logging.WARNING, stream=sys.stderr, format="healthlint server: %(message)s")
    server = create_server(config_path)
    try:
        server.start_io(sys.stdin.buffer, protocol_out)
    finally:
        if server.session is not None:  # the editor went away without a shutdown request
            server.session.close()
            server.session = None
    return 0 if server.shut_down else 1
