"""The verdict family: HL801 weighs the other families' findings and metrics (``families/verdict``), and the
script that fits its weights (``scripts/train_gate_model.py``)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

from healthlint import Severity
from healthlint.config import Config
from healthlint.families.spun.model import PRIOR_PAIRS, PRIOR_WORDS, spin_model
from healthlint.families.verdict import plugin
from healthlint.families.verdict.evidence import FAULTS, FEATURES, INPUT_CODES, Model, features, shipped_model
from healthlint.resources import read_data

HERE = Path(__file__).resolve().parent
FIXTURES = HERE / "rules" / "HL801"


def codes_and_metrics(report) -> tuple[list[str], dict]:  # type: ignore[no-untyped-def]
    (result,) = report.articles
    return [f.code for f in result.findings], result.metrics


def test_several_moderate_signs_withhold_an_article_no_single_rule_withholds(lint) -> None:
    codes, metrics = codes_and_metrics(lint(FIXTURES / "flag.md"))
    assert "HL801" in codes
    # Every other finding is below error level: the verdict is the weighing's alone.
    report = lint(FIXTURES / "flag.md", config={"ignore": ["HL801"]})
    (result,) = report.articles
    assert result.passed
    evidence = metrics["weight_of_evidence"]
    assert evidence["probability"] >= evidence["threshold"] == shipped_model().threshold


def test_the_message_names_the_signs_that_weighed_most(lint) -> None:
    (result,) = lint(FIXTURES / "flag.md").articles
    (finding,) = [f for f in result.findings if f.code == "HL801"]
    assert "weighed most:" in finding.message and "(HL303)" in finding.message
    assert finding.severity is Severity.ERROR and finding.line == 1


def test_a_clean_article_is_not_flagged_and_its_probability_is_reported(lint) -> None:
    codes, metrics = codes_and_metrics(lint(FIXTURES / "clean.md"))
    assert "HL801" not in codes
    assert metrics["weight_of_evidence"]["probability"] < 0.2


@pytest.mark.parametrize("ignored", ["HL303", "HL517", "HL1", "HL7"])
def test_ignoring_an_input_rule_switches_the_weighing_off(lint, ignored: str) -> None:
    codes, metrics = codes_and_metrics(lint(FIXTURES / "flag.md", config={"ignore": [ignored]}))
    assert "HL801" not in codes
    assert "weight_of_evidence" not in metrics


def test_ignoring_or_downgrading_hl801_itself(lint) -> None:
    codes, metrics = codes_and_metrics(lint(FIXTURES / "flag.md", config={"ignore": ["HL801"]}))
    assert "HL801" not in codes and "weight_of_evidence" not in metrics
    (result,) = lint(FIXTURES / "flag.md", config={"severity": {"HL801": "warning"}}).articles
    (finding,) = [f for f in result.findings if f.code == "HL801"]
    assert finding.severity is Severity.WARNING and result.passed


def test_features_count_findings_per_thousand_words_and_read_the_spam_score() -> None:
    metrics = {
        "words": 500 - PRIOR_WORDS,
        "spun": {"spin_probability": 0.5, "odd_pair_rate": 0.2, "word_pairs": 400},
        "readability": {"grade": 9.0},
        "spam_score": 0.85,
    }
    findings = ["HL303", "HL303", "HL517", "HL517", "HL107", "HL201"]
    x = dict(zip(FEATURES, features(metrics, findings), strict=True))
    # counted over the article's words and PRIOR_WORDS more
    assert x["appeal_to_research"] == pytest.approx(4.0)
    assert x["spam_sentence"] == pytest.approx(4.0)
    assert x["spam_score"] == pytest.approx(0.85)
    assert x["suspected_spin"] == 1.0 and x["spin_logit"] == pytest.approx(0.0)
    prior = spin_model().priors["odd_rate"]
    assert x["odd_pair_rate"] == pytest.approx((0.2 * 400 + PRIOR_PAIRS * prior) / (400 + PRIOR_PAIRS))
    assert x["reading_grade"] == 9.0
    # With every spam sentence suppressed, the article's spam score no longer counts.
    without = dict(zip(FEATURES, features(metrics, ["HL303", "HL107"]), strict=True))
    assert without["spam_score"] == 0.0 and without["spam_sentence"] == 0.0
    # Out-of-fold inputs (the training script's) replace the fitted ones.
    inputs = {"spin_probability": 0.99, "suspect": 0.925, "spam_score": 0.0, "spam_units": 0}
    y = dict(zip(FEATURES, features(metrics, findings, inputs), strict=True))
    assert y["spin_logit"] > 4 and y["suspected_spin"] == 1.0 and y["spam_score"] == 0.0 and y["spam_sentence"] == 0


def test_with_the_deep_stage_the_spin_input_is_still_the_page_models() -> None:
    # deep = true puts the stacked model's probability in spin_probability; the weights were fitted on the page model's
    light = {"words": 400, "spun": {"spin_probability": 0.9}}
    deep = {"words": 400, "spun": {"spin_probability": 0.02, "page_spin_probability": 0.9}}
    assert features(deep, []) == features(light, [])
    # ... and so is the suspected tier: HL107 is then the stacked model's, which flags far more pages.
    stacked_suspects = {"words": 400, "spun": {**deep["spun"], "page_suspected": False}}
    page_suspects = {"words": 400, "spun": {**deep["spun"], "page_suspected": True}}
    suspected = FEATURES.index("suspected_spin")
    assert features(stacked_suspects, ["HL107"])[suspected] == 0.0
    assert features(page_suspects, [])[suspected] == 1.0 == features(light, ["HL107"])[suspected]


def test_the_links_family_reports_the_highest_spam_sentence_score(lint) -> None:
    (result,) = lint(FIXTURES / "flag.md").articles
    scores = [float(f.message.rsplit("spam score ", 1)[1].split(",")[0]) for f in result.findings if f.code == "HL517"]
    assert scores and result.metrics["spam_score"] == pytest.approx(max(scores), abs=0.005)
    (clean,) = lint(FIXTURES / "clean.md").articles
    assert clean.metrics["spam_score"] == 0.0


def test_only_signs_an_article_has_more_of_than_usual_are_named() -> None:
    n = len(FEATURES)
    weights = [0.0] * n
    weights[FEATURES.index("odd_pair_rate")] = 1.0
    weights[FEATURES.index("long_sentence")] = -1.0
    model = Model((0.0,) * n, (1.0,) * n, tuple(weights), 0.0, 0.5)
    x = [0.0] * n
    x[FEATURES.index("odd_pair_rate")] = 2.0
    x[FEATURES.index("long_sentence")] = -3.0  # pushes up by being low: no sign
    assert model.signs(x) == ["odd_pair_rate"]
    assert model.probability(x) > 0.99


def test_the_shipped_weights_match_the_inputs_and_the_input_codes_are_rules() -> None:
    data = json.loads(read_data("gate_model.json", "healthlint.families.verdict"))
    assert data["features"] == list(FEATURES)
    assert len(data["weights"]) == len(data["mean"]) == len(data["scale"]) == len(FEATURES)
    assert 0.5 <= data["threshold"] < 1.0
    from healthlint.plugins import get_plugin_manager

    registered = get_plugin_manager(Config()).rules
    assert all(code in registered for code in INPUT_CODES)
    assert registered["HL801"].plugin == "verdict"


def _script() -> ModuleType:
    return _load_script("train_gate_model")


def _load_script(name: str) -> ModuleType:
    scripts = HERE.parent / "scripts"
    sys.path.insert(0, str(scripts))
    try:
        spec = importlib.util.spec_from_file_location(name, scripts / f"{name}.py")
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # its dataclass looks its module up
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(scripts))
        sys.modules.pop(name, None)
    return module


def test_the_scripts_guard_refuses_a_nih_page() -> None:
    # Its fit is the shared one of scripts/logistic.py (tests/test_logistic.py).
    pytest.importorskip("tldextract")
    script = _script()
    data = script.Data(
        x=np.zeros((3, 1)),
        y=np.array([1, 0, 0]),
        dev=np.array([True, False, False]),
        passed=np.array([True, True, True]),
        passed_off=np.array([True, True, True]),
        source=["dev", "medquad_dev", script.NIH],
        fold=np.zeros(3, dtype=int),
        group_pages=[{"url": "https://a.example", "text": ""}],
    )
    score = np.array([0.9, 0.1, 0.1])
    assert script.objective(score, data, 0.5, 0.02, None) == 1.0
    assert script.objective(np.array([0.9, 0.1, 0.9]), data, 0.5, 1.0, None) is None  # a NIH page newly withheld
    assert script.objective(np.array([0.9, 0.9, 0.1]), data, 0.5, 0.02, {"medquad_dev": 10}) is None
    assert script.objective(np.array([0.9, 0.9, 0.1]), data, 0.5, 0.1, {"medquad_dev": 10}) == 1.0


def test_the_scripts_bound_on_publishable_pages_refuses_a_threshold_that_withholds_more() -> None:
    pytest.importorskip("tldextract")
    script = _script()
    data = script.Data(
        x=np.zeros((3, 1)),
        y=np.array([1, 0, 0]),
        dev=np.array([True, True, False]),
        passed=np.array([True, True, True]),
        passed_off=np.array([True, True, True]),
        source=["dev", "dev", "medquad_dev"],
        fold=np.zeros(3, dtype=int),
        group_pages=[{"url": "https://a.example", "text": ""}, {"url": "https://b.example", "text": ""}],
    )
    both = np.array([0.9, 0.9, 0.1])  # the unpublishable page and a publishable one newly withheld
    assert script.objective(both, data, 0.5, 0.02, None) == 0.0  # unbounded (the light fit): one right, one wrong
    assert script.objective(both, data, 0.5, 0.02, None, max_good=1) == 0.0
    assert script.objective(both, data, 0.5, 0.02, None, max_good=0) is None
    assert script.objective(np.array([0.9, 0.1, 0.1]), data, 0.5, 0.02, None, max_good=0) == 1.0


def test_the_deep_gate_script_weighs_the_stacked_probability_and_its_hl108() -> None:
    # scripts/deep_gate_oof.py --hl801 decides HL801 on a page the deep stage judges from the stacked probability,
    # its suspected tier, and HL108 only when the stacked model suspects the page (as the stage lists HL108).
    pytest.importorskip("tldextract")
    script = _load_script("deep_gate_oof")
    metrics = {
        "words": 300,
        "spun": {"spin_probability": 0.5, "page_spin_probability": 0.2, "page_suspected": False, "word_pairs": 200},
        "spam_score": 0.0,
        "readability": {"grade": 9.0},
    }
    state = {"metrics": metrics, "codes": ["HL303", "HL107"], "rare_pairs": ["HL108", "HL108"]}
    spin, suspected, phrases = (FEATURES.index(n) for n in ("spin_logit", "suspected_spin", "spin_phrase"))
    above = script.stage_features(state, 0.5, 0.4)
    below = script.stage_features(state, 0.5, 0.6)
    assert above[spin] == below[spin] == pytest.approx(0.0)  # log-odds of the stacked 0.5, not the page model's 0.2
    assert (above[suspected], below[suspected]) == (1.0, 0.0)
    assert above[phrases] == pytest.approx(2 * 1000 / (300 + PRIOR_WORDS)) and below[phrases] == 0.0
    # everything else as HL801 reads it at run time
    plain = features(metrics, ["HL303"])
    others = [i for i in range(len(FEATURES)) if i not in (spin, suspected, phrases)]
    assert [above[i] for i in others] == [below[i] for i in others] == [plain[i] for i in others]
    # with HL517's out-of-fold inputs
    spam = script.stage_features(state, 0.5, 0.6, (0.8, 3))
    assert spam[FEATURES.index("spam_score")] == 0.8
    assert spam[FEATURES.index("spam_sentence")] == pytest.approx(3 * 1000 / (300 + PRIOR_WORDS))


def test_an_article_withheld_already_gets_no_second_verdict(lint) -> None:
    # HL303 as an error withholds the article on its own: HL801 adds nothing, the probability is still reported.
    codes, metrics = codes_and_metrics(lint(FIXTURES / "flag.md", config={"severity": {"HL303": "error"}}))
    assert "HL303" in codes and "HL801" not in codes
    assert metrics["weight_of_evidence"]["probability"] >= metrics["weight_of_evidence"]["threshold"]


def _spam_only_model() -> Model:
    """A model that weighs the spam-sentence inputs alone: withholds on one spam sentence, passes without one."""
    n = len(FEATURES)
    weights = [0.0] * n
    weights[FEATURES.index("spam_score")] = 10.0
    return Model((0.0,) * n, (1.0,) * n, tuple(weights), -5.0, 0.5)


#: SPAM_ARTICLE is shorter than HL801's default min-words: weighed anyway.
WEIGH_SHORT = {"plugins": {"verdict": {"min-words": 0}}}

SPAM_ARTICLE = """\
---
title: Stretching in the morning
---

# Stretching in the morning

A few minutes of gentle stretching after waking loosens stiff muscles and joints.
{comment}
Read more from our partners at BackCare Weekly: gentle stretches for a happier spine!

See a doctor if a joint stays swollen or the stiffness lasts more than an hour.
"""


def test_a_suppressed_spam_sentence_does_not_count_toward_hl801(lint, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(plugin, "shipped_model", _spam_only_model)
    (shown,) = lint(SPAM_ARTICLE.format(comment=""), config=WEIGH_SHORT).articles
    assert {"HL517", "HL801"} <= {f.code for f in shown.findings}
    assert shown.metrics["spam_score"] > 0.5
    (hidden,) = lint(
        SPAM_ARTICLE.format(comment="<!-- healthlint: disable-next-line=HL517 -->"), config=WEIGH_SHORT
    ).articles
    assert not {"HL517", "HL801"} & {f.code for f in hidden.findings}
    assert hidden.metrics["weight_of_evidence"]["probability"] < 0.01


def test_with_the_shipped_model_suppressing_a_fault_never_raises_the_probability(lint) -> None:
    (shown,) = lint(SPAM_ARTICLE.format(comment=""), config=WEIGH_SHORT).articles
    (hidden,) = lint(
        SPAM_ARTICLE.format(comment="<!-- healthlint: disable-next-line=HL517 -->"), config=WEIGH_SHORT
    ).articles
    assert "HL517" in {f.code for f in shown.findings} and "HL517" not in {f.code for f in hidden.findings}
    assert hidden.metrics["weight_of_evidence"]["probability"] <= shown.metrics["weight_of_evidence"]["probability"]


def test_a_suppression_comment_switches_hl801_off_for_the_article(lint) -> None:
    text = (FIXTURES / "flag.md").read_text(encoding="utf-8")
    front = "---\ntitle: Easing a sore back\n---\n\n"
    (flagged,) = lint(front + text).articles
    (finding,) = [f for f in flagged.findings if f.code == "HL801"]
    assert finding.line == 5  # the article's first line of text, after the front matter
    (off,) = lint(front + "<!-- healthlint: disable=HL801 -->\n" + text).articles
    assert "HL801" not in {f.code for f in off.findings}
    assert off.passed
    assert off.metrics["weight_of_evidence"]["probability"] >= off.metrics["weight_of_evidence"]["threshold"]


def test_the_shipped_weights_of_every_fault_are_not_negative() -> None:
    model = shipped_model()
    assert {"reading_grade", "log_words"}.isdisjoint(FAULTS) and len(FAULTS) == len(FEATURES) - 2
    weight = dict(zip(FEATURES, model.weights, strict=True))
    assert all(weight[name] >= 0 for name in FAULTS)


def test_the_message_never_claims_certainty(lint) -> None:
    # The fixture's signs are strong enough to round to 100%: a fitted model is never that sure.
    (result,) = lint(FIXTURES / "flag.md").articles
    (finding,) = [f for f in result.findings if f.code == "HL801"]
    assert "100%" not in finding.message and "(over 99% likely unpublishable" in finding.message


def test_rates_measured_on_a_few_pairs_or_words_count_for_little() -> None:
    # One odd pair in six is no rate: shrunk towards clean prose's, it weighs far less than the same share of 600.
    prior = spin_model().priors
    odd, unlisted = FEATURES.index("odd_pair_rate"), FEATURES.index("unlisted_pair_rate")
    tiny = {"words": 10, "spun": {"odd_pair_rate": 0.167, "unlisted_pair_rate": 0.5, "word_pairs": 6}}
    long = {"words": 800, "spun": {"odd_pair_rate": 0.167, "unlisted_pair_rate": 0.5, "word_pairs": 600}}
    x, y = features(tiny, []), features(long, [])
    assert abs(x[odd] - prior["odd_rate"]) < abs(x[odd] - 0.167) and x[odd] < y[odd] < 0.167
    assert abs(x[unlisted] - prior["unlisted_rate"]) < abs(x[unlisted] - 0.5) and x[unlisted] < y[unlisted] < 0.5
    # one uncited appeal to research in ten words is not a hundred per 1,000
    appeal = FEATURES.index("appeal_to_research")
    assert features(tiny, ["HL303"])[appeal] == pytest.approx(1000 / (10 + PRIOR_WORDS))
    assert features(long, ["HL303"])[appeal] > 1000 / (800 + PRIOR_WORDS) * 0.99


def test_a_short_plain_article_is_not_weighed_and_min_words_sets_the_length(lint) -> None:
    codes, metrics = codes_and_metrics(lint(FIXTURES / "short.md"))
    assert "HL801" not in codes and "weight_of_evidence" not in metrics
    assert metrics["words"] < plugin.VerdictOptions().min_words
    # Weighed anyway (min-words = 0), its few words and pairs count for little: well under the threshold.
    codes, metrics = codes_and_metrics(lint(FIXTURES / "short.md", config={"plugins": {"verdict": {"min-words": 0}}}))
    assert "HL801" not in codes
    assert metrics["weight_of_evidence"]["probability"] < shipped_model().threshold - 0.1
    # A site can raise the length: the long fixture is then not weighed either.
    config = {"plugins": {"verdict": {"min-words": 10_000}}}
    codes, metrics = codes_and_metrics(lint(FIXTURES / "flag.md", config=config))
    assert "HL801" not in codes and "weight_of_evidence" not in metrics


def test_the_command_passes_a_one_sentence_article(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from healthlint.cli import cli

    article = tmp_path / "tea.md"
    article.write_text("# Green tea\n\nSome green teas are sold as a remedy for colds.\n", encoding="utf-8")
    extra: list[str] = []
    result = CliRunner().invoke(cli, [*extra, "check", str(article), "--no-cache", "--format", "json"])
    assert result.exit_code == 0, result.output
    (checked,) = json.loads(result.output)["articles"]
    assert checked["passed"] and not any(f["code"] == "HL801" for f in checked["findings"])
    (tmp_path / "healthlint.toml").write_text("[plugins.verdict]\nmin-words = 0\n", encoding="utf-8")
    extra = ["--config", str(tmp_path / "healthlint.toml")]
    result = CliRunner().invoke(cli, [*extra, "check", str(article), "--no-cache", "--format", "json"])
    assert result.exit_code == 0, result.output
    (checked,) = json.loads(result.output)["articles"]
    assert checked["metrics"]["weight_of_evidence"]["probability"] < shipped_model().threshold


# -- train_gate_model.py --cache: keyed by the code that made the reports ------------------------------------------


def test_the_gate_scripts_cache_key_follows_the_sources_rule_data_and_options(tmp_path: Path) -> None:
    pytest.importorskip("tldextract")
    import os
    import shutil

    script = _script()
    package = tmp_path / "healthlint"
    shutil.copytree(HERE.parent / "src" / "healthlint", package, ignore=shutil.ignore_patterns("__pycache__"))
    key = script.cache_key(package, ["HL704"], "texts")
    assert key == script.cache_key(package, ["HL704"], "texts")
    # bytecode written on import is not an edit
    (package / "__pycache__").mkdir(exist_ok=True)
    (package / "__pycache__" / "x.cpython-311.pyc").write_bytes(b"\0")
    assert script.cache_key(package, ["HL704"], "texts") == key
    # a rule's data edited in place, same size and modification time: another key
    data = package / "families" / "chrome" / "data" / "chatbot_cues.tsv"
    before = data.stat()
    text = data.read_bytes()
    data.write_bytes(text.replace(b"okay|ok|", b"okey|ok|", 1))
    os.utime(data, ns=(before.st_atime_ns, before.st_mtime_ns))
    assert data.stat().st_size == before.st_size
    edited = script.cache_key(package, ["HL704"], "texts")
    assert edited != key
    # the rules left out, the texts
    assert len({edited, script.cache_key(package, [], "texts"), script.cache_key(package, ["HL704"], "other")}) == 3


def test_the_gate_scripts_cache_reads_only_reports_written_under_its_key(tmp_path: Path) -> None:
    pytest.importorskip("tldextract")
    script = _script()
    path = tmp_path / "linted-x.json"
    path.write_text(json.dumps({"dev": [], "clean": [], "sources": [], "key": "a" * 64}), encoding="utf-8")
    assert script.read_cached(path, "a" * 64) == {"dev": [], "clean": [], "sources": [], "key": "a" * 64}
    assert script.read_cached(path, "b" * 64) is None
    # a cache from before the key (no "key"), or a damaged file, is not read
    path.write_text(json.dumps({"dev": [], "clean": [], "sources": []}), encoding="utf-8")
    assert script.read_cached(path, "a" * 64) is None
    path.write_text("{", encoding="utf-8")
    assert script.read_cached(path, "a" * 64) is None


def test_the_gate_script_keys_by_the_package_its_healthlint_program_runs() -> None:
    pytest.importorskip("tldextract")
    import healthlint

    program = Path(sys.executable).with_name("healthlint")
    if not program.exists():
        pytest.skip("no healthlint script beside this Python")
    assert _script().healthlint_package(program).resolve() == Path(healthlint.__file__).parent.resolve()
