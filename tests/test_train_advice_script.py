"""scripts/train_advice.py: the out-of-fold scores it reports, and the gate decided again with other advice
verdicts (``--gate``)."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import pytest

pytest.importorskip("numpy")
pytest.importorskip("tldextract")

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "scripts"))

import train_advice
from train_advice import GatePage, gate

HERE = Path(__file__).resolve().parent
PAGES = HERE.parent.parent / "shared" / "corpus" / "web" / "dev_pages.jsonl"


def page(
    url: str, publishable: bool, *, other_error: bool = False, hl201: bool = False, statement: bool = False
) -> GatePage:
    return GatePage(url, publishable, other_error, hl201, not statement)


def test_an_advice_verdict_withholds_a_page_only_when_no_safety_statement_was_found() -> None:
    pages = [page("a", True), page("b", True, statement=True)]
    assert gate(pages, {"a": True, "b": True}) == (1, 1)  # "a" withheld, "b" has its statement
    assert gate(pages, {"a": False, "b": True}) == (2, 0)


def test_another_error_withholds_whatever_the_advice_verdict() -> None:
    pages = [page("a", False, other_error=True), page("b", True, other_error=True)]
    assert gate(pages, {"a": False, "b": False}) == (1, 1)


def test_a_page_without_a_verdict_keeps_the_runs_hl201() -> None:
    pages = [page("a", False, hl201=True), page("b", True, hl201=False)]
    assert gate(pages, {}) == (2, 0)
    assert gate(pages, {"a": False}) == (1, 0)  # now judged not to advise: passes, though not publishable


@pytest.mark.skipif(not PAGES.is_file(), reason="needs ../shared/corpus/web")
def test_out_of_fold_scores_are_the_verdicts_counted() -> None:
    records = [json.loads(line) for line in PAGES.read_text(encoding="utf-8").splitlines() if line.strip()]
    records = [r for r in records if r["labels"]["gives_treatment_advice"] is not None]
    rows = [train_advice.features(train_advice.page_sentences(r["text"])) for r in records]
    gold = [bool(r["labels"]["gives_treatment_advice"]) for r in records]
    right, wrong, scores = train_advice.out_of_fold(records, rows, gold, seed=1, show=False)
    assert len(scores) == len(records)
    assert right == sum((s >= 0.5) == g for s, g in zip(scores, gold, strict=True))
    assert {i for i, _, _ in wrong} == {i for i, (s, g) in enumerate(zip(scores, gold, strict=True)) if (s >= 0.5) != g}
    assert all(scores[i] == score for i, score, _ in wrong)
