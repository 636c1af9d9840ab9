"""healthlint as a real pre-commit hook, installed from this checkout into a temporary git repository."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from healthlint.article import ARTICLE_SUFFIXES
from healthlint.config import Config
from healthlint.plugins import get_plugin_manager

REPO = Path(__file__).resolve().parents[1]
GATE_PREFIXES = ("HL1", "HL2", "HL3", "HL4", "HL5")


def run(cmd: list[str], cwd: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=1200)


def hook_rev_and_env(tmp_path: Path) -> tuple[str, dict[str, str]]:
    """This checkout's HEAD (the hook's ``rev``) and the environment of a commit in a temporary content repository
    (skips without git or a checkout with commits): pre-commit's cache in ``tmp_path``, an author, no colour, plugins
    loaded as a user's run loads them."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=REPO, capture_output=True, text=True)
    if head.returncode != 0:
        pytest.skip("this checkout is not a git repository with commits")
    env = {
        **os.environ,
        "PRE_COMMIT_HOME": str(tmp_path / "cache"),
        "GIT_AUTHOR_NAME": "Editor",
        "GIT_AUTHOR_EMAIL": "editor@example.org",
        "GIT_COMMITTER_NAME": "Editor",
        "GIT_COMMITTER_EMAIL": "editor@example.org",
        "NO_COLOR": "1",
    }
    env.pop("HEALTHLINT_DISABLE_PLUGIN_AUTOLOAD", None)
    return head.stdout.strip(), env


def test_hook_manifest_matches_articles_only():
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "healthlint"
    assert hook["entry"] == "healthlint check --force-exclude"  # pre-commit names files; exclude must still apply
    files = re.compile(hook["files"])
    assert all(files.search(name) for name in ("a.md", "x/b.markdown", "c.txt"))
    assert not any(files.search(name) for name in ("setup.py", "image.png", "notes.md.bak", "a.textile", "b.mdx"))


@pytest.mark.parametrize("suffix", sorted(ARTICLE_SUFFIXES))
def test_hook_pattern_names_every_suffix_check_walks(suffix):
    (hook,) = yaml.safe_load((REPO / ".pre-commit-hooks.yaml").read_text())
    files = re.compile(hook["files"])
    assert files.search(f"articles/heat{suffix}")
    assert files.search(f"articles/HEAT{suffix.upper()}")  # check walks suffixes in any case
    assert not files.search(f"articles/heat{suffix}.orig")


@pytest.mark.slow
def test_real_pre_commit_accepts_a_clean_article_and_rejects_a_spun_one(tmp_path):
    rules = get_plugin_manager(Config(), autoload=False, local=False).rules
    missing = [p for p in GATE_PREFIXES if not any(code.startswith(p) for code in rules)]
    if missing:
        pytest.skip(f"the gate is not complete yet (no {', '.join(missing)} rules)")
    pre_commit = [sys.executable, "-m", "pre_commit"]
    rev, env = hook_rev_and_env(tmp_path)
    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    assert run(["git", "init", "-q", "-b", "main"], content, env).returncode == 0
    (content / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {REPO}\n    rev: {rev}\n    hooks:\n      - id: healthlint\n"
    )
    installed = run([*pre_commit, "install"], content, env)
    assert installed.returncode == 0, installed.stderr

    shutil.copy(REPO / "articles" / "walking-and-back-pain.md", content / "articles")
    run(["git", "add", "."], content, env)
    accepted = run(["git", "commit", "-m", "A clean article"], content, env)
    shown = accepted.stdout + accepted.stderr  # git hooks write to the terminal on stderr
    assert accepted.returncode == 0, shown
    assert re.search(r"^healthlint\.+Passed$", shown, re.MULTILINE), shown

    shutil.copy(REPO / "articles" / "massage-for-neck-tension.txt", content / "articles")
    run(["git", "add", "."], content, env)
    rejected = run(["git", "commit", "-m", "A spun article"], content, env)
    shown = rejected.stdout + rejected.stderr
    assert rejected.returncode != 0, shown
    assert re.search(r"^healthlint\.+Failed$", shown, re.MULTILINE), shown
    # the spun-text findings are shown to the editor, at their lines
    assert re.search(r"^articles/massage-for-neck-tension\.txt:\d+:\d+: HL1\d\d \[error\]", shown, re.MULTILINE), shown
    # only the changed file was checked
    assert "walking-and-back-pain" not in shown
    log = run(["git", "log", "--oneline"], content, env).stdout.splitlines()
    assert len(log) == 1

    # the config's exclude applies to the files pre-commit names, as it does to folders walked
    (content / "articles" / "massage-for-neck-tension.txt").unlink()
    (content / "drafts").mkdir()
    shutil.copy(REPO / "articles" / "massage-for-neck-tension.txt", content / "drafts")
    (content / "healthlint.toml").write_text('exclude = ["drafts/*"]\n')
    run(["git", "add", "-A"], content, env)
    drafted = run(["git", "commit", "-m", "A draft, excluded"], content, env)
    shown = drafted.stdout + drafted.stderr
    assert drafted.returncode == 0, shown
    assert "HL1" not in shown


ACME_PYPROJECT = """\
[build-system]
requires = ["setuptools>=61"]
build-backend = "setuptools.build_meta"

[project]
name = "acme-healthlint"
version = "0.3.0"

[project.entry-points.healthlint]
acme = "acme_healthlint"
"""

ACME_PLUGIN = '''\
"""House style: a word Acme's editors ban (its options come from the content repository's config)."""

from dataclasses import dataclass, field

from healthlint import Rule, Severity, hookimpl


@dataclass
class Options:
    words: list[str] = field(default_factory=lambda: ["superfood"])


def check(article, ctx):
    for block in article.blocks:
        for word in ctx.options().words:
            start = block.text.lower().find(word)
            if start >= 0:
                yield block.hit(start, start + len(word), f"banned word {word!r}")


@hookimpl
def healthlint_register_options(register):
    register("acme", Options)


@hookimpl
def healthlint_register_rules(register):
    register(Rule("ACME101", "acme-banned-word", "A word the house style bans", Severity.WARNING, check))
'''


@pytest.mark.slow
def test_real_pre_commit_runs_a_plugin_package_named_in_additional_dependencies(tmp_path):
    """README's recipe: the plugin package in ``additional_dependencies``, its options and severity in the config."""
    rev, env = hook_rev_and_env(tmp_path)
    acme = tmp_path / "acme"
    (acme / "acme_healthlint").mkdir(parents=True)
    (acme / "pyproject.toml").write_text(ACME_PYPROJECT)
    (acme / "acme_healthlint" / "__init__.py").write_text(ACME_PLUGIN)
    for cmd in (["git", "init", "-q", "-b", "main"], ["git", "add", "."], ["git", "commit", "-qm", "v0.3.0"]):
        assert run(cmd, acme, env).returncode == 0
    assert run(["git", "tag", "v0.3.0"], acme, env).returncode == 0

    content = tmp_path / "content"
    (content / "articles").mkdir(parents=True)
    assert run(["git", "init", "-q", "-b", "main"], content, env).returncode == 0
    (content / ".pre-commit-config.yaml").write_text(
        f"repos:\n  - repo: {REPO}\n    rev: {rev}\n    hooks:\n      - id: healthlint\n"
        f'        additional_dependencies: ["acme-healthlint @ git+file://{acme}@v0.3.0"]\n'
    )
    (content / "healthlint.toml").write_text(
        'select = ["ACME"]\nrequire-plugins = ["acme"]\n\n[severity]\nACME101 = "error"\n\n'
        '[plugins.acme]\nwords = ["detox"]\n'
    )
    (content / "articles" / "tea.md").write_text("# Tea\n\nA detox tea is a tea.\n")
    assert run([sys.executable, "-m", "pre_commit", "install"], content, env).returncode == 0
    run(["git", "add", "."], content, env)
    rejected = run(["git", "commit", "-m", "A banned word"], content, env)
    shown = rejected.stdout + rejected.stderr
    assert rejected.returncode != 0, shown
    assert "articles/tea.md:3:3: ACME101 [error] banned word 'detox'" in shown  # its options and [severity] apply

    (content / "articles" / "tea.md").write_text("# Tea\n\nA superfood tea is a tea.\n")  # not in the site's words
    run(["git", "add", "."], content, env)
    accepted = run(["git", "commit", "-m", "No banned word"], content, env)
    assert accepted.returncode == 0, accepted.stdout + accepted.stderr
