"""Publish sanitizing: no URL attribute or style carries script, odd bytes are not published, no device slugs."""

from __future__ import annotations

import json
import re

import html5lib
import pytest

from healthlint.article import decode
from healthlint.publish.render import URL_SCHEMES, sanitize
from healthlint.publish.slugs import slug_problem_for
from tests.test_bad_input import assert_clean_exit, healthlint

DISCLAIMER = (
    "This article is general information, not a substitute for professional medical advice. "
    "Talk to your doctor about your symptoms.\n"
)

VECTORS = [
    '<blockquote cite="javascript:alert(1)">a</blockquote>',
    '<q cite="vbscript:msgbox(1)">b</q>',
    '<del cite=" JaVa&#x09;ScRiPt:alert(1)">c</del>',
    '<ins cite="&#106;avascript:alert(1)" datetime="2024-01-01">d</ins>',
    '<a href="java\0script:alert(1)">e</a>',
    '<img src="data:image/svg+xml,<svg onload=alert(1)>" alt="f">',
    "<table><tr>"
    '<td style="width: expression(alert(1))">g</td>'
    '<td style="text-align: expression(alert(1))">h</td>'
    '<td style="text-align:url(javascript:alert(1))">i</td>'
    '<td style="text-align:e\\78pression(1)">j</td>'
    '<th style="text-align:center;background:url(javascript:alert(1))">k</th>'
    "</tr></table>",
]


def attributes(fragment: str):
    for element in html5lib.parseFragment(fragment, namespaceHTMLElements=False).iter():
        yield from element.attrib.items()


@pytest.mark.parametrize("vector", VECTORS)
def test_no_url_attribute_or_style_survives_with_script(vector):
    for name, value in attributes(sanitize(vector)):
        # What a browser takes for the scheme: ASCII whitespace and controls are skipped.
        scheme = re.match(r"([a-z][a-z0-9+.-]*):", "".join(ch for ch in value if ch > " " and ch != "\x7f").lower())
        if name != "style" and scheme:
            assert scheme.group(1) in URL_SCHEMES, (name, value)
        if name == "style":
            assert value in ("text-align:left", "text-align:right", "text-align:center"), value


def test_safe_urls_and_alignment_are_kept():
    kept = dict(attributes(sanitize('<blockquote cite="https://a.example/x">q</blockquote>')))
    assert kept == {"cite": "https://a.example/x"}
    kept = dict(attributes(sanitize('<table><tr><td style="text-align: Right">x</td></tr></table>')))
    assert kept == {"style": "text-align:right"}


def test_nul_bytes_past_the_first_8_kb_are_a_problem_with_their_place():
    _, problems = decode(b"# Tea\n\n" + b"A cup of tea.\n" * 1000 + b"bad \x00 byte\n")
    assert [(p.message.split(":")[0], p.line, p.column) for p in problems] == [("holds NUL bytes", 1003, 5)]
    utf16 = b"# Tea\n\n" + b"x" * 9000 + "\nA cup.\n".encode("utf-16-le")
    assert decode(utf16)[1]


def test_an_article_with_late_nul_bytes_is_withheld(tmp_path):
    (tmp_path / "late-nul.md").write_bytes(b"# Tea\n\n" + b"A cup of tea.\n" * 1000 + b"bad \x00 byte\n")
    proc = healthlint("publish", "late-nul.md", "--out", "site", cwd=tmp_path, timeout=120)
    assert_clean_exit(proc, (0,))
    assert "withheld   late-nul.md: HL001" in proc.stdout


@pytest.mark.parametrize("slug", ["con", "nul", "aux", "prn", "com1", "lpt9", "NUL"])
def test_windows_device_names_are_refused_as_slugs(slug):
    assert slug_problem_for(slug)


def test_names_that_only_begin_like_devices_are_fine():
    assert slug_problem_for("console") is None and slug_problem_for("com10-tips") is None


def test_a_manifest_edited_to_list_a_foreign_file_does_not_get_it_deleted(tmp_path):
    (tmp_path / "tea.md").write_text(
        "# Tea\n\nA warm cup of tea may help you relax in the evening.\n\n"
        "This article is general information, not a substitute for professional medical advice. "
        "Talk to your doctor about your symptoms.\n",
        encoding="utf-8",
    )
    assert_clean_exit(healthlint("publish", "tea.md", "--out", "site", cwd=tmp_path, timeout=120), (0,))
    site = tmp_path / "site"
    manifest_path = site / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    assert set(manifest["file_hashes"]) == set(manifest["files"])
    (site / "CNAME").write_text("health.example.org\n", encoding="utf-8")
    (site / "notes.html").write_text("my own page\n", encoding="utf-8")
    manifest["files"] += ["CNAME", "notes.html"]
    manifest["file_hashes"]["notes.html"] = "sha256:" + "0" * 64  # a forged hash proves nothing
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")
    assert_clean_exit(healthlint("publish", "tea.md", "--out", "site", cwd=tmp_path, timeout=120), (0,))
    assert (site / "CNAME").read_text(encoding="utf-8") == "health.example.org\n"
    assert (site / "notes.html").read_text(encoding="utf-8") == "my own page\n"
    assert (site / "tea.html").is_file()


def test_a_manifest_from_before_content_hashes_proves_nothing_so_nothing_it_lists_is_deleted(tmp_path):
    tea = "# Tea\n\nA warm cup of tea may help you relax in the evening.\n\n" + DISCLAIMER
    (tmp_path / "tea.md").write_text(tea, encoding="utf-8")
    (tmp_path / "rest.md").write_text(tea.replace("Tea", "Rest", 1), encoding="utf-8")
    assert_clean_exit(healthlint("publish", "tea.md", "rest.md", "--out", "site", cwd=tmp_path, timeout=120), (0,))
    site = tmp_path / "site"
    manifest_path = site / "manifest.json"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    del manifest["file_hashes"]  # as an older healthlint wrote it, or as someone stripped it
    (site / "notes.html").write_text("my own page\n", encoding="utf-8")
    manifest["files"].append("notes.html")
    manifest_path.write_text(json.dumps(manifest), encoding="utf-8")

    # The listed files are unproven and the new site needs their names: refused, naming one and why.
    proc = healthlint("publish", "tea.md", "rest.md", "--out", "site", cwd=tmp_path, timeout=120)
    assert_clean_exit(proc, (2,))
    assert re.search(r"site/\S+: the manifest lists it without a content hash", proc.stderr), proc.stderr
    assert (site / "notes.html").read_text(encoding="utf-8") == "my own page\n"

    # Once the files the new site needs are moved away, publishing keeps what it cannot prove it wrote.
    for rel in ("index.html", "sitemap.xml", "rest.html"):
        (site / rel).unlink()
    proc = healthlint("publish", "rest.md", "--out", "site", cwd=tmp_path, timeout=120)
    assert_clean_exit(proc, (0,))
    assert (site / "notes.html").read_text(encoding="utf-8") == "my own page\n"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    assert "notes.html" not in manifest["files"] and set(manifest["file_hashes"]) == set(manifest["files"])
    assert (site / "tea.html").is_file()  # no longer published, but listed without a hash: kept
