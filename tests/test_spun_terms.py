"""HL106 and the vocabulary of health writing: term adjectives and split words are no misspellings.

Sentences are our own. Each kind of real word has a test that it is accepted and one that a slip
of the same shape is still reported.
"""

from __future__ import annotations

import pytest

from healthlint.families.spun import shared
from healthlint.families.spun.analysis import _broken_word, _term_adjective
from healthlint.families.spun.lexicon.lookups import Lexicon
from healthlint.testing import codes


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return shared.analyzer().lex


def hl106(check, text: str) -> list[str]:
    return [f.message for f in check(text, select=["HL106"]).articles[0].findings if f.code == "HL106"]


def test_a_typo_one_edit_from_a_common_word_is_still_reported(check):
    [message] = hl106(check, "The tablets should be swalowed whole with a glass of water.\n")
    assert "'swallowed'" in message


def test_a_slip_that_spells_a_rare_brand_is_still_a_slip(check):
    # drug brand lists hold names one letter from everyday words; in an article the slip is the likelier reading
    [message] = hl106(check, "Ask your pharmacist for more informatin about the side effects of the tablets.\n")
    assert "'information'" in message


@pytest.mark.parametrize(
    ("word", "accepted"),
    [
        ("clonic", True),  # clonus: a rare term; its adjective is as rare
        ("alkalotic", True),  # alkalosis
        ("cronic", False),  # "Cronus" is a common name: a slip for "chronic"
        ("medcal", False),
        ("clinicl", False),
        ("staticic", False),
        ("ptic", False),  # "psis" is a word, but the stem is too short: a slip for "optic"
    ],
)
def test_term_adjectives(lex, word, accepted):
    assert _term_adjective(lex, word) is accepted


def test_a_compound_term_is_not_a_misspelling(check):
    text = "During a tonic-clonic seizure the body stiffens and then jerks.\n"
    assert hl106(check, text) == []


@pytest.mark.parametrize(
    ("previous", "word", "following", "broken"),
    [
        ("dehy", "dration", None, True),
        (None, "swel", "ling", True),
        ("the", "swalowed", "whole", False),
        ("in", "tresting", None, False),  # "intresting" is a common misspelling, not a word
    ],
)
def test_broken_words(lex, previous, word, following, broken):
    assert _broken_word(lex, previous, word, following) is broken


def test_a_word_split_by_a_stray_space_is_not_a_misspelling(check):
    text = "Drink water often, since mild dehy dration makes headaches worse.\n"
    assert codes(check(text, select=["HL106"])) == []
