"""scripts/measure_word_spin.py (wave 14's measurement of a per-word spin probability): the labelled spinner, the word
features on a sentence of our own and its hand-spun copy, and the labels and evidence figures on a page of our own."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

pytest.importorskip("numpy")

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import measure_word_spin as ws

from healthlint.families.spun import analysis, trigram
from healthlint.families.spun.tokens import BlockTokens

CLEAN = "Doctors check your blood pressure at every visit because high readings raise the risk of stroke."
SPUN = "Doctors check your blood strain at every visit because high readings raise the risk of stroke."


@pytest.fixture(scope="module")
def feats() -> ws.WordFeatures:
    if trigram.missing():
        pytest.skip("the trigram model is not installed")
    return ws.WordFeatures(analysis.Analyzer(with_model=False).lex)


def test_the_spinner_marks_exactly_the_words_it_replaced(feats: ws.WordFeatures) -> None:
    text = "People who walk every day often sleep better and feel less tired in the afternoon."
    spun, spans = ws.spin_marked(text, feats.lex, 1.0, True, random.Random(3))
    assert spans, "every common content word with a common synonym is replaced at rate 1"
    before = ws.train.TOKEN.findall(text)
    after = ws.train.TOKEN.findall(spun)
    assert len(before) == len(after)  # common-only synonyms are single words
    replaced = {spun[a:b] for a, b in spans}
    changed = {new for old, new in zip(before, after, strict=True) if old != new}
    assert changed <= replaced
    for a, b in spans:
        new = spun[a:b]
        old = before[after.index(new)]
        assert new in feats.lex.synonyms(old)
    same, none = ws.spin_marked(text, feats.lex, 0.0, True, random.Random(3))
    assert same == text and none == []


def test_word_rows_label_only_the_replaced_word(feats: ws.WordFeatures) -> None:
    at = SPUN.index("strain")
    rows = np.array(ws.word_rows(feats, SPUN, [(at, at + len("strain"))]))
    assert rows.shape[1] == len(ws.FEATURES) + 1
    assert rows[:, -1].sum() == 1
    assert not np.array(ws.word_rows(feats, CLEAN))[:, -1].any()


def test_the_spun_word_gains_where_the_writers_word_does_not(feats: ws.WordFeatures) -> None:
    def gain_of(text: str, word: str) -> float:
        toks = BlockTokens(text)
        return next(f[0] for i, _, f in feats.block(toks) if toks.words[i] == word)

    assert gain_of(SPUN, "strain") > 6.0 > gain_of(CLEAN, "pressure")
    # The words around it read the same in both.
    assert gain_of(SPUN, "visit") == gain_of(CLEAN, "visit")


def test_real_labels_and_evidence_figures_on_a_page_of_our_own(feats: ws.WordFeatures) -> None:
    spun_page = {
        "text": SPUN,
        "labels": {
            "spun": True,
            "spun_evidence": ["blood strain"],
            "spun_originals": {"blood strain": "blood pressure"},
        },
    }
    clean_page = {"text": CLEAN, "labels": {"spun": False}}
    words = [ws.dev_words(feats, spun_page), ws.dev_words(feats, clean_page)]
    labels = ws.real_labels(spun_page, words[0])
    assert [w["word"] for w, y in zip(words[0], labels, strict=True) if y == 1.0] == ["strain"]
    assert all(y is None for w, y in zip(words[0], labels, strict=True) if w["word"] != "strain")
    assert ws.real_labels(clean_page, words[1]) == [0.0] * len(words[1])
    # Score each word by its gain: at a cut of 6 bits the phrase is covered; whether its best near-synonym is the
    # original depends on the thesaurus, and the figure says so either way.
    scores = [np.array([w["f"][0] for w in ws_]) for ws_ in words]
    found = ws.evidence_figures([spun_page, clean_page], words, scores, 6.0)
    assert found["evidence phrases"] == found["located in a block"] == found["holding a judged word"] == 1
    assert found["covered (a flagged word)"] == 1
    strain = next(w for w in words[0] if w["word"] == "strain")
    assert found["original restored exactly"] == int(strain["best"] == "pressure")
    flagged_clean = int((scores[1] >= 6.0).sum())
    assert found["clean dev pages: words flagged / judged; pages with one"] == (
        f"{flagged_clean}/{len(words[1])}; {int(flagged_clean > 0)}/1"
    )
    nothing = ws.evidence_figures([spun_page, clean_page], words, scores, 99.0)
    assert nothing["covered (a flagged word)"] == 0
