"""The spin model (HL101's fourth measure, HL107, HL108): word choice in context, the signals and the weights file.

The sentences are our own. The real pages of ../shared/corpus/web are read (skipped when absent) only
to hold the clean-page false-verdict rate as a ceiling.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from healthlint.article import parse_article
from healthlint.config import ConfigError
from healthlint.families.spun.analysis import Analyzer
from healthlint.families.spun.lexicon.store import get_lexicon
from healthlint.families.spun.model import SIGNALS, SpinModel, page_signals, spin_model
from healthlint.families.spun.options import SpunOptions
from healthlint.families.spun.result import ChoiceTally
from healthlint.families.spun.settings import compile_settings
from healthlint.families.spun.tokens import BlockTokens
from healthlint.families.spun.wordchoice import WordChoice

SHARED = Path(os.environ.get("HEALTHLINT_SHARED", Path(__file__).resolve().parents[2] / "shared"))

CLEAN = """Physical inactivity is common among office staff, and it raises the risk of heart disease and
type 2 diabetes. Long hours in a chair slow the blood flow in the legs and stiffen the lower
back. A short walk each hour helps, and so does standing during phone calls.

Most adults need about 150 minutes of moderate exercise a week. Brisk walking, cycling to work
or swimming all count. If you have a long-term condition, talk to your doctor before you start
a new plan, and build up slowly so that your muscles have time to adapt.
"""
SPUN = (
    CLEAN.replace("risk of heart disease", "danger of heart illness")
    .replace("blood flow", "blood strain")
    .replace("short walk", "brief stroll")
    .replace("your doctor", "your physician")
    .replace("moderate exercise", "average exercise")
    .replace("muscles have", "muscle tissues have")
)


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return Analyzer()


def analyse(analyzer: Analyzer, text: str, **options: object) -> object:
    return analyzer.analyze(parse_article("a.txt", text), compile_settings(SpunOptions(**options)))  # type: ignore[arg-type]


def test_a_word_whose_synonym_fits_far_better_is_displaced_with_the_probable_original() -> None:
    choice = WordChoice(get_lexicon())
    tally = ChoiceTally()
    found = choice.scan(BlockTokens("Salt raises your blood strain over the years."), tally)
    assert [(d.synonym, d.original) for d in found] == [("pressure", "blood pressure")]
    assert tally.displaced == 1 and tally.judged == 2  # "blood" and "strain": the others lack a content neighbour
    assert choice.scan(BlockTokens("Salt raises your blood pressure over the years."), ChoiceTally()) == []


def test_function_words_are_no_context() -> None:
    # "can easily" is a far commoner pair than "can slow", which says nothing about "slow".
    found = WordChoice(get_lexicon()).scan(BlockTokens("Diabetes can slow healing."), ChoiceTally())
    assert all(d.previous != "can" for d in found)


def test_the_model_separates_a_light_spin_from_its_original(analyzer: Analyzer) -> None:
    clean, spun = analyse(analyzer, CLEAN), analyse(analyzer, SPUN)
    assert clean.spin_probability is not None and spun.spin_probability is not None  # type: ignore[attr-defined]
    # A light spin (six swaps in 118 words) is far likelier spun, though short of the shipped tiers.
    assert spun.spin_probability > clean.spin_probability + 0.2  # type: ignore[attr-defined]
    assert not clean.verdict and not clean.suspected  # type: ignore[attr-defined]
    assert any(e.suggestion == "blood pressure" for e in spun.displaced)  # type: ignore[attr-defined]


def test_short_texts_get_no_model_judgement(analyzer: Analyzer) -> None:
    result = analyse(analyzer, SPUN.split("\n\n")[0])
    assert result.words < 80 and result.spin_probability is None  # type: ignore[attr-defined]


def test_the_thresholds_can_be_set_and_are_checked(analyzer: Analyzer) -> None:
    result = analyse(analyzer, SPUN, model_threshold=1.0, suspect_threshold=0.7)
    assert result.suspected and not result.verdict_by_model  # type: ignore[attr-defined]
    with pytest.raises(ConfigError, match="suspect-threshold"):
        compile_settings(SpunOptions(suspect_threshold=1.5))


def test_the_weights_file_matches_the_signals() -> None:
    model = spin_model()
    assert len(model.weights) == len(model.mean) == len(model.scale) == len(SIGNALS)
    assert 0 < model.suspect <= model.verdict < 1
    assert all(s > 0 for s in model.scale)
    with pytest.raises(ValueError, match="other signals"):
        SpinModel.from_json({"signals": ["log_words"]})


def test_signals_are_finite_on_empty_and_odd_input(analyzer: Analyzer) -> None:
    for text in ("", "word " * 100, "The the the the. " * 40):
        signals = page_signals(analyse(analyzer, text))  # type: ignore[arg-type]
        assert len(signals) == len(SIGNALS) and all(abs(x) < 1e6 for x in signals)


@pytest.mark.skipif(not (SHARED / "corpus" / "web" / "dev_pages.jsonl").exists(), reason="../shared not present")
def test_few_spun_verdicts_on_the_clean_real_pages(analyzer: Analyzer) -> None:
    verdicts = clean = 0
    for line in (SHARED / "corpus" / "web" / "dev_pages.jsonl").open(encoding="utf-8"):
        record = json.loads(line)
        if record["labels"]["spun"] is False:
            clean += 1
            verdicts += bool(analyse(analyzer, record["text"]).verdict)  # type: ignore[attr-defined]
    assert verdicts <= 0.01 * clean
