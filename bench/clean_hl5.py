"""HL5 errors on the clean corpora: the documents a spam change must not withhold.

Writes every document of the clean corpora as a ``.txt`` file (its title on the first line when it has one, a blank
line, then its text), runs ``healthlint check --select HL5 --no-cache --format json`` on each corpus, and prints, per
corpus, the documents with an HL5 finding at error level (with the codes) and at warning level only:

- MedQuAD dev answers: ``../shared/corpus/clean/medquad_dev.jsonl.gz`` (no title: the answer alone);
- press releases and news stories: ``../shared/corpus/health/fakehealth_*.jsonl`` (``title`` first);
- NIH consumer pages: ``../shared/corpus/health/medquad_nih_consumer100.jsonl`` (``focus`` first, then the answers).

``--list`` prints each document with an error and its error findings' lines, to be read by eye.

Usage: .venv/bin/python bench/clean_hl5.py [--healthlint PATH] [--list] [--json]
"""

from __future__ import annotations

import argparse
import gzip
import json
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench import check_json  # noqa: E402  (bench/ is not a package)

SHARED = ROOT.parent / "shared" / "corpus"
CORPORA = {
    "MedQuAD dev": SHARED / "clean" / "medquad_dev.jsonl.gz",
    "press releases": SHARED / "health" / "fakehealth_healthrelease_hnr200.jsonl",
    "news stories": SHARED / "health" / "fakehealth_healthstory_rated200.jsonl",
    "NIH pages": SHARED / "health" / "medquad_nih_consumer100.jsonl",
}


def records(path: Path) -> list[dict[str, Any]]:
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def document(record: dict[str, Any]) -> str:
    title = record.get("title") or record.get("focus") or ""
    if "qa_pairs" in record:
        body = "\n\n".join(f"{qa['question']}\n{qa['answer']}" for qa in record["qa_pairs"])
    else:
        body = record.get("text") or ""
    return f"{title}\n\n{body}" if title else body


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--healthlint", type=Path, default=ROOT / ".venv" / "bin" / "healthlint")
    parser.add_argument("--list", action="store_true", help="print each document with an HL5 error")
    parser.add_argument("--json", action="store_true", help="print the counts as JSON")
    args = parser.parse_args()
    missing = [str(p) for p in CORPORA.values() if not p.exists()]
    if missing:
        print("missing: " + ", ".join(missing), file=sys.stderr)
        return 2
    summary: dict[str, Any] = {}
    for name, path in CORPORA.items():
        with tempfile.TemporaryDirectory(prefix="healthlint-clean-hl5-") as tmp:
            texts = {}
            for n, record in enumerate(records(path)):
                file = f"doc_{n:03d}.txt"
                texts[file] = document(record)
                Path(tmp, file).write_text(texts[file], encoding="utf-8", newline="")
            report = check_json(args.healthlint, Path(tmp), "--select", "HL5")
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
            "with an HL5 error": len(errors),
            "with HL5 warnings only": warnings,
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
                f"{name:<15} {row['documents']:>4} documents: {row['with an HL5 error']} with an HL5 error "
                f"{row['error codes (documents)']}, {row['with HL5 warnings only']} with HL5 warnings only"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
