"""The links and claims families read their tokens off the words the host found: the same as their own patterns."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from healthlint.article import parse_article
from healthlint.families.claims.vocabulary import TOKEN_RE, block_tokens
from healthlint.text.stems import WORD_RE, block_words

#: Letters, digits and every character the patterns treat specially: apostrophes, hyphens, underscores.
_ALPHABET = st.sampled_from([*"ab Z9é_-'’ .,\n\tΣ²İ", "follow-up", "don't", "Brandex’s", "a--b", "x'-y"])


@settings(max_examples=300, deadline=None)
@given(st.lists(_ALPHABET, max_size=40).map("".join))
def test_tokens_from_the_host_words_equal_the_families_own_patterns(text: str) -> None:
    for block in parse_article("a.txt", text).blocks:
        assert block_words(block) == WORD_RE.findall(block.text)
        assert block_tokens(block) == set(TOKEN_RE.findall(block.text))


def test_hyphens_and_apostrophes_split_as_each_family_expects() -> None:
    block = parse_article("a.txt", "A follow-up of Brandex’s don't-miss trial.").blocks[0]
    assert block_words(block) == ["A", "follow", "up", "of", "Brandex’s", "don't", "miss", "trial"]
    assert block_tokens(block) == {"A", "follow", "up", "of", "Brandex", "s", "don", "t", "miss", "trial"}
