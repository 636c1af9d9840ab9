"""The word pairs the spun analysis judges: one walk (``Analyzer.judged_pairs``) that the page counts, the swaps and
the measuring scripts (scripts/train_spun_model.py) all read, so a measurement counts what the rules judge."""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

import pytest

from healthlint.article import parse_article
from healthlint.families.spun.analysis import Analyzer
from healthlint.families.spun.model import page_counts
from healthlint.families.spun.options import SpunOptions
from healthlint.families.spun.result import Analysis, Evidence
from healthlint.families.spun.settings import compile_settings
from healthlint.families.spun.shared import analyzer
from healthlint.families.spun.swaps import CONTENT, ODD, UNLISTED
from healthlint.families.spun.tokens import BlockTokens

# Text of ours: a plain paragraph with a few word-for-word swaps ("decrease again ache", "slightly than", "such
# because").
TEXT = """Long hours at a desk can cause decrease again ache and stiff shoulders over time.
A brief walk each hour helps the blood strain within the legs, and a easy stretch loosens the upper back.
Drink water slightly than sweet drinks, and eat foods such because oats and beans.

Again ache at night is common. Talk to your doctor, who can check
your back and suggest exercises; most people feel better within weeks.
"""


def walk(checker: Analyzer, text: str) -> list[tuple[int, str, object, int]]:
    return list(checker.judged_pairs(BlockTokens(text)))


def test_only_adjacent_lowercase_common_words_on_one_line_are_judged() -> None:
    checker = analyzer()
    keys = [key for _, key, _, _ in walk(checker, "Again ache hurts; the again ache, then rest\nagain today.")]
    # "Again ache" (a capital), "hurts; the" and "ache, then" (punctuation), "rest / again" (a line break): not judged.
    assert keys == ["ache hurts", "the again", "again ache", "then rest", "again today"]
    assert walk(checker, "ache") == [] and walk(checker, "") == []
    # Each pair is yielded with the index of its second word, and with the answer the swap finder gives (memoized).
    text = "a easy stretch"
    found = walk(checker, text)
    toks = BlockTokens(text)
    assert [(toks.words[i - 1], toks.words[i]) for i, _, _, _ in found] == [("a", "easy"), ("easy", "stretch")]
    assert [(swap, kind) for _, key, swap, kind in found] == [checker.swaps.memo[key] for _, key, _, _ in found]


def test_the_analysis_counts_exactly_the_pairs_of_the_walk() -> None:
    checker = Analyzer(with_model=False)
    article = parse_article("a.txt", TEXT)
    result = checker.analyze(article, compile_settings(SpunOptions()))
    judged = [
        (key, swap, kind) for b in article.blocks if b.text.strip() for _, key, swap, kind in walk(checker, b.text)
    ]
    kinds = Counter(kind for _, _, kind in judged)
    assert result.pairs == len(judged) > 20
    assert result.odd_pairs == sum(n for k, n in kinds.items() if k & ODD) > 0
    assert result.unlisted_pairs == sum(n for k, n in kinds.items() if k & UNLISTED) > result.odd_pairs
    assert result.content_pairs == sum(n for k, n in kinds.items() if k & CONTENT) > 0
    assert result.content_unlisted_pairs == sum(n for k, n in kinds.items() if k & CONTENT and k & UNLISTED)
    swaps = {key for key, swap, _ in judged if swap is not None}
    assert {"slightly than", "such because"} <= swaps and swaps == result.swap_keys | result.health_pair_swaps


def test_the_training_script_reads_the_analysis_walk() -> None:
    pytest.importorskip("numpy")
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))
    import train_spun_model as tsm

    checker = Analyzer(with_model=False)
    article = parse_article("a.txt", TEXT)
    counts = page_counts(checker.analyze(article, compile_settings(SpunOptions())))
    pairs = tsm.judged_pairs(checker, article)
    assert len(pairs) == counts["pairs"]
    assert sum(bool(kind & ODD) for _, kind in pairs) == counts["odd_pairs"]
    assert sum(bool(kind & UNLISTED) for _, kind in pairs) == counts["unlisted_pairs"]
    assert ("slightly than", checker.swaps.memo["slightly than"][1]) in pairs
    assert not any(key.startswith("again ache") for key, _ in pairs[-12:])  # "Again ache" opens a sentence


def test_the_spans_a_swap_or_a_listed_phrase_shows_are_left_to_them() -> None:
    # HL108 and HL109 list a span only where no HL105 swap or listed phrase already covers part of it.
    article = parse_article("a.txt", "Choose a gentle stretch slightly than a hard one.\n\nRest well.\n")
    first, second = (b for b in article.blocks if b.text.strip())
    swap = Evidence("swap", first, 24, 37, "slightly than", "rather than", "slightly", 1.0)
    found = Analysis(swaps=[swap])
    assert found.shows(first, 30, 45) and found.shows(first, 20, 25) and found.shows(first, 24, 37)
    assert not found.shows(first, 37, 40) and not found.shows(first, 10, 24)  # touching is not covering
    assert not found.shows(second, 0, 4) and not Analysis().shows(first, 24, 37)
    phrase = Evidence("phrase", second, 0, 4, "Rest", "Rest", "a phrase", 1.0)
    assert Analysis(phrases=[phrase]).shows(second, 2, 6)
