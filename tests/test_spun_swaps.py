"""HL109's phrase findings: adjacent swapped words become one finding whose suggestion is the span rewritten
(each swapped word replaced by its probable original, the other words kept), with the word the swap was judged
against, the right-hand context in choosing the original, and close alternatives."""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest

from healthlint.api import lint_paths
from healthlint.config import load_config
from healthlint.families.spun import deep
from healthlint.families.spun.lmswaps import FEATURES, PhraseSwap, WordSwap, phrase_swaps
from healthlint.families.spun.shared import analyzer
from healthlint.model import Finding


def swap(text: str, word: str, *candidates: tuple[str, float], word_bits: float = 12.0, nth: int = 0) -> WordSwap:
    """A flagged word of ``text`` (its ``nth`` occurrence) with its candidate originals and their surprisal."""
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    features = dict.fromkeys(FEATURES, 0.0) | {"word_bits": word_bits, "synonym_bits": candidates[0][1]}
    return WordSwap(start, start + len(word), word, candidates[0][0], features, candidates)


def phrases(text: str, *swaps: WordSwap, **options: object) -> list[PhraseSwap]:
    return phrase_swaps(text, [(s, 0.5) for s in swaps], analyzer().lex, **options)  # type: ignore[arg-type]


def applied(text: str, found: PhraseSwap) -> str:
    return text[: found.start] + found.suggestion + text[found.end :]


def test_adjacent_swapped_words_are_one_finding_rewritten_in_place() -> None:
    text = "Check your blood tension measurement at home, twice a day."
    found = phrases(text, swap(text, "tension", ("pressure", 2.0)), swap(text, "measurement", ("reading", 3.0)))
    assert len(found) == 1
    [one] = found
    assert one.text == text[one.start : one.end] and one.text.endswith("tension measurement")
    assert one.suggestion.endswith("pressure reading")
    assert applied(text, one) == "Check your blood pressure reading at home, twice a day."
    assert "'pressure' 1,024 times likelier than 'tension'" in one.detail


def test_words_apart_stay_apart_and_punctuation_ends_a_run() -> None:
    text = "Rest your spine, drink water and see a healer soon."
    found = phrases(text, swap(text, "spine", ("back", 2.0)), swap(text, "healer", ("doctor", 2.0)), extent="run")
    assert [(f.text, f.suggestion) for f in found] == [("spine", "back"), ("healer", "doctor")]
    text = "Rest your spine, healer first."
    found = phrases(text, swap(text, "spine", ("back", 2.0)), swap(text, "healer", ("doctor", 2.0)), extent="run")
    assert len(found) == 2


def test_the_collocate_the_swap_was_judged_against_joins_the_phrase() -> None:
    text = "Many desk workers get lower again pain after a long week."
    again = swap(text, "again", ("back", 2.0))
    [pair] = phrases(text, again)
    # "lower back" and "back pain" are common web pairs, "lower again" and "again pain" are not.
    assert pair.text == "lower again pain" and pair.suggestion == "lower back pain"
    [alone] = phrases(text, again, extent="run")
    assert (alone.text, alone.suggestion) == ("again", "back")
    # A function word next to the swap is not a collocate: the phrase stays the word.
    text = "It hurts again and again."
    [only] = phrases(text, swap(text, "hurts", ("aches", 2.0)))
    assert only.text == "hurts"


def test_the_word_on_the_right_helps_choose_the_original() -> None:
    text = "Desk workers often get lower again pain after a long week."
    again = swap(text, "again", ("more", 2.0), ("back", 2.4))
    [left_only] = phrases(text, again, extent="run", right_context=False)
    [both] = phrases(text, again, extent="run")
    assert left_only.suggestion == "more"
    assert both.suggestion == "back"  # "back pain" is common on the web, "more pain" much less


def test_a_close_second_original_is_offered_as_an_alternative() -> None:
    text = "Take a brief stroll after dinner."
    stroll = swap(text, "stroll", ("walk", 2.0), ("run", 2.5), ("trip", 9.0))
    [found] = phrases(text, stroll, extent="run", right_context=False)
    assert found.suggestion == "walk" and found.alternatives == ("run",)
    assert "or 'run'" in found.detail
    [far] = phrases(text, swap(text, "stroll", ("walk", 2.0), ("trip", 9.0)), extent="run", right_context=False)
    assert far.alternatives == ()


def test_an_unknown_extent_is_refused() -> None:
    text = "Take a brief stroll."
    with pytest.raises(ValueError, match="extent"):
        phrases(text, swap(text, "stroll", ("walk", 2.0)), extent="sentence")


def test_capitals_are_kept_and_the_rewrite_keeps_every_other_character() -> None:
    text = "Lengthy  hours at a desk hurt."
    found = phrases(text, swap(text, "Lengthy", ("Long", 2.0)))
    assert [applied(text, f) for f in found] == ["Long  hours at a desk hurt."]


installed = deep.unavailable() is None and all(importlib.util.find_spec(m) for m in deep.EXTRA_MODULES)
# My own text: advice after a night shift, with many words swapped for thesaurus synonyms.
SPUN = """# Sleeping better after a night shift

Employees who toil at night frequently battle to drop off to slumber when they come home in the morning. Vivid
light, traffic clamour and a cluttered timetable all hold the physique alert long after the shift has finished.

A few straightforward behaviours can assist. Put on dim glasses on the drive home, retain the chamber cold and
dark, and shun coffee in the last four hours of your shift. If you still can not slumber after a few weeks, speak
to your medic about other alternatives.
"""


@pytest.mark.skipif(not installed, reason="the deep extra or its model is not installed (healthlint spun fetch-model)")
def test_with_the_model_each_finding_rewrites_exactly_its_span(tmp_path: Path) -> None:
    limits = "rule-timeout = 0\narticle-timeout = 0\n"
    (tmp_path / "healthlint.toml").write_text(f"{limits}[plugins.spun]\ndeep = true\n")
    article = tmp_path / "spun.md"
    article.write_text(SPUN, encoding="utf-8")
    report = lint_paths([article], config=load_config(start=tmp_path), select=["HL109"])
    found: list[Finding] = [f for a in report.articles for f in a.findings if f.code == "HL109"]
    assert found
    starts = [0, *(i + 1 for i, c in enumerate(SPUN) if c == "\n")]
    lex = analyzer().lex
    for finding in found:
        assert finding.suggestion and finding.match and finding.end_column
        first = starts[finding.line - 1] + finding.column - 1
        span = SPUN[first : starts[finding.end_line - 1] + finding.end_column - 1]
        assert " ".join(span.split()) == finding.match  # a soft line break inside the phrase reads as a space
        assert finding.fix is not None and finding.fix.replacement == finding.suggestion and not finding.fix.safe
        assert f"reads like a thesaurus swap of {finding.suggestion!r}" in finding.message
        # Same number of words; every changed word is a thesaurus synonym of the word it replaces.
        before, after = span.split(), finding.suggestion.split()
        assert len(before) == len(after) and before != after
        for old, new in zip(before, after, strict=True):
            assert old == new or new.lower() in lex.synonyms(old.lower())
    # Two adjacent swapped words, one finding: the editor's replacement for the whole phrase.
    assert ("frequently battle", "often struggle") in [(f.match, f.suggestion) for f in found]
