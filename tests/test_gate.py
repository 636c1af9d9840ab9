"""The CI gate: --output files, baselines, and --diff against a git ref."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from healthlint.config import Config
from healthlint.model import Finding, Severity, _fingerprint, located_fingerprint
from healthlint.plugins import get_plugin_manager
from healthlint.storage.baseline import Baseline

from .conftest import shared_path
from .helpers import make_project

HERE = Path(__file__).parent


def test_output_writes_the_format_to_a_file_and_text_to_the_terminal(tmp_path, run_cli):
    make_project(tmp_path)
    result = run_cli("check", "articles", "--format", "json", "--output", "reports/out.json", cwd=tmp_path)
    assert result.exit_code == 1
    assert result.lines[0] == "articles/bad.md:3:15: TST101 [error] the word 'miracle'"
    data = json.loads((tmp_path / "reports" / "out.json").read_text())
    assert data["summary"]["failed"] == 1
    assert not list((tmp_path / "reports").glob(".*.tmp"))


def test_baseline_fails_only_on_new_findings(tmp_path, run_cli):
    make_project(tmp_path)
    written = run_cli("check", "articles", "--write-baseline", "baseline.json", cwd=tmp_path)
    assert written.exit_code == 0
    assert "healthlint: recorded 1 finding in baseline.json" in written.stderr
    entry = json.loads((tmp_path / "baseline.json").read_text())["findings"][0]
    assert (entry["path"], entry["code"], entry["count"]) == ("articles/bad.md", "TST101", 1)

    clean = run_cli("check", "articles", "--baseline", "baseline.json", cwd=tmp_path)
    assert clean.exit_code == 0
    assert clean.lines == ["2 articles checked: 2 passed, 0 failed (no findings)"]

    # Editing the article moves the old finding: it stays known. A second copy is new.
    bad = tmp_path / "articles" / "bad.md"
    bad.write_text(
        "# A cure\n\nNew first paragraph.\n\nThis tea is a miracle for\nback pain.\n\nAnother miracle here.\n"
    )
    edited = run_cli("check", "articles", "--baseline", "baseline.json", cwd=tmp_path)
    assert edited.exit_code == 1
    assert [line for line in edited.lines if "TST101" in line] == [
        "articles/bad.md:8:9: TST101 [error] the word 'miracle'"
    ]


def test_fixing_a_baselined_finding_is_noticed(tmp_path, run_cli):
    make_project(tmp_path)
    run_cli("check", "articles", "--write-baseline", "baseline.json", cwd=tmp_path)
    (tmp_path / "articles" / "bad.md").write_text("# Tea\n\nA warm drink.\n")
    result = run_cli("check", "articles", "--baseline", "baseline.json", cwd=tmp_path)
    assert result.exit_code == 0
    assert (
        "notice: baseline 1 baselined finding no longer occurs; write the baseline again to drop them" in result.stdout
    )
    run_cli("check", "articles", "--write-baseline", "baseline.json", cwd=tmp_path)
    assert json.loads((tmp_path / "baseline.json").read_text())["findings"] == []


def test_a_deleted_or_moved_article_s_known_findings_no_longer_occur(tmp_path, run_cli):
    make_project(tmp_path)
    (tmp_path / "articles" / "other.md").write_text("# A cure\n\nA miracle for knees.\n", encoding="utf-8")
    run_cli("check", "articles", "--write-baseline", "baseline.json", cwd=tmp_path)
    (tmp_path / "articles" / "other.md").unlink()
    (tmp_path / "articles" / "old").mkdir()
    (tmp_path / "articles" / "bad.md").rename(tmp_path / "articles" / "old" / "bad.md")
    result = run_cli("check", "articles", "--baseline", "baseline.json", cwd=tmp_path)
    assert result.exit_code == 1  # the moved article's finding is new at its new path
    assert [line for line in result.lines if "TST101" in line] == [
        "articles/old/bad.md:3:15: TST101 [error] the word 'miracle'"
    ]
    assert "notice: baseline 2 baselined findings no longer occur" in result.stdout
    # A run of one named article judges only that one: the others' entries are not its business.
    alone = run_cli("check", "articles/good.md", "--baseline", "baseline.json", cwd=tmp_path)
    assert alone.exit_code == 0 and "no longer occur" not in alone.stdout


def test_the_fixed_notice_counts_in_the_plural(tmp_path, run_cli):
    make_project(tmp_path)
    bad = tmp_path / "articles" / "bad.md"
    bad.write_text("# A cure\n\nThis tea is a miracle.\n\nAnother miracle here.\n")
    run_cli("check", "articles", "--write-baseline", "baseline.json", cwd=tmp_path)
    bad.write_text("# Tea\n\nA warm drink.\n")
    result = run_cli("check", "articles", "--baseline", "baseline.json", cwd=tmp_path)
    assert result.exit_code == 0
    assert (
        "notice: baseline 2 baselined findings no longer occur; write the baseline again to drop them" in result.stdout
    )


def test_a_baseline_read_from_outside_its_project_says_it_matches_nothing(tmp_path, run_cli):
    site = tmp_path / "site"
    (site / "articles").mkdir(parents=True)
    (site / "healthlint.toml").write_text('select = ["HL103"]\n', encoding="utf-8")
    (site / "articles" / "neck.md").write_text("# Neck\n\nIs it good? The reply is sure, for most people.\n")
    assert run_cli("check", "articles", "--write-baseline", "baseline.json", cwd=site).exit_code == 0
    (tmp_path / "elsewhere").mkdir()
    outside = run_cli(
        "check",
        "--select",
        "HL103",
        "../site/articles",
        "--baseline",
        "../site/baseline.json",
        cwd=tmp_path / "elsewhere",
    )
    assert outside.exit_code == 1  # the root is the current folder (no config): the known finding looks new
    below = tmp_path / "elsewhere"
    assert f"no entry of the baseline is for an article checked, and none of its paths is a file below {below}" in (
        outside.stdout
    )
    # A new article checked alone (as pre-commit names it), from the project, is no such case.
    (site / "articles" / "new.md").write_text("# Knees\n\nWalk a little each day.\n")
    alone = run_cli("check", "articles/new.md", "--baseline", "baseline.json", cwd=site)
    assert alone.exit_code == 0 and "no entry of the baseline" not in alone.stdout
    inside = run_cli("check", "articles", "--baseline", "baseline.json", cwd=site)
    assert inside.exit_code == 0 and "baseline" not in inside.stdout


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "baseline.json: baseline file not found (create it with --write-baseline)"),
        ("{not json", "baseline.json: not a readable baseline file"),
        ('{"findings": []}', "baseline.json: not a healthlint baseline (version 1)"),
    ],
)
def test_a_bad_baseline_is_a_usage_error(tmp_path, run_cli, content, message):
    make_project(tmp_path)
    if content is not None:
        (tmp_path / "baseline.json").write_text(content)
    result = run_cli("check", "articles", "--baseline", "baseline.json", cwd=tmp_path)
    assert result.exit_code == 2
    assert message in result.stderr


def git(cwd, *args):
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


@pytest.fixture
def repo(tmp_path):
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    make_project(tmp_path)
    git(tmp_path, "init", "-q", "-b", "main")
    git(tmp_path, "-c", "user.email=t@example.org", "-c", "user.name=T", "add", ".")
    git(tmp_path, "-c", "user.email=t@example.org", "-c", "user.name=T", "commit", "-q", "-m", "start")
    return tmp_path


def test_diff_checks_only_articles_changed_since_a_ref(repo, run_cli):
    (repo / "articles" / "good.md").write_text("# Walking\n\nA miracle of a walk.\n")
    (repo / "articles" / "new.md").write_text("# New\n\nPlain text.\n")
    result = run_cli("check", "articles", "--diff", "HEAD", cwd=repo)
    assert result.exit_code == 1
    assert result.lines[0] == "articles/good.md:3:3: TST101 [error] the word 'miracle'"
    assert result.lines[-1].startswith("2 articles checked:")  # bad.md is unchanged and not checked


def test_diff_with_an_unknown_ref_is_a_usage_error(repo, run_cli):
    result = run_cli("check", "articles", "--diff", "no-such-branch", cwd=repo)
    assert result.exit_code == 2
    assert result.stderr.strip() == "healthlint: error: --diff no-such-branch: not a commit in this repository"


def test_diff_outside_a_repository_is_a_usage_error(tmp_path, run_cli):
    make_project(tmp_path)
    result = run_cli("check", "articles", "--diff", "HEAD", cwd=tmp_path)
    assert result.exit_code == 2
    assert "--diff HEAD:" in result.stderr and "not a git repository" in result.stderr.lower()


def test_seed_baseline_round_trip_and_a_new_spun_sentence(tmp_path, run_cli):
    seeds = shared_path("seeds")
    if not any(code.startswith("HL1") for code in get_plugin_manager(Config(), autoload=False, local=False).rules):
        pytest.skip("no spun-text rules (HL1xx) registered yet")
    copy = tmp_path / "seeds"
    shutil.copytree(seeds, copy, ignore=shutil.ignore_patterns("*.json"))
    assert run_cli("check", "seeds", "--write-baseline", "b.json", cwd=tmp_path).exit_code == 0
    assert run_cli("check", "seeds", "--baseline", "b.json", cwd=tmp_path).exit_code == 0
    target = sorted(copy.glob("002_*.txt"))[0]
    target.write_text(
        target.read_text(encoding="utf-8") + "\nIn lots of cases the reply is sure, slightly than no.\n",
        encoding="utf-8",
    )
    result = run_cli("check", "seeds", "--baseline", "b.json", cwd=tmp_path)
    assert result.exit_code == 1
    findings = [line for line in result.lines if line.startswith("seeds/")]
    assert findings and all(line.startswith(f"seeds/{target.name}:") for line in findings)
    assert all(line.split(":")[1] == str(target.read_text().count("\n")) for line in findings if "HL1" in line)


HEAT = "# Heat\n\nA warm pad relaxes tight muscles. Use it for twenty minutes at a time.\n"

#: A plugin rule that judges the whole article: its message counts words, its key does not.
SHORT_PLUGIN = """
from healthlint import Hit, Rule, Severity, hookimpl


def check(article, ctx):
    if article.word_count < 500:
        yield Hit(1, 1, f"only {article.word_count} words", key="short article")


@hookimpl
def healthlint_register_rules(register):
    register(Rule("TST201", "short-article", "Short", Severity.ERROR, check, "## What it flags\\nShort.\\n"))
"""


def _heat_project(tmp_path):
    (tmp_path / "healthlint.toml").write_text('select = ["HL201"]\n')
    article = tmp_path / "heat.md"
    article.write_text(HEAT)
    return article


def test_a_missing_disclaimer_stays_known_after_unrelated_edits(tmp_path, run_cli):
    article = _heat_project(tmp_path)
    written = run_cli("check", "heat.md", "--no-cache", "--write-baseline", "bl.json", cwd=tmp_path)
    assert "recorded 1 finding" in written.stderr
    # A paragraph appended: the finding moves to the new last sentence.
    article.write_text(HEAT + "\nA second paragraph about warm baths.\n")
    appended = run_cli("check", "heat.md", "--no-cache", "--baseline", "bl.json", cwd=tmp_path)
    assert appended.exit_code == 0, appended.stdout
    assert appended.lines[-1] == "1 article checked: 1 passed, 0 failed (no findings)"
    # A paragraph before the advice: the advice's line in the message changes.
    article.write_text("# Heat\n\nWarmth is old advice.\n\n" + HEAT.split("\n\n", 1)[1])
    moved = run_cli("check", "heat.md", "--no-cache", "--baseline", "bl.json", cwd=tmp_path)
    assert moved.exit_code == 0, moved.stdout
    assert not any("HL201" in line for line in moved.lines)
    # The finding is still there, without the baseline.
    assert "HL201" in run_cli("check", "heat.md", "--no-cache", cwd=tmp_path).stdout


def test_a_plugin_hit_with_a_key_stays_known_when_its_message_changes(tmp_path, run_cli):
    make_project(tmp_path, config='select = ["TST"]\n', plugins={"short": SHORT_PLUGIN})
    run_cli("check", "articles", "--no-cache", "--write-baseline", "bl.json", cwd=tmp_path)
    codes = [e["code"] for e in json.loads((tmp_path / "bl.json").read_text())["findings"]]
    assert codes == ["TST101", "TST201", "TST201"]
    good = tmp_path / "articles" / "good.md"
    good.write_text(good.read_text() + "\nWalk on flat ground at first.\n")
    edited = run_cli("check", "articles", "--no-cache", "--baseline", "bl.json", cwd=tmp_path)
    assert edited.exit_code == 0, edited.stdout
    assert not any("TST201" in line for line in edited.lines)


def test_baselines_written_before_keys_still_match(tmp_path, run_cli):
    # Fingerprints as healthlint wrote them before article-level keys: a span finding (TST101 on its
    # word) and HL201 on the article's last sentence. Both articles are unchanged since.
    make_project(tmp_path, config='select = ["TST", "HL201"]\n')
    (tmp_path / "articles" / "good.md").write_text(HEAT)
    bad = tmp_path / "articles" / "bad.md"
    bad.write_text(bad.read_text() + "\nSee a doctor if the pain lasts more than a week.\n")  # no HL201 here
    old = {
        "healthlint_baseline": 1,
        "findings": [
            {"path": "articles/bad.md", "code": "TST101", "fingerprint": "30aa76c040537ee706ca", "count": 1},
            {"path": "articles/good.md", "code": "HL201", "fingerprint": "db72c954fc8612e2eeda", "count": 1},
        ],
    }
    (tmp_path / "old.json").write_text(json.dumps(old))
    result = run_cli("check", "articles", "--no-cache", "--baseline", "old.json", cwd=tmp_path)
    assert result.exit_code == 0, result.stdout
    assert "no longer occur" not in result.stdout
    # Written again, the span finding keeps its fingerprint and HL201 gets its key's.
    run_cli("check", "articles", "--no-cache", "--write-baseline", "new.json", cwd=tmp_path)
    entries = json.loads((tmp_path / "new.json").read_text())["findings"]
    prints = {(e["code"], e["fingerprint"]) for e in entries}
    assert ("TST101", "30aa76c040537ee706ca") in prints
    assert ("HL201", "db72c954fc8612e2eeda") not in prints


def _old_format(path, **fingerprints):
    """The baseline file as written before keys: no ``fingerprints`` marker, the given codes re-fingerprinted."""
    document = json.loads(path.read_text())
    del document["fingerprints"]
    for entry in document["findings"]:
        entry["fingerprint"] = fingerprints.get(entry["code"], entry["fingerprint"])
    path.write_text(json.dumps(document))


def test_an_hl801_verdict_baselined_before_keys_is_known_although_its_threshold_moved(tmp_path, run_cli):
    # The previous release fingerprinted HL801 by its whole message, probability and threshold included.
    (tmp_path / "healthlint.toml").write_text("")
    shutil.copy(HERE / "rules" / "HL801" / "flag.md", tmp_path / "flag.md")
    first = run_cli("check", "flag.md", "--no-cache", "--format", "json", cwd=tmp_path)
    (verdict,) = [f for f in json.loads(first.stdout)["articles"][0]["findings"] if f["code"] == "HL801"]
    old_message = re.sub(r"\d+%", "74%", verdict["message"])
    assert old_message != verdict["message"]
    run_cli("check", "flag.md", "--no-cache", "--write-baseline", "bl.json", cwd=tmp_path)
    assert json.loads((tmp_path / "bl.json").read_text())["fingerprints"] == 2
    _old_format(tmp_path / "bl.json", HL801=_fingerprint("HL801", old_message))
    result = run_cli("check", "flag.md", "--no-cache", "--baseline", "bl.json", cwd=tmp_path)
    assert result.exit_code == 0, result.stdout
    assert not any("HL801" in line for line in result.lines)
    assert "no longer occur" not in result.stdout
    # A file that says its fingerprints have keys gets no such leeway: that entry is another finding.
    document = json.loads((tmp_path / "bl.json").read_text())
    document["fingerprints"] = 2
    (tmp_path / "bl.json").write_text(json.dumps(document))
    strict = run_cli("check", "flag.md", "--no-cache", "--baseline", "bl.json", cwd=tmp_path)
    assert strict.exit_code == 1
    assert [line for line in strict.lines if "HL801" in line]
    assert "1 baselined finding no longer occurs" in strict.stdout + strict.stderr


def test_in_an_old_baseline_only_keyed_findings_match_by_path_and_code(tmp_path, run_cli):
    # TST101 is a span finding: an entry with another fingerprint is another finding, old file or not.
    make_project(tmp_path, config='select = ["TST101", "HL201"]\n')
    run_cli("check", "articles", "--no-cache", "--write-baseline", "bl.json", cwd=tmp_path)
    _old_format(tmp_path / "bl.json", TST101=_fingerprint("TST101", "another word"), HL201="0" * 20)
    result = run_cli("check", "articles", "--no-cache", "--baseline", "bl.json", cwd=tmp_path)
    assert result.exit_code == 1
    assert [line.split()[1] for line in result.lines if ": TST" in line or ": HL" in line] == ["TST101"]


def test_json_sarif_and_baseline_share_the_fingerprint(tmp_path, run_cli):
    _heat_project(tmp_path)
    run_cli("check", "heat.md", "--no-cache", "--write-baseline", "bl.json", cwd=tmp_path)
    (baselined,) = json.loads((tmp_path / "bl.json").read_text())["findings"]
    as_json = json.loads(run_cli("check", "heat.md", "--no-cache", "--format", "json", cwd=tmp_path).stdout)
    (finding,) = as_json["articles"][0]["findings"]
    sarif = json.loads(run_cli("check", "heat.md", "--no-cache", "--format", "sarif", cwd=tmp_path).stdout)
    (result,) = sarif["runs"][0]["results"]
    assert finding["code"] == baselined["code"] == "HL201"
    assert finding["fingerprint"] == baselined["fingerprint"]
    assert result["partialFingerprints"] == {
        "healthlintFingerprint/v2": located_fingerprint(baselined["path"], baselined["fingerprint"])
    }


def test_sarif_fingerprints_differ_between_articles_with_the_same_finding(tmp_path, run_cli):
    # Two articles missing the same statement: one fingerprint (the baseline pairs it with the path),
    # two SARIF identities (the path is in the value).
    _heat_project(tmp_path)
    (tmp_path / "sub").mkdir()
    (tmp_path / "sub" / "heat.md").write_text(HEAT)
    run_cli("check", ".", "--no-cache", "--write-baseline", "bl.json", cwd=tmp_path)
    entries = json.loads((tmp_path / "bl.json").read_text())["findings"]
    assert [(e["path"], e["code"]) for e in entries] == [("heat.md", "HL201"), ("sub/heat.md", "HL201")]
    assert entries[0]["fingerprint"] == entries[1]["fingerprint"]
    sarif = json.loads(run_cli("check", ".", "--no-cache", "--format", "sarif", cwd=tmp_path).stdout)
    by_uri = {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]: r["partialFingerprints"]
        for r in sarif["runs"][0]["results"]
    }
    assert by_uri == {
        e["path"]: {"healthlintFingerprint/v2": located_fingerprint(e["path"], e["fingerprint"])} for e in entries
    }
    assert by_uri["heat.md"] != by_uri["sub/heat.md"]


_LINKS = " ".join(f"Idea {i} is [here](https://snack-blog{i}.example/post)." for i in range(10))
_HARD = (
    "Applying a warm compress to contracted musculature facilitates considerable vasodilation, subsequently"
    " ameliorating discomfort associated with persistent musculoskeletal tension, particularly following"
    " strenuous recreational exertion or prolonged occupational immobility. Practitioners traditionally"
    " recommend intermittent application, alternating comparatively elevated temperatures with intervals of"
    " rest, although individual tolerance considerably influences appropriate duration. "
)


@pytest.mark.parametrize(
    ("code", "before", "after"),
    [
        # Link density: one more link and a sentence change the counts in the message and the match.
        (
            "HL515",
            f"# Snacks\n\nNuts and fruit make filling snacks.\n\n{_LINKS}\n",
            f"# Snacks\n\nNuts, seeds and fruit make filling snacks.\n\n{_LINKS} More [here](https://x.example/a).\n",
        ),
        # No review date in an article without front matter: the finding sits on line 1, the title.
        (
            "HL313",
            "# Heat\n\nA warm pad relaxes tight muscles.\n",
            "# Heat packs\n\nA warm pad relaxes tight muscles.\n",
        ),
        # Above the reading-grade limit: more hard prose moves the grade in the message.
        ("HL402", f"# Heat\n\n{_HARD * 3}\n", f"# Heat\n\n{_HARD * 3}\n\n{_HARD}Moist heat works well.\n"),
    ],
)
def test_article_level_findings_stay_known_after_unrelated_edits(tmp_path, run_cli, code, before, after):
    config = f'select = ["{code}"]\n[plugins.metadata]\ncheck-metadata = "always"\n'
    (tmp_path / "healthlint.toml").write_text(config)
    article = tmp_path / "a.md"
    article.write_text(before)
    first = run_cli("check", "a.md", "--no-cache", "--format", "json", cwd=tmp_path)
    (finding,) = json.loads(first.stdout)["articles"][0]["findings"]
    assert finding["code"] == code
    run_cli("check", "a.md", "--no-cache", "--write-baseline", "bl.json", cwd=tmp_path)
    article.write_text(after)
    second = run_cli("check", "a.md", "--no-cache", "--format", "json", cwd=tmp_path)
    (edited,) = json.loads(second.stdout)["articles"][0]["findings"]
    assert edited["code"] == code
    assert edited["fingerprint"] == finding["fingerprint"]
    again = run_cli("check", "a.md", "--no-cache", "--baseline", "bl.json", cwd=tmp_path)
    assert again.exit_code == 0 and not any(code in line for line in again.lines), again.stdout


def test_a_spun_article_verdict_stays_known_when_the_title_changes(tmp_path, run_cli):
    # HL101 sits on the opening words of the first block (here the title); its key is the verdict.
    fixture = (Path(__file__).parent / "rules" / "HL101" / "flag.md").read_text(encoding="utf-8")
    text = fixture[: fixture.index("<!-- fixture")]
    assert "\n# Caring for a sore knee\n" in text
    (tmp_path / "healthlint.toml").write_text('select = ["HL101"]\n')
    article = tmp_path / "knee.md"
    article.write_text(text)
    run_cli("check", "knee.md", "--no-cache", "--write-baseline", "bl.json", cwd=tmp_path)
    assert [e["code"] for e in json.loads((tmp_path / "bl.json").read_text())["findings"]] == ["HL101"]
    article.write_text(text.replace("\n# Caring for a sore knee\n", "\n# Looking after a sore knee at home\n"))
    edited = run_cli("check", "knee.md", "--no-cache", "--baseline", "bl.json", cwd=tmp_path)
    assert edited.exit_code == 0, edited.stdout
    assert "HL101" in run_cli("check", "knee.md", "--no-cache", cwd=tmp_path).stdout


def _crash(path: str, rule: str) -> Finding:
    return Finding(
        path, 1, 1, 1, 2, "HL002", "rule-crashed", Severity.ERROR, f"{rule} crashed: boom", key=f"{rule} crashed"
    )


@pytest.mark.parametrize(("marked", "old_entries", "new"), [(False, 2, 0), (False, 1, 1), (True, 2, 2)])
def test_old_entries_of_a_keyed_code_absorb_one_finding_each(tmp_path, marked, old_entries, new):
    # HL002 is keyed per crashed rule: an old file's entries (other fingerprints) stand for one finding each.
    entries = [{"path": "a.md", "code": "HL002", "fingerprint": f"old{i}", "count": 1} for i in range(old_entries)]
    document = {"healthlint_baseline": 1, "findings": entries} | ({"fingerprints": 2} if marked else {})
    (tmp_path / "bl.json").write_text(json.dumps(document))
    config = Config(root=tmp_path)
    baseline = Baseline.load(tmp_path / "bl.json", config)
    findings = [_crash(str(tmp_path / "a.md"), "TST101"), _crash(str(tmp_path / "a.md"), "TST102")]
    assert len(baseline.filter(str(tmp_path / "a.md"), findings)) == new
    assert baseline.absorbed == 2 - new
    assert baseline.fixed == old_entries - (2 - new)
    # Another article's entries never stand in.
    assert baseline.filter(str(tmp_path / "b.md"), [_crash(str(tmp_path / "b.md"), "TST101")]) != []
