"""``healthlint cache info|build|clear``: the machine's data cache, in a temporary HEALTHLINT_CACHE_DIR."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from healthlint.storage import command, datacache

LEXICON_KEY_OF_NO_VERSION = "lexicon-0000000000000000.marshal"


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """A data cache folder filled by the real command, in a process of its own (the thesaurus index: 10 to 20 s)."""
    folder = tmp_path_factory.mktemp("datacache")
    env = {**os.environ, datacache.CACHE_ENV: str(folder), "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-m", "healthlint", "cache", "build"],
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    return folder, done


def _env(folder: Path) -> dict[str, str]:
    return {datacache.CACHE_ENV: str(folder)}


def test_build_writes_every_file_this_installation_uses(built):
    folder, done = built
    assert done.returncode == 0, done.stderr
    assert "Traceback" not in done.stderr
    names = command.current_names()
    assert names[command.LEXICON] is not None
    for kind, name in names.items():
        if name is None:  # a package the file is built from is not installed: the step says it skipped
            assert f"{kind}: skipped" in done.stdout
            continue
        assert (folder / name).is_file(), (kind, done.stdout)
        assert f"{kind}: built {name}" in done.stdout
    assert (folder / names[command.LEXICON]).stat().st_size > 1_000_000


def test_a_second_build_finds_the_files_and_rewrites_none(built, run_cli):
    folder, _ = built
    names = command.current_names()
    lexicon = folder / str(names[command.LEXICON])
    before = lexicon.stat().st_mtime_ns
    result = run_cli("cache", "build", env=_env(folder))
    assert result.exit_code == 0, result.stderr
    assert f"thesaurus index: found {lexicon.name}" in result.stdout
    assert "built" not in result.stdout
    assert lexicon.stat().st_mtime_ns == before


def test_info_lists_the_built_files_as_used(built, run_cli):
    folder, _ = built
    result = run_cli("cache", "info", env=_env(folder))
    assert result.exit_code == 0, result.stderr
    assert result.lines[0] == f"data cache: {folder} (chosen by HEALTHLINT_CACHE_DIR)"
    for name in command.current_names().values():
        if name is not None:
            line = next(line for line in result.lines if line.strip().startswith(name))
            assert line.endswith("used")
    assert "not built yet" not in result.stdout


def test_info_as_json_parses_and_marks_the_current_files(built, run_cli):
    folder, _ = built
    result = run_cli("cache", "info", "--format", "json", env=_env(folder))
    assert result.exit_code == 0, result.stderr
    document = json.loads(result.stdout)
    assert document["folder"] == str(folder)
    assert document["chosen_by"] == "HEALTHLINT_CACHE_DIR"
    assert document["not_built"] == []
    files = {entry["name"]: entry for entry in document["files"]}
    lexicon = files[str(command.current_names()[command.LEXICON])]
    assert lexicon == {
        "name": lexicon["name"],
        "kind": "thesaurus index",
        "size": (folder / lexicon["name"]).stat().st_size,
        "download": False,
        "used": True,
        "removable": True,
    }


def test_clear_removes_the_built_files_and_keeps_downloads(built, run_cli, tmp_path):
    folder = tmp_path / "cache"
    shutil.copytree(built[0], folder)
    model = folder / "SmolLM2-135M-Instruct.Q4_1.gguf"
    model.write_bytes(b"not really a model")
    results = folder / "results.sqlite3"  # a result cache sharing the folder: not the data cache's
    results.write_bytes(b"x")
    built_files = {path.name for path in built[0].iterdir()}

    result = run_cli("cache", "clear", env=_env(folder))
    assert result.exit_code == 0, result.stderr
    assert sorted(path.name for path in folder.iterdir()) == ["SmolLM2-135M-Instruct.Q4_1.gguf", "results.sqlite3"]
    for name in built_files:
        assert any(line.startswith(f"removed {name} (") for line in result.lines), name
    assert "downloads kept" in result.lines[-1]

    result = run_cli("cache", "clear", "--downloads", env=_env(folder))
    assert result.exit_code == 0, result.stderr
    assert [path.name for path in folder.iterdir()] == ["results.sqlite3"]
    assert result.lines[0] == "removed SmolLM2-135M-Instruct.Q4_1.gguf (deep-stage model, 18 B)"


def _fake_cache(folder: Path) -> dict[str, bytes]:
    """Small files named as the data cache names them: the current ones, a leftover, a lock, downloads."""
    names = command.current_names()
    files = {
        str(names[command.LEXICON]): b"l" * 2000,
        LEXICON_KEY_OF_NO_VERSION: b"o" * 1000,
        "lexicon.lock": b"",
        ".trigram-abc.bin.x1y2.tmp": b"t" * 10,
        "languagetool-0.1/languagetool-server-0.1.jar": b"j" * 500,
        "languagetool/ab/abcdef.json": b"[]",
        "notes.txt": b"mine",
    }
    for name, data in files.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    return files


def test_info_tells_leftovers_downloads_and_unknown_files_apart(tmp_path, run_cli):
    _fake_cache(tmp_path)
    result = run_cli("cache", "info", "--format", "json", env=_env(tmp_path))
    files = {entry["name"]: entry for entry in json.loads(result.stdout)["files"]}
    current = str(command.current_names()[command.LEXICON])
    assert files[current]["used"] is True
    assert files[LEXICON_KEY_OF_NO_VERSION]["used"] is False
    assert files[LEXICON_KEY_OF_NO_VERSION]["kind"] == "thesaurus index"
    assert files["lexicon.lock"]["kind"] == "build lock"
    assert files[".trigram-abc.bin.x1y2.tmp"]["kind"] == "unfinished write"
    assert files["languagetool-0.1"] == {
        "name": "languagetool-0.1",
        "kind": "LanguageTool",
        "size": 500,
        "download": True,
        "used": False,
        "removable": True,
    }
    assert files["languagetool"]["kind"] == "LanguageTool answers"
    assert files["notes.txt"]["removable"] is False

    text = run_cli("cache", "info", env=_env(tmp_path))
    assert any(
        line.startswith(f"  {LEXICON_KEY_OF_NO_VERSION}") and line.endswith("leftover of another version")
        for line in text.lines
    )
    assert any(line.startswith("downloads (500 B)") for line in text.lines)


def test_clear_dry_run_removes_nothing(tmp_path, run_cli):
    files = _fake_cache(tmp_path)
    before = sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*"))
    result = run_cli("cache", "clear", "--dry-run", "--downloads", env=_env(tmp_path))
    assert result.exit_code == 0, result.stderr
    assert sorted(str(path.relative_to(tmp_path)) for path in tmp_path.rglob("*")) == before
    assert f"would remove {LEXICON_KEY_OF_NO_VERSION} (thesaurus index, 1.0 KB)" in result.lines
    assert not any("notes.txt" in line for line in result.lines)
    freed = sum(len(data) for name, data in files.items() if name != "notes.txt")
    assert result.lines[-1] == f"would remove 6 from {tmp_path}: {command.human_size(freed)} to free"

    result = run_cli("cache", "clear", env=_env(tmp_path))
    assert sorted(path.name for path in tmp_path.iterdir()) == ["languagetool-0.1", "notes.txt"]


def test_build_in_a_folder_that_cannot_be_written_is_a_clear_error(tmp_path, run_cli):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = run_cli("cache", "build", env=_env(blocker / "cache"))
    assert result.exit_code == 2
    assert result.exception is None
    assert result.stderr.startswith(f"healthlint: error: the data cache folder {blocker / 'cache'} is not writable")
    assert "Traceback" not in result.stderr


def test_the_setting_that_chose_the_folder_is_named(monkeypatch, tmp_path):
    monkeypatch.delenv(datacache.CACHE_ENV, raising=False)
    monkeypatch.delenv("XDG_CACHE_HOME", raising=False)
    assert datacache.data_cache_source() == "home"
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    assert datacache.data_cache_source() == "XDG_CACHE_HOME"
    assert datacache.data_cache_dir() == tmp_path / "healthlint"
    monkeypatch.setenv(datacache.CACHE_ENV, str(tmp_path / "x"))
    assert datacache.data_cache_source() == "HEALTHLINT_CACHE_DIR"


def test_clear_leaves_no_file_behind_when_its_process_exits(tmp_path):
    # The command's own process compiles patterns as it starts; they must not be written back after the clear.
    (tmp_path / LEXICON_KEY_OF_NO_VERSION).write_bytes(b"old")
    env = {**os.environ, datacache.CACHE_ENV: str(tmp_path)}
    done = subprocess.run(
        [sys.executable, "-m", "healthlint", "cache", "clear"], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert f"removed {LEXICON_KEY_OF_NO_VERSION} (thesaurus index, 3 B)" in done.stdout
    assert list(tmp_path.iterdir()) == []


def test_a_model_fetch_left_unfinished_by_an_older_release_is_an_unfinished_write(tmp_path, run_cli):
    (tmp_path / "SmolLM2-135M-Instruct.Q4_1.gguf.partial").write_bytes(b"p" * 10)
    result = run_cli("cache", "info", "--format", "json", env=_env(tmp_path))
    files = {entry["name"]: entry for entry in json.loads(result.stdout)["files"]}
    assert files["SmolLM2-135M-Instruct.Q4_1.gguf.partial"]["kind"] == "unfinished write"
    assert run_cli("cache", "clear", env=_env(tmp_path)).exit_code == 0
    assert list(tmp_path.iterdir()) == []


def test_info_says_when_the_folder_cannot_keep_what_runs_build(tmp_path, run_cli):
    # HOME or XDG_CACHE_HOME read-only on a CI runner: checks still work, but each one builds the thesaurus index
    # again (10 to 20 s). `cache info` is where a CI engineer looks; it must say so, and why.
    (tmp_path / "a-file").write_text("", encoding="utf-8")
    folder = tmp_path / "a-file" / "healthlint"
    text = run_cli("cache", "info", env=_env(folder))
    assert text.exit_code == 0
    assert text.stdout.splitlines()[0] == (
        f"data cache: {folder} (chosen by HEALTHLINT_CACHE_DIR; it does not exist yet; not writable, so every run"
        " builds what it needs: set HEALTHLINT_CACHE_DIR to a folder that is)"
    )
    document = json.loads(run_cli("cache", "info", "--format", "json", env=_env(folder)).stdout)
    assert document["exists"] is False and document["writable"] is False
    assert json.loads(run_cli("cache", "info", "--format", "json", env=_env(tmp_path)).stdout)["writable"] is True
    text = run_cli("cache", "info", env=_env(tmp_path / "a-file"))  # HEALTHLINT_CACHE_DIR naming a file
    assert "(chosen by HEALTHLINT_CACHE_DIR; it is a file, not a folder; not writable," in text.stdout.splitlines()[0]


def test_build_beside_a_broken_local_plugin_compiles_the_built_in_rules_without_a_python_warning(built, tmp_path):
    # The regex step checks a sample article with the built-in rules; since the API warns of a plugin that failed
    # to load, a build run in a project whose plugins folder holds a broken plugin printed Python's raw warning
    # (file, line and source of healthlint's own code), and under -W error the step failed.
    folder, _ = built
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "broken.py").write_text("raise RuntimeError('half written')\n", encoding="utf-8")
    env = {**os.environ, datacache.CACHE_ENV: str(folder), "NO_COLOR": "1"}
    done = subprocess.run(
        [sys.executable, "-W", "error::UserWarning", "-m", "healthlint", "cache", "build"],
        cwd=tmp_path,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert "Warning" not in done.stderr and "Traceback" not in done.stderr
    assert "compiled regexes: found" in done.stdout
