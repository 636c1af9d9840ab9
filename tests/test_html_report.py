"""``--format html`` and ``publish --report``: one self-contained page, findings marked in place, nothing run.

The browser tests open the page in a real headless Chromium (Debian's ``chromium``, driven by
Playwright with ``executable_path``); ``.ci/run`` installs it. Set ``HEALTHLINT_WRITE_SCREENSHOT=1``
to refresh ``docs/report.png`` (the report of the repository's own ``articles/``).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import textwrap
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from healthlint.model import ArticleResult, Finding, Severity
from healthlint.output.html import ReportedArticle, render_html
from healthlint.output.marks import Mark, marked_text

from .conftest import REPO, shared_path
from .helpers import make_project

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]

HOSTILE_PATH = '<img src=x onerror="window.pwned=1">.md'
HOSTILE_ARTICLE = textwrap.dedent(
    """\
    ---
    title: "</title><script>window.pwned = 2</script>"
    ---
    # Miracle cure </textarea><script>document.title = "pwned"; window.pwned = 3</script>

    This miracle tea heals everything. <img src=x onerror="window.pwned = 4">
    Read [more](javascript:window.pwned=5) and </pre><script>window.pwned = 6</script> then
    <!-- <script>window.pwned = 7</script> --> <svg onload="window.pwned = 8"></svg>
    """
)


def finding(line: int, column: int, end_line: int, end_column: int, **fields: Any) -> Finding:
    values: dict[str, Any] = {
        "path": "a.md",
        "code": "TST101",
        "name": "test-rule",
        "severity": Severity.WARNING,
        "message": "a message",
        "plugin": "words",
    }
    values.update(fields)
    return Finding(line=line, column=column, end_line=end_line, end_column=end_column, **values)


class _Elements(HTMLParser):
    """The start tags of a page and whether every element that was opened was closed in order."""

    VOID = frozenset({"meta", "input", "br", "img"})

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.stack: list[str] = []
        self.misnested = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack.pop() != tag:
            self.misnested = True


def parse(page: str) -> _Elements:
    parser = _Elements()
    parser.feed(page)
    parser.close()
    return parser


# -- Without a browser ---------------------------------------------------------------------------


def test_each_mark_has_one_head_even_where_spans_cross():
    text = "alpha beta gamma delta\nsecond line"
    marks = [
        Mark(0, 1, 1, 1, 11, {"data-sev": "error"}),  # "alpha beta"
        Mark(1, 1, 7, 1, 17, {"data-sev": "warning"}),  # "beta gamma": crosses the first
        Mark(2, 1, 7, 1, 11, {}),  # "beta": inside both
        Mark(3, 2, 1, 2, 1, {}),  # empty: a marker
        Mark(4, 9, 1, 12, 5, {}),  # past the end: at the end
    ]
    html = marked_text(text, marks)
    elements = parse(f"<pre>{html}</pre>")
    assert not elements.misnested and not elements.stack
    heads = [attrs["data-i"] for tag, attrs in elements.tags if tag == "mark" and attrs.get("class") == "hl"]
    assert sorted(heads) == ["0", "1", "2", "3", "4"]
    # Stripping the marks gives the text back.
    assert re.sub(r"</?mark[^>]*>", "", html) == text
    assert '<mark class="hl-part" data-i="1" data-sev="warning">' in html  # "gamma", after the cut


@given(
    st.text(alphabet="ab<&\n ", max_size=40),
    st.lists(st.tuples(st.integers(1, 6), st.integers(1, 12), st.integers(0, 2), st.integers(1, 12)), max_size=8),
)
def test_any_marks_nest_and_give_the_text_back(text, spans):
    marks = [Mark(i, line, column, line + lines, end) for i, (line, column, lines, end) in enumerate(spans)]
    html = marked_text(text, marks)
    elements = parse(f"<pre>{html}</pre>")
    assert not elements.misnested and not elements.stack
    heads = [int(a["data-i"] or -1) for tag, a in elements.tags if tag == "mark" and a.get("class") == "hl"]
    assert sorted(heads) == list(range(len(marks)))
    unescaped = re.sub(r"</?mark[^>]*>", "", html).replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")
    assert unescaped == text


def test_text_message_and_path_are_escaped(tmp_path):
    hostile = '</script><script>window.pwned = 1</script><img src=x onerror="alert(1)">'
    result = ArticleResult(
        HOSTILE_PATH,
        [finding(1, 1, 1, 5, message=hostile, suggestion=hostile, name=hostile, plugin=hostile)],
        {},
        passed=False,
    )
    page = render_html([ReportedArticle(result, hostile + "\n" + hostile, "failed", hostile)], {}, title=hostile)
    elements = parse(page)
    assert [tag for tag, _ in elements.tags].count("script") == 2  # the findings data and the page's own script
    assert not any(tag == "img" for tag, _ in elements.tags)
    assert not any(name.startswith("on") for _, attrs in elements.tags for name in attrs)
    data = re.search(r'<script type="application/json" id="findings-data">(.*?)</script>', page, re.S)
    assert data is not None and json.loads(data.group(1))["findings"][0]["message"] == hostile


def test_the_page_requests_nothing_and_allows_only_its_own_code():
    page = render_html([], {}, title="empty")
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', page)
    assert policy is not None
    assert "default-src 'none'" in policy.group(1) and "'unsafe-inline'" not in policy.group(1)
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", page)
    assert "No articles." in page


def test_check_format_html_writes_the_page(tmp_path, run_cli):
    root = make_project(tmp_path)
    result = run_cli("check", "--no-cache", "--format", "html", "--output", "report.html", cwd=root)
    assert result.exit_code == 1, result.stderr
    page = (root / "report.html").read_text(encoding="utf-8")
    marks = [a for tag, a in parse(page).tags if tag == "mark" and a.get("class") == "hl"]
    assert len(marks) == 1 and marks[0]["data-code"] == "TST101"
    assert "articles/bad.md" in page and 'data-verdict="failed"' in page and 'data-verdict="passed"' in page


def test_publish_report_shows_only_the_withheld_articles(tmp_path, run_cli):
    root = make_project(tmp_path)
    # Passes every check but has an unsafe slug: the finding that withholds it is publish's own.
    (root / "articles" / "sleep.md").write_text("---\nslug: ../../x\n---\nA firm mattress helps.\n")
    result = run_cli("publish", "--out", "site", "--report", "withheld.html", cwd=root)
    assert result.exit_code == 0, result.stderr
    assert "Report of the 2 withheld written to withheld.html." in result.stdout
    page = (root / "withheld.html").read_text(encoding="utf-8")
    assert "articles/bad.md" in page and "articles/sleep.md" in page and "articles/good.md" not in page
    assert page.count('data-verdict="withheld"') == 4  # a row and a section each
    assert "TST101 miracle-word" in page and "HL020 invalid-slug" in page
    marks = [a["data-code"] for tag, a in parse(page).tags if tag == "mark" and a.get("class") == "hl"]
    assert sorted(marks) == ["HL020", "TST101"]
    assert not (root / "site" / "withheld.html").exists()


def test_publish_report_gets_the_mode_check_output_gets_not_a_temporary_files(tmp_path, run_cli):
    import os
    import stat

    root = make_project(tmp_path)
    mask = os.umask(0o022)
    try:
        run_cli("check", "--format", "html", "--output", "report.html", cwd=root)
        result = run_cli("publish", "--out", "site", "--report", "withheld.html", cwd=root)
        assert result.exit_code == 0, result.stderr
        assert stat.S_IMODE((root / "report.html").stat().st_mode) == 0o644
        assert stat.S_IMODE((root / "withheld.html").stat().st_mode) == 0o644  # was 0600
        (root / "withheld.html").chmod(0o640)
        run_cli("publish", "--out", "site", "--report", "withheld.html", cwd=root)
        assert stat.S_IMODE((root / "withheld.html").stat().st_mode) == 0o640  # a replaced report keeps its mode
    finally:
        os.umask(mask)
    assert [p.name for p in root.iterdir() if p.name.startswith(".withheld")] == []  # no temporary file left


def test_publish_report_may_not_go_into_the_site(tmp_path, run_cli):
    root = make_project(tmp_path)
    result = run_cli("publish", "--out", "site", "--report", "site/withheld.html", cwd=root)
    assert result.exit_code == 2
    assert "inside the site folder" in result.stderr


def test_publish_dry_run_writes_no_report(tmp_path, run_cli):
    root = make_project(tmp_path)
    result = run_cli("publish", "--out", "site", "--dry-run", "--report", "withheld.html", cwd=root)
    assert result.exit_code == 0, result.stderr
    assert not (root / "withheld.html").exists()


# -- In headless Chromium ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    if not os.path.exists(CHROMIUM):
        pytest.skip("no chromium installed (apt-get install chromium; .ci/run does)")
    sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (the test extra)")
    with sync_api.sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")),
            executable_path=CHROMIUM,
            headless=True,
            args=CHROMIUM_ARGS,
            viewport={"width": 1200, "height": 900},
        )
        try:
            yield context
        finally:
            context.close()


def open_page(browser: Any, path: Path) -> tuple[Any, list[str], list[str]]:
    """The page, the URLs it requested and the script errors it raised."""
    page = browser.new_page()
    requests: list[str] = []
    errors: list[str] = []
    page.on("request", lambda request: requests.append(request.url))
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path.as_uri())
    return page, requests, errors


def report_of(tmp_path: Path, run_cli: Any, *paths: str, cwd: Path | None = None) -> tuple[Path, int]:
    """Check ``paths`` into an HTML report; also returns how many findings the JSON format reports."""
    out = tmp_path / "report.html"
    result = run_cli("check", "--no-cache", "--format", "html", "--output", str(out), *paths, cwd=cwd)
    assert result.exit_code in (0, 1), result.stderr
    listing = run_cli("check", "--no-cache", "--format", "json", *paths, cwd=cwd)
    count = sum(len(a["findings"]) for a in json.loads(listing.stdout)["articles"])
    return out, count


def test_seeds_report_has_one_highlight_per_finding(browser, tmp_path, run_cli):
    seeds = shared_path("seeds")
    report, count = report_of(tmp_path, run_cli, str(seeds))
    page, requests, errors = open_page(browser, report)
    assert count > 0
    assert page.locator("mark.hl").count() == count
    assert page.locator("ol.findings li").count() == count
    assert all(url == report.as_uri() for url in requests), requests
    assert errors == []


def test_filters_hide_what_they_should(browser, tmp_path, run_cli):
    report, count = report_of(tmp_path, run_cli, str(REPO / "articles"))
    page, _, errors = open_page(browser, report)
    marks = page.locator("mark.hl")
    severities = marks.evaluate_all("ms => ms.map(m => m.dataset.sev)")
    assert len(severities) == count and "warning" in severities and len(set(severities)) > 1

    page.locator('input[data-filter="severity"][value="warning"]').click()
    state = marks.evaluate_all(
        "ms => ms.map(m => [m.dataset.sev, m.classList.contains('off'), getComputedStyle(m).backgroundColor,"
        " m.tabIndex])"
    )
    for severity, off, background, tab_index in state:
        assert off == (severity == "warning")
        assert (background == "rgba(0, 0, 0, 0)") == off
        assert tab_index == (-1 if off else 0)
    listed = page.locator("ol.findings li:visible").evaluate_all("ls => ls.map(l => l.dataset.sev)")
    assert "warning" not in listed and len(listed) == severities.count("error") + severities.count("suggestion")

    # The keyboard works too: Space on a focused family box hides that family's findings.
    family = page.locator('input[data-filter="family"]').first
    name = family.get_attribute("value")
    family.focus()
    page.keyboard.press("Space")
    hidden_family = page.locator(f'ol.findings li[data-family="{name}"]:visible').count()
    assert hidden_family == 0
    page.keyboard.press("Space")
    page.locator('input[data-filter="severity"][value="warning"]').click()
    assert page.locator("ol.findings li:visible").count() == count

    page.locator("#only-failing").check()
    shown = page.locator("article:visible").evaluate_all("as => as.map(a => a.dataset.verdict)")
    assert shown and set(shown) == {"failed"}
    assert errors == []


def test_focus_shows_message_suggestion_and_rule_link(browser, tmp_path, run_cli):
    root = make_project(tmp_path)
    report, _ = report_of(tmp_path, run_cli, cwd=root)
    page, _, _ = open_page(browser, report)
    assert page.locator("#tip").is_hidden()
    page.keyboard.press("Tab")  # the skip link
    for _ in range(20):  # then the filters, then the first finding
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.matches('mark.hl')"):
            break
    assert page.evaluate("document.activeElement.dataset.code") == "TST101"
    tip = page.locator("#tip")
    assert tip.is_visible()
    assert "TST101 miracle-word" in tip.inner_text() and "say what it does instead" in tip.inner_text()
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#rule-TST101"
    assert page.evaluate("document.activeElement.id") == "rule-TST101"


def test_hostile_article_is_shown_and_never_run(browser, tmp_path, run_cli):
    root = make_project(tmp_path)
    (root / "articles" / HOSTILE_PATH).write_text(HOSTILE_ARTICLE, encoding="utf-8")
    report, count = report_of(tmp_path, run_cli, cwd=root)
    page, requests, errors = open_page(browser, report)
    title = page.title()
    page.locator("mark.hl").first.hover()
    for mark in page.locator("mark.hl").all():
        mark.focus()
    assert page.evaluate("typeof window.pwned") == "undefined"
    assert page.title() == title == "healthlint report"
    assert page.locator("mark.hl").count() == count
    assert page.locator("img, svg:not(.chart), iframe").count() == 0
    assert all(url == report.as_uri() for url in requests), requests
    assert errors == []
    text = page.locator("pre.text", has_text="Miracle cure").inner_text()
    assert '</textarea><script>document.title = "pwned"' in text and "(javascript:window.pwned=5)" in text
    assert HOSTILE_PATH in page.locator("#verdicts").inner_text()


def test_screenshot_of_the_report(browser, tmp_path, run_cli):
    # The committed screenshot shows the repository's own articles: seed text is not ours to publish.
    report, _ = report_of(tmp_path, run_cli, "articles", cwd=REPO)
    page, _, _ = open_page(browser, report)
    page.locator("#only-failing").check()
    page.locator("article:visible mark.hl:not(:empty)").nth(1).focus()
    tip = page.locator("#tip").bounding_box()
    assert tip is not None
    bottom = page.evaluate("window.scrollY") + tip["y"] + tip["height"] + 24
    target = REPO / "docs" / "report.png" if os.environ.get("HEALTHLINT_WRITE_SCREENSHOT") else tmp_path / "r.png"
    page.screenshot(path=str(target), full_page=True, clip={"x": 0, "y": 0, "width": 1200, "height": bottom})
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and target.stat().st_size > 10_000
