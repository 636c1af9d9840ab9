"""Measure how often the link rules (HL5xx) fire on 500 real health articles, and how fast they are.

The corpus (``../shared/corpus/health``) holds 200 press releases, 200 news stories and 100 NIH
consumer pages, as plain text with their hyperlinks stripped and their page clutter kept. Each
document is written out as a ``.txt`` file (the way an editor would save it) and checked with
the default-enabled HL5xx rules only. Nothing in it is link spam that the issue asks us to
block, so every error-level finding is either real junk or a false positive: the script
reports, per source and in total,

- the share of documents with at least one error-level HL5 finding (aim: none on NIH pages),
- the share with at least one warning-level finding, and findings per rule,
- whether release ``news_reviews_00597`` (legitimate "For more information, visit our web
  site, http://…" boilerplate) got a spam-footer finding (it must not),
- the rules' speed in words per second (parsing excluded, one core).

``--show CODE`` (repeatable, or ``--show all``) prints each finding with its lines so the hits
can be judged by eye; ``--json`` prints the numbers as JSON.

Usage: .venv/bin/python bench/eval_links.py [--corpus DIR] [--show HL702] [--json] [--keep DIR] [--codes HL5]
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Any

from healthlint.config import Config
from healthlint.engine.driver import Driver
from healthlint.model import Finding, Severity
from healthlint.plugins import get_plugin_manager

REPO = Path(__file__).resolve().parents[1]
DEFAULT_CORPUS = REPO.parent / "shared" / "corpus" / "health"
SOURCES = {
    "releases": "fakehealth_healthrelease_hnr200.jsonl",
    "stories": "fakehealth_healthstory_rated200.jsonl",
    "nih": "medquad_nih_consumer100.jsonl",
}
LEGIT_FOOTER_ID = "news_reviews_00597"


def write_corpus(corpus: Path, folder: Path) -> list[tuple[str, str, Path]]:
    """Write every document as ``<source>/<n>_<id>.txt``; return (source, id, path)."""
    out = []
    for source, name in SOURCES.items():
        (folder / source).mkdir(parents=True, exist_ok=True)
        with (corpus / name).open(encoding="utf-8") as handle:
            for n, line in enumerate(handle):
                row = json.loads(line)
                doc_id = str(row["id"])
                path = folder / source / f"{n:03d}_{doc_id}.txt"
                path.write_text(row.get("text") or "", encoding="utf-8")
                out.append((source, doc_id, path))
    return out


Shown = tuple[str, list[str], Finding]


def evaluate(
    corpus: Path, keep: Path | None = None, prefixes: tuple[str, ...] = ("HL5",)
) -> tuple[dict[str, Any], list[Shown]]:
    config = Config(root=REPO, select=list(prefixes))  # every rule of these prefixes that is on by default
    pm = get_plugin_manager(config, autoload=False, local=False)
    selected = [code for code, rule in pm.rules.items() if code.startswith(prefixes) and rule.enabled_by_default]
    config = dataclasses.replace(config, select=selected)
    with tempfile.TemporaryDirectory() as tmp:
        folder = keep or Path(tmp)
        docs = write_corpus(corpus, folder)
        stats: dict[str, dict[str, Any]] = {
            s: {"documents": 0, "words": 0, "with_error": 0, "with_warning": 0, "by_rule": Counter()}
            for s in [*SOURCES, "all"]
        }
        findings: list[Shown] = []
        legit_footer_flagged = None
        spent = 0.0
        with Driver(config, pm) as linter:
            for source, doc_id, path in docs:
                text = path.read_text(encoding="utf-8")
                article = linter.checker.parse(str(path), text)
                started = time.perf_counter()
                result = linter.checker.lint_article(article)
                spent += time.perf_counter() - started
                for key in (source, "all"):
                    row = stats[key]
                    row["documents"] += 1
                    row["words"] += article.word_count
                    row["with_error"] += any(f.severity >= Severity.ERROR for f in result.findings)
                    row["with_warning"] += any(f.severity == Severity.WARNING for f in result.findings)
                    row["by_rule"].update(f"{f.code} {f.name}" for f in result.findings)
                shown = f"{source}/{path.name}"
                findings.extend((shown, text.split("\n"), f) for f in result.findings)
                if doc_id == LEGIT_FOOTER_ID:
                    legit_footer_flagged = any(f.code == "HL510" for f in result.findings)
    total_words = stats["all"]["words"]
    report: dict[str, Any] = {
        "sources": {
            key: {
                **{k: v for k, v in row.items() if k != "by_rule"},
                "error_rate": round(row["with_error"] / max(row["documents"], 1), 4),
                "warning_rate": round(row["with_warning"] / max(row["documents"], 1), 4),
                "by_rule": dict(sorted(row["by_rule"].items())),
            }
            for key, row in stats.items()
        },
        "legit_footer_00597_flagged": legit_footer_flagged,
        "seconds_in_rules": round(spent, 3),
        "words_per_second": round(total_words / spent) if spent else None,
    }
    return report, findings


def show(findings: list[Shown], codes: list[str]) -> None:
    for name, lines, finding in findings:
        if "all" not in codes and not any(finding.code.startswith(c) for c in codes):
            continue
        print(f"## {name}:{finding.line}-{finding.end_line} {finding.code} {finding.message}")
        for n in range(max(1, finding.line - 1), min(len(lines), finding.end_line + 1) + 1):
            if lines[n - 1].strip():
                mark = ">" if finding.line <= n <= finding.end_line else " "
                print(f"   {mark} {n:4d} {lines[n - 1][:110]}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--show", action="append", default=[], help="print findings of these codes (or 'all')")
    parser.add_argument("--json", action="store_true", help="print the numbers as JSON")
    parser.add_argument("--keep", type=Path, help="write the .txt files here and keep them")
    parser.add_argument(
        "--codes",
        default="HL5",
        help="comma-separated codes or prefixes to run (default HL5; HL702,HL703: page chrome)",
    )
    args = parser.parse_args(argv)
    if not (args.corpus / SOURCES["nih"]).is_file():
        print(f"corpus not found in {args.corpus}", file=sys.stderr)
        return 2
    prefixes = tuple(c.strip().upper() for c in args.codes.split(",") if c.strip())
    report, findings = evaluate(args.corpus, args.keep, prefixes)
    if args.show:
        show(findings, args.show)
    if args.json:
        print(json.dumps(report, indent=2))
        return 0
    print(f"{'source':10} {'docs':>5} {'words':>8} {'error docs':>12} {'warning docs':>14}")
    for key, row in report["sources"].items():
        print(
            f"{key:10} {row['documents']:5d} {row['words']:8d} "
            f"{row['with_error']:4d} ({row['error_rate']:6.1%}) {row['with_warning']:5d} ({row['warning_rate']:6.1%})"
        )
    print("\nfindings per rule (all sources):")
    for rule, n in report["sources"]["all"]["by_rule"].items():
        print(f"  {rule:32} {n:4d}")
    print(
        f"\nrelease {LEGIT_FOOTER_ID} (legitimate 'visit our web site') flagged as spam footer: "
        f"{report['legit_footer_00597_flagged']}"
    )
    print(
        f"{args.codes} rules: {report['seconds_in_rules']} s for {report['sources']['all']['words']} words = "
        f"{report['words_per_second']} words/s"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
