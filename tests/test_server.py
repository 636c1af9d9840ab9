"""``healthlint server``: the language server, driven over stdio with JSON-RPC as an editor drives it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from healthlint.model import Finding, Severity
from healthlint.server.positions import LineIndex
from healthlint.server.session import GRAMMAR_PREFIX, Session, moved

from .server.client import LspClient, apply_text_edits, utf16_offset

# A spun sentence after two emoji (each one code point but two UTF-16 code units).
SPUN = """---
title: Neck care 😀 notes
---

# Neck care

Is massage good for a stiff neck? 🙂🙂 The reply is sure, for most people. Gentle massage eases tension.
"""

CLEAN = """---
title: Short walks for a sore back
author: Dana Reyes
reviewed_by: Sam Ortiz, PT
last_reviewed: 2026-05-04
---

# Short walks for a sore back

A short walk each day can help a sore back feel less stiff. Start with ten minutes at an easy pace.
Add a few minutes each week if it feels fine.

Stop and rest if the pain gets worse. See a doctor if the pain is severe, lasts more than a few weeks,
or comes with numbness.
"""

SPINNER_PHRASE = "The reply is sure"


def lsp_range(text: str, phrase: str) -> dict[str, dict[str, int]]:
    """The LSP range of ``phrase`` in ``text``, in UTF-16 columns, computed independently of the server."""
    start = text.index(phrase)
    line = text.count("\n", 0, start)
    line_start = text.rfind("\n", 0, start) + 1

    def units(chunk: str) -> int:
        return len(chunk.encode("utf-16-le")) // 2

    first = units(text[line_start:start])
    return {
        "start": {"line": line, "character": first},
        "end": {"line": line, "character": first + units(phrase)},
    }


@pytest.fixture
def workspace(tmp_path: Path) -> Path:
    (tmp_path / "healthlint.toml").write_text('ignore = ["HL313"]\n', encoding="utf-8")
    return tmp_path


@pytest.fixture
def client(workspace: Path) -> Iterator[LspClient]:
    lsp = LspClient(workspace, env={"HEALTHLINT_LANGUAGETOOL_URL": ""})
    try:
        yield lsp
    finally:
        lsp.close()


def by_code(diagnostics: list[dict], code: str) -> list[dict]:
    return [d for d in diagnostics if d["code"] == code]


def test_an_editor_session(client: LspClient, workspace: Path) -> None:
    result = client.initialize(workspace, debounceMs=50)
    capabilities = result["capabilities"]
    assert result["serverInfo"]["name"] == "healthlint"
    assert "healthlint.fixAllSafe" in capabilities["executeCommandProvider"]["commands"]
    assert capabilities["hoverProvider"]

    spun_uri = client.open(workspace / "neck.md", SPUN)
    diagnostics = client.diagnostics(spun_uri)
    [spinner] = by_code(diagnostics, "HL103")
    # The emoji before the phrase count two UTF-16 units each: columns are UTF-16, as LSP requires.
    assert spinner["range"] == lsp_range(SPUN, SPINNER_PHRASE)
    assert spinner["range"]["start"]["character"] == SPUN.splitlines()[6].index(SPINNER_PHRASE) + 2
    assert spinner["severity"] == 1  # error
    assert spinner["source"] == "healthlint"
    assert "suggestion: The answer is yes" in spinner["message"]
    doc_link = spinner["codeDescription"]["href"]
    assert doc_link.startswith("file://")
    assert "## What it flags" in Path(doc_link.removeprefix("file://")).read_text(encoding="utf-8")
    assert by_code(diagnostics, "HL311")  # no author
    assert not by_code(diagnostics, "HL313")  # ignored by the workspace's healthlint.toml

    clean_uri = client.open(workspace / "walks.md", CLEAN)
    assert client.diagnostics(clean_uri) == []

    hover = client.request(
        "textDocument/hover",
        {"textDocument": {"uri": spun_uri}, "position": spinner["range"]["start"]},
    )
    assert "HL103" in hover["contents"]["value"]
    assert "## Why it matters" in hover["contents"]["value"]

    actions = client.request(
        "textDocument/codeAction",
        {
            "textDocument": {"uri": spun_uri},
            "range": spinner["range"],
            "context": {"diagnostics": [spinner], "only": ["quickfix"]},
        },
    )
    [fix] = [a for a in actions if a["kind"] == "quickfix"]
    assert fix["isPreferred"] is True
    assert fix["diagnostics"][0]["code"] == "HL103"
    fixed = apply_text_edits(SPUN, fix["edit"]["changes"][spun_uri])
    assert "🙂🙂 The answer is yes, for most people." in fixed

    # The editor applies the fix: the document changes and the diagnostics follow.
    client.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": spun_uri, "version": 2}, "contentChanges": [{"text": fixed}]},
    )
    after = client.diagnostics(spun_uri, version=2)
    assert not by_code(after, "HL103")
    assert by_code(after, "HL311")

    # A range edit (as editors send while typing) brings the spinner phrase back.
    place = lsp_range(fixed, "The answer is yes")
    client.notify(
        "textDocument/didChange",
        {
            "textDocument": {"uri": spun_uri, "version": 3},
            "contentChanges": [{"range": place, "text": SPINNER_PHRASE}],
        },
    )
    again = client.diagnostics(spun_uri, version=3)
    assert by_code(again, "HL103")[0]["range"] == lsp_range(SPUN, SPINNER_PHRASE)

    [fix_all] = client.request(
        "textDocument/codeAction",
        {"textDocument": {"uri": spun_uri}, "range": place, "context": {"diagnostics": [], "only": ["source.fixAll"]}},
    )
    assert fix_all["kind"] == "source.fixAll.healthlint"
    assert apply_text_edits(SPUN, fix_all["edit"]["changes"][spun_uri]) == fixed

    assert client.request(
        "workspace/executeCommand", {"command": "healthlint.fixAllSafe", "arguments": [spun_uri]}
    ) == {"fixes": 1}
    [applied] = client.applied_edits
    assert apply_text_edits(SPUN, applied["edit"]["changes"][spun_uri]) == fixed

    client.notify("textDocument/didClose", {"textDocument": {"uri": spun_uri}})
    assert client.diagnostics(spun_uri) == []
    assert client.shutdown() == 0


def test_the_config_is_reloaded_when_it_changes(client: LspClient, workspace: Path) -> None:
    client.initialize(workspace)
    uri = client.open(workspace / "neck.md", SPUN)
    assert not by_code(client.diagnostics(uri), "HL313")

    config = workspace / "healthlint.toml"
    config.write_text('ignore = ["HL311"]\n', encoding="utf-8")
    change = {"uri": config.as_uri(), "type": 2}
    client.notify("workspace/didChangeWatchedFiles", {"changes": [change]})
    diagnostics = client.diagnostics(uri)
    assert by_code(diagnostics, "HL313")
    assert not by_code(diagnostics, "HL311")

    config.write_text('ignore = ["HL3"]\n', encoding="utf-8")  # saving the config in the editor reloads it too
    client.notify("textDocument/didSave", {"textDocument": {"uri": config.as_uri()}})
    assert not any(d["code"].startswith("HL3") for d in client.diagnostics(uri))
    assert client.shutdown() == 0


def test_a_bad_config_keeps_the_previous_one(client: LspClient, workspace: Path) -> None:
    client.initialize(workspace)
    uri = client.open(workspace / "neck.md", SPUN)
    first = client.diagnostics(uri)
    (workspace / "healthlint.toml").write_text("no-such-key = 1\n", encoding="utf-8")
    client.notify(
        "workspace/didChangeWatchedFiles", {"changes": [{"uri": (workspace / "healthlint.toml").as_uri(), "type": 2}]}
    )
    message = client.wait_for("window/showMessage")
    assert "no-such-key" in message["message"] and message["type"] == 1
    client.notify(
        "textDocument/didChange",
        {"textDocument": {"uri": uri, "version": 2}, "contentChanges": [{"text": SPUN + "\nMore words.\n"}]},
    )
    assert [d["code"] for d in client.diagnostics(uri, version=2)] == [d["code"] for d in first]
    assert client.shutdown() == 0


# -- Inside the server ----------------------------------------------------------------------


def test_a_file_the_project_excludes_shows_no_findings_as_the_gate_gives_it_none(
    client: LspClient, workspace: Path
) -> None:
    config = workspace / "healthlint.toml"
    config.write_text('exclude = ["drafts/*"]\n', encoding="utf-8")
    for folder in ("drafts", ".notes"):
        (workspace / folder).mkdir()
    client.initialize(workspace)
    draft = client.open(workspace / "drafts" / "neck.md", SPUN)
    assert client.diagnostics(draft) == []
    hidden = client.open(workspace / ".notes" / "neck.md", SPUN)
    assert client.diagnostics(hidden) == []
    kept = client.open(workspace / "neck.md", SPUN)
    assert by_code(client.diagnostics(kept), "HL103")
    # The policy changes while the editor runs: the draft is checked from now on, and excluded again after.
    config.write_text('ignore = ["HL313"]\n', encoding="utf-8")
    client.notify("workspace/didChangeWatchedFiles", {"changes": [{"uri": config.as_uri(), "type": 2}]})
    assert by_code(client.diagnostics(draft), "HL103")
    config.write_text('exclude = ["drafts/*"]\n', encoding="utf-8")
    client.notify("textDocument/didSave", {"textDocument": {"uri": config.as_uri()}})
    assert client.diagnostics(draft) == []
    assert (
        client.request(
            "textDocument/codeAction",
            {"textDocument": {"uri": draft}, "range": lsp_range(SPUN, SPINNER_PHRASE), "context": {"diagnostics": []}},
        )
        == []
    )
    assert client.shutdown() == 0


def test_an_excluded_draft_opened_through_a_link_to_the_workspace_shows_no_findings(
    client: LspClient, workspace: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    # The editor names the workspace by a symbolic link (macOS's /tmp is one): the config's root is the real folder,
    # and the draft in an excluded folder was checked, since only the file itself was matched against exclude.
    (workspace / "healthlint.toml").write_text('exclude = ["drafts"]\n', encoding="utf-8")
    (workspace / "articles" / "drafts").mkdir(parents=True)
    link = tmp_path_factory.mktemp("elsewhere") / "site"
    link.symlink_to(workspace, target_is_directory=True)
    client.initialize(link)
    draft = client.open(link / "articles" / "drafts" / "neck.md", SPUN)
    assert client.diagnostics(draft) == []
    kept = client.open(link / "articles" / "neck.md", SPUN)
    assert by_code(client.diagnostics(kept), "HL103")
    assert client.shutdown() == 0


def test_exit_without_shutdown_is_exit_code_1(client: LspClient, workspace: Path) -> None:
    client.initialize(workspace)
    uri = client.open(workspace / "neck.md", SPUN)
    assert by_code(client.diagnostics(uri), "HL103")
    client.notify("exit")  # LSP: 0 after a shutdown request (test_an_editor_session), else 1
    assert client.process.wait(30) == 1


def test_positions_count_utf16_units_and_every_line_break() -> None:
    text = "a😀b\r\nc\rd\n🙂x"
    index = LineIndex(text)
    offset = index.offset_of_finding(1, 3)  # the "b" after the emoji
    assert text[offset] == "b"
    assert index.position(offset) == (0, 3)
    assert index.offset(0, 3) == offset
    assert index.position(index.offset_of_finding(3, 1)) == (2, 0)  # "d", after a lone CR
    assert index.position(index.offset_of_finding(4, 2)) == (3, 2)  # "x", after an emoji
    assert index.offset(1, 99) == text.index("\rd")  # past the end of a line: its end
    assert LineIndex(text, "utf-32").position(offset) == (0, 2)
    assert utf16_offset(text, 3, 2) == index.offset(3, 2)


def _finding(line: int, column: int, end_column: int) -> Finding:
    return Finding("a.md", line, column, line, end_column, "HL601", "grammar-error", Severity.WARNING, "m")


def test_grammar_findings_of_a_save_move_with_the_text_and_go_where_it_changed() -> None:
    old = "Their is a cat.\nIt sit here.\nAll good.\n"
    before, inside, after = _finding(1, 1, 6), _finding(2, 4, 7), _finding(3, 5, 9)
    new = old.replace("It sit here.", "It sits\nright here now.")
    kept = moved([before, inside, after], old, new)
    assert [(f.line, f.column, f.end_column) for f in kept] == [(1, 1, 6), (4, 5, 9)]
    index = LineIndex(new)
    start, end = index.offset_of_finding(4, 5), index.offset_of_finding(4, 9)
    assert new[start:end] == "good"


@pytest.fixture(scope="module")
def session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Session]:
    root = tmp_path_factory.mktemp("workspace")
    (root / "healthlint.toml").write_text("", encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("HEALTHLINT_LANGUAGETOOL_URL", "")
        mp.setenv("HEALTHLINT_DISABLE_PLUGIN_AUTOLOAD", "1")
        checked = Session(root)
        yield checked
        checked.close()


def test_grammar_runs_on_save_never_while_typing(session: Session) -> None:
    assert any(r.code.startswith(GRAMMAR_PREFIX) for r in session.driver.checker.rules)
    assert not any(r.code.startswith(GRAMMAR_PREFIX) for r in session.typing.rules)
    typed = session.check("file:///a.md", "/a.md", SPUN, saved=False)
    saved = session.check("file:///a.md", "/a.md", SPUN, saved=True)
    assert [f.code for f in typed.findings] == [f.code for f in saved.findings]


def test_fix_all_safe_applies_what_check_fix_applies(session: Session) -> None:
    session.check("file:///b.md", "/b.md", SPUN, saved=False)
    planned = session.fix_all_safe("file:///b.md")
    assert planned is not None
    edits, text = planned
    assert [e.finding.code for e in edits] == ["HL103"]
    assert text == SPUN.replace(SPINNER_PHRASE, "The answer is yes")
    assert session.fix_all_safe("file:///not-open.md") is None


def test_typing_is_checked_once_it_pauses(client: LspClient, workspace: Path) -> None:
    client.initialize(workspace, debounceMs=400)
    uri = client.open(workspace / "neck.md", SPUN)
    client.diagnostics(uri)
    typed = SPUN
    for version in (2, 3, 4):  # three keystrokes in quick succession: one check, of the last text
        typed = typed.replace(SPINNER_PHRASE, SPINNER_PHRASE + "!", 1)
        change = {"textDocument": {"uri": uri, "version": version}, "contentChanges": [{"text": typed}]}
        client.notify("textDocument/didChange", change)
    published = client.wait_for("textDocument/publishDiagnostics", lambda p: p["uri"] == uri)
    assert published["version"] == 4
    assert client.shutdown() == 0


# -- What the config requires and this machine lacks ------------------------------------------


def test_an_unavailable_required_stage_leaves_the_light_findings_and_says_what_to_run(tmp_path: Path) -> None:
    # `check` stops with exit 2 when deep-required finds no model; the server answered "not checking" and an editor
    # showed no findings at all.
    (tmp_path / "healthlint.toml").write_text("[plugins.spun]\ndeep = true\ndeep-required = true\n", encoding="utf-8")
    empty = tmp_path / "cache"
    empty.mkdir()
    lsp = LspClient(tmp_path, env={"HEALTHLINT_LANGUAGETOOL_URL": "", "HEALTHLINT_CACHE_DIR": str(empty)})
    try:
        lsp.initialize(tmp_path)
        shown = lsp.wait_for("window/showMessage")
        assert shown["type"] == 1 and "plugins.spun.deep-required" in shown["message"]
        assert "checking without what the config requires" in shown["message"]
        uri = lsp.open(tmp_path / "neck.md", SPUN)
        # The empty data cache makes this first check build the word index (about 15 s alone, over 60 s on a loaded
        # 2-core machine): the wait is for that build, not a bound on the server's speed.
        diagnostics = lsp.diagnostics(uri, timeout=300)
        assert by_code(diagnostics, "HL103")  # the light path's findings
        [unmet] = by_code(diagnostics, "HL003")
        # HL003's default severity, a warning (LSP 2), like the notice `check` prints: not an error
        assert unmet["severity"] == 2 and unmet["range"]["start"] == {"line": 0, "character": 0}
        assert "run `healthlint spun fetch-model`" in unmet["message"] and "exit 2" in unmet["message"]
        assert lsp.shutdown() == 0
    finally:
        lsp.close()


def test_required_grammar_without_languagetool_is_one_diagnostic_not_an_empty_editor(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setenv("HEALTHLINT_LANGUAGETOOL_URL", "")
    monkeypatch.delenv("HEALTHLINT_LANGUAGETOOL_DIR", raising=False)
    monkeypatch.setenv("HEALTHLINT_DISABLE_PLUGIN_AUTOLOAD", "1")
    (tmp_path / "healthlint.toml").write_text("[plugins.grammar]\nrequired = true\n", encoding="utf-8")
    session = Session(tmp_path)
    try:
        assert [(e.table, e.option) for e in session.unmet] == [("grammar", "required")]
        doc = session.check("file:///a.md", str(tmp_path / "a.md"), SPUN, saved=True)
        codes = [f.code for f in doc.all_findings]
        assert "HL103" in codes and codes.count("HL003") == 1 and "HL600" not in codes
        [unmet] = [f for f in doc.all_findings if f.code == "HL003"]
        assert "plugins.grammar.required" in unmet.message and unmet.severity is Severity.WARNING
    finally:
        session.close()


@pytest.mark.parametrize(
    ("table", "expected"), [('HL003 = "error"', Severity.ERROR), ('HL0 = "suggestion"', Severity.SUGGESTION)]
)
def test_the_unmet_requirement_follows_the_configured_severity(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, table: str, expected: Severity
) -> None:
    monkeypatch.setenv("HEALTHLINT_LANGUAGETOOL_URL", "")
    monkeypatch.delenv("HEALTHLINT_LANGUAGETOOL_DIR", raising=False)
    monkeypatch.setenv("HEALTHLINT_DISABLE_PLUGIN_AUTOLOAD", "1")
    config = f"[plugins.grammar]\nrequired = true\n\n[severity]\n{table}\n"
    (tmp_path / "healthlint.toml").write_text(config, encoding="utf-8")
    session = Session(tmp_path)
    try:
        doc = session.check("file:///a.md", str(tmp_path / "a.md"), SPUN, saved=True)
        [unmet] = [f for f in doc.all_findings if f.code == "HL003"]
        assert unmet.severity is expected
    finally:
        session.close()


def test_a_session_takes_the_required_stage_once_it_is_there(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    pytest.importorskip("numpy")
    from healthlint.families.spun import deep

    from .test_spun_deep import CLEAN as LONG
    from .test_spun_deep import stand_in_model

    if deep.missing_modules():
        pytest.skip("the deep extra is not installed")
    loaded: list[Path] = []

    class StandIn:
        def __init__(self, path: Path) -> None:
            loaded.append(path)
            raise ValueError("a stand-in model")

    model = stand_in_model(tmp_path, monkeypatch, StandIn)
    model.unlink()  # not fetched yet
    monkeypatch.setenv("HEALTHLINT_LANGUAGETOOL_URL", "")
    monkeypatch.setenv("HEALTHLINT_DISABLE_PLUGIN_AUTOLOAD", "1")
    (tmp_path / "healthlint.toml").write_text(
        'select = ["HL1"]\nrule-timeout = 0\n[plugins.spun]\ndeep = true\ndeep-required = true\n', encoding="utf-8"
    )
    deep.language_model.cache_clear()
    session = Session(tmp_path)
    try:
        path = str(tmp_path / "a.md")
        typed = session.check("file:///a.md", path, SPUN, saved=False)
        assert [f.code for f in typed.findings if f.code == "HL003"] == ["HL003"]
        assert session.config.options["spun"].deep  # the stage stays on: only the requirement is waived
        model.write_bytes(b"a model")  # healthlint spun fetch-model, meanwhile
        assert [f.code for f in session.check("file:///a.md", path, SPUN, saved=False).findings if f.code == "HL003"]
        saved = session.check("file:///a.md", path, LONG, saved=True)  # a save looks again
        assert session.unmet == [] and session.config.options["spun"].deep_required
        assert "HL003" not in [f.code for f in saved.findings] and loaded == [model]  # the stage tried the model
    finally:
        session.close()
        deep.language_model.cache_clear()


def test_a_session_started_again_keeps_its_rule_time_limit(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    # Started again (config reloaded), the session ended its previous engine after starting the new one: that put
    # back the SIGALRM handler from before the session, so the first rule past rule-timeout ended the server.
    import signal

    from healthlint.engine.runner import _expire

    monkeypatch.setenv("HEALTHLINT_LANGUAGETOOL_URL", "")
    monkeypatch.setenv("HEALTHLINT_DISABLE_PLUGIN_AUTOLOAD", "1")
    (tmp_path / "healthlint.toml").write_text('select = ["HL4"]\nrule-timeout = 30\n', encoding="utf-8")
    before = signal.getsignal(signal.SIGALRM)
    session = Session(tmp_path)
    try:
        for _ in range(2):
            session.reload()
            assert signal.getsignal(signal.SIGALRM) is _expire
            assert session.check("file:///a.md", str(tmp_path / "a.md"), CLEAN, saved=True).path.endswith("a.md")
    finally:
        session.close()
    assert signal.getsignal(signal.SIGALRM) is before
