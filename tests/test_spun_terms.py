"""HL106 and the vocabulary of health writing: drug names, term adjectives and split words are no misspellings.

Sentences are our own. Each kind of real word has a test that it is accepted and one that a slip
of the same shape is still reported.
"""

from __future__ import annotations

import bz2
import pickle
from pathlib import Path

import pytest

from healthlint.families.spun import shared
from healthlint.families.spun.analysis import _broken_word, _term_adjective
from healthlint.families.spun.lexicon import sources
from healthlint.families.spun.lexicon.lookups import Lexicon
from healthlint.testing import codes


@pytest.fixture(scope="module")
def lex() -> Lexicon:
    return shared.analyzer().lex


def hl106(check, text: str) -> list[str]:
    return [f.message for f in check(text, select=["HL106"]).articles[0].findings if f.code == "HL106"]


def needs_drug_names() -> None:
    if not sources.read_drug_names():
        pytest.skip("drug-named-entity-recognition is not installed")


def test_a_drug_brand_in_lower_case_is_not_a_misspelling(check, lex):
    needs_drug_names()
    assert lex.is_health_term("abilify") and not lex.is_dictionary_word("abilify")
    assert hl106(check, "Her doctor moved her from abilify to another medicine last spring.\n") == []


def test_a_typo_one_edit_from_a_common_word_is_still_reported(check):
    [message] = hl106(check, "The tablets should be swalowed whole with a glass of water.\n")
    assert "'swallowed'" in message


def test_drug_names_are_read_from_the_package_as_plain_data():
    needs_drug_names()
    names = sources.read_drug_names()
    assert {"edrophonium", "abacavir"} <= names
    # one-word names only, lowercase letters: no chemical fragments, no phrases
    assert all(name.isalpha() and name.islower() for name in names)


def test_the_drug_data_reader_builds_no_objects(tmp_path: Path):
    class Evil:
        def __reduce__(self):
            return (print, ("ran",))

    path = tmp_path / "data.pkl.bz2"
    path.write_bytes(bz2.compress(pickle.dumps({"drug_variant_to_canonical": {"x": Evil()}})))
    with bz2.open(path, "rb") as handle, pytest.raises(pickle.UnpicklingError):
        sources._DataOnly(handle).load()


def test_the_drug_names_are_only_consulted_by_hl106(lex):
    """A drug name stays an unknown word for the rest of HL1 (the spin model's inputs do not move)."""
    needs_drug_names()
    assert not lex.is_dictionary_word("abilify") and not lex.is_word("edrophonium")


@pytest.mark.parametrize(
    ("word", "accepted"),
    [
        ("clonic", True),  # clonus: a rare term; its adjective is as rare
        ("alkalotic", True),  # alkalosis
        ("cronic", False),  # "Cronus" is a common name: a slip for "chronic"
        ("medcal", False),
        ("clinicl", False),
        ("staticic", False),
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
