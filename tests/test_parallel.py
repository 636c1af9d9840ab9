"""--jobs: worker processes give the same output, in the same order, as one process."""

from __future__ import annotations

import json
import shutil
import sys

import pytest

from .conftest import SHARED
from .helpers import make_project

CRASHING_PLUGIN = """
from healthlint import Hit, Rule, Severity, hookimpl

def check(article, ctx):
    if "7" in article.path:
        raise ValueError("seven")
    ctx.notice("from a worker")
    yield Hit(1, 1, "seen " + article.path)

@hookimpl
def healthlint_register_rules(register):
    register(Rule(code="TST701", name="sometimes-crash", summary="s", severity=Severity.WARNING, check=check))
"""


def test_jobs_output_is_identical_to_one_process(tmp_path, run_cli):
    root = make_project(tmp_path, config='select = ["TST", "HL"]\n', plugins={"crash": CRASHING_PLUGIN})
    for i in range(40):
        (root / "articles" / f"n{i:02d}.md").write_text(f"# Note {i}\n\nA miracle {i}.\n" * (i % 5 + 1))
    if (SHARED / "seeds").is_dir():
        shutil.copytree(SHARED / "seeds", root / "articles" / "seeds", ignore=shutil.ignore_patterns("*.json"))
    one = run_cli("check", "articles", "-j", "1", "--no-cache", "--format", "json", cwd=root)
    two = run_cli("check", "articles", "-j", "2", "--no-cache", "--format", "json", cwd=root)
    assert one.exit_code == two.exit_code
    assert one.stdout == two.stdout
    data = json.loads(two.stdout)
    paths = [a["path"] for a in data["articles"]]
    assert paths == sorted(paths)
    crashed = [f for a in data["articles"] for f in a["findings"] if f["code"] == "HL002"]
    assert crashed and all("ValueError: seven" in f["message"] for f in crashed)
    # a notice raised in several workers is reported once
    assert [n for n in data["notices"] if n["code"] == "TST701"] == [
        {"code": "TST701", "message": "from a worker", "plugin": "crash"}
    ]
    text_one = run_cli("check", "articles", "-j", "1", "--no-cache", cwd=root)
    text_two = run_cli("check", "articles", "-j", "2", "--no-cache", cwd=root)
    assert text_one.stdout == text_two.stdout


def test_jobs_must_be_positive(tmp_path, run_cli):
    make_project(tmp_path)
    assert run_cli("check", "articles", "-j", "0", cwd=tmp_path).exit_code == 2
    (tmp_path / "healthlint.toml").write_text("jobs = 0\n")
    result = run_cli("check", "articles", cwd=tmp_path)
    assert result.exit_code == 2 and "jobs: must be a whole number of at least 1" in result.stderr


GC_PROBE = """
import gc
from pathlib import Path
from healthlint import hookimpl

@hookimpl
def healthlint_report_finished(report, config):
    Path("frozen.txt").write_text(str(gc.get_freeze_count()))
"""


def test_the_program_freezes_loaded_data_but_in_process_callers_are_left_alone(tmp_path, run_cli):
    import gc
    import os
    import subprocess
    import sys

    root = make_project(tmp_path, plugins={"probe": GC_PROBE})
    for jobs in ("1", "2"):
        proc = subprocess.run(
            [sys.executable, "-m", "healthlint", "check", "--no-cache", "-j", jobs, "articles"],
            cwd=root,
            capture_output=True,
            text=True,
            env={**os.environ, "NO_COLOR": "1"},
        )
        assert proc.returncode == 1, proc.stderr
        assert int((root / "frozen.txt").read_text()) > 10_000  # the program froze what it had loaded
    before = gc.get_freeze_count(), gc.get_threshold()
    assert run_cli("check", "--no-cache", "-j", "1", "articles", cwd=root).exit_code == 1
    assert (gc.get_freeze_count(), gc.get_threshold()) == before  # this test process was not touched


#: The first article (checked in the parent) passes at once; every other one says so and waits a minute.
SLOW_PLUGIN = """
import os
import time
from pathlib import Path

from healthlint import Rule, Severity, hookimpl


def check(article, ctx):
    if not article.path.endswith("a00.md"):
        Path(os.environ["REACHED"]).write_text("checking")
        time.sleep(60)
    return []


@hookimpl
def healthlint_register_rules(register):
    register(Rule(code="TST301", name="slow", summary="Slow", severity=Severity.ERROR, check=check))
"""


def test_ctrl_c_stops_the_workers_at_once_and_does_not_check_what_is_queued(tmp_path):
    import os
    import signal
    import subprocess
    import sys
    import time

    root = make_project(tmp_path, config='select = ["TST3"]\n', plugins={"slow": SLOW_PLUGIN})
    for n in range(8):
        (root / "articles" / f"a{n:02}.md").write_text("# A walk\n\nWalk each day.\n", encoding="utf-8")
    reached = tmp_path / "reached"
    process = subprocess.Popen(
        [sys.executable, "-m", "healthlint", "check", "--no-cache", "-j", "2", "articles"],
        cwd=root,
        env={**os.environ, "REACHED": str(reached), "NO_COLOR": "1", "HEALTHLINT_DISABLE_PLUGIN_AUTOLOAD": "1"},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own process group, which a terminal's Ctrl-C signals whole
        # A suite started in the background (`pytest &` in a script, nohup) ignores SIGINT, and the child inherits
        # that: Python then installs no KeyboardInterrupt handler, and the run went on to the end.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        deadline = time.monotonic() + 60
        while not reached.exists():
            assert process.poll() is None, process.communicate()
            assert time.monotonic() < deadline, "no worker started"
            time.sleep(0.01)
        time.sleep(0.5)  # both workers busy, the rest queued
        started = time.monotonic()
        os.killpg(process.pid, signal.SIGINT)
        _, err = process.communicate(timeout=50)  # was: every queued article checked first (a minute each here)
        assert time.monotonic() - started < 20
    finally:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    assert process.returncode == 130
    assert err.splitlines() == ["healthlint: interrupted"]


#: Records, one line each, the process that prepared the workers and each process that checked an article.
PREPARE_PROBE = """
import os
from healthlint import Rule, Severity, hookimpl


def record(what):
    with open(os.environ["PROBE_LOG"], "a", encoding="utf-8") as log:
        log.write(f"{what} {os.getpid()}\\n")


def check(article, ctx):
    record("checked")
    return []


@hookimpl
def healthlint_prepare_workers(config, selection):
    assert selection.is_selected("TST801")
    record("prepared")


@hookimpl
def healthlint_register_rules(register):
    register(Rule(code="TST801", name="probe", summary="Probe", severity=Severity.WARNING, check=check))
"""


def test_hook_healthlint_prepare_workers(tmp_path, run_cli):
    import os

    root = make_project(tmp_path, config='select = ["TST8"]\n', plugins={"probe": PREPARE_PROBE})
    for n in range(4):
        (root / "articles" / f"a{n}.md").write_text(f"# Note {n}\n\nWalk every day.\n", encoding="utf-8")
    log = tmp_path / "probe.log"
    env = {"PROBE_LOG": str(log)}

    def run(*args: str) -> list[tuple[str, int]]:
        log.unlink(missing_ok=True)
        assert run_cli("check", *args, "articles", cwd=root, env=env).exit_code == 0
        lines = log.read_text(encoding="utf-8").split() if log.exists() else []
        return [(what, int(pid)) for what, pid in zip(lines[::2], lines[1::2], strict=True)]

    here = os.getpid()  # run_cli runs the command in this process: the parent
    events = run("-j", "2")  # six articles, none cached: the parent checks the first, then prepares, then forks
    assert events[:2] == [("checked", here), ("prepared", here)]
    assert sorted(what for what, _ in events[2:]) == ["checked"] * 5
    assert all(pid != here for _, pid in events[2:])
    assert run("-j", "2") == []  # every result from the cache: nothing checked, nothing to prepare
    (root / "articles" / "a3.md").write_text("# Note 3\n\nWalk every other day.\n", encoding="utf-8")
    assert run("-j", "2") == [("checked", here)]  # one article to check: the parent checks it, no worker
    assert run("-j", "1", "--no-cache") == [("checked", here)] * 6  # one process: no workers to prepare


def test_a_run_that_reads_every_result_shuts_the_workers_down_as_done_not_as_stopped(tmp_path, run_cli, monkeypatch):
    import threading

    from healthlint.engine import parallel

    root = make_project(tmp_path)
    for n in range(4):
        (root / "articles" / f"a{n}.md").write_text(f"# Note {n}\n\nWalk every day.\n", encoding="utf-8")
    stopped: list[object] = []
    stop = parallel._stop
    monkeypatch.setattr(parallel, "_stop", lambda pool: (stopped.append(pool), stop(pool)))
    assert run_cli("check", "-j", "2", "--no-cache", "articles", cwd=root).exit_code in (0, 1)
    # Stopped (as for Ctrl-C or a reader that gave up), the workers were killed and the pool's thread was left
    # to race the interpreter's exit ("Exception ignored ... Bad file descriptor" on stderr, now and then).
    assert stopped == []
    assert not [t for t in threading.enumerate() if type(t).__name__ == "_ExecutorManagerThread"]


#: Each worker writes its process id to a file of its own, then works on its article for a minute.
PID_PLUGIN = """
import os
import time
from pathlib import Path

from healthlint import Rule, Severity, hookimpl


def check(article, ctx):
    if not article.path.endswith("a00.md"):  # the parent checks the first article itself, before it forks
        Path(os.environ["PIDS"], str(os.getpid())).write_text("checking")
        time.sleep(60)
    return []


@hookimpl
def healthlint_register_rules(register):
    register(Rule(code="TST302", name="slow", summary="Slow", severity=Severity.ERROR, check=check))
"""


def _alive(pid: int) -> bool:
    import os

    try:
        with open(f"/proc/{pid}/stat", encoding="utf-8") as stat:
            return stat.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has ended
    except FileNotFoundError:
        return False
    except OSError:
        return os.path.exists(f"/proc/{pid}")


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers are forks on Linux only")
@pytest.mark.parametrize("signum", ["SIGTERM", "SIGKILL"])
def test_workers_end_with_a_check_that_is_killed(tmp_path, signum):
    # A CI job cancelled or timed out (SIGTERM, then SIGKILL) ends the `healthlint check` process alone, not its
    # process group: its workers, forks blocked on the task queue whose writing end they hold too, slept for ever.
    import os
    import signal
    import subprocess
    import time

    root = make_project(tmp_path, config='select = ["TST3"]\n', plugins={"slow": PID_PLUGIN})
    for n in range(8):
        (root / "articles" / f"a{n:02}.md").write_text("# A walk\n\nWalk each day.\n", encoding="utf-8")
    pids = tmp_path / "pids"
    pids.mkdir()
    process = subprocess.Popen(
        [sys.executable, "-m", "healthlint", "check", "--no-cache", "-j", "2", "articles"],
        cwd=root,
        env={**os.environ, "PIDS": str(pids), "NO_COLOR": "1", "HEALTHLINT_DISABLE_PLUGIN_AUTOLOAD": "1"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    workers: list[int] = []
    try:
        deadline = time.monotonic() + 60
        while len(workers) < 2:
            assert process.poll() is None, "the check ended before its workers started"
            assert time.monotonic() < deadline, "no workers started"
            time.sleep(0.05)
            workers = [int(p.name) for p in pids.iterdir()]
        process.send_signal(getattr(signal, signum))
        process.wait(timeout=30)
        deadline = time.monotonic() + 15
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.05)
        assert not [pid for pid in workers if _alive(pid)], "workers outlived the check"
    finally:
        os.killpg(process.pid, signal.SIGKILL)  # whatever is left of the group (the test's own clean-up)
        process.wait()
