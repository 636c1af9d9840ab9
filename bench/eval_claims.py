"""Measure the disclaimer (HL2xx) and claims (HL3xx) rules against real, labelled health text.

Agreement with HealthNewsReview.org experts on 200 press releases
(``../shared/corpus/health/fakehealth_healthrelease_hnr200.jsonl``):

- ``sensational_language``: "Not Satisfactory" means the release DOES use sensational
  language (the positive class); the prediction is "HL305 reported at least once".
- ``evidence_quality``: "Not Satisfactory" means the release does NOT grasp the quality of
  the evidence (positive class); the prediction is "an uncited research claim
  (HL301/HL302/HL303/HL308)". The criterion is about describing study limits, not about
  citations, and the releases' links were stripped, so expect weak agreement: the figure
  says how far "leans on uncited research" tracks "oversells the evidence".

Each document is checked as a plain-text article: its title (when the text does not start
with it) as the first line, then the text.

Flag rates (share of documents with at least one finding, and findings per 1,000 words) on
100 NIH consumer pages (``medquad_nih_consumer100.jsonl``) and 200 rated news stories
(``fakehealth_healthstory_rated200.jsonl``) estimate false positives; ``--show CODE``
prints the flagged sentences so they can be judged by eye. Also reports the rules' speed.

Usage: .venv/bin/python bench/eval_claims.py [--corpus DIR] [--show HL305] [--json]
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from healthlint.config import Config
from healthlint.engine.driver import Driver
from healthlint.model import Finding
from healthlint.plugins import get_plugin_manager

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "health"
RELEASES = "fakehealth_healthrelease_hnr200.jsonl"
STORIES = "fakehealth_healthstory_rated200.jsonl"
NIH = "medquad_nih_consumer100.jsonl"
CODES = ("HL201", "HL202", "HL203", "HL301", "HL302", "HL303", "HL304", "HL305", "HL308")
CLAIM_CODES = ("HL301", "HL302", "HL303", "HL308")


@dataclass
class Doc:
    id: str
    text: str
    labels: dict[str, str] = field(default_factory=dict)


def read_jsonl(path: Path) -> list[Doc]:
    docs = []
    with path.open(encoding="utf-8") as handle:
        for line in handle:
            row = json.loads(line)
            text = row.get("text") or ""
            title = (row.get("title") or "").strip()
            if title and title[:40] not in text[:400]:
                text = f"{title}\n\n{text}"  # reviewers judged the headline too
            docs.append(Doc(str(row["id"]), text, row.get("hnr_criteria") or {}))
    return docs


def make_linter(select: Iterable[str], plugin_options: dict[str, dict[str, Any]] | None = None) -> Driver:
    config = Config(root=REPO, select=list(select), plugin_tables=plugin_options or {})
    pm = get_plugin_manager(config, autoload=False, local=False)
    return Driver(config, pm)


def lint_docs(linter: Driver, docs: list[Doc]) -> tuple[list[list[Finding]], float, int]:
    """Findings per document (checked as plain text), seconds spent in the rules, and words."""
    results = []
    spent = 0.0
    words = 0
    with linter:
        for doc in docs:
            article = linter.checker.parse(f"{doc.id}.txt", doc.text)
            words += article.word_count
            started = time.perf_counter()
            result = linter.checker.lint_article(article)
            spent += time.perf_counter() - started
            results.append(result.findings)
    return results, spent, words


def prf(predicted: list[bool], actual: list[bool]) -> dict[str, Any]:
    tp = sum(p and a for p, a in zip(predicted, actual, strict=True))
    fp = sum(p and not a for p, a in zip(predicted, actual, strict=True))
    fn = sum(a and not p for p, a in zip(predicted, actual, strict=True))
    tn = sum(not p and not a for p, a in zip(predicted, actual, strict=True))
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "n": len(actual),
        "positives": tp + fn,
        "tp": tp,
        "fp": fp,
        "fn": fn,
        "tn": tn,
        "precision": round(precision, 3),
        "recall": round(recall, 3),
        "f1": round(f1, 3),
        "accuracy": round((tp + tn) / len(actual), 3) if actual else 0.0,
    }


def agreement(corpus: Path) -> dict[str, Any]:
    """Precision, recall and F1 of the overclaim and study-claim rules against HNR labels."""
    docs = [d for d in read_jsonl(corpus / RELEASES) if d.text.strip()]
    findings, _, _ = lint_docs(make_linter(["HL3"]), docs)
    out: dict[str, Any] = {}
    for criterion, codes in (("sensational_language", ("HL305",)), ("evidence_quality", CLAIM_CODES)):
        rated = [
            (d, f)
            for d, f in zip(docs, findings, strict=True)
            if d.labels.get(criterion) in ("Satisfactory", "Not Satisfactory")
        ]
        actual = [d.labels[criterion] == "Not Satisfactory" for d, _ in rated]
        predicted = [any(x.code in codes for x in f) for _, f in rated]
        result = prf(predicted, actual)
        result["rule"] = "+".join(codes)
        result["baseline_all_positive"] = prf([True] * len(actual), actual)
        out[criterion] = result
        if criterion == "evidence_quality":
            for code in codes:
                only = prf([any(x.code == code for x in f) for _, f in rated], actual)
                out[f"{criterion}:{code}"] = only
    return out


def flag_rates(corpus: Path, name: str, show: str | None) -> dict[str, Any]:
    docs = [d for d in read_jsonl(corpus / name) if d.text.strip()]
    out: dict[str, Any] = {"documents": len(docs)}
    for mode in ("always", "advice"):
        findings, spent, words = lint_docs(make_linter(["HL2", "HL3"], {"disclaimer": {"require": mode}}), docs)
        counts = Counter(code for f in findings for code in {x.code for x in f})
        totals = Counter(x.code for f in findings for x in f)
        rates = {
            code: {
                "documents": counts[code],
                "share": round(counts[code] / len(docs), 3),
                "per_1000_words": round(1000 * totals[code] / max(words, 1), 3),
            }
            for code in CODES
        }
        if mode == "always":
            out["words"] = words
            out["rates"] = rates
            out["words_per_second"] = round(words / spent) if spent else None
            if show:
                for doc, found in zip(docs, findings, strict=True):
                    lines = doc.text.replace("\r\n", "\n").split("\n")
                    for x in found:
                        if x.code.startswith(show):
                            context = x.match or ""
                            if x.line == x.end_line and len(context) < 60 and x.line <= len(lines):
                                row = lines[x.line - 1]
                                context = row[max(0, x.column - 100) : x.end_column + 100]
                            print(f"[{doc.id} {x.code}:{x.line}] {x.message} :: {context[:260]}")
        else:
            out["HL201_with_require_advice"] = rates["HL201"]
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--show", help="print the findings of codes starting with this prefix")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args(argv)
    if not (args.corpus / RELEASES).is_file():
        print(f"corpus not found: {args.corpus}", file=sys.stderr)
        return 2
    report = {
        "agreement_with_healthnewsreview": agreement(args.corpus),
        "nih_pages": flag_rates(args.corpus, NIH, args.show),
        "news_stories": flag_rates(args.corpus, STORIES, args.show),
        "press_releases": flag_rates(args.corpus, RELEASES, args.show),
    }
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    for criterion, r in report["agreement_with_healthnewsreview"].items():
        if "baseline_all_positive" in r:
            b = r["baseline_all_positive"]
            print(
                f"{criterion:<22} {r['rule']:<19} P={r['precision']:.3f} R={r['recall']:.3f} F1={r['f1']:.3f} "
                f"acc={r['accuracy']:.3f} (tp {r['tp']} fp {r['fp']} fn {r['fn']} tn {r['tn']}; "
                f"all-positive baseline F1={b['f1']:.3f})"
            )
        else:
            print(f"  {criterion:<28} P={r['precision']:.3f} R={r['recall']:.3f} F1={r['f1']:.3f}")
    for key in ("nih_pages", "news_stories", "press_releases"):
        r = report[key]
        print(f"\n{key}: {r['documents']} documents, {r['words']} words, rules at {r['words_per_second']} words/s")
        for code, rate in r["rates"].items():
            print(
                f"  {code}: {rate['documents']:>3} docs ({rate['share']:.0%}), {rate['per_1000_words']} per 1000 words"
            )
        a = r["HL201_with_require_advice"]
        print(f"  HL201 with require='advice': {a['documents']} docs ({a['share']:.0%})")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
