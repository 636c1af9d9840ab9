"""``healthlint audit`` on a real Dask cluster (a scheduler and two worker processes on 127.0.0.1).

Every audit is compared with ``healthlint check`` run on the same texts written as files:
same findings, same pass/fail, same word counts; also after a worker is killed mid-run and
after an interrupted audit is resumed.
"""

from __future__ import annotations

import gc
import gzip
import io
import json
import os
import re
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("distributed")
pytest.importorskip("pyarrow")

import pyarrow as pa  # after the skip: the audit extra may be absent
import pyarrow.parquet as pq
from click.testing import CliRunner

from healthlint.article import ARTICLE_SUFFIXES
from healthlint.audit.checker import AUDIT_THRESHOLDS, Checker, CheckSettings, Loaded, UsageError, load_settings
from healthlint.audit.run import AuditOptions, Interrupted, ProgressBar, Step, run_audit
from healthlint.audit.sources import Fields, input_format, plan
from healthlint.audit.task import flatten
from healthlint.audit.workers import RESTORE_AFTER
from healthlint.cli import cli
from tests.audit.corpus import documents, write_articles, write_jsonl
from tests.conftest import shared_path

pytestmark = pytest.mark.slow

#: A finding as both outputs give it.
Key = tuple[str, str, int, int, int, int, str]


@pytest.fixture(scope="module")
def client() -> Iterator[Any]:
    from distributed import Client, LocalCluster

    with pytest.MonkeyPatch.context() as env:
        env.setenv("HEALTHLINT_DISABLE_PLUGIN_AUTOLOAD", "1")  # the workers load what the tests' driver loads
        with (
            LocalCluster(
                n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1", dashboard_address="127.0.0.1:0"
            ) as cluster,
            Client(cluster) as dask,
        ):
            yield dask


@pytest.fixture
def workdir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    # The defaults, but for LanguageTool's wait: on a busy machine one slow answer would leave an
    # article unchecked on one side only, and the comparison would fail for the server's sake.
    (tmp_path / "healthlint.toml").write_text("[plugins.grammar]\ntimeout = 120\n", encoding="utf-8")
    return tmp_path


@pytest.fixture
def loaded(workdir: Path) -> Loaded:
    return load_settings(None, {}, ["HL"], [])


def check_findings(folder: Path, notices: list[str] | None = None) -> dict[str, tuple[bool, int, list[Key]]]:
    """``healthlint check --format json`` over a folder: per article (by file stem) pass, words, findings
    (and the run's notices added to ``notices``)."""
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "healthlint",
            "check",
            str(folder),
            "--format",
            "json",
            "--no-cache",
            "-j",
            "2",
            "--extend-select",
            "HL",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    report = json.loads(done.stdout)
    if notices is not None:
        notices.extend(n["message"] for n in report["notices"])
    out = {}
    for article in report["articles"]:
        keys = [
            (f["code"], f["severity"], f["line"], f["column"], f["end_line"], f["end_column"], f["message"])
            for f in article["findings"]
        ]
        out[Path(article["path"]).stem] = (article["passed"], article["metrics"].get("words", 0), sorted(keys))
    return out


def audit_findings(out: Path, ids: dict[str, str] | None = None) -> dict[str, tuple[bool, int, list[Key]]]:
    """The same view of an audit's Parquet files (``ids`` renames document ids to file stems)."""
    rename = ids or {}
    found: dict[str, list[Key]] = {}
    for f in pq.read_table(out / "findings.parquet").to_pylist():
        key = (f["code"], f["severity"], f["line"], f["column"], f["end_line"], f["end_column"], f["message"])
        found.setdefault(rename.get(f["id"], f["id"]), []).append(key)
    result = {}
    for d in pq.read_table(out / "documents.parquet").to_pylist():
        name = rename.get(d["id"], d["id"])
        result[name] = (d["passed"], d["words"], sorted(found.get(name, [])))
    return result


def same_as_check(audit: dict[str, tuple[bool, int, list[Key]]], check: dict[str, tuple[bool, int, list[Key]]]) -> str:
    """What differs between an audit and ``healthlint check``, a line per difference ('' when nothing does)."""
    lines = []
    for name in sorted(audit.keys() | check.keys()):
        if name not in audit or name not in check:
            lines.append(f"{name}: only in {'audit' if name in audit else 'check'}")
            continue
        (a_passed, a_words, a_found), (c_passed, c_words, c_found) = audit[name], check[name]
        if (a_passed, a_words) != (c_passed, c_words):
            lines.append(f"{name}: audit passed={a_passed} words={a_words}, check passed={c_passed} words={c_words}")
        lines += [f"{name}: only audit found {key}" for key in (Counter(a_found) - Counter(c_found)).elements()]
        lines += [f"{name}: only check found {key}" for key in (Counter(c_found) - Counter(a_found)).elements()]
    return "\n".join(lines)


@pytest.fixture
def corpus(workdir: Path) -> tuple[Path, dict[str, tuple[bool, int, list[Key]]]]:
    """Our own corpus as JSON Lines, and what ``healthlint check`` says about its texts."""
    records = documents(12)
    source = write_jsonl(workdir / "notes.jsonl", records)
    return source, check_findings(write_articles(workdir / "as-files", records))


def options(sources: list[Path], out: Path, **kw: Any) -> AuditOptions:
    kw.setdefault("partition_size", 3)
    return AuditOptions(sources=[str(s) for s in sources], out=out, fields=Fields(url="url"), **kw)


def test_audit_gives_what_check_gives(client: Any, loaded: Loaded, corpus: Any, workdir: Path) -> None:
    source, expected = corpus
    summary = run_audit(loaded, options([source], workdir / "out"), client=client)
    assert not (diff := same_as_check(audit_findings(workdir / "out"), expected)), diff
    assert any(findings for _, _, findings in expected.values())  # the corpus gives the rules work
    assert summary["documents"] == 12 and summary["partitions"] == 4
    assert summary["failed"] == sum(1 for passed, _, _ in expected.values() if not passed)
    assert set(summary["sites"]) == {"example-health.org", "news.example.net", "example-clinic.com"}
    assert json.loads((workdir / "out" / "summary.json").read_text()) == summary


def test_shared_corpus_gives_what_check_gives(client: Any, loaded: Loaded, workdir: Path) -> None:
    health = shared_path("corpus", "health")
    records = []
    for path in sorted(health.glob("*.jsonl")):
        with path.open(encoding="utf-8") as handle:
            records += [json.loads(line) for _, line in zip(range(8), handle, strict=False)]
    source = write_jsonl(workdir / "health.jsonl", records)
    noticed: list[str] = []
    expected = check_findings(write_articles(workdir / "as-files", records), noticed)
    told: list[str] = []
    run_audit(loaded, options([source], workdir / "out", partition_size=4), client=client, say=told.append)
    # The same notices (none, or "no LanguageTool server" on both): one side's server trouble is named here.
    assert sorted(line for line in told if line.startswith("notice:")) == sorted(f"notice: {n}" for n in noticed)
    assert not (diff := same_as_check(audit_findings(workdir / "out"), expected)), diff
    assert len(expected) == len(records) == 24


def test_bad_records_are_counted_unreadable_with_file_and_line(client: Any, loaded: Loaded, workdir: Path) -> None:
    records = documents(3)
    broken = ('{"id": "cut", "text": "Half a rec', '{"id": "no-text", "body": "x"}', "[1, 2]", '{"text": "no id"}')
    write_jsonl(workdir / "mixed.jsonl", records, broken)
    told: list[str] = []
    summary = run_audit(loaded, options([Path("mixed.jsonl")], workdir / "out"), client=client, say=told.append)
    assert summary["documents"] == 7 and summary["unreadable"] == 4
    messages = {
        f["id"]: f["message"]
        for f in pq.read_table(workdir / "out" / "findings.parquet").to_pylist()
        if f["code"] == "HL001"
    }
    assert messages == {
        "mixed.jsonl:4": "mixed.jsonl:4: not valid JSON: Unterminated string starting at (column 23)",
        "no-text": "mixed.jsonl:5: has no 'text' field (--text-field)",
        "mixed.jsonl:6": "mixed.jsonl:6: not a JSON object",
        "mixed.jsonl:7": "mixed.jsonl:7: has no 'id' field (--id-field)",
    }
    said = sorted(line for line in told if line.startswith("unreadable:"))  # partitions finish in any order
    assert said == sorted(f"unreadable: {m}" for m in messages.values())


def test_an_unreadable_first_record_leaves_the_metrics_of_the_others(
    client: Any, loaded: Loaded, workdir: Path
) -> None:
    records = documents(2)
    write_jsonl(workdir / "first.jsonl", [], ("[1, 2]", *(json.dumps(r) for r in records)))
    write_jsonl(workdir / "last.jsonl", records, ("[1, 2]",))
    metrics = {}
    for name in ("first", "last"):
        run_audit(loaded, options([Path(f"{name}.jsonl")], workdir / name), client=client)
        rows = pq.read_table(workdir / name / "documents.parquet").to_pylist()
        metrics[name] = {r.pop("id"): r for r in rows if not r.pop("unreadable") and r.pop("source")}
    assert metrics["first"] == metrics["last"]
    assert all(row["readability_grade"] is not None for row in metrics["first"].values())


def test_gzip_parquet_and_folders_give_the_same_findings(
    client: Any, loaded: Loaded, corpus: Any, workdir: Path
) -> None:
    _, expected = corpus
    records = documents(12)
    with gzip.open(workdir / "part.jsonl.gz", "wt", encoding="utf-8") as handle:
        handle.writelines(json.dumps(r) + "\n" for r in records[:5])
    table = pa.Table.from_pylist(records[5:])
    pq.write_table(table, workdir / "rest.parquet", row_group_size=4)  # two row groups: a partition each side
    sources = [Path("part.jsonl.gz"), Path("rest.parquet"), Path("as-files")]
    run_audit(loaded, options(sources, workdir / "out"), client=client)
    got = audit_findings(workdir / "out", {f"as-files/{r['id']}.md": f"file:{r['id']}" for r in records})
    from_files = {k.removeprefix("file:"): v for k, v in got.items() if k.startswith("file:")}
    from_records = {k: v for k, v in got.items() if not k.startswith("file:")}
    assert from_files == expected
    assert from_records == expected
    sources_seen = {d["source"] for d in pq.read_table(workdir / "out" / "documents.parquet").to_pylist()}
    assert sources_seen == {str(s) for s in sources}


def test_interrupted_audit_resumes_to_the_same_results(client: Any, loaded: Loaded, corpus: Any, workdir: Path) -> None:
    source, expected = corpus
    out = workdir / "out"

    def stop_after_two(step: Step) -> None:
        if step.done == 2:
            raise KeyboardInterrupt

    with pytest.raises(Interrupted) as stopped:
        run_audit(loaded, options([source], out, partition_size=1), client=client, on_step=stop_after_two)
    assert (stopped.value.done, stopped.value.total) == (2, 12)
    assert not (out / "findings.parquet").exists()
    with (out / "manifest.jsonl").open("a") as manifest:
        manifest.write('{"partition": "cut short by a kil')  # the line a killed run was writing
    fresh: list[int] = []
    told: list[str] = []
    resumed = options([source], out, partition_size=1)
    run_audit(loaded, resumed, client=client, on_step=lambda step: fresh.append(step.fresh), say=told.append)
    assert told[0] == "resuming: 2 of 12 partitions were done by an earlier run"
    assert all(line.startswith("notice: grammar not checked") for line in told[1:])  # no LanguageTool here
    assert fresh == list(range(1, 11))
    assert not (diff := same_as_check(audit_findings(out), expected)), diff


def test_changed_settings_are_refused_and_changed_input_is_checked_again(
    client: Any, loaded: Loaded, corpus: Any, workdir: Path
) -> None:
    source, _ = corpus
    out = workdir / "out"
    run_audit(loaded, options([source], out), client=client)
    with pytest.raises(UsageError, match="partition_size changed"):
        run_audit(loaded, options([source], out, partition_size=4), client=client)
    with pytest.raises(UsageError, match="configuration, plugins or healthlint version"):
        run_audit(load_settings(None, {}, [], ["HL4"]), options([source], out), client=client)
    records = documents(12)
    records[0]["text"] = "# Short\n\nThis herb cures cancer.\n"
    write_jsonl(source, records)
    told: list[str] = []
    summary = run_audit(loaded, options([source], out), client=client, say=told.append)
    assert [line for line in told if not line.startswith("notice:")] == [
        "resuming: 3 of 4 partitions were done by an earlier run",
        "1 partition changed since the earlier run: checking again",
    ]
    changed = audit_findings(out)["note-00"][2]
    assert any(code == "HL305" for code, *_ in changed), changed
    assert summary["documents"] == 12


def test_a_killed_worker_does_not_change_the_results(client: Any, loaded: Loaded, corpus: Any, workdir: Path) -> None:
    source, expected = corpus
    pids = client.run(os.getpid)
    killed: list[int] = []

    def kill_one(step: Step) -> None:
        if step.done == 1:
            victim = sorted(pids.values())[0]
            os.kill(victim, signal.SIGKILL)
            killed.append(victim)

    run_audit(loaded, options([source], workdir / "out", partition_size=1), client=client, on_step=kill_one)
    assert killed
    assert not (diff := same_as_check(audit_findings(workdir / "out"), expected)), diff
    client.wait_for_workers(2, timeout=60)  # the nanny restarted it
    assert killed[0] not in client.run(os.getpid).values()


def test_workers_do_not_profile_while_the_audit_runs(client: Any, loaded: Loaded, corpus: Any, workdir: Path) -> None:
    def profiling(dask_worker: Any) -> bool:
        return any(name in dask_worker.periodic_callbacks for name in ("profile", "profile-cycle"))

    def collector() -> tuple[tuple[int, ...], int]:
        return gc.get_threshold(), gc.get_freeze_count()

    during: list[bool] = []
    collectors: list[tuple[tuple[int, ...], int]] = []
    source, _ = corpus
    run_audit(
        loaded,
        options([source], workdir / "out"),
        client=client,
        on_step=lambda step: (
            during.extend(client.run(profiling).values()),
            collectors.extend(client.run(collector).values()),
        ),
    )
    assert during and not any(during)
    assert all(client.run(profiling).values())  # a shared cluster gets its profiler back
    # What a worker loaded for the audit is kept out of the collector's passes once it checked a document...
    assert any(threshold == AUDIT_THRESHOLDS and frozen > 0 for threshold, frozen in collectors)

    # ...and a shared cluster's workers get their own thresholds back once the audit is over
    def restored() -> bool:
        return all(threshold != AUDIT_THRESHOLDS for threshold, _ in client.run(collector).values())

    deadline = time.monotonic() + RESTORE_AFTER + 10
    while not restored() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert restored()


def test_partitions_know_how_much_input_they_cover(loaded: Loaded, workdir: Path) -> None:
    records = documents(7)
    source = write_jsonl(workdir / "notes.jsonl", records)
    folder = write_articles(workdir / "as-files", records)
    pq.write_table(pa.Table.from_pylist(records), workdir / "notes.parquet", row_group_size=4)
    config = loaded.settings.config
    from_jsonl = list(plan([str(source)], Fields(), 3, config))
    from_files = list(plan([str(folder)], Fields(), 3, config))
    from_parquet = list(plan(["notes.parquet"], Fields(), 3, config))
    assert [p.stop - p.start for p in from_jsonl] == [p.size for p in from_jsonl]
    assert sum(p.size for p in from_jsonl) == source.stat().st_size
    assert sum(p.size for p in from_files) == sum(f.stat().st_size for f in folder.iterdir())
    assert len(from_parquet) == 3 and all(p.size > 0 for p in from_parquet)


def test_command_line(workdir: Path) -> None:
    source = write_jsonl(workdir / "few.jsonl", documents(2))
    result = CliRunner().invoke(cli, ["audit", str(source), "--out", "out", "--workers", "1", "--url-field", "url"])
    assert result.exit_code == 0, result.output
    assert "2 documents (0 unreadable)" in result.output
    assert "example-health.org" in result.output
    assert {p.name for p in (workdir / "out").iterdir()} >= {"findings.parquet", "documents.parquet", "summary.json"}


def test_an_interrupted_audit_exits_130_and_says_how_to_resume(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from healthlint.audit import run

    source = write_jsonl(workdir / "few.jsonl", documents(2))

    def stopped(*args: Any, **kwargs: Any) -> Any:
        raise run.Interrupted(1, 4)

    monkeypatch.setattr(run, "run_audit", stopped)
    result = CliRunner().invoke(cli, ["audit", str(source), "--out", "out", "--workers", "1"])
    assert result.exit_code == 130  # as check and publish exit on Ctrl-C; 1 meant findings there
    assert "healthlint: interrupted with 1 of 4 partitions done; run the same command again to resume" in result.output


def test_the_results_are_as_readable_as_the_umask_makes_new_files(workdir: Path) -> None:
    import os
    import stat

    source = write_jsonl(workdir / "few.jsonl", documents(2))
    mask = os.umask(0o022)
    try:
        result = CliRunner().invoke(cli, ["audit", str(source), "--out", "out", "--workers", "1"])
    finally:
        os.umask(mask)
    assert result.exit_code == 0, result.output
    out = workdir / "out"
    modes = {p.name: stat.S_IMODE(p.stat().st_mode) for p in out.iterdir() if p.is_file()}
    assert modes["summary.json"] == modes["findings.parquet"] == modes["documents.parquet"] == 0o644, modes  # was 0600


@pytest.mark.parametrize("suffix", sorted(ARTICLE_SUFFIXES | {".MKD"}))
def test_an_article_of_every_suffix_check_walks_is_an_input(workdir: Path, loaded: Loaded, suffix: str) -> None:
    article = workdir / f"heat{suffix}"
    article.write_text("# Heat\n\nA warm pad relaxes tight muscles.\n", encoding="utf-8")
    assert input_format(article.name) == "files"
    (partition,) = plan([article.name], Fields(), 3, loaded.settings.config)
    assert partition.size == article.stat().st_size


def test_command_line_on_one_mkd_article(workdir: Path) -> None:
    (workdir / "heat.mkd").write_text("# Heat\n\nA warm pad relaxes tight muscles. Rest after use.\n")
    result = CliRunner().invoke(cli, ["audit", "heat.mkd", "--out", "out", "--workers", "1"])
    assert result.exit_code == 0, result.output
    assert "1 document (0 unreadable)" in result.output
    assert (workdir / "out" / "findings.parquet").exists()


def test_command_line_without_the_extra(workdir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import importlib.util

    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "distributed" else real(name))
    result = CliRunner().invoke(cli, ["audit", "x.jsonl", "--out", "out"])
    assert result.exit_code == 2
    assert result.output.strip() == "healthlint: error: audit needs Dask and pyarrow: pip install 'healthlint[audit]'"


def test_missing_source_and_foreign_out_folder_are_usage_errors(workdir: Path) -> None:
    result = CliRunner().invoke(cli, ["audit", "absent.jsonl", "--out", "out"])
    assert result.exit_code == 2 and "absent.jsonl: no such file or folder" in result.output
    (workdir / "busy").mkdir()
    (workdir / "busy" / "notes.txt").write_text("mine")
    write_jsonl(workdir / "few.jsonl", documents(1))
    result = CliRunner().invoke(cli, ["audit", "few.jsonl", "--out", "busy"])
    assert result.exit_code == 2 and "is not empty and holds no audit" in result.output


def test_a_selection_that_runs_no_rule_is_refused_as_check_refuses_it(workdir: Path) -> None:
    write_jsonl(workdir / "few.jsonl", documents(1))
    result = CliRunner().invoke(cli, ["audit", "few.jsonl", "--out", "out", "--select", "HL9"])
    assert result.exit_code == 2, result.output
    assert "no rule would run (select HL9), so every article would pass unchecked" in result.output
    assert not (workdir / "out").exists()


def test_command_line_on_a_running_scheduler(client: Any, workdir: Path) -> None:
    source = write_jsonl(workdir / "few.jsonl", documents(4))
    address = client.scheduler.address
    result = CliRunner().invoke(
        cli, ["audit", source.name, "--out", "out", "--scheduler", address, "--extend-select", "HL"]
    )
    assert result.exit_code == 0, result.output
    assert "4 documents (0 unreadable)" in result.output
    expected = check_findings(write_articles(workdir / "as-files", documents(4)))
    assert not (diff := same_as_check(audit_findings(workdir / "out"), expected)), diff


def test_documents_without_ids_are_named_by_their_line(client: Any, loaded: Loaded, workdir: Path) -> None:
    records = [{"text": r["text"]} for r in documents(2)]
    write_jsonl(workdir / "anonymous.jsonl", records, ("",))
    run_audit(loaded, AuditOptions(["anonymous.jsonl"], workdir / "out", Fields(id="")), client=client)
    rows = pq.read_table(workdir / "out" / "documents.parquet").to_pylist()
    assert [(r["id"], r["source"], r["url"], r["unreadable"]) for r in rows] == [
        ("anonymous.jsonl:1", "anonymous.jsonl", None, False),
        ("anonymous.jsonl:2", "anonymous.jsonl", None, False),
    ]


def test_a_parquet_file_without_the_text_column_is_a_usage_error(loaded: Loaded, workdir: Path) -> None:
    pq.write_table(pa.table({"id": ["a"], "body": ["Some text."]}), workdir / "posts.parquet")
    with pytest.raises(UsageError, match=r"posts.parquet: no column 'text' \(it has body, id\)"):
        run_audit(loaded, AuditOptions(["posts.parquet"], workdir / "out"))


def test_a_worker_with_other_plugins_refuses_to_check(loaded: Loaded) -> None:
    settings = loaded.settings
    other = CheckSettings(settings.config, "another run", {**settings.plugins, "extra": "some-plugin 1.0"})
    with pytest.raises(
        RuntimeError, match=r"loads other plugins than the audit's driver \(extra: some-plugin 1\.0 there"
    ):
        Checker(other)


def test_metrics_become_flat_columns() -> None:
    metrics = {"words": 120, "readability": {"grade": 8, "engine": "healthlint"}, "spun": {"verdict": False}}
    assert flatten({**metrics, "sources": ["a", "b"], "line": None}) == {
        "words": 120,
        "readability_grade": 8.0,
        "readability_engine": "healthlint",
        "spun_verdict": False,
        "sources": '["a", "b"]',
        "line": None,
    }


def test_progress_bar_shows_rate_and_time_left() -> None:
    stream = io.StringIO()
    bar = ProgressBar(stream)
    bar(Step(done=3, total=4, documents=300, started=time.monotonic() - 10, fresh=2))
    line = stream.getvalue()
    assert line.startswith("\r[##################......] 3/4 partitions  300 documents  ")
    assert re.search(r"  (29|30)\.\d docs/s  0:0[45] left $", line), line
    bar.note("healthlint: unreadable: x.jsonl:3: not a JSON object")
    assert stream.getvalue().endswith(" left \nhealthlint: unreadable: x.jsonl:3: not a JSON object\n")
    bar(Step(done=4, total=4, documents=400, started=time.monotonic() - 10, fresh=3))
    assert stream.getvalue().endswith(" left \n")


def test_time_left_is_reckoned_by_the_input_left() -> None:
    stream = io.StringIO()
    # The largest partitions go first: 1 of 4 done, but it was half the input.
    ProgressBar(stream)(Step(1, 4, 100, time.monotonic() - 10, 1, size_done=5000, size_left=5000))
    assert re.search(r"  0:(09|10) left $", stream.getvalue()), stream.getvalue()


def test_an_empty_corpus_gives_empty_tables_with_every_fixed_column(loaded: Loaded, workdir: Path) -> None:
    (workdir / "empty.jsonl").write_text("\n")
    summary = run_audit(loaded, AuditOptions(["empty.jsonl"], workdir / "out"))  # nothing to check: no cluster
    assert summary["documents"] == 0 and summary["share_failing"] is None
    findings = pq.read_table(workdir / "out" / "findings.parquet")
    documents_ = pq.read_table(workdir / "out" / "documents.parquet")
    assert (findings.num_rows, documents_.num_rows) == (0, 0)
    assert findings.column_names == [
        "id",
        "source",
        "code",
        "severity",
        "line",
        "column",
        "end_line",
        "end_column",
        "message",
    ]
    assert documents_.column_names == ["id", "source", "url", "passed", "unreadable", "words"]


class _NotAScheduler:
    """A TCP server on 127.0.0.1 that is not Dask: it reads and never answers (``silent``), or answers with an HTTP
    error, as a web server (the Dask dashboard's port) does."""

    def __init__(self, silent: bool) -> None:
        import socket
        import threading

        self.server = socket.create_server(("127.0.0.1", 0))
        self.address = f"tcp://127.0.0.1:{self.server.getsockname()[1]}"
        self.silent = silent
        self.held: list[Any] = []
        threading.Thread(target=self._serve, daemon=True).start()

    def _serve(self) -> None:
        while True:
            try:
                conn, _ = self.server.accept()
            except OSError:
                return
            self.held.append(conn)
            if not self.silent:
                conn.recv(65536)
                conn.sendall(b"HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\nConnection: close\r\n\r\n")
                conn.close()

    def close(self) -> None:
        self.server.close()
        for conn in self.held:
            conn.close()


@pytest.mark.parametrize(
    ("kind", "message"),
    [
        ("nonsense", r"--scheduler 'nonsense': not a Dask scheduler address \(tcp://HOST:PORT\): missing port number"),
        (
            "bogus://x:1",
            r"--scheduler 'bogus://x:1': not a Dask scheduler address \(tcp://HOST:PORT\): unknown address",
        ),
        ("web", r"tcp://127\.0\.0\.1:\d+ does not answer as a Dask scheduler \("),
        ("silent", r"tcp://127\.0\.0\.1:\d+ does not answer as a Dask scheduler \(no answer in 3 s"),
        ("worker", r"tcp://127\.0\.0\.1:\d+ is a Dask worker, not the scheduler"),
    ],
)
def test_a_wrong_scheduler_address_is_a_usage_error_that_says_what_answered(
    client: Any, workdir: Path, monkeypatch: pytest.MonkeyPatch, kind: str, message: str
) -> None:
    # Pointing --scheduler at the dashboard's web port, a worker, or a typo: exit 2 with what is there, in seconds,
    # not an internal error (a web server's reply read as a 3 EiB frame) or a wait that never ends.
    import healthlint.audit.run as run

    monkeypatch.setattr(run, "SCHEDULER_CONNECT_SECONDS", 2.0)
    monkeypatch.setattr(run, "SCHEDULER_ANSWER_SECONDS", 1.0)
    source = write_jsonl(workdir / "few.jsonl", documents(2))
    server = _NotAScheduler(silent=kind == "silent") if kind in ("web", "silent") else None
    if server is not None:
        address = server.address
    elif kind == "worker":
        address = next(iter(client.scheduler_info()["workers"]))
    else:
        address = kind
    start = time.monotonic()
    try:
        result = CliRunner().invoke(cli, ["audit", source.name, "--out", "out", "--scheduler", address])
    finally:
        if server is not None:
            server.close()
    assert result.exit_code == 2, result.output
    assert re.search(message, result.output), result.output
    assert "internal error" not in result.output
    assert time.monotonic() - start < 30
    assert not (workdir / "out").exists()


def test_an_out_folder_that_cannot_be_written_is_a_usage_error_and_the_audit_resumes(
    client: Any, workdir: Path
) -> None:
    # --out on a full disk or a read-only mount: exit 2 naming the file (was exit 3 "internal error: OSError"), and
    # the same command, once there is room, resumes to the complete results. A full disk is a file-size limit on
    # the driver (every write past 4 kB fails with EFBIG; Python ignores SIGXFSZ), which writes every output file.
    import resource

    source = write_jsonl(workdir / "few.jsonl", documents(8))
    (workdir / "a-file").write_text("", encoding="utf-8")
    under_a_file = CliRunner().invoke(cli, ["audit", source.name, "--out", "a-file/out", "--workers", "1"])
    assert under_a_file.exit_code == 2, under_a_file.output
    assert "a-file/out/parts: cannot be written: not a directory" in under_a_file.output

    address = client.scheduler.address
    command = [sys.executable, "-m", "healthlint", "audit", source.name, "--out", "out", "--scheduler", address]
    command += ["--partition-size", "2", "--no-progress", "--extend-select", "HL"]
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "NO_COLOR": "1"}

    def limited() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (4096, 4096))

    full = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300, preexec_fn=limited)
    assert full.returncode == 2, full.stderr
    last = full.stderr.strip().splitlines()[-1]
    assert re.fullmatch(
        r"healthlint: error: out/\S+: cannot be written: file too large; .*run the same command .*", last
    )
    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    expected = check_findings(write_articles(workdir / "as-files", documents(8)))
    assert not (diff := same_as_check(audit_findings(workdir / "out"), expected)), diff
