"""The deeper spun stage (``deep = true``) on the clean corpora: verdicts per document, findings per 100k words.

Runs ``healthlint check --select HL1`` with ``deep = true`` over the clean corpora of ``bench/bench_spun.py``
(MedQuAD dev, press releases, news stories, NIH pages; every document, or an evenly spaced ``--per-corpus``
sample) and prints, per corpus: documents, words, HL101 verdicts, HL107 suspicions, HL1 findings at warning level
or above per 100,000 words (all of HL1's, and the stage's own: HL101 and HL107), HL109 findings per 100,000 words,
and the CPU time of the run. ``--tiers S,V`` (repeatable) also counts, from each document's stacked probability
(``spin_probability`` of the JSON metrics), what the stage would flag with its suspected tier at S and its verdict
at V instead of the shipped ones (HL101 and HL107 of the other paths, below the shipped suspected tier, are kept).

Usage: OPENBLAS_NUM_THREADS=1 nice -n 10 .venv/bin/python scripts/deep_clean_corpora.py [--per-corpus N]
       [--swap-findings verdict|always] [--jobs N] [--only medquad_nih ...] [--tiers S,V ...] [--out FILE]
"""

from __future__ import annotations

import argparse
import json
import resource
import sys
import tempfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "bench"))

from bench import check_json  # noqa: E402
from bench_spun import TOKEN, corpora  # noqa: E402

from healthlint.families.spun.deep import stacked_model  # noqa: E402

LEVELS = {"suggestion": 0, "warning": 1, "error": 2}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--per-corpus", type=int, default=0, help="documents per corpus, evenly spaced (0: all)")
    parser.add_argument("--swap-findings", choices=("verdict", "always"), default="verdict")
    parser.add_argument("--jobs", type=int, default=1)
    parser.add_argument("--only", action="append", default=[], help="corpora whose name holds this (repeatable)")
    parser.add_argument("--healthlint", type=Path, default=REPO / ".venv" / "bin" / "healthlint")
    parser.add_argument("--tiers", action="append", default=[], help="S,V: other suspected and verdict tiers")
    parser.add_argument("--out", type=Path, help="write each document's probability and stage findings (JSON)")
    args = parser.parse_args()
    tiers = [tuple(float(v) for v in t.split(",")) for t in args.tiers]
    shipped = stacked_model().suspect
    documents: list[dict[str, object]] = []
    # No time limit: the first document loads the model (seconds of CPU, longer on a loaded machine).
    config = (
        f'rule-timeout = 0\narticle-timeout = 0\n[plugins.spun]\ndeep = true\nswap-findings = "{args.swap_findings}"\n'
    )
    print(f"{'corpus':<42} docs  words    HL101 HL107 warning+/100k (stage's) HL109/100k  CPU s")
    for name, texts in corpora().items():
        if args.only and not any(part in name for part in args.only):
            continue
        if args.per_corpus:
            step = max(1, len(texts) // args.per_corpus)
            texts = texts[::step][: args.per_corpus]
        with tempfile.TemporaryDirectory(prefix="healthlint-deep-clean-") as tmp:
            folder = Path(tmp)
            (folder / "healthlint.toml").write_text(config, encoding="utf-8")
            for i, text in enumerate(texts):
                (folder / f"doc_{i:04d}.txt").write_text(text, encoding="utf-8")
            before = resource.getrusage(resource.RUSAGE_CHILDREN)
            report = check_json(args.healthlint, folder, "--select", "HL1", "--jobs", str(args.jobs))
            after = resource.getrusage(resource.RUSAGE_CHILDREN)
        words = sum(len(TOKEN.findall(t)) for t in texts)
        findings = [f for a in report["articles"] for f in a["findings"]]
        codes = [f["code"] for f in findings]
        strong = sum(LEVELS[f["severity"]] >= 1 for f in findings)
        stage = codes.count("HL101") + codes.count("HL107")
        cpu = after.ru_utime + after.ru_stime - before.ru_utime - before.ru_stime
        print(
            f"{name:<42} {len(texts):4d} {words:7d} {codes.count('HL101'):5d} {codes.count('HL107'):5d}"
            f" {strong * 1e5 / words:13.1f} {stage * 1e5 / words:9.1f} {codes.count('HL109') * 1e5 / words:10.1f}"
            f" {cpu:6.0f}",
            flush=True,
        )
        mine = []
        for a in report["articles"]:
            flagged = [f["code"] for f in a["findings"] if LEVELS[f["severity"]] >= 1]
            p = (a.get("metrics", {}).get("spun") or {}).get("spin_probability")
            swaps = sum(f["code"] == "HL109" for f in a["findings"])
            mine.append({"corpus": name, "path": Path(a["path"]).name, "p": p, "codes": flagged, "HL109": swaps})
            if flagged:
                print(f"    {Path(a['path']).name}: {', '.join(flagged)} (p = {p})")
        for suspect, verdict in tiers:
            verdicts = suspected = 0
            for doc in mine:
                p, stage_codes = doc["p"] or 0.0, [c for c in doc["codes"] if c in ("HL101", "HL107")]
                if p >= verdict or (p < shipped and "HL101" in stage_codes):
                    verdicts += 1
                elif p >= suspect or (p < shipped and "HL107" in stage_codes):
                    suspected += 1
            print(
                f"    tiers {suspect:g}, {verdict:g}: HL101 {verdicts}, HL107 {suspected},"
                f" stage's warning+ {(verdicts + suspected) * 1e5 / words:.1f} per 100k words"
            )
        documents.extend({**doc, "words": len(TOKEN.findall(texts[int(doc["path"][4:8])]))} for doc in mine)
    if args.out:
        args.out.write_text(json.dumps(documents, indent=0) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
