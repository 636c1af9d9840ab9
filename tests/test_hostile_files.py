"""Hostile file names, folders and outputs: reported or refused by name, never a crash, nothing overwritten blindly."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from healthlint.api import lint_paths
from healthlint.console import terminal_safe
from healthlint.engine.driver import shown_name
from tests.test_bad_input import assert_clean_exit, healthlint

ARTICLE = "# Tea\n\nThis tea cures every illness, they say.\n"
HOSTILE_NAME = b"bad\xff\x1b]0;owned\x07\x1b[31mname.md"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    articles = tmp_path / "arts"
    articles.mkdir()
    (articles / "a.md").write_text(ARTICLE, encoding="utf-8")
    (articles / os.fsdecode(HOSTILE_NAME)).write_text(ARTICLE, encoding="utf-8")
    return tmp_path


def test_shown_names_escape_bytes_that_are_not_text_and_control_characters():
    assert shown_name("arts/plain-é.md") == "arts/plain-é.md"
    assert shown_name(os.fsdecode(HOSTILE_NAME)) == "bad\\xff\\x1b]0;owned\\x07\\x1b[31mname.md"
    assert terminal_safe("a\x1b[2Jb\nc\x9bd") == "a\\x1b[2Jb\nc\\x9bd"


def test_json_output_stays_utf8_and_text_output_has_no_escape_sequences(folder):
    proc = healthlint("check", "arts", "--no-cache", "--format", "json", cwd=folder, timeout=120)
    assert_clean_exit(proc, (1,))
    paths = {a["path"] for a in json.loads(proc.stdout)["articles"]}
    assert paths == {"arts/a.md", "arts/bad\\xff\\x1b]0;owned\\x07\\x1b[31mname.md"}
    done = subprocess.run(
        [sys.executable, "-m", "healthlint", "check", "arts", "--no-cache"],
        cwd=folder,
        capture_output=True,
        env={**os.environ, "NO_COLOR": "1"},
        timeout=120,
    )
    assert done.returncode == 1 and b"\x1b" not in done.stdout and b"\xff" not in done.stdout
    done.stdout.decode("utf-8")


def test_publish_names_an_undecodable_file_safely(folder):
    proc = healthlint("publish", "arts", "--out", "site", cwd=folder, timeout=120)
    assert_clean_exit(proc, (0,))
    manifest = json.loads((folder / "site" / "manifest.json").read_bytes().decode("utf-8"))
    assert "arts/bad\\xff\\x1b]0;owned\\x07\\x1b[31mname.md" in {w["source"] for w in manifest["withheld"]}


def test_a_plugin_message_cannot_drive_the_terminal(tmp_path):
    (tmp_path / "plugins").mkdir()
    (tmp_path / "plugins" / "loud.py").write_text(
        "from healthlint import Rule, Severity, hookimpl\n"
        "def check(article, ctx):\n"
        "    yield article.line_hit(1, 'red \\x1b[31malert\\x1b[0m', suggestion='clear \\x1b[2J')\n"
        "@hookimpl\n"
        "def healthlint_register_rules(register):\n"
        "    register(Rule(code='TST901', name='loud', summary='s', severity=Severity.ERROR, check=check))\n",
        encoding="utf-8",
    )
    (tmp_path / "healthlint.toml").write_text('select = ["TST"]\n', encoding="utf-8")
    (tmp_path / "a.md").write_text(ARTICLE, encoding="utf-8")
    proc = healthlint("check", "a.md", "--no-cache", cwd=tmp_path, timeout=120)
    assert_clean_exit(proc, (1,))
    assert "\x1b" not in proc.stdout
    assert "red \\x1b[31malert\\x1b[0m" in proc.stdout and "clear \\x1b[2J" in proc.stdout


def test_an_unlistable_folder_is_hl001_not_skipped(folder, monkeypatch):
    locked = folder / "arts" / "locked"
    locked.mkdir()
    (locked / "hidden.md").write_text(ARTICLE, encoding="utf-8")
    real_scandir = os.scandir

    def scandir(path=None):  # root reads any folder: refuse this one as chmod 000 would
        if path is not None and os.path.realpath(path) == str(locked):
            raise PermissionError(13, "Permission denied", os.fspath(path))
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    monkeypatch.chdir(folder)
    report = lint_paths(["arts"], select=["HL0"])
    results = {r.path: r for r in report.articles}
    assert "arts/locked/hidden.md" not in results
    [finding] = results["arts/locked"].findings
    assert finding.code == "HL001" and not results["arts/locked"].passed
    assert finding.message == "folder cannot be read: permission denied; the articles in it were not checked"


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read a folder of mode 000")
def test_an_unreadable_folder_is_reported_through_the_cli(folder):
    locked = folder / "arts" / "locked"
    locked.mkdir()
    (locked / "hidden.md").write_text(ARTICLE, encoding="utf-8")
    locked.chmod(0)
    try:
        proc = healthlint("check", "arts", "--select", "HL0", "--no-cache", cwd=folder, timeout=120)
    finally:
        locked.chmod(0o755)
    assert_clean_exit(proc, (1,))
    assert "arts/locked:1:1: HL001 [error] folder cannot be read: permission denied" in proc.stdout


def test_an_empty_path_is_a_usage_error(folder):
    proc = healthlint("check", "", cwd=folder, timeout=60)
    assert_clean_exit(proc, (2,))
    assert proc.stderr.strip() == "healthlint: error: an empty path names no file or folder"


def test_a_closed_stdout_ends_cleanly_with_the_gate_in_the_exit_code(folder):
    done = subprocess.run(
        [sys.executable, "-m", "healthlint", "check", "arts/a.md", "--select", "HL0", "--no-cache"],
        cwd=folder,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=120,
        pass_fds=(),
        preexec_fn=lambda: os.close(1),
    )
    assert done.returncode == 0 and "Traceback" not in done.stderr
    assert "standard output is closed" in done.stderr


@pytest.mark.parametrize("option", ["-o", "--write-baseline"])
def test_outputs_follow_symlinks_stream_to_fifos_and_keep_the_umask(folder, option):
    (folder / "real.json").write_text("old", encoding="utf-8")
    (folder / "link.json").symlink_to("real.json")
    proc = healthlint("check", "arts", "--no-cache", "-f", "json", option, "link.json", cwd=folder, timeout=120)
    assert_clean_exit(proc, (0, 1))
    assert (folder / "link.json").is_symlink() and json.loads((folder / "real.json").read_text())
    old_umask = os.umask(0o027)
    try:
        proc = healthlint("check", "arts", "--no-cache", option, "new.json", cwd=folder, timeout=120)
    finally:
        os.umask(old_umask)
    assert_clean_exit(proc, (0, 1))
    assert stat.S_IMODE((folder / "new.json").stat().st_mode) == 0o640
    os.mkfifo(folder / "pipe")
    reader = subprocess.Popen(["cat", "pipe"], cwd=folder, stdout=subprocess.PIPE)
    proc = healthlint("check", "arts", "--no-cache", option, "pipe", cwd=folder, timeout=120)
    streamed = reader.communicate(timeout=60)[0]
    assert_clean_exit(proc, (0, 1))
    assert stat.S_ISFIFO((folder / "pipe").stat().st_mode) and streamed
    proc = healthlint("check", "arts", "--no-cache", option, "/dev/null", cwd=folder, timeout=120)
    assert_clean_exit(proc, (0, 1))
    assert stat.S_ISCHR(os.stat("/dev/null").st_mode)


@pytest.mark.parametrize("target", ["arts/a.md/out.json", "/proc/healthlint-out.json"])
@pytest.mark.parametrize("option", ["-o", "--write-baseline"])
def test_an_output_that_cannot_be_written_is_exit_2_naming_it(folder, option, target):
    proc = healthlint("check", "arts", "--no-cache", option, target, cwd=folder, timeout=120)
    assert_clean_exit(proc, (2,))
    assert proc.stderr.strip().splitlines()[-1].startswith(f"healthlint: error: {target}: cannot be written: ")
    assert (folder / "arts" / "a.md").read_text(encoding="utf-8") == ARTICLE


def test_reading_the_umask_does_not_change_the_mode_of_files_other_threads_make(tmp_path):
    import threading

    from healthlint.storage.atomic import new_file_mode

    old_umask = os.umask(0o077)
    stop = threading.Event()

    def read_the_umask() -> None:
        while not stop.is_set():
            assert new_file_mode() == 0o600

    reader = threading.Thread(target=read_the_umask)
    reader.start()
    try:
        modes = set()
        for n in range(2000):  # made while the other thread reads the umask, again and again
            made = tmp_path / f"private{n}"
            os.close(os.open(made, os.O_CREAT | os.O_WRONLY, 0o666))
            modes.add(stat.S_IMODE(made.stat().st_mode))
            made.unlink()
    finally:
        stop.set()
        reader.join()
        os.umask(old_umask)
    assert modes == {0o600}  # was also 0o644 (set to 022 for the moment it was read): readable by everyone
