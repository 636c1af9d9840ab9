"""Grammar (HL6xx): the client, the server it starts, and the mapping of matches to rules.

Most tests run healthlint against a small HTTP server on 127.0.0.1 that answers
``/v2/languages`` and ``/v2/check`` in LanguageTool's JSON format (offsets in UTF-16 code
units, as the Java server counts them), or start it through a stand-in ``java`` command. The
classification is tested against answers recorded from a real LanguageTool
(``tests/languagetool/``), and the tests marked ``languagetool`` talk to a real one when
``HEALTHLINT_LANGUAGETOOL_URL`` points at it (CI starts one; under
``HEALTHLINT_REQUIRE_LANGUAGETOOL=1`` they fail instead of skipping).
"""

from __future__ import annotations

import json
import os
import re
import threading
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from healthlint.families.grammar import server, session
from healthlint.families.grammar.classify import kind_of
from healthlint.families.grammar.client import CheckSettings, LanguageToolClient, matches_from_answer
from healthlint.families.grammar.match import LtMatch
from healthlint.families.grammar.options import DEFAULT_DISABLED_RULES, URL_ENV
from healthlint.families.grammar.prose import locate, request_text
from healthlint.model import Severity
from healthlint.rules import rules_in
from healthlint.testing import codes

#: A real server for ``test_real_languagetool``, read before the autouse fixture hides it from the others.
REAL_URL = os.environ.get(URL_ENV, "")
LANGUAGES = [
    {"name": "English", "code": "en", "longCode": "en"},
    {"name": "English (US)", "code": "en", "longCode": "en-US"},
    {"name": "English (GB)", "code": "en", "longCode": "en-GB"},
]


@dataclass
class FakeRule:
    """A pattern the fake server reports, with what LanguageTool would say about it."""

    pattern: str
    rule_id: str
    category: str
    issue_type: str
    message: str
    replacements: list[str] = field(default_factory=list)


RULES = [
    FakeRule(r"\bshe go\b", "HE_VERB_AGR", "GRAMMAR", "grammar", "The verb does not agree with 'she'.", ["she goes"]),
    FakeRule(
        r"\brecieve\b", "MORFOLOGIK_RULE_EN_US", "TYPOS", "misspelling", "Possible spelling mistake.", ["receive"]
    ),
    FakeRule(
        r"\bsymptomsthe\b",
        "MORFOLOGIK_RULE_EN_US",
        "TYPOS",
        "misspelling",
        "Possible spelling mistake.",
        ["symptoms the"],
    ),
    FakeRule(r"\bin order to\b", "IN_ORDER_TO", "STYLE", "style", "Consider a shorter phrase.", ["to"]),
    FakeRule(r"(?i)\bif the pain gets worse call\b", "COMMA_IF", "PUNCTUATION", "typographical", "Add a comma.", []),
]


def utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def check_response(text: str, rules: list[FakeRule]) -> dict[str, Any]:
    """LanguageTool's /v2/check answer (https://languagetool.org/http-api/), offsets in UTF-16 units."""
    matches = []
    for rule in rules:
        for m in re.finditer(rule.pattern, text):
            offset, length = utf16_len(text[: m.start()]), utf16_len(m.group())
            context_start = max(0, m.start() - 20)
            matches.append(
                {
                    "message": rule.message,
                    "shortMessage": "",
                    "replacements": [{"value": r} for r in rule.replacements],
                    "offset": offset,
                    "length": length,
                    "context": {
                        "text": text[context_start : m.end() + 20],
                        "offset": m.start() - context_start,
                        "length": length,
                    },
                    "sentence": text[max(0, m.start() - 40) : m.end() + 40],
                    "type": {"typeName": "Other"},
                    "rule": {
                        "id": rule.rule_id,
                        "description": rule.message,
                        "issueType": rule.issue_type,
                        "category": {"id": rule.category, "name": rule.category.title()},
                    },
                    "ignoreForIncompleteSentence": False,
                    "contextForSureMatch": 0,
                }
            )
    matches.sort(key=lambda item: item["offset"])
    return {
        "software": {"name": "LanguageTool", "version": "6.5", "apiVersion": 1, "premium": False},
        "language": {"name": "English (US)", "code": "en-US", "detectedLanguage": {"name": "English (US)"}},
        "matches": matches,
    }


class FakeLanguageTool:
    """A LanguageTool-compatible server on 127.0.0.1 (port chosen by the OS), in a thread."""

    def __init__(self, rules: list[FakeRule], hang: bool = False, delay: float = 0.0, first_delay: float = 0.0) -> None:
        self.rules = rules
        self.hang = hang
        #: Seconds every check takes.
        self.delay = delay
        #: Seconds the first check takes (a server busy for a moment).
        self.first_delay = first_delay
        self.release = threading.Event()
        self.requests: list[tuple[str, dict[str, str]]] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _reply(self, payload: Any) -> None:
                body = json.dumps(payload).encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def do_GET(self) -> None:
                path = urllib.parse.urlparse(self.path).path
                fake.requests.append((path, {}))
                if path == "/v2/languages":
                    self._reply(LANGUAGES)
                else:
                    self.send_error(404)

            def do_POST(self) -> None:
                path = urllib.parse.urlparse(self.path).path
                length = int(self.headers.get("Content-Length", "0"))
                form = dict(urllib.parse.parse_qsl(self.rfile.read(length).decode("utf-8"), keep_blank_values=True))
                fake.requests.append((path, form))
                if path != "/v2/check":
                    self.send_error(404)
                    return
                if fake.hang:
                    fake.release.wait(30)
                    return
                first = sum(1 for p, _ in fake.requests if p == "/v2/check") == 1
                fake.release.wait(fake.first_delay if first and fake.first_delay else fake.delay)
                self._reply(fake.answer(form.get("text", "")))

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"

    def __enter__(self) -> FakeLanguageTool:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.release.set()
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(5)

    def answer(self, text: str) -> dict[str, Any]:
        return check_response(text, self.rules)

    @property
    def checks(self) -> list[dict[str, str]]:
        return [form for path, form in self.requests if path == "/v2/check"]


@pytest.fixture(autouse=True)
def _isolated(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[None]:
    """No server from the developer's environment, no downloaded LanguageTool, a fresh cache."""
    monkeypatch.delenv(URL_ENV, raising=False)
    monkeypatch.delenv(server.DIR_ENV, raising=False)
    monkeypatch.setenv("LTP_PATH", str(tmp_path / "ltp"))
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path / "cache"))
    yield
    session.end_session()  # a test that failed half-way must not leak its session


@pytest.fixture
def fake_lt() -> Iterator[FakeLanguageTool]:
    with FakeLanguageTool(RULES) as server:
        yield server


def grammar_config(url: str, **options: Any) -> dict[str, Any]:
    return {"plugins": {"grammar": {"server-url": url, **options}}}


ARTICLE = """\
---
title: Caring for a sore back
---
# Caring for a sore back

After a long day *she go* to bed early, and [rest](https://example.org/rest) helps.

- You will recieve a leaflet in order to plan the week.
- If the pain gets worse call your doctor.

```
she go recieve
```
"""


def position(text: str, needle: str) -> tuple[int, int]:
    """1-based line and column of the first occurrence of ``needle``."""
    index = text.index(needle)
    line = text.count("\n", 0, index) + 1
    return line, index - (text.rfind("\n", 0, index) + 1) + 1


# -- Findings at the right place -----------------------------------------------------------------


def test_findings_are_at_the_line_and_column_of_the_words(lint, fake_lt, no_network):
    report = lint(ARTICLE, select=["HL6"], config=grammar_config(fake_lt.url, spelling="on"))
    findings = {f.code: f for f in report.articles[0].findings}
    assert sorted(findings) == ["HL601", "HL602", "HL603", "HL604"]

    agreement = findings["HL601"]
    assert (agreement.line, agreement.column) == position(ARTICLE, "she go*")
    assert agreement.end_column == agreement.column + len("she go")
    assert agreement.message == "The verb does not agree with 'she'. (HE_VERB_AGR)"
    assert agreement.suggestion == "replace with 'she goes'"
    assert agreement.fix is not None and agreement.fix.replacement == "she goes" and not agreement.fix.safe
    assert agreement.severity is Severity.WARNING

    spelling = findings["HL602"]
    assert (spelling.line, spelling.column) == position(ARTICLE, "recieve a")
    assert "MORFOLOGIK_RULE_EN_US" in spelling.message
    style = findings["HL604"]
    assert (style.line, style.column) == position(ARTICLE, "in order to")
    assert style.severity is Severity.SUGGESTION
    punctuation = findings["HL603"]
    assert (punctuation.line, punctuation.column) == position(ARTICLE, "If the pain")
    assert punctuation.suggestion is None and punctuation.fix is None


def test_one_request_per_article_with_the_prose_only(lint, fake_lt):
    lint(ARTICLE, select=["HL6"], config=grammar_config(fake_lt.url))
    assert len(fake_lt.checks) == 1
    sent = fake_lt.checks[0]
    text = sent["text"]
    assert text.startswith("Caring for a sore back\n\nAfter a long day she go to bed early")
    assert "title:" not in text and "https://" not in text and "```" not in text
    assert text.count("recieve") == 1  # the code block's copy is not prose
    assert sent["language"] == "en-US"
    assert set(sent["disabledRules"].split(",")) == set(DEFAULT_DISABLED_RULES)


def test_a_bare_url_is_left_out_of_the_request_and_positions_still_map(lint, fake_lt):
    text = "Read https://example.org/a-long/path?x=1 before she go out.\n"
    report = lint(text, select=["HL601"], config=grammar_config(fake_lt.url), name="note.txt")
    assert "example.org" not in fake_lt.checks[0]["text"]
    (finding,) = report.articles[0].findings
    assert (finding.line, finding.column) == position(text, "she go")


def test_characters_outside_the_bmp_do_not_shift_columns(lint, fake_lt):
    text = "Stretch \N{FLEXED BICEPS}\N{FLEXED BICEPS} daily, then she go for a walk.\n"
    report = lint(text, select=["HL601"], config=grammar_config(fake_lt.url), name="emoji.txt")
    (finding,) = report.articles[0].findings
    assert (finding.line, finding.column) == position(text, "she go")
    assert finding.end_column == finding.column + len("she go")


def test_spelling_is_left_to_hl1_when_hl1_runs(lint, fake_lt):
    text = "You will recieve a leaflet.\n"
    default = lint(text, config=grammar_config(fake_lt.url), name="a.txt")
    assert "HL602" not in codes(default)
    only_grammar = lint(text, select=["HL6"], config=grammar_config(fake_lt.url), name="b.txt")
    assert codes(only_grammar) == ["HL602"]
    hl1_ignored = lint(text, config={**grammar_config(fake_lt.url), "ignore": ["HL1"]}, name="c.txt")
    assert "HL602" in codes(hl1_ignored)
    forced = lint(text, config=grammar_config(fake_lt.url, spelling="on"), name="d.txt")
    assert "HL602" in codes(forced)


def test_a_word_glued_by_a_lost_space_is_left_to_hl701_when_it_runs(lint, fake_lt):
    text = "Write down your symptomsthe day they start, and recieve a leaflet.\n"
    both = lint(text, select=["HL6", "HL7"], config=grammar_config(fake_lt.url), name="a.txt")
    found = {(f.code, f.match) for f in both.articles[0].findings}
    assert found == {("HL701", "symptomsthe"), ("HL602", "recieve")}
    grammar_only = lint(text, select=["HL6"], config=grammar_config(fake_lt.url), name="b.txt")
    assert {(f.code, f.match) for f in grammar_only.articles[0].findings} == {
        ("HL602", "symptomsthe"),
        ("HL602", "recieve"),
    }


def test_results_are_cached_by_text_in_memory_and_on_disk(lint, fake_lt, tmp_path):
    same = "After work she go home.\n"
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "one.txt").write_text(same)
    (folder / "two.txt").write_text(same)
    first = lint(folder, select=["HL601"], config=grammar_config(fake_lt.url))
    assert len(fake_lt.checks) == 1  # the second article has the same prose
    assert codes(first) == ["HL601", "HL601"]
    again = lint(folder, select=["HL601"], config=grammar_config(fake_lt.url))
    assert len(fake_lt.checks) == 1  # a new run reads the disk cache
    assert codes(again) == ["HL601", "HL601"]
    lint(folder, select=["HL601"], config=grammar_config(fake_lt.url, cache=False))
    assert len(fake_lt.checks) == 2


def test_the_client_asks_for_languages_once_per_run_and_nothing_else(lint, fake_lt, no_network):
    lint("She go out.\n", select=["HL6"], config=grammar_config(fake_lt.url), name="x.txt")
    paths = [path for path, _ in fake_lt.requests]
    assert paths == ["/v2/languages", "/v2/check"]


# -- No server, a hanging server, a required server --------------------------------------------


def test_without_a_server_one_notice_and_the_exit_code_is_unchanged(run_cli, tmp_path):
    articles = tmp_path / "articles"
    articles.mkdir()
    for n in range(3):
        (articles / f"a{n}.md").write_text(f"# Note {n}\n\nRest helps. Drink water.\n")
    result = run_cli("check", str(articles), "--no-cache", cwd=tmp_path)
    without_grammar = run_cli("check", str(articles), "--ignore", "HL6", "--no-cache", cwd=tmp_path)
    assert result.exit_code == without_grammar.exit_code
    notices = [line for line in result.lines if line.startswith("notice:")]
    assert notices == [
        "notice: HL003 grammar not checked: no LanguageTool server; "
        "set HEALTHLINT_LANGUAGETOOL_URL or server-url in the grammar table ([plugins.grammar] in healthlint.toml, "
        "[tool.healthlint.plugins.grammar] in pyproject.toml), "
        "or get one with `healthlint languagetool fetch` (needs Java 17 and Maven) "
        "and set HEALTHLINT_LANGUAGETOOL_DIR to its folder"
    ]
    as_json = json.loads(run_cli("check", str(articles), "--format", "json", "--no-cache", cwd=tmp_path).stdout)
    assert [n["code"] for n in as_json["notices"]] == ["HL003"]
    assert as_json["notices"][0]["plugin"] == "grammar"


def test_results_without_a_server_are_cached_but_not_after_an_outage(run_cli, tmp_path):
    (tmp_path / "a.md").write_text("# Note\n\nRest helps.\n")
    first = run_cli("check", "a.md", "--select", "HL6", cwd=tmp_path)
    assert "notice: HL003 grammar not checked: no LanguageTool server" in first.stdout
    # No server is a setting (a URL in the config or environment changes the cache key): cached,
    # and the cached result still tells the editor that grammar was not checked.
    again = run_cli("check", "a.md", "--select", "HL6", cwd=tmp_path)
    assert "notice: HL003 grammar not checked: no LanguageTool server" in again.stdout
    assert again.exit_code == first.exit_code
    # A server that is down is an outage: the article is checked again next time.
    closed = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    url = f"http://127.0.0.1:{closed.server_address[1]}"
    closed.server_close()
    for _ in range(2):
        down = run_cli("check", "a.md", "--select", "HL6", cwd=tmp_path, env={URL_ENV: url})
        assert f"notice: HL003 grammar not checked: LanguageTool server at {url} is not usable" in down.stdout


def test_an_unreachable_server_is_a_notice_naming_it(lint):
    closed = ThreadingHTTPServer(("127.0.0.1", 0), BaseHTTPRequestHandler)
    url = f"http://127.0.0.1:{closed.server_address[1]}"
    closed.server_close()  # nothing listens there now
    report = lint("She go out.\n", select=["HL6"], config=grammar_config(url), name="x.txt")
    assert codes(report) == []
    (notice,) = report.notices
    assert notice.code == "HL003"
    assert notice.message.startswith(f"grammar not checked: LanguageTool server at {url} is not usable (")


def test_a_long_text_gets_more_time_than_a_short_one(lint):
    long_text = "\n\n".join(f"Day {n}: rest, walk a little, and drink water." for n in range(800))  # 38k chars
    with FakeLanguageTool(RULES, delay=1.5) as slow:
        config = grammar_config(slow.url, timeout=0.5)
        report = lint(long_text + "\n\nThen she go out.\n", select=["HL601"], config=config, name="long.txt")
        assert codes(report) == ["HL601"] and report.notices == []  # 0.5 s per 10,000 characters: 2 s
        session.end_session()
        short = lint("Then she go out.\n", select=["HL601"], config=config, name="short.txt")
    assert codes(short) == []
    assert "no answer within 1 s" in short.notices[0].message  # 0.5 s, then asked again with twice the wait


def test_one_slow_answer_is_asked_again_and_the_article_checked(lint):
    with FakeLanguageTool(RULES, first_delay=1.2) as busy:
        report = lint("Then she go out.\n", select=["HL601"], config=grammar_config(busy.url, timeout=1.0))
    assert codes(report) == ["HL601"] and report.notices == []
    assert len(busy.checks) == 2  # the first waited 1 s in vain; the second, with 2 s, was answered


def test_an_article_too_long_for_the_rule_timeout_fails_alone(lint, tmp_path):
    folder = tmp_path / "articles"
    folder.mkdir()
    long_text = "\n\n".join(f"Day {n}: rest, walk a little, and drink water." for n in range(2000))  # 3 requests
    (folder / "a-long.txt").write_text(long_text + "\n")
    (folder / "b-short.txt").write_text("Then she go out.\n")
    with FakeLanguageTool(RULES, delay=1.0) as slow:
        report = lint(folder, select=["HL601"], config={**grammar_config(slow.url), "rule-timeout": 2})
    assert [(Path(a.path).name, codes(a.findings)) for a in report.articles] == [
        ("a-long.txt", []),
        ("b-short.txt", ["HL601"]),  # the server is not given up on: the next article is checked
    ]
    (notice,) = report.notices
    assert "a-long.txt is too long to check within the rule timeout" in notice.message


def test_a_hanging_server_is_given_up_on_after_one_article_and_the_run_goes_on(tmp_path, run_cli):
    with FakeLanguageTool(RULES, hang=True) as server:
        articles = tmp_path / "articles"
        articles.mkdir()
        for n in range(4):
            (articles / f"a{n}.txt").write_text(f"Day {n}: she go out.\n")
        (tmp_path / "healthlint.toml").write_text(
            f'[plugins.grammar]\nserver-url = "{server.url}"\ntimeout = 0.5\n', encoding="utf-8"
        )
        for jobs in ("1", "2"):
            started = time.monotonic()
            result = run_cli("check", "articles", "--select", "HL6", "--jobs", jobs, "--no-cache", cwd=tmp_path)
            elapsed = time.monotonic() - started
            assert elapsed < 4, f"took {elapsed:.1f} s with {jobs} jobs: later articles must not wait for a hung server"
            assert result.exit_code == 0, result.stderr
            notices = [line for line in result.lines if line.startswith("notice:")]
            assert len(notices) == 1, notices
            assert "no answer within 1 s" in notices[0] and server.url in notices[0]  # 0.5 s, then 1 s
            if jobs == "1":
                assert len(server.checks) == 2  # the first article timed out twice; the others were skipped


def test_a_required_server_that_hangs_fails_the_articles_it_did_not_check(tmp_path, run_cli):
    with FakeLanguageTool(RULES, hang=True) as server:
        (tmp_path / "a.txt").write_text("She go out.\n")
        (tmp_path / "healthlint.toml").write_text(
            f'[plugins.grammar]\nserver-url = "{server.url}"\ntimeout = 0.5\nrequired = true\n', encoding="utf-8"
        )
        result = run_cli("check", "a.txt", "--select", "HL6", cwd=tmp_path)
    assert result.exit_code == 1
    assert "a.txt:1:1: HL600 [error] grammar not checked: LanguageTool at" in result.stdout


def test_required_grammar_without_a_server_is_a_usage_error(tmp_path, run_cli):
    (tmp_path / "a.md").write_text("# A\n\nText.\n")
    (tmp_path / "healthlint.toml").write_text("[plugins.grammar]\nrequired = true\n", encoding="utf-8")
    result = run_cli("check", "a.md", cwd=tmp_path)
    assert result.exit_code == 2
    assert "grammar not checked: no LanguageTool server" in result.stderr
    assert "plugins.grammar.required" in result.stderr
    # Not selecting the grammar rules means not needing the server.
    assert run_cli("check", "a.md", "--ignore", "HL6", cwd=tmp_path).exit_code != 2


def test_the_server_url_can_come_from_the_environment(lint, fake_lt, monkeypatch):
    monkeypatch.setenv(URL_ENV, fake_lt.url)
    report = lint("Then she go home.\n", select=["HL601"], name="x.txt")
    assert codes(report) == ["HL601"]


def test_an_installed_languagetool_without_java_is_a_notice_not_a_download(lint, tmp_path, monkeypatch, no_network):
    installed = tmp_path / "ltp" / "LanguageTool-6.5"
    installed.mkdir(parents=True)
    (installed / "languagetool-server.jar").write_bytes(b"")
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    report = lint("She go out.\n", select=["HL6"], name="x.txt")
    (notice,) = report.notices
    assert "installed in" in notice.message and "Java is not" in notice.message


#: A stand-in for ``java``: started as ``java -cp CLASSPATH org.languagetool.server.HTTPServer --port N``,
#: it notes its arguments and pid, then serves like LanguageTool (hanging on any text holding "HANG").
FAKE_JAVA = r"""
import json, os, sys, time
from http.server import BaseHTTPRequestHandler, HTTPServer
from urllib.parse import parse_qsl, urlparse

sys.path.insert(0, REPO)
from tests.test_grammar import LANGUAGES, RULES, check_response

with open(CALLS, "a") as calls:
    calls.write(json.dumps({"pid": os.getpid(), "argv": sys.argv[1:]}) + "\n")


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def reply(self, payload):
        body = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        path = urlparse(self.path).path
        self.reply(LANGUAGES if path == "/v2/languages" else {"status": "ok"})

    def do_POST(self):
        form = dict(parse_qsl(self.rfile.read(int(self.headers["Content-Length"])).decode()))
        if "HANG" in form["text"]:
            time.sleep(60)
        self.reply(check_response(form["text"], RULES))


HTTPServer(("127.0.0.1", int(sys.argv[sys.argv.index("--port") + 1])), Handler).serve_forever()
"""


@dataclass
class FakeJava:
    """A ``java`` on PATH that runs :data:`FAKE_JAVA`, and a LanguageTool folder for it."""

    bin: Path
    calls: Path
    folder: Path

    def starts(self) -> list[dict[str, Any]]:
        if not self.calls.exists():
            return []
        return [json.loads(line) for line in self.calls.read_text().splitlines()]


def _running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:  # a child that ended but was not waited for is a zombie: not running
        return Path(f"/proc/{pid}/stat").read_text().split(") ")[1][0] != "Z"
    except OSError:
        return True


@pytest.fixture
def fake_java(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> FakeJava:
    import sys

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    calls = tmp_path / "java-calls.jsonl"
    repo = str(Path(__file__).resolve().parents[1])
    script = f"#!{sys.executable}\nREPO = {repo!r}\nCALLS = {str(calls)!r}\n{FAKE_JAVA}"
    (bin_dir / "java").write_text(script)
    (bin_dir / "java").chmod(0o755)
    folder = tmp_path / "languagetool-6.7"
    folder.mkdir()
    (folder / "languagetool-server-6.7.jar").write_bytes(b"")
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    return FakeJava(bin_dir, calls, folder)


def test_a_languagetool_folder_is_started_for_the_run_and_stopped(lint, fake_java, monkeypatch, no_network):
    monkeypatch.setenv(server.DIR_ENV, str(fake_java.folder))
    text = "Most days she go for a walk.\n"
    report = lint(text, select=["HL601"], name="x.txt")
    (finding,) = report.articles[0].findings
    assert (finding.line, finding.column) == position(text, "she go")
    assert report.notices == []
    (start,) = fake_java.starts()
    assert start["argv"][:2] == [
        "-cp",
        f"{fake_java.folder}/*{os.pathsep}{fake_java.folder}/libs/*{os.pathsep}{fake_java.folder}",
    ]
    assert start["argv"][2:4] == ["org.languagetool.server.HTTPServer", "--port"]
    assert not _running(start["pid"]), "the LanguageTool started for the run is still running"


def test_a_languagetool_language_tool_python_downloaded_is_started_too(lint, fake_java, tmp_path, no_network):
    installed = tmp_path / "ltp" / "LanguageTool-6.5"  # where the autouse fixture's $LTP_PATH points
    installed.parent.mkdir()
    fake_java.folder.rename(installed)
    report = lint("Most days she go for a walk.\n", select=["HL601"], name="x.txt")
    assert codes(report) == ["HL601"]
    (start,) = fake_java.starts()
    assert str(installed) in start["argv"][1]
    assert not _running(start["pid"])


def test_a_languagetool_that_will_not_start_is_a_notice_with_its_last_words(lint, fake_java, monkeypatch):
    (fake_java.bin / "java").write_text("#!/bin/sh\necho 'Error: Could not find or load main class' >&2\nexit 1\n")
    monkeypatch.setenv(server.DIR_ENV, str(fake_java.folder))
    report = lint("She go out.\n", select=["HL6"], name="x.txt")
    (notice,) = report.notices
    assert f"LanguageTool in {fake_java.folder.resolve()} exited with code 1" in notice.message
    assert "Could not find or load main class" in notice.message


def test_one_server_serves_a_parallel_run(run_cli, fake_java, tmp_path, monkeypatch):
    articles = tmp_path / "articles"
    articles.mkdir()
    for n in range(4):
        (articles / f"a{n}.txt").write_text(f"Day {n}: she go out.\n")
    (tmp_path / "healthlint.toml").write_text(f'[plugins.grammar]\nlanguagetool-dir = "{fake_java.folder.name}"\n')
    result = run_cli("check", "articles", "--select", "HL6", "--jobs", "2", "--no-cache", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert sum(line.count("HL601") for line in result.lines) == 4
    (start,) = fake_java.starts()
    assert not _running(start["pid"])


def test_a_configured_folder_without_languagetool_is_a_notice_saying_how_to_get_one(lint, tmp_path, monkeypatch):
    monkeypatch.setenv(server.DIR_ENV, str(tmp_path))
    report = lint("She go out.\n", select=["HL6"], name="x.txt")
    (notice,) = report.notices
    assert f"{tmp_path.resolve()} holds no LanguageTool" in notice.message
    assert "healthlint languagetool fetch" in notice.message


def test_the_server_serve_runs_is_reused(lint, fake_lt, fake_java, monkeypatch, no_network):
    served = server.LocalServer(fake_java.folder.resolve(), port=int(fake_lt.url.rsplit(":", 1)[1]))
    server.write_serve_note(served)
    monkeypatch.setenv(server.DIR_ENV, str(fake_java.folder))
    report = lint("Then she go home.\n", select=["HL601"], name="x.txt")
    assert codes(report) == ["HL601"]
    assert fake_java.starts() == [] and len(fake_lt.checks) == 1
    server.remove_serve_note(served)
    assert not (Path(os.environ["HEALTHLINT_CACHE_DIR"]) / server.SERVE_NOTE).exists()


def _run_until_started(fake_java: FakeJava, tmp_path: Path) -> tuple[Any, dict[str, Any]]:
    """``healthlint check`` in a process of its own, on an article the server hangs on, once it started one."""
    import subprocess
    import sys

    (tmp_path / "a.txt").write_text("HANG: she go out.\n")
    env = {**os.environ, server.DIR_ENV: str(fake_java.folder)}
    process = subprocess.Popen(
        [sys.executable, "-m", "healthlint", "check", "a.txt", "--select", "HL6", "--no-cache"],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 60
    while not fake_java.starts():
        assert process.poll() is None and time.monotonic() < deadline, process.communicate()
        time.sleep(0.1)
    time.sleep(2)  # most likely waiting on the article's request by now; stopping earlier must work too
    return process, fake_java.starts()[0]


@pytest.mark.parametrize("signal_name", ["SIGINT", "SIGKILL"])
def test_the_server_stops_when_the_run_is_interrupted_or_killed(fake_java, tmp_path, signal_name):
    import signal

    process, start = _run_until_started(fake_java, tmp_path)
    assert _running(start["pid"])
    process.send_signal(getattr(signal, signal_name))
    process.communicate(timeout=30)
    deadline = time.monotonic() + 15
    while _running(start["pid"]) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not _running(start["pid"]), f"LanguageTool outlived a run ended by {signal_name}"


def test_serve_runs_one_server_that_runs_reuse_until_it_is_stopped(lint, fake_java, tmp_path, monkeypatch, no_network):
    import signal
    import subprocess
    import sys

    port = server.LocalServer(fake_java.folder).port  # a free one
    serve = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "healthlint",
            "languagetool",
            "serve",
            "--dir",
            str(fake_java.folder),
            "--port",
            str(port),
        ],
        cwd=tmp_path,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    note = Path(os.environ["HEALTHLINT_CACHE_DIR"]) / server.SERVE_NOTE
    try:
        deadline = time.monotonic() + 60
        while not note.exists():
            assert serve.poll() is None and time.monotonic() < deadline, serve.communicate()
            time.sleep(0.1)
        monkeypatch.setenv(server.DIR_ENV, str(fake_java.folder))
        report = lint("Then she go home.\n", select=["HL601"], name="x.txt")
        assert codes(report) == ["HL601"]
        (start,) = fake_java.starts()  # the run used the served LanguageTool
        assert f"--port {port}" in " ".join(start["argv"])
    finally:
        serve.send_signal(signal.SIGTERM)
        _, err = serve.communicate(timeout=30)
    assert f"LanguageTool serves at http://127.0.0.1:{port}" in err
    assert serve.returncode == 0 and not note.exists() and not _running(start["pid"])


# -- healthlint languagetool fetch --------------------------------------------------------------------

FAKE_MVN = r"""
import os, sys
with open("pom.xml") as pom:
    assert "<artifactId>languagetool-server</artifactId>" in pom.read()
out = [a.split("=", 1)[1] for a in sys.argv[1:] if a.startswith("-DoutputDirectory=")][0]
os.makedirs(out)
open(os.path.join(out, "languagetool-server-6.7.jar"), "w").close()
"""


def test_fetch_uses_maven_and_says_where_it_went(run_cli, tmp_path, monkeypatch):
    import sys

    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    (bin_dir / "mvn").write_text(f"#!{sys.executable}\n{FAKE_MVN}")
    (bin_dir / "mvn").chmod(0o755)
    monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
    result = run_cli("languagetool", "fetch", cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    where = Path(os.environ["HEALTHLINT_CACHE_DIR"]) / f"languagetool-{server.pinned_version()}"
    assert (where / "languagetool-server-6.7.jar").is_file()
    assert f"{server.DIR_ENV}={where}" in result.stdout
    again = run_cli("languagetool", "fetch", cwd=tmp_path)  # already there: Maven is not asked again
    (bin_dir / "mvn").unlink()
    assert again.exit_code == 0 and str(where) in again.stdout


def test_fetch_without_maven_says_what_to_do(run_cli, tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    result = run_cli("languagetool", "fetch", "--dir", str(tmp_path / "lt"), cwd=tmp_path)
    assert result.exit_code == 2
    assert "Maven (mvn) is not installed" in result.stderr and server.DIR_ENV in result.stderr


@pytest.mark.parametrize(
    ("key", "value", "message"),
    [
        ("spelling", "sometimes", "must be one of 'auto', 'on', 'off', not 'sometimes'"),
        ("timeout", 0, "must be a number of seconds above 0"),
    ],
)
def test_bad_options_are_usage_errors(tmp_path, run_cli, key, value, message):
    (tmp_path / "a.md").write_text("# A\n\nText.\n")
    (tmp_path / "healthlint.toml").write_text(f"[plugins.grammar]\n{key} = {json.dumps(value)}\n", encoding="utf-8")
    result = run_cli("check", "a.md", cwd=tmp_path)
    assert result.exit_code == 2
    assert f"plugins.grammar.{key}: {message}" in result.stderr


def test_every_grammar_rule_is_documented():
    from healthlint.rules import DOC_SECTIONS, doc_sections

    for rule in rules_in("healthlint.families.grammar"):
        assert list(doc_sections(rule.doc)) == list(DOC_SECTIONS), rule.code


# -- The prose map ------------------------------------------------------------------------------


def test_no_space_is_left_before_the_punctuation_after_a_url(article_file):
    from healthlint.article import read_article

    path = article_file("Take the tablets (see https://example.org/dose) with food.\n", name="u.txt")
    text, segments = request_text(read_article(path).blocks)
    assert text == "Take the tablets (see) with food."
    for word in ("see", ")", "with"):
        (located,) = locate([LtMatch(text.index(word), len(word), "R", "m", "GRAMMAR", "grammar", ())], segments)
        assert located.block.text[located.start : located.end] == word


def test_request_text_and_locate_round_trip(article_file):
    from healthlint.article import read_article

    path = article_file(
        "# Title\n\nFirst see https://example.org/x now.\n\n- an item\n\nEnd https://example.org/y\n", name="m.md"
    )
    article = read_article(path)
    text, segments = request_text(article.blocks)
    assert text == "Title\n\nFirst see now.\n\nan item\n\nEnd "
    for word in ("Title", "see", "now", "item", "End"):
        offset = text.index(word)
        (located,) = locate([LtMatch(offset, len(word), "R", "m", "GRAMMAR", "grammar", ())], segments)
        assert located.block.text[located.start : located.end] == word


def test_matches_are_sorted_into_the_four_kinds():
    def match(category: str, issue: str = "", rule_id: str = "R") -> LtMatch:
        return LtMatch(0, 1, rule_id, "m", category, issue, ())

    assert kind_of(match("GRAMMAR", "grammar")) == "grammar"
    assert kind_of(match("CONFUSED_WORDS")) == "grammar"
    assert kind_of(match("SOMETHING_NEW")) == "grammar"
    assert kind_of(match("TYPOS", "misspelling", "MORFOLOGIK_RULE_EN_US")) == "spelling"
    assert kind_of(match("MISC", "misspelling", "HUNSPELL_RULE")) == "spelling"
    assert kind_of(match("PUNCTUATION")) == "punctuation"
    assert kind_of(match("CASING")) == "punctuation"
    assert kind_of(match("REDUNDANCY")) == "style"
    # LanguageTool gives many grammar rules the issue type "misspelling": they are grammar.
    assert kind_of(match("MISC", "misspelling", "EN_A_VS_AN")) == "grammar"
    assert kind_of(match("CONFUSED_WORDS", "misspelling", "THEIR_IS")) == "grammar"


# -- Answers recorded from a real LanguageTool (tests/languagetool/record.py) ------------------------

RECORDED = Path(__file__).parent / "languagetool"
#: What each recorded match is, by LanguageTool rule id.
RECORDED_KINDS = {
    "EN_A_VS_AN": "grammar",  # "These are a error": issue type "misspelling", category MISC
    "THEIR_IS": "grammar",  # a confused word: issue type "misspelling", category CONFUSED_WORDS
    "HE_VERB_AGR": "grammar",
    "MORFOLOGIK_RULE_EN_US": "spelling",  # "ibuprofin"
    "MODAL_OF": "spelling",  # "could of": category TYPOS
    "EN_COMPOUNDS_X_RAYS": "punctuation",  # "x rays": compounding, though category MISC, issue type "misspelling"
    "EN_COMPOUNDS_LIFE_THREATENING": "punctuation",
    "EN_MULTITOKEN_SPELLING_TWO": "spelling",  # "Albert Einstien": category MULTITOKEN_SPELLING
    "WHETHER": "style",
    "UPPERCASE_SENTENCE_START": "punctuation",
}


def recorded(name: str) -> dict[str, Any]:
    record: dict[str, Any] = json.loads((RECORDED / f"{name}.json").read_text(encoding="utf-8"))
    return record


@pytest.mark.parametrize("name", sorted(p.stem for p in RECORDED.glob("*.json")))
def test_recorded_answers_are_classified_by_what_the_match_is(name):
    record = recorded(name)
    matches = matches_from_answer(record["answer"], record["text"])
    assert matches, f"{name}: the recording holds no match"
    for match in matches:
        assert kind_of(match) == RECORDED_KINDS[match.rule_id], (name, match)


def test_recorded_offsets_count_utf16_units_and_are_mapped_back():
    record = recorded("emoji")
    (match,) = matches_from_answer(record["answer"], record["text"])
    assert record["answer"]["matches"][0]["offset"] == record["text"].index("go") + 2  # two emoji, two units each
    assert record["text"][match.offset : match.offset + match.length] == "go"


class ReplayLanguageTool(FakeLanguageTool):
    """Answers with the recorded matches of every recorded text the request holds, moved to where it is."""

    def __init__(self) -> None:
        super().__init__([])
        self.answers = {r["text"]: r["answer"] for r in map(recorded, (p.stem for p in RECORDED.glob("*.json")))}

    def answer(self, text: str) -> dict[str, Any]:
        reply = check_response(text, [])
        for known, answer in self.answers.items():
            at = text.find(known)
            if at >= 0:
                shift = utf16_len(text[:at])
                reply["matches"] += [{**m, "offset": m["offset"] + shift} for m in answer["matches"]]
        reply["matches"].sort(key=lambda m: m["offset"])
        return reply


def test_a_error_and_a_confused_word_are_hl601_with_hl1_on(lint):
    text = "These are a error.\n\nTheir is a problem with the dose.\n"
    with ReplayLanguageTool() as replay:
        report = lint(text, config=grammar_config(replay.url), name="notes.txt")
    found = [(f.code, f.line, f.message.rsplit("(", 1)[1]) for f in report.articles[0].findings if f.code >= "HL6"]
    assert found == [("HL601", 1, "EN_A_VS_AN)"), ("HL601", 3, "THEIR_IS)")]


# -- A real LanguageTool -----------------------------------------------------------------------------

#: Set by CI, which starts a LanguageTool: a real-server test that cannot run fails instead of skipping.
REQUIRE_ENV = "HEALTHLINT_REQUIRE_LANGUAGETOOL"


def _reachable(url: str) -> bool:
    try:
        with urllib.request.urlopen(urllib.parse.urljoin(url.rstrip("/") + "/", "v2/languages"), timeout=3) as r:
            return bool(r.status == 200)
    except (OSError, ValueError):
        return False


@pytest.fixture
def real_languagetool(monkeypatch: pytest.MonkeyPatch) -> str:
    """The URL of a real LanguageTool (``$HEALTHLINT_LANGUAGETOOL_URL``), set for the test."""
    if not REAL_URL or not _reachable(REAL_URL):
        why = f"no LanguageTool answers at {URL_ENV}={REAL_URL!r}"
        if os.environ.get(REQUIRE_ENV):
            pytest.fail(f"{why}, and {REQUIRE_ENV} is set")
        pytest.skip(f"{why} (start one with `healthlint languagetool serve`)")
    monkeypatch.setenv(URL_ENV, REAL_URL)
    return REAL_URL


@pytest.mark.languagetool
def test_real_languagetool(lint, real_languagetool):
    text = "# Resting\n\nAfter a long walk, she go to bed early.\n"
    report = lint(text, select=["HL601"], config={"plugins": {"grammar": {"cache": False}}})
    findings = report.articles[0].findings
    assert findings, "LanguageTool found no grammar error in 'she go'"
    line, column = position(text, "go to bed")
    assert any(f.line == line and f.column <= column < f.end_column for f in findings)
    assert all(re.search(r"\([A-Z0-9_]+\)$", f.message) for f in findings)


@pytest.mark.languagetool
def test_real_languagetool_reports_a_error_and_confused_words_as_hl601_with_hl1_on(lint, real_languagetool):
    text = "# Notes\n\nThese are a error.\n\nTheir is a problem with the dose.\n"
    report = lint(text, config={"plugins": {"grammar": {"cache": False}}})  # every default rule, HL1 included
    hl6 = [(f.code, f.line, f.message.rsplit("(", 1)[1]) for f in report.articles[0].findings if f.code >= "HL6"]
    assert ("HL601", 3, "EN_A_VS_AN)") in hl6
    assert ("HL601", 5, "THEIR_IS)") in hl6


@pytest.mark.languagetool
def test_real_languagetool_matches_the_recordings(real_languagetool):
    """The recordings still say what this LanguageTool says (record again when it changes)."""
    client = LanguageToolClient(real_languagetool, timeout=60)
    for path in sorted(RECORDED.glob("*.json")):
        record = recorded(path.stem)
        settings = CheckSettings(disabled_rules=tuple(record["form"]["disabledRules"].split(",")))
        now = [(m.offset, m.length, m.rule_id) for m in client.check(record["text"], settings)]
        then = [(m.offset, m.length, m.rule_id) for m in matches_from_answer(record["answer"], record["text"])]
        assert now == then, f"{path.name}: LanguageTool now answers differently; run tests/languagetool/record.py"


def test_a_full_reference_is_not_sent_to_languagetool(lint, fake_lt, no_network):
    """A reference's title keeps its source's capitals and its authors' initials: no prose to check (fp18)."""
    text = (
        "# Sore backs\n\nAfter a long day she go to bed early.\n\n## Sources (DOI)\n\n"
        "- Lee H, Diaz M. Why she go to bed early: a trial. J Sleep Res. 2019;28:100-109. doi:10.1000/xyz\n"
        "- The clinic's own leaflet, which she go through with every patient.\n"
    )
    report = lint(text, select=["HL6"], config=grammar_config(fake_lt.url))
    assert [(f.code, f.line) for f in report.articles[0].findings] == [("HL601", 3), ("HL601", 8)]
    (sent,) = [form["text"] for form in fake_lt.checks]
    assert "Lee H" not in sent and "leaflet" in sent
