"""bench/clean_corpora.py: the one reader of the clean corpora that bench/clean_bound.py (issue 15's bound) and
bench/clean_hl5.py (HL5's clean rates) both check, each document written as a user's article would be."""

from __future__ import annotations

import gzip
import json
import sys
from pathlib import Path

import pytest

BENCH = Path(__file__).resolve().parent.parent / "bench"
sys.path.insert(0, str(BENCH))

import clean_corpora  # noqa: E402


def test_the_title_comes_first_once_then_the_text() -> None:
    story = {"title": " Walking after meals ", "text": "A short walk after dinner lowers blood sugar."}
    assert clean_corpora.document(story) == "Walking after meals\n\nA short walk after dinner lowers blood sugar."
    # A text whose first line is the title (an extracted headline) is not given the title twice ...
    headline = {"title": "Walking after meals", "text": " Walking after meals \nA short walk helps."}
    assert clean_corpora.document(headline) == " Walking after meals \nA short walk helps."
    # ... but one that only opens with the title's words still gets its title line.
    words = {"focus": "Anemia", "text": "Anemia is a lack of red blood cells."}
    assert clean_corpora.document(words) == "Anemia\n\nAnemia is a lack of red blood cells."
    assert clean_corpora.document({"text": "An answer alone."}) == "An answer alone."
    assert clean_corpora.document({"title": "", "text": None}) == ""


def test_an_nih_page_is_its_focus_and_answers_without_the_data_sets_questions() -> None:
    page = {
        "focus": "Shin Splints",
        "qa_pairs": [
            {"question": "What is (are) Shin Splints ?", "answer": "Shin splints are pain along the shin bone."},
            {"question": "What are the treatments for Shin Splints ?", "answer": "Rest and ice help."},
        ],
        "text": "Shin splints are pain along the shin bone.\n\nRest and ice help.",
    }
    written = clean_corpora.document(page)
    assert written == "Shin Splints\n\nShin splints are pain along the shin bone.\n\nRest and ice help."


def test_both_scripts_read_the_corpora_here(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import clean_bound
    import clean_hl5

    assert clean_bound.clean_documents is clean_hl5.clean_documents is clean_corpora.clean_documents
    # A corpus of our own in the layout of ../shared/corpus: every file read, gzipped or not, blank lines skipped.
    answers = tmp_path / "medquad.jsonl.gz"
    with gzip.open(answers, "wt", encoding="utf-8") as handle:
        handle.write(json.dumps({"text": "Drink water."}) + "\n\n" + json.dumps({"text": "Sleep well."}) + "\n")
    stories = tmp_path / "stories.jsonl"
    stories.write_text(json.dumps({"title": "Tea", "text": "Tea is fine."}) + "\n", encoding="utf-8")
    dev = tmp_path / "dev.jsonl"
    pages = [{"text": "Plain page.", "labels": {"spun": False}}, {"text": "Spun page.", "labels": {"spun": True}}]
    dev.write_text("".join(json.dumps(p) + "\n" for p in pages), encoding="utf-8")
    monkeypatch.setattr(clean_corpora, "CORPORA", {"medquad_dev": ("MedQuAD dev", answers), "stories": ("s", stories)})
    monkeypatch.setattr(clean_corpora, "DEV_PAGES", dev)
    assert clean_corpora.clean_documents() == {
        "medquad_dev": ["Drink water.", "Sleep well."],
        "stories": ["Tea\n\nTea is fine."],
    }
    assert clean_corpora.clean_documents(dev_pages=True)["dev_clean"] == ["Plain page."]
    assert clean_corpora.missing(dev_pages=True) == []
    dev.unlink()
    assert clean_corpora.missing(dev_pages=True) == [dev]
