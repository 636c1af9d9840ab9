"""Bad, broken and hostile input: exit codes 0/1/2 only, no traceback, every bad file named, nothing executed."""

from __future__ import annotations

import codecs
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO / "tests" / "bad_inputs"


def healthlint(*args: str, cwd: Path, timeout: float = 900) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "NO_COLOR": "1"}
    return subprocess.run(
        [sys.executable, "-m", "healthlint", *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=timeout
    )


def assert_clean_exit(proc: subprocess.CompletedProcess[str], allowed: tuple[int, ...] = (0, 1, 2)) -> None:
    assert proc.returncode in allowed, f"exit {proc.returncode}\n{proc.stderr}"
    assert "Traceback" not in proc.stderr, proc.stderr
    assert "Traceback" not in proc.stdout


@pytest.fixture
def bad(tmp_path: Path) -> Path:
    """The committed corpus plus the cases that must be generated (binary, links, pipes)."""
    folder = tmp_path / "bad"
    shutil.copytree(CORPUS, folder, ignore=shutil.ignore_patterns("README.md"))
    (folder / "invalid-utf8.md").write_bytes(b"# Fine title\n\nBad \xff\xfe bytes here.\n")
    (folder / "utf16-bom.md").write_bytes(codecs.BOM_UTF16_LE + "# Tea\n\nA warm cup.\n".encode("utf-16-le"))
    (folder / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)))
    (folder / "crlf.md").write_bytes(b"# Windows\r\n\r\nLine endings from Windows.\r\n")
    (folder / "long-line.md").write_text("A long line of prose. " * 48_000, encoding="utf-8")
    marker = tmp_path / "healthlint-was-hacked"
    (folder / "front-matter-python-tag.md").write_text(
        f'---\ntitle: !!python/object/apply:os.system ["touch {marker}"]\n---\nA body.\n', encoding="utf-8"
    )
    (folder / "loop").mkdir()
    (folder / "loop" / "again").symlink_to(folder / "loop", target_is_directory=True)
    (folder / "dangling.md").symlink_to(folder / "missing-target.md")
    os.mkfifo(folder / "pipe.md")
    return folder


#: File name -> text its HL001 message must contain.
EXPECTED_HL001 = {
    "invalid-utf8.md": "not valid UTF-8",
    "binary.md": "binary file",
    "front-matter-not-yaml.md": "front matter is not valid YAML",
    "front-matter-not-mapping.md": "front matter must be a mapping",
    "front-matter-unterminated.md": "never closed",
    "front-matter-python-tag.md": "front matter is not valid YAML",
    "dangling.md": "cannot be read",
    "pipe.md": "not a regular file",
}


def test_check_reports_every_bad_file_and_never_crashes(bad, tmp_path):
    proc = healthlint("check", "bad", "--format", "json", "-j", "2", cwd=tmp_path)
    assert_clean_exit(proc, (0, 1))
    data = json.loads(proc.stdout)
    results = {Path(a["path"]).name: a for a in data["articles"]}
    for name, message in EXPECTED_HL001.items():
        hl001 = [f for f in results[name]["findings"] if f["code"] == "HL001"]
        assert hl001 and message in hl001[0]["message"], (name, results[name]["findings"])
        assert results[name]["passed"] is False
    assert not (tmp_path / "healthlint-was-hacked").exists()
    # readable articles are still checked, with positions inside the file
    assert "utf16-bom.md" in results and "crlf.md" in results and "long-line.md" in results
    invalid = next(f for f in results["invalid-utf8.md"]["findings"] if f["code"] == "HL001")
    assert (invalid["line"], invalid["column"]) == (3, 5)
    assert not any(f["code"] in ("HL002", "HL005") for a in data["articles"] for f in a["findings"]), [
        (a["path"], f["message"]) for a in data["articles"] for f in a["findings"] if f["code"] in ("HL002", "HL005")
    ]


def test_text_output_names_each_bad_file(bad, tmp_path):
    proc = healthlint("check", "bad", cwd=tmp_path)
    assert_clean_exit(proc, (1,))
    for name in EXPECTED_HL001:
        assert f"bad/{name}:" in proc.stdout


def test_a_missing_path_is_one_line_and_exit_2(tmp_path):
    proc = healthlint("check", "nowhere", cwd=tmp_path)
    assert_clean_exit(proc, (2,))
    assert proc.stderr.strip() == "healthlint: error: nowhere: no such file or folder"


def test_ten_thousand_files_in_one_folder(tmp_path):
    many = tmp_path / "many"
    many.mkdir()
    for i in range(10_000):
        (many / f"a{i:05d}.md").write_text(f"Note {i}.\n")
    proc = healthlint("check", "many", "--select", "HL0", "--no-cache", cwd=tmp_path)
    assert_clean_exit(proc, (0,))
    assert proc.stdout.strip().endswith("10000 articles checked: 10000 passed, 0 failed (no findings)")


def test_a_twenty_megabyte_article_is_checked(tmp_path):
    paragraph = "Walking each day can ease back pain, and it is free to start. " * 12
    text = "# A very long article\n\n" + (paragraph + "\n\n") * (20_000_000 // (len(paragraph) + 2))
    (tmp_path / "huge.md").write_text(text, encoding="utf-8")
    proc = healthlint("check", "huge.md", "--select", "HL0", "--no-cache", cwd=tmp_path)
    assert_clean_exit(proc, (0,))
    assert "1 article checked: 1 passed" in proc.stdout


def test_an_article_over_the_size_limit_is_refused_with_hl001(tmp_path):
    (tmp_path / "healthlint.toml").write_text("max-file-size = 1000\n")
    (tmp_path / "big.md").write_text("word " * 1000)
    proc = healthlint("check", "big.md", "--select", "HL0", cwd=tmp_path)
    assert_clean_exit(proc, (1,))
    assert "big.md:1:1: HL001 [error] too large to check (0.0 MB; the limit, max-file-size, is 0.0 MB)" in proc.stdout


HANGING_PLUGIN = """
import time
from healthlint import Hit, Rule, Severity, hookimpl

def hang(article, ctx):
    try:
        while True:
            time.sleep(0.01)
    except Exception:  # a rule that swallows exceptions still cannot swallow the time limit
        pass
    return []

def garbage(article, ctx):
    return 42

@hookimpl
def healthlint_register_rules(register):
    register(Rule(code="TST801", name="hangs", summary="s", severity=Severity.ERROR, check=hang))
    register(Rule(code="TST802", name="garbage", summary="s", severity=Severity.ERROR, check=garbage))
"""


def test_a_hanging_or_garbage_rule_gets_a_finding_and_the_run_goes_on(tmp_path):
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "bad_rules.py").write_text(HANGING_PLUGIN)
    (tmp_path / "healthlint.toml").write_text('select = ["TST", "HL0"]\nrule-timeout = 0.5\n')
    (tmp_path / "a.md").write_text("One.\n")
    (tmp_path / "b.md").write_text("Two.\n")
    proc = healthlint("check", "a.md", "b.md", "-j", "1", cwd=tmp_path, timeout=60)
    assert_clean_exit(proc, (1,))
    lines = proc.stdout.splitlines()
    assert (
        "a.md:1:1: HL005 [error] rule TST801 (hangs) of plugin 'bad_rules' did not finish within 0.5 s "
        "(rule-timeout) and was stopped"
    ) in lines
    assert any(line.startswith("b.md:1:1: HL005") for line in lines)
    assert any(line.startswith("a.md:1:1: HL002") and "TST802 (garbage)" in line for line in lines)


def test_publish_runs_the_bad_input_corpus_and_names_each_bad_file(bad, tmp_path):
    proc = healthlint("publish", "bad", "--out", "site", cwd=tmp_path)
    assert_clean_exit(proc, (0,))
    for name in EXPECTED_HL001:
        assert f"withheld   bad/{name}: HL001" in proc.stdout, name
    manifest = json.loads((tmp_path / "site" / "manifest.json").read_text())
    written = {p.relative_to(tmp_path).parts[0] for p in tmp_path.rglob("*") if p.is_file()}
    assert written <= {"bad", "site", ".healthlint_cache", "healthlint-was-hacked"} - {"healthlint-was-hacked"}
    for page in (tmp_path / "site").glob("*.html"):
        html = page.read_text(encoding="utf-8").lower()
        assert "<script" not in html and "javascript:" not in html and "onerror" not in html
    assert {Path(w["source"]).name for w in manifest["withheld"]} >= set(EXPECTED_HL001)


def test_a_killed_fix_run_leaves_each_file_old_or_new(tmp_path):
    import signal
    import time

    folder = tmp_path / "articles"
    folder.mkdir()
    originals, fixed = {}, {}
    filler = "It is a good idea to walk for a while every day, and to rest when you need to. " * 12
    for i in range(400):
        body = f"# Note {i}\n\nFor note {i}, in many cases the reply is sure when you ask.\n\n{filler}\n"
        path = folder / f"note{i:03d}.md"
        path.write_text(body, encoding="utf-8")
        originals[path] = body
        fixed[path] = body.replace("the reply is sure", "the answer is yes")
    env = {**os.environ, "NO_COLOR": "1"}
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "healthlint",
            "check",
            "articles",
            "--fix",
            "--select",
            "HL103",
            "--no-cache",
            "-j",
            "1",
        ],
        cwd=tmp_path,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and proc.poll() is None:
        if any(path.read_text(encoding="utf-8") != text for path, text in list(originals.items())[:40]):
            break
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    states = {"old": 0, "new": 0}
    for path, text in originals.items():
        now = path.read_text(encoding="utf-8")
        assert now in (text, fixed[path]), f"{path.name} is neither the old nor the fixed text"
        states["old" if now == text else "new"] += 1
    assert states["new"] >= 1, "the run was killed before it fixed anything"
    assert states["old"] >= 1, "the run finished before it was killed; the test proves nothing"
