"""Issue 15's false-alarm bound on clean prose: HL1 findings at warning level or above, per corpus.

The bound: on the clean corpora and the clean dev pages, spun findings at warning level or above
at most 2 per 100,000 words, and spun verdicts (HL101) on at most 1% of documents (none on the NIH
pages). Every clean document is written as a ``.txt`` file, as bench/clean_corpora.py reads it (its title
first when the corpus has one, then its text; the same text bench/clean_hl5.py checks), and checked by the
``healthlint`` command with ``--select HL1 --no-cache``; words are the ``words`` metric healthlint reports.

Corpora (bench/clean_corpora.py, from ``../shared/corpus``, or ``$HEALTHLINT_SHARED/corpus``): MedQuAD dev
answers, the press releases, news stories and NIH pages, and the dev pages labelled not spun.

Usage: .venv/bin/python bench/clean_bound.py [--healthlint PATH] [--list] [--json] [-j N]

``--list`` prints every warning-or-above finding with its line, for reading them one by one
(third-party text: read it, never copy it into the project).
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench import check_json  # noqa: E402  (bench/ is not a package)
from clean_corpora import clean_documents, missing  # noqa: E402

LEVELS = {"suggestion": 0, "warning": 1, "error": 2}


def measure(healthlint: Path, docs: dict[str, list[str]], jobs: int) -> dict[str, dict[str, Any]]:
    rows: dict[str, dict[str, Any]] = {}
    for name, texts in docs.items():
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            for i, text in enumerate(texts):
                (folder / f"{name}_{i:04d}.txt").write_text(text, encoding="utf-8", newline="")
            report = check_json(healthlint, folder, "--select", "HL1", "--jobs", str(jobs))
        words = 0
        codes: Counter[str] = Counter()
        verdict_docs = 0
        listed: list[dict[str, Any]] = []
        for article in report["articles"]:
            words += int(article.get("metrics", {}).get("words", 0))
            index = int(Path(article["path"]).stem.rsplit("_", 1)[1])
            lines = texts[index].splitlines()
            strong = [f for f in article["findings"] if LEVELS.get(f["severity"], 0) >= LEVELS["warning"]]
            codes.update(f["code"] for f in strong)
            verdict_docs += any(f["code"] == "HL101" for f in strong)
            for f in strong:
                line = lines[f["line"] - 1] if 0 < f["line"] <= len(lines) else ""
                listed.append({"doc": index, **f, "text": line})
        found = sum(codes.values())
        rows[name] = {
            "docs": len(texts),
            "words": words,
            "findings": found,
            "per_100k": round(found * 100_000 / words, 2) if words else 0.0,
            "codes": dict(sorted(codes.items())),
            "verdict_docs": verdict_docs,
            "listed": listed,
        }
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--healthlint", type=Path, default=Path(sys.executable).with_name("healthlint"))
    parser.add_argument("--list", action="store_true", help="print every warning-or-above finding")
    parser.add_argument("--json", action="store_true", help="print the rows as JSON")
    parser.add_argument("-j", "--jobs", type=int, default=1)
    args = parser.parse_args()
    absent = missing(dev_pages=True)
    if absent:
        raise SystemExit("missing: " + ", ".join(map(str, absent)))
    rows = measure(args.healthlint, clean_documents(dev_pages=True), args.jobs)
    if args.json:
        print(json.dumps(rows, indent=1))
        return
    print("| corpus | docs | words | HL1 warning+ | per 100k | by code | verdicts (documents) |")
    print("|---|---|---|---|---|---|---|")
    total = {"docs": 0, "words": 0, "findings": 0, "verdict_docs": 0}
    for name, row in rows.items():
        codes = ", ".join(f"{c} {n}" for c, n in row["codes"].items()) or "-"
        print(
            f"| {name} | {row['docs']} | {row['words']:,} | {row['findings']} | {row['per_100k']:.2f} | {codes}"
            f" | {row['verdict_docs']}/{row['docs']} |"
        )
        for key in total:
            total[key] += row[key]
    per = total["findings"] * 100_000 / total["words"] if total["words"] else 0.0
    print(
        f"| all | {total['docs']} | {total['words']:,} | {total['findings']} | {per:.2f} | |"
        f" {total['verdict_docs']}/{total['docs']} |"
    )
    if args.list:
        for name, row in rows.items():
            for f in row["listed"]:
                print(f"\n{name} #{f['doc']} {f['code']} [{f['severity']}] {f['line']}:{f['column']} {f['message']}")
                print(f"    {f['text'][:400]}")


if __name__ == "__main__":
    main()
