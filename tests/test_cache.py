"""The result cache: reused for unchanged articles, invalidated by content, config and plugin changes."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from .helpers import make_project

#: A local plugin that records every article it checks, so tests can see what was re-checked.
COUNTING_PLUGIN = """
from pathlib import Path
from healthlint import Hit, Rule, Severity, hookimpl

LOG = Path(__file__).parent.parent / "checked.log"

def check(article, ctx):
    with LOG.open("a") as f:
        f.write(Path(article.path).name + "\\n")
    return []

@hookimpl
def healthlint_register_rules(register):
    register(Rule(code="TST901", name="counting", summary="counts", severity=Severity.ERROR, check=check))
"""

NOTICE_PLUGIN = """
from healthlint import Rule, Severity, hookimpl

def check(article, ctx):
    ctx.notice("service down")
    return []

@hookimpl
def healthlint_register_rules(register):
    register(Rule(code="TST902", name="needs-service", summary="s", severity=Severity.ERROR, check=check))
"""


def checked(root: Path) -> list[str]:
    log = root / "checked.log"
    names = sorted(log.read_text().split()) if log.exists() else []
    log.unlink(missing_ok=True)
    return names


def project(tmp_path: Path, config: str = 'select = ["TST"]\n', **plugins: str) -> Path:
    return make_project(tmp_path, config=config, plugins={"counting": COUNTING_PLUGIN, **plugins})


def test_unchanged_articles_are_not_checked_again(tmp_path, run_cli):
    root = project(tmp_path)
    first = run_cli("check", "articles", "-j", "1", cwd=root)
    assert checked(root) == ["bad.md", "good.md"]
    second = run_cli("check", "articles", "-j", "1", cwd=root)
    assert checked(root) == []
    assert second.stdout == first.stdout and second.exit_code == first.exit_code == 1
    assert (root / ".healthlint_cache" / "results.sqlite3").is_file()
    assert (root / ".healthlint_cache" / ".gitignore").read_text().strip().endswith("*")


def test_a_changed_article_is_checked_again_and_only_it(tmp_path, run_cli):
    root = project(tmp_path)
    run_cli("check", "articles", cwd=root)
    checked(root)
    (root / "articles" / "good.md").write_text("# Walking\n\nStill good.\n")
    run_cli("check", "articles", cwd=root)
    assert checked(root) == ["good.md"]


def test_config_and_plugin_changes_invalidate_the_cache(tmp_path, run_cli):
    root = project(tmp_path)
    run_cli("check", "articles", cwd=root)
    checked(root)
    (root / "healthlint.toml").write_text('select = ["TST"]\n[plugins.words]\nword = "walk"\n')
    result = run_cli("check", "articles", cwd=root)
    assert checked(root) == ["bad.md", "good.md"]
    assert "the word 'walk'" in result.stdout
    plugin = root / "plugins" / "counting.py"
    plugin.write_text(plugin.read_text() + "\n# edited\n")
    run_cli("check", "articles", cwd=root)
    assert checked(root) == ["bad.md", "good.md"]


def test_fail_on_is_applied_to_cached_results(tmp_path, run_cli):
    root = project(tmp_path, config='select = ["TST"]\n[severity]\nTST101 = "warning"\n')
    assert run_cli("check", "articles", cwd=root).exit_code == 0
    assert run_cli("check", "articles", "--fail-on", "warning", cwd=root).exit_code == 1


def test_no_cache_and_cache_dir(tmp_path, run_cli):
    root = project(tmp_path)
    run_cli("check", "articles", "--no-cache", cwd=root)
    assert not (root / ".healthlint_cache").exists()
    run_cli("check", "articles", "--cache-dir", "elsewhere", cwd=root)
    assert (root / "elsewhere" / "results.sqlite3").is_file()
    run_cli("check", "articles", cwd=root, env={"HEALTHLINT_CACHE_DIR": str(tmp_path / "from-env")})
    assert (tmp_path / "from-env" / "results.sqlite3").is_file()
    (root / "healthlint.toml").write_text('select = ["TST"]\ncache-dir = "cfg-cache"\n')
    run_cli("check", "articles", cwd=root)
    assert (root / "cfg-cache" / "results.sqlite3").is_file()


def test_results_of_incomplete_checks_are_not_cached(tmp_path, run_cli):
    root = project(tmp_path, notice=NOTICE_PLUGIN)
    first = run_cli("check", "articles", cwd=root)
    assert "notice: TST902 service down" in first.stdout
    checked(root)
    second = run_cli("check", "articles", cwd=root)
    assert checked(root) == ["bad.md", "good.md"]
    assert "notice: TST902 service down" in second.stdout


def test_a_broken_cache_never_fails_a_check(tmp_path, run_cli):
    root = project(tmp_path)
    (root / ".healthlint_cache").mkdir()
    (root / ".healthlint_cache" / "results.sqlite3").write_bytes(b"this is not a database" * 100)
    result = run_cli("check", "articles", cwd=root)
    assert result.exit_code == 1
    assert "TST101" in result.stdout
    assert "healthlint: warning: result cache in" in result.stderr


def test_stale_entries_are_pruned(tmp_path, run_cli):
    root = project(tmp_path)
    run_cli("check", "articles", cwd=root)
    db_path = root / ".healthlint_cache" / "results.sqlite3"
    with sqlite3.connect(db_path) as db:
        db.execute("INSERT INTO results VALUES ('old', 'gone.md', '{}', ?)", (time.time() - 90 * 24 * 3600,))
    run_cli("check", "articles", cwd=root)
    with sqlite3.connect(db_path) as db:
        keys = [row[0] for row in db.execute("SELECT key FROM results")]
    assert "old" not in keys and len(keys) == 2


def test_concurrent_processes_share_the_cache_safely(tmp_path):
    root = project(tmp_path)
    for i in range(30):
        (root / "articles" / f"extra{i}.md").write_text(f"# Note {i}\n\nA miracle number {i}.\n")
    env = {**os.environ, "NO_COLOR": "1"}
    command = [sys.executable, "-m", "healthlint", "check", "articles", "-j", "1"]
    procs = [
        subprocess.Popen(command, cwd=root, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    outputs = [p.communicate(timeout=120) for p in procs]
    assert [p.returncode for p in procs] == [1, 1, 1, 1]
    assert all(stderr == "" for _, stderr in outputs), [e for _, e in outputs]
    assert len({stdout for stdout, _ in outputs}) == 1
    with sqlite3.connect(root / ".healthlint_cache" / "results.sqlite3") as db:
        assert db.execute("SELECT COUNT(*) FROM results").fetchone()[0] == 32


def test_editing_a_file_named_in_plugin_options_invalidates_the_cache(tmp_path, run_cli):
    root = project(tmp_path, config='select = ["TST"]\n[plugins.words]\nword = "words.txt"\n')
    (root / "words.txt").write_text("one\n")
    run_cli("check", "articles", cwd=root)
    checked(root)
    run_cli("check", "articles", cwd=root)
    assert checked(root) == []
    (root / "words.txt").write_text("one\ntwo\n")
    run_cli("check", "articles", cwd=root)
    assert checked(root) == ["bad.md", "good.md"]


def test_editing_an_installed_plugins_code_invalidates_the_cache(tmp_path, run_cli, monkeypatch):
    import healthlint.storage.results as cache

    root = project(tmp_path)
    run_cli("check", "articles", cwd=root)
    checked(root)
    real_stamp = cache._stamp
    monkeypatch.setattr(
        cache, "_stamp", lambda path: real_stamp(path) + ("-edited" if path.name == "healthlint" else "")
    )
    run_cli("check", "articles", cwd=root)
    assert checked(root) == ["bad.md", "good.md"]


def test_a_setting_notice_keeps_results_cacheable(tmp_path, run_cli):
    steady = NOTICE_PLUGIN.replace('ctx.notice("service down")', 'ctx.notice("not configured", incomplete=False)')
    root = project(tmp_path, notice=steady)
    run_cli("check", "articles", cwd=root)
    checked(root)
    second = run_cli("check", "articles", cwd=root)
    assert checked(root) == []
    assert "notice: TST902 not configured" in second.stdout  # replayed from the cached result


def test_cached_results_print_exactly_what_a_fresh_check_prints(tmp_path, run_cli):
    """Every field of every finding (fixes, suggestions, metrics, notices) survives the cache."""
    root = Path(__file__).resolve().parents[1]
    cache = tmp_path / "cache"
    args = ("check", "articles", "--extend-select", "HL", "-f", "json", "-j", "1", "--cache-dir", str(cache))
    fresh = run_cli(*args, cwd=root)
    cached = run_cli(*args, cwd=root)
    assert sqlite3.connect(cache / "results.sqlite3").execute("SELECT COUNT(*) FROM results").fetchone()[0] >= 7
    assert cached.stdout == fresh.stdout
    assert cached.exit_code == fresh.exit_code == 1
    assert '"fix": {"replacement": ' in fresh.stdout  # the articles do exercise fixes


def test_a_stored_result_round_trips_and_a_damaged_one_is_refused():
    import pytest

    from healthlint.model import ArticleResult, Finding, Fix, Notice, Severity
    from healthlint.storage.results import pack_result, unpack_result

    result = ArticleResult(
        path="a.md",
        findings=[
            Finding("a.md", 3, 1, 3, 9, "HL103", "spinner", Severity.ERROR, "m", "x y", "s", Fix("z", True), "p"),
            Finding("a.md", 4, 2, 5, 1, "HL405", "plain", Severity.SUGGESTION, "m2", None, None, None, "q"),
        ],
        metrics={"words": 10, "nested": {"grade": 7.5, "list": [1, 2]}, "none": None},
        passed=False,
        notices=[Notice("HL003", "grammar not checked", "grammar")],
    )
    back = unpack_result(pack_result(result))
    assert back == result
    assert [f.fix for f in back.findings] == [Fix("z", True), None]
    assert back.notices == result.notices
    for damaged in (b"", b"\x00garbage", pack_result(result)[:-5]):
        with pytest.raises((ValueError, TypeError, KeyError, EOFError)):
            unpack_result(damaged)


def test_publish_reuses_what_check_cached_and_gives_the_same_site(tmp_path, run_cli):
    root = project(tmp_path)
    run_cli("check", "articles", "-j", "1", cwd=root)
    assert checked(root) == ["bad.md", "good.md"]
    cached = run_cli("publish", "articles", "--out", "site", "--no-progress", cwd=root)
    assert cached.exit_code == 0, cached.stderr
    assert checked(root) == []  # the check just run is not repeated
    pages = sorted(p.name for p in (root / "site").iterdir())
    assert "good.html" in pages and "bad.html" not in pages
    (root / "articles" / "good.md").write_text("# Walking\n\nA walk a day keeps you moving.\n")
    run_cli("publish", "articles", "--out", "site", "--no-progress", cwd=root)
    assert checked(root) == ["good.md"]  # only the changed article
    uncached = run_cli("publish", "articles", "--out", "fresh", "--no-cache", "--no-progress", cwd=root)
    assert checked(root) == ["bad.md", "good.md"]
    assert uncached.exit_code == 0
    assert (root / "fresh" / "good.html").read_bytes() == (root / "site" / "good.html").read_bytes()
    run_cli("publish", "articles", "--out", "site", "--cache-dir", "elsewhere", "--no-progress", cwd=root)
    assert (root / "elsewhere" / "results.sqlite3").is_file()


def test_publish_after_a_config_or_plugin_change_gates_on_fresh_results_not_what_check_cached(tmp_path, run_cli):
    root = project(tmp_path)
    config = root / "healthlint.toml"

    def published() -> list[str]:
        result = run_cli("publish", "articles", "--out", "site", "--no-progress", cwd=root)
        assert result.exit_code == 0, result.stderr
        return sorted(p.stem for p in (root / "site").glob("*.html") if p.stem != "index")

    run_cli("check", "articles", "-j", "1", cwd=root)
    assert checked(root) == ["bad.md", "good.md"]
    assert published() == ["good"] and checked(root) == []  # check's results, reused
    config.write_text('select = ["TST"]\n[plugins.words]\nword = "walk"\n')  # an option: good.md now fails
    run_cli("check", "articles", "-j", "1", cwd=root)
    config.write_text('select = ["TST"]\n[plugins.words]\nword = "walk"\n[severity]\nTST101 = "warning"\n')
    assert published() == ["bad", "good"]  # a severity below fail-on: both pass, though check cached good failing
    config.write_text('select = ["TST"]\n[plugins.words]\nword = "walk"\n')
    assert published() == ["bad"]
    config.write_text('select = ["TST"]\n')
    plugin = root / "plugins" / "words.py"
    plugin.write_text(plugin.read_text().replace('word: str = "miracle"', 'word: str = "stiffness"'))
    os.utime(plugin, (time.time() + 5, time.time() + 5))  # a new stamp, however coarse the file system's clock
    assert published() == ["bad"]  # the edited plugin flags good.md, and bad.md no longer


def test_a_run_with_a_plugin_that_failed_to_load_is_not_reused_once_it_is_gone(tmp_path, run_cli):
    # HL004 names a suppression's unknown code only when every plugin loaded (a failed one may have the code): the
    # results of a run with a plugin that failed differ from those of a run without it, so they must be kept apart.
    root = make_project(tmp_path, config='select = ["HL004"]\n', plugins={"acme": "raise RuntimeError('broken')\n"})
    (root / "articles" / "typo.md").write_text("# Walking\n\n<!-- healthlint: disable=ACME101 -->\nWalk daily.\n")
    failed = run_cli("check", "articles/typo.md", cwd=root)
    assert "acme" in failed.stderr and "ACME101" not in failed.stdout
    (root / "plugins" / "acme.py").unlink()
    gone = run_cli("check", "articles/typo.md", cwd=root)
    assert "ACME101 names no rule" in gone.stdout
    # and back: the result made without the plugin is not the failed run's either
    (root / "plugins" / "acme.py").write_text("raise RuntimeError('broken')\n")
    assert "ACME101" not in run_cli("check", "articles/typo.md", cwd=root).stdout


# -- a plugin distribution's other modules and data ------------------------------------------------------------------

ACME_PLUGIN = """
from pathlib import Path

from acme_words.core import PREFIX, words
from healthlint import Hit, Rule, Severity, hookimpl


def check(article, ctx):
    for block in article.blocks:
        for word in words():
            at = block.text.find(word)
            if at >= 0:
                yield block.hit(at, at + len(word), f"{PREFIX} word {word!r}")


@hookimpl
def healthlint_register_rules(register):
    register(Rule(code="ACM101", name="acme-word", summary="A word", severity=Severity.ERROR, check=check))
"""

ACME_CORE = """
import sys
from pathlib import Path

PREFIX = "banned"


def words():
    data = Path(__file__).resolve().parents[1] / "acme_data" / "words.txt"
    return data.read_text(encoding="utf-8").split() if data.exists() else ["miracle"]
"""


def _acme_site(site: Path, *, editable: bool) -> dict[str, Path]:
    files = {
        "acme_rules/__init__.py": ACME_PLUGIN,
        "acme_words/__init__.py": "",
        "acme_words/core.py": ACME_CORE,
        "acme_data/words.txt": "miracle\n",
    }
    for name, text in files.items():
        (site / name).parent.mkdir(parents=True, exist_ok=True)
        (site / name).write_text(text, encoding="utf-8")
    info = site / "acme_rules-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: acme-rules\nVersion: 1.0\n")
    (info / "entry_points.txt").write_text("[healthlint]\nacme = acme_rules\n")
    (info / "top_level.txt").write_text("acme_rules\nacme_words\n")
    listed = ["acme_rules-1.0.dist-info/METADATA", "acme_rules-1.0.dist-info/RECORD"]
    if editable:  # the packages live in a checkout; RECORD lists only the path file pointing there
        (info / "direct_url.json").write_text('{"dir_info": {"editable": true}, "url": "file:///checkout"}')
        listed.append("__editable__.acme_rules-1.0.pth")
    else:
        listed += list(files)
    (info / "RECORD").write_text("".join(f"{name},,\n" for name in listed))
    return {
        "rules": site / "acme_rules/__init__.py",
        "other": site / "acme_words/core.py",
        "data": site / "acme_data/words.txt",
    }


def _edit(path: Path, old: str, new: str) -> None:
    before = path.stat().st_mtime_ns
    path.write_text(path.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    os.utime(path, ns=(before + 2_000_000_000, before + 2_000_000_000))  # a coarse file system's clock


@pytest.mark.parametrize("install", ["installed", "editable"])
def test_an_edit_anywhere_in_a_plugin_distribution_invalidates_cached_results(tmp_path, install: str):
    # the cache stamped only the plugin module's top-level package: a rule's helper in another package of the same
    # distribution, or its data file, changed and the cached findings were printed as they were
    site = tmp_path / "site"
    site.mkdir()
    paths = _acme_site(site, editable=install == "editable")
    root = tmp_path / "project"
    (root / "articles").mkdir(parents=True)
    (root / "healthlint.toml").write_text('select = ["ACM"]\n')
    (root / "articles" / "a.md").write_text("# Tea\n\nA miracle tea, and a wonder herb.\n")
    env = {**os.environ, "PYTHONPATH": str(site), "NO_COLOR": "1", "PYTHONDONTWRITEBYTECODE": "1"}
    env.pop("HEALTHLINT_DISABLE_PLUGIN_AUTOLOAD", None)

    def messages() -> list[str]:
        done = subprocess.run(
            [sys.executable, "-m", "healthlint", "check", "articles", "-f", "json", "--cache-dir", str(tmp_path / "c")],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode in (0, 1), done.stderr
        return [f["message"] for a in json.loads(done.stdout)["articles"] for f in a["findings"]]

    assert messages() == ["banned word 'miracle'"]
    assert messages() == ["banned word 'miracle'"]  # cached
    _edit(paths["other"], '"banned"', '"forbidden"')  # another package of the distribution
    assert messages() == ["forbidden word 'miracle'"]
    if install == "installed":  # a data file the distribution installed outside its packages
        _edit(paths["data"], "miracle", "wonder")
        assert messages() == ["forbidden word 'wonder'"]
    _edit(paths["rules"], "{PREFIX} word", "{PREFIX} term")  # the plugin's own module, as before
    assert messages() == [f"forbidden term {'wonder' if install == 'installed' else 'miracle'!r}"]


def test_an_edit_to_a_file_beside_a_local_plugin_invalidates_cached_results(tmp_path, run_cli):
    # a local plugin reading a word list (or a helper module) in the plugins folder: only its own file was stamped
    reading = COUNTING_PLUGIN.replace(
        "    return []", "    (Path(__file__).parent / 'words.txt').read_text()\n    return []"
    )
    root = project(tmp_path, counting=reading)
    (root / "plugins" / "words.txt").write_text("one\n")
    run_cli("check", "articles", cwd=root)
    assert checked(root) == ["bad.md", "good.md"]
    run_cli("check", "articles", cwd=root)
    assert checked(root) == []
    _edit(root / "plugins" / "words.txt", "one", "one two")
    run_cli("check", "articles", cwd=root)
    assert checked(root) == ["bad.md", "good.md"]


def test_a_plugins_folder_that_holds_the_result_cache_is_not_invalidated_by_the_run_itself(tmp_path):
    # plugins-dir = "." (the project's own folder): every file of the plugins folder was stamped, the result cache's
    # database among them, so each run's own write made the next run a miss; with bytecode written (no
    # PYTHONDONTWRITEBYTECODE), its __pycache__ must not count either. A word list beside the plugin still does.
    root = tmp_path / "project"
    (root / "articles").mkdir(parents=True)
    (root / "healthlint.toml").write_text('select = ["TST"]\nplugins-dir = "."\n', encoding="utf-8")
    (root / "counting.py").write_text(
        COUNTING_PLUGIN.replace(
            "    return []", "    (Path(__file__).parent / 'words.txt').read_text()\n    return []"
        ),
        encoding="utf-8",
    )
    (root / "words.txt").write_text("one\n", encoding="utf-8")
    (root / "articles" / "a.md").write_text("# Tea\n\nA cup of tea.\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    env.pop("HEALTHLINT_CACHE_DIR", None)

    def run() -> list[str]:
        done = subprocess.run(
            [sys.executable, "-m", "healthlint", "check", "articles"],
            cwd=root,
            env=env,
            capture_output=True,
            text=True,
            check=False,
        )
        assert done.returncode == 0, done.stderr
        log = tmp_path / "checked.log"  # the counting plugin's log: its folder's parent
        names = sorted(log.read_text().split()) if log.exists() else []
        log.unlink(missing_ok=True)
        return names

    assert run() == ["a.md"]
    assert (root / ".healthlint_cache").is_dir() and (root / "__pycache__").is_dir()
    assert run() == []
    assert run() == []
    _edit(root / "words.txt", "one", "one two")
    assert run() == ["a.md"]
