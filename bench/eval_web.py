"""Measure healthlint on real, hand-labelled web pages: every family against the labels, and the gate's verdict.

``../shared/corpus/web/dev_pages.jsonl`` holds 190 consumer-health pages labelled by hand (see its README).
Each page is written out as a ``.txt`` file, checked by the ``healthlint`` command with the default
configuration, and compared with its labels:

- **spun** (HL1): a page counts as flagged when it has an HL1 finding at warning level or above;
  evidence recall is the share of labelled ``spun_evidence`` phrases that an HL1 finding overlaps, and
  "original suggested" the share whose labelled original wording appears in an overlapping finding's
  suggestion.
- **spam** (HL5): flagged when it has an HL5 finding at warning level or above; "on evidence" counts a
  spam page only when such a finding overlaps a labelled ``spam_evidence`` string. The spam pages withheld by an
  HL5 error, those the whole gate passes, and the pages labelled not spam that carry an HL5 error.
- **disclaimer** (HL2): presence is measured with ``require = "always"`` (a page "has" a safety statement
  when HL201 does not fire), against the ``disclaimer`` label; treatment advice, where the JSON metrics
  report it (``gives_treatment_advice``), against ``gives_treatment_advice``.
- **claims** (HL301-HL304): sentence recall (a labelled unsupported-claim sentence overlapped by a claim
  finding) and the share of claim findings on sentences that are not labelled claims.
- **gate**: the page passes when healthlint's gate passes it, against ``verdict_publishable``, with every
  rule and again with the disclaimer rules off.

Pages whose label is ``null`` are left out of that label's figures. Nothing is fitted here: this script
only measures the shipped detectors. ``--deep`` runs every check with the spun family's deeper stage
(``deep = true``; ``--deep always`` also sets ``swap-findings = "always"``): it needs the ``deep`` extra and
``healthlint spun fetch-model``, and costs about a second of CPU per page (set ``OPENBLAS_NUM_THREADS=1``).
``--severity CODE=LEVEL`` (repeatable) measures a site's own gate policy: it sets the code's level in every
run, as ``[severity]`` in ``healthlint.toml`` does.

Usage: .venv/bin/python bench/eval_web.py [--pages FILE] [--healthlint PATH] [--json] [--show spun|claims]
       [--deep [verdict|always]] [--severity CODE=LEVEL ...]
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import tempfile
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))

from bench import check_json  # noqa: E402  (bench/ is not a package)

PAGES = ROOT.parent / "shared" / "corpus" / "web" / "dev_pages.jsonl"
CLAIM_CODES = ("HL301", "HL302", "HL303", "HL304", "HL308")
LEVELS = {"suggestion": 0, "warning": 1, "error": 2}
#: Configuration put before every run's own (``--deep`` sets it).
DEEP = ""
#: Configuration put after every run's own (``--severity`` sets it).
SEVERITY = ""


@dataclass
class Page:
    index: int
    record: dict[str, Any]
    name: str
    findings: list[dict[str, Any]] = field(default_factory=list)
    passed: bool = True
    metrics: dict[str, Any] = field(default_factory=dict)

    @property
    def text(self) -> str:
        return str(self.record["text"])

    @property
    def labels(self) -> dict[str, Any]:
        return dict(self.record["labels"])

    def span(self, finding: dict[str, Any]) -> tuple[int, int]:
        """The finding's range as character offsets into the page text."""
        starts = [0]
        for i, ch in enumerate(self.text):
            if ch == "\n":
                starts.append(i + 1)

        def offset(line: int, column: int) -> int:
            line = max(1, min(line, len(starts)))
            return min(len(self.text), starts[line - 1] + max(0, column - 1))

        start = offset(int(finding["line"]), int(finding["column"]))
        end_line = finding.get("end_line") or finding["line"]
        end_col = finding.get("end_column")
        end = offset(int(end_line), int(end_col)) if end_col else start + 1
        return start, max(end, start + 1)

    def hits(self, prefixes: Iterable[str], level: str = "suggestion") -> list[dict[str, Any]]:
        prefixes = tuple(prefixes)
        return [f for f in self.findings if f["code"].startswith(prefixes) and LEVELS[f["severity"]] >= LEVELS[level]]


def run(pages: list[Page], healthlint: Path, folder: Path, config: str, extra: list[str]) -> dict[str, Any]:
    (folder / "healthlint.toml").write_text(DEEP + config + SEVERITY, encoding="utf-8")
    return {Path(a["path"]).name: a for a in check_json(healthlint, folder, *extra)["articles"]}


def overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    return a[0] < b[1] and b[0] < a[1]


def locate(text: str, phrase: str) -> tuple[int, int] | None:
    at = text.find(phrase)
    if at < 0:
        at = text.lower().find(phrase.lower())
    return None if at < 0 else (at, at + len(phrase))


def sentence_at(text: str, start: int) -> tuple[int, int]:
    """From a labelled claim prefix to the end of its sentence (the next stop followed by space, or the line end)."""
    end = start
    while end < len(text):
        ch = text[end]
        if ch == "\n" or (ch in ".!?" and (end + 1 == len(text) or text[end + 1].isspace())):
            return start, end + 1
        end += 1
    return start, end


def restores(flagged: str, finding: dict[str, Any], original: str) -> bool:
    """Whether a finding's suggestion puts back words of the original that the flagged words replaced.

    The labelled originals are whole phrases ("diet for high blood pressure") while a finding
    suggests one replacement ("blood pressure" for "blood strain"): this counts the replacement
    when it is in the original wording and the flagged words are not.
    """
    suggestion = " ".join(str(finding.get("suggestion") or "").lower().split())
    flagged = " ".join(flagged.lower().split())
    if not suggestion or not flagged or suggestion == flagged:
        return False
    words = " " + " ".join(re.findall(r"[\w'’-]+", original)) + " "
    return f" {suggestion} " in words and f" {flagged} " not in words


def ratio(n: int, d: int) -> str:
    return f"{n}/{d} = {n / d:.1%}" if d else "n/a"


def prf(pred: list[bool], gold: list[bool]) -> dict[str, Any]:
    tp = sum(p and g for p, g in zip(pred, gold, strict=True))
    fp = sum(p and not g for p, g in zip(pred, gold, strict=True))
    fn = sum(g and not p for p, g in zip(pred, gold, strict=True))
    return {"tp": tp, "fp": fp, "fn": fn, "precision": ratio(tp, tp + fp), "recall": ratio(tp, tp + fn)}


def evaluate(pages: list[Page], healthlint: Path, show: set[str]) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="healthlint-eval-web-") as tmp:
        folder = Path(tmp)
        for page in pages:
            (folder / page.name).write_text(page.text, encoding="utf-8", newline="")
        default = run(pages, healthlint, folder, "", [])
        always = run(pages, healthlint, folder, '[plugins.disclaimer]\nrequire = "always"\n', ["--select", "HL2"])
        no_disclaimer = run(pages, healthlint, folder, "", ["--ignore", "HL2"])
    for page in pages:
        article = default[page.name]
        page.findings, page.passed, page.metrics = article["findings"], article["passed"], article.get("metrics", {})

    # -- spun ----------------------------------------------------------------------------
    rows = [p for p in pages if p.labels["spun"] is not None]
    results["spun"] = prf([bool(p.hits(["HL1"], "warning")) for p in rows], [bool(p.labels["spun"]) for p in rows])
    phrases = covered = suggested = restored = 0
    for page in (p for p in rows if p.labels["spun"]):
        spans = [(page.span(f), f) for f in page.hits(["HL1"])]
        for phrase in page.labels["spun_evidence"]:
            where = locate(page.text, phrase)
            if where is None:
                continue
            phrases += 1
            near = [f for s, f in spans if overlaps(s, where)]
            covered += bool(near)
            original = str(page.labels["spun_originals"].get(phrase) or "").lower()
            if original and any(original in str(f.get("suggestion") or "").lower() for f in near):
                suggested += 1
            if original and any(restores(page.text[s[0] : s[1]], f, original) for s, f in spans if overlaps(s, where)):
                restored += 1
            if "spun" in show and not near:
                print(f"  spun miss p{page.index}: {phrase!r}")
    results["spun"]["evidence covered"] = ratio(covered, phrases)
    results["spun"]["original suggested"] = ratio(suggested, phrases)
    results["spun"]["a suggestion restores part of the original"] = ratio(restored, phrases)
    results["spun"]["verdicts on clean pages"] = ratio(
        sum(bool(p.hits(["HL1"], "error")) for p in rows if not p.labels["spun"]),
        sum(not p.labels["spun"] for p in rows),
    )

    # -- spam ----------------------------------------------------------------------------
    rows = [p for p in pages if p.labels["spam"] is not None]
    results["spam"] = prf([bool(p.hits(["HL5"], "warning")) for p in rows], [bool(p.labels["spam"]) for p in rows])
    on_evidence = 0
    for page in (p for p in rows if p.labels["spam"]):
        spans = [page.span(f) for f in page.hits(["HL5"], "warning")]
        wheres = [w for w in (locate(page.text, e) for e in page.labels["spam_evidence"]) if w]
        on_evidence += any(overlaps(s, w) for s in spans for w in wheres)
    results["spam"]["recall on evidence"] = ratio(on_evidence, sum(bool(p.labels["spam"]) for p in rows))
    reputable = [p for p in pages if p.record.get("reputable_publisher") and not p.labels["spam"]]
    results["spam"]["reputable pages with an HL5 error"] = ratio(
        sum(bool(p.hits(["HL5"], "error")) for p in reputable), len(reputable)
    )
    spam_pages = [p for p in rows if p.labels["spam"]]
    clean_pages = [p for p in rows if not p.labels["spam"]]
    results["spam"]["spam pages withheld by an HL5 error"] = ratio(
        sum(bool(p.hits(["HL5"], "error")) for p in spam_pages), len(spam_pages)
    )
    results["spam"]["spam pages the gate passes"] = ratio(sum(p.passed for p in spam_pages), len(spam_pages))
    results["spam"]["clean pages with an HL5 error"] = ratio(
        sum(bool(p.hits(["HL5"], "error")) for p in clean_pages), len(clean_pages)
    )

    # -- disclaimer and treatment advice -----------------------------------------------------
    rows = [p for p in pages if p.labels["disclaimer"] is not None]
    has = [not any(f["code"] == "HL201" for f in always[p.name]["findings"]) for p in rows]
    results["disclaimer present"] = prf(has, [bool(p.labels["disclaimer"]) for p in rows])
    results["disclaimer absent"] = prf([not h for h in has], [not p.labels["disclaimer"] for p in rows])
    rows = [p for p in pages if p.labels["gives_treatment_advice"] is not None]
    known = [p for p in rows if "gives_treatment_advice" in p.metrics]
    results["treatment advice accuracy"] = ratio(
        sum(bool(p.metrics["gives_treatment_advice"]) == p.labels["gives_treatment_advice"] for p in known),
        len(known),
    )

    # -- claims ----------------------------------------------------------------------------
    labelled = found = findings = on_claims = 0
    for page in pages:
        sentences = [
            sentence_at(page.text, w[0]) for w in (locate(page.text, c) for c in page.labels["unsupported_claims"]) if w
        ]
        spans = [page.span(f) for f in page.hits(CLAIM_CODES)]
        labelled += len(sentences)
        for sentence in sentences:
            hit = any(overlaps(s, sentence) for s in spans)
            found += hit
            if "claims" in show and not hit:
                print(f"  claim miss p{page.index}: {page.text[sentence[0] : sentence[1]][:100]!r}")
        findings += len(spans)
        on_claims += sum(any(overlaps(s, sentence) for sentence in sentences) for s in spans)
    results["claims"] = {
        "sentence recall": ratio(found, labelled),
        "findings off claim sentences": ratio(findings - on_claims, findings),
    }

    # -- gate ------------------------------------------------------------------------------
    rows = [p for p in pages if p.labels["verdict_publishable"] is not None]
    gold = [bool(p.labels["verdict_publishable"]) for p in rows]
    results["gate agreement"] = ratio(sum(p.passed == g for p, g in zip(rows, gold, strict=True)), len(rows))
    results["gate agreement, disclaimer rules off"] = ratio(
        sum(no_disclaimer[p.name]["passed"] == g for p, g in zip(rows, gold, strict=True)), len(rows)
    )
    results["pages passed / publishable"] = f"{sum(p.passed for p in rows)} / {sum(gold)}"
    return results


def print_table(results: dict[str, Any]) -> None:
    print(f"{'measure':<48} value")
    print("-" * 72)
    for family, value in results.items():
        if isinstance(value, dict):
            for key, figure in value.items():
                print(f"{family + ': ' + key:<48} {figure}")
        else:
            print(f"{family:<48} {value}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--pages", type=Path, default=PAGES)
    parser.add_argument("--healthlint", type=Path, default=ROOT / ".venv" / "bin" / "healthlint")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--show", action="append", default=[], choices=["spun", "claims"], help="list the misses")
    parser.add_argument(
        "--deep", nargs="?", const="verdict", choices=["verdict", "always"], help="run with deep = true"
    )
    parser.add_argument(
        "--severity", action="append", default=[], metavar="CODE=LEVEL", help="set a code's severity in every run"
    )
    args = parser.parse_args()
    if args.severity:
        global SEVERITY
        levels = [item.partition("=") for item in args.severity]
        if any(not code or level not in LEVELS for code, _, level in levels):
            parser.error("--severity takes CODE=LEVEL, LEVEL one of " + ", ".join(LEVELS))
        SEVERITY = "\n[severity]\n" + "".join(f'{code} = "{level}"\n' for code, _, level in levels)
    if args.deep:
        global DEEP
        # No time limit: a worker's first article loads the model (seconds of CPU, longer on a loaded machine).
        DEEP = f'rule-timeout = 0\narticle-timeout = 0\n[plugins.spun]\ndeep = true\nswap-findings = "{args.deep}"\n\n'
    if not args.pages.is_file():
        sys.exit(f"{args.pages} not found: this script needs ../shared/corpus/web")
    records = [json.loads(line) for line in args.pages.read_text(encoding="utf-8").splitlines() if line.strip()]
    pages = [Page(i, r, f"page_{i:03d}.txt") for i, r in enumerate(records)]
    results = evaluate(pages, args.healthlint, set(args.show))
    if args.json:
        print(json.dumps(results, indent=2))
    else:
        print_table(results)


if __name__ == "__main__":
    main()
