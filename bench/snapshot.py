"""Record every finding on the seeds, ``articles/`` and the 500 health articles, and compare two records.

A refactoring must not change what healthlint reports. This script writes the corpus the
benchmark uses (``../shared/corpus/health`` as ``.md`` files, plus the seeds) and
``articles/`` into a scratch folder, runs ``healthlint check --format json`` over it with
every rule selected and no result cache, and stores the findings in a normalised form (paths
relative to the scratch folder, articles and findings sorted). ``--compare OLD.json`` prints
each finding that appears in only one of the two records, grouped by code.

Usage:
    .venv/bin/python bench/snapshot.py --out /tmp/before.json
    .venv/bin/python bench/snapshot.py --out /tmp/after.json --compare /tmp/before.json
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from collections import Counter
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from bench import build_corpus, check_json  # noqa: E402  (bench/ is not a package)

Key = tuple[str, str, int, int, str]
FIELDS = ("code", "severity", "line", "column", "end_line", "end_column", "message", "suggestion")


def record(shared: Path, healthlint: Path, jobs: int) -> dict[str, list[dict[str, object]]]:
    with tempfile.TemporaryDirectory(prefix="healthlint-snapshot-") as tmp:
        folder = Path(tmp) / "corpus"
        build_corpus(shared, folder, copies_of_seeds=1)
        shutil.copytree(ROOT / "articles", folder / "articles")
        report = check_json(healthlint, folder, "--extend-select", "HL", "-j", str(jobs))
    out: dict[str, list[dict[str, object]]] = {}
    for article in report["articles"]:
        findings = [
            {
                k: f.get(k)
                for k in ("code", "severity", "line", "column", "end_line", "end_column", "message", "suggestion")
            }
            for f in article["findings"]
        ]
        findings.sort(key=lambda f: (f["line"], f["column"], f["code"], f["message"]))
        out[article["path"]] = findings
    return dict(sorted(out.items()))


def keys(snapshot: dict[str, list[dict[str, object]]]) -> Counter[Key]:
    return Counter(
        (path, str(f["code"]), int(f["line"]), int(f["column"]), f"{f['severity']} {f['message']} | {f['suggestion']}")  # type: ignore[call-overload]
        for path, findings in snapshot.items()
        for f in findings
    )


def compare(old: dict[str, list[dict[str, object]]], new: dict[str, list[dict[str, object]]]) -> int:
    before, after = keys(old), keys(new)
    gone, added = before - after, after - before
    for label, diff in (("only before", gone), ("only after", added)):
        by_code = Counter(k[1] for k in diff.elements())
        print(f"{label}: {sum(diff.values())} findings {dict(sorted(by_code.items()))}")
        for key in sorted(diff.elements())[:200]:
            print(f"  {key[0]}:{key[2]}:{key[3]}: {key[1]} {key[4][:160]}")
    missing = set(old) ^ set(new)
    if missing:
        print(f"articles in only one record: {sorted(missing)[:20]}")
    return 0 if not gone and not added and not missing else 1


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--healthlint", type=Path, default=ROOT / ".venv" / "bin" / "healthlint")
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument("--compare", type=Path, help="an earlier record to compare with")
    parser.add_argument("-j", "--jobs", type=int, default=2)
    args = parser.parse_args()
    snapshot = record(args.shared, args.healthlint, args.jobs)
    args.out.write_text(json.dumps(snapshot, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    print(f"{sum(map(len, snapshot.values()))} findings on {len(snapshot)} articles -> {args.out}")
    if args.compare:
        sys.exit(compare(json.loads(args.compare.read_text(encoding="utf-8")), snapshot))


if __name__ == "__main__":
    main()
