"""HL5 errors on the clean corpora: the documents a spam change must not withhold.

Writes every document of the clean corpora as a ``.txt`` file, as bench/clean_corpora.py reads it (its title on the
first line when it has one, a blank line, then its text; the same text bench/clean_bound.py checks), runs
``healthlint check --select HL5 --no-cache --format json`` on each corpus, and prints, per corpus, the documents with
an HL5 finding at error level (with the codes) and at warning level only: MedQuAD dev answers, press releases, news
stories, NIH consumer pages (the page's answers, without MedQuAD's questions).

``--select CODES`` measures other rules the same way (``--select HL704``: the documents chatbot residue would
withhold; a comma-separated list of codes or prefixes, as ``healthlint check --select`` takes it).
``--list`` prints each document with an error and its error findings' lines, to be read by eye.

Usage: .venv/bin/python bench/clean_hl5.py [--healthlint PATH] [--select CODES] [--list] [--json]
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
from clean_corpora import CORPORA, clean_documents, missing  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--healthlint", type=Path, default=ROOT / ".venv" / "bin" / "healthlint")
    parser.add_argument("--select", default="HL5", help="the codes to check (default HL5)")
    parser.add_argument("--list", action="store_true", help="print each document with an error")
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")
    args = parser.parse_args()
    absent = missing()
    if absent:
        print("missing: " + ", ".join(map(str, absent)), file=sys.stderr)
        return 2
    summary: dict[str, Any] = {}
    for key, documents in clean_documents().items():
        name = CORPORA[key][0]
        with tempfile.TemporaryDirectory(prefix="healthlint-clean-hl5-") as tmp:
            texts = {}
            for n, text in enumerate(documents):
                file = f"doc_{n:03d}.txt"
                texts[file] = text
                Path(tmp, file).write_text(text, encoding="utf-8", newline="")
            report = check_json(args.healthlint, Path(tmp), "--select", args.select)
        errors, warnings, codes = [], 0, Counter[str]()
        for article in report["articles"]:
            file = Path(article["path"]).name
            worst = [f for f in article["findings"] if f["severity"] == "error"]
            if worst:
                errors.append((file, worst))
                codes.update({f["code"] for f in worst})
            elif any(f["severity"] == "warning" for f in article["findings"]):
                warnings += 1
        summary[name] = {
            "documents": len(report["articles"]),
            f"with an {args.select} error": len(errors),
            f"with {args.select} warnings only": warnings,
            "error codes (documents)": dict(sorted(codes.items())),
            "documents with an error": [file for file, _ in errors],
        }
        if args.list:
            for file, found in errors:
                lines = texts[file].split("\n")
                print(f"== {name} {file}")
                for f in found:
                    print(f"  {f['code']} line {f['line']}: {lines[f['line'] - 1][:160]!r}")
                    print(f"    {f['message'][:200]}")
    if args.json:
        print(json.dumps(summary, indent=2))
    else:
        for name, row in summary.items():
            print(
                f"{name:<15} {row['documents']:>4} documents: {row[f'with an {args.select} error']} with an "
                f"{args.select} error {row['error codes (documents)']}, {row[f'with {args.select} warnings only']} "
                f"with {args.select} warnings only"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
