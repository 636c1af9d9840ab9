"""The deeper spun stage (``deep = true``) on the clean corpora: verdicts per document, findings per 100k words.

Runs ``healthlint check --select HL1`` with ``deep = true`` over the clean corpora of ``bench/bench_spun.py``
(MedQuAD dev, press releases, news stories, NIH pages; every document, or an evenly spaced ``--per-corpus``
sample) and prints, per corpus: documents, words, HL101 verdicts, HL107 suspicions, HL1 findings at warning level
or above per 100,000 words (all of HL1's, and the stage's own: HL101 and HL107), HL109 findings per 100,000 words,
and the CPU time of the run. ``--tiers S,V`` (repeatable) also counts, from each document's stacked probability
(``spin_probability`` of the JSON metrics), what the stage would flag with its suspected tier at S and its verdict
at V instead of the shipped ones (HL101 and HL107 of the other paths, below the shipped suspected tier, are kept).

``--inputs FILE`` runs the stage in this process instead (no findings, no HL109): each judged document's
stacked inputs, page probability, stacked probability and whether another path gives a verdict, one JSON line a
document (``--shard i/n`` splits the run; lines already in FILE are kept), for comparing stacked models and tiers
on the same documents (``scripts/train_deep_spun.py --clean-inputs``).

Usage: OPENBLAS_NUM_THREADS=1 nice -n 10 .venv/bin/python scripts/deep_clean_corpora.py [--per-corpus N]
       [--swap-findings verdict|always] [--jobs N] [--only medquad_nih ...] [--tiers S,V ...] [--out FILE]
       [--inputs FILE [--shard i/n]]
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
    parser.add_argument("--inputs", type=Path, help="write each document's stacked inputs (JSON lines), in process")
    parser.add_argument("--shard", default="0/1", help="with --inputs: documents i mod n (i/n)")
    parser.add_argument(
        "--model", type=Path, help="with --inputs: count, from the inputs written, what this stacked model file flags"
    )
    args = parser.parse_args()
    if args.inputs and args.model:
        evaluate(args)
        return
    if args.inputs:
        write_inputs(args)
        return
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


def evaluate(args: argparse.Namespace) -> None:
    """Per corpus, what a stacked model file (any of its versions) flags at its own tiers and at ``--tiers``."""
    import math

    from healthlint.families.spun.model import regression_of

    data = json.loads(args.model.read_text(encoding="utf-8"))
    regression = regression_of(data)
    rows = [json.loads(line) for path in sorted(args.inputs.parent.glob(f"{args.inputs.name}.*"))
            for line in path.read_text(encoding="utf-8").splitlines()]  # fmt: skip
    tiers = [(float(data["suspect"]), float(data["verdict"]))]
    tiers += [(float(a), float(b)) for a, b in (t.split(",") for t in args.tiers)]
    for suspect, verdict in tiers:
        print(f"{args.model.name}, tiers {suspect:g} (HL107), {verdict:g} (HL101):")
        print(f"  {'corpus':<42} docs  words    HL101 HL107 stage's warning+/100k")
        totals = [0, 0, 0, 0]
        for name in sorted({r["doc"][0] for r in rows}):
            mine = [r for r in rows if r["doc"][0] == name]
            verdicts = suspected = 0
            for r in mine:
                if "features" not in r:
                    continue
                page = min(max(r["page_p"], 1e-6), 1 - 1e-6)
                inputs = r["features"] | {"page_logit": math.log(page / (1 - page))}
                p = regression.probability_of([inputs[f] for f in data["features"]])
                verdicts += p >= verdict or r["other_verdict"]
                suspected += suspect <= p < verdict and not r["other_verdict"]
            words = sum(r["words"] for r in mine)
            for n, v in enumerate((len(mine), words, verdicts, suspected)):
                totals[n] += v
            rate = (verdicts + suspected) * 1e5 / words
            print(f"  {name:<42} {len(mine):4d} {words:7d} {verdicts:5d} {suspected:5d} {rate:10.1f}")
        docs, words, verdicts, suspected = totals
        rate = (verdicts + suspected) * 1e5 / words
        print(f"  {'all':<42} {docs:4d} {words:7d} {verdicts:5d} {suspected:5d} {rate:10.1f}")


def write_inputs(args: argparse.Namespace) -> None:
    """The stage's reading of each document, as the run below would read it (``deep = true``, no time limit)."""
    import os

    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    from healthlint.article import parse_article
    from healthlint.families.spun.deep import read
    from healthlint.families.spun.options import SpunOptions
    from healthlint.families.spun.settings import compile_settings
    from healthlint.families.spun.shared import analyzer

    shard, shards = (int(n) for n in args.shard.split("/"))
    settings = compile_settings(SpunOptions())
    path = args.inputs.with_name(f"{args.inputs.name}.{shard}")
    done = {tuple(json.loads(line)["doc"]) for line in path.read_text().splitlines()} if path.exists() else set()
    with path.open("a", encoding="utf-8") as out:
        for name, texts in corpora().items():
            if args.only and not any(part in name for part in args.only):
                continue
            for i, text in enumerate(texts):
                if i % shards != shard or (name, i) in done:
                    continue
                article = parse_article(f"doc_{i:04d}.txt", text)
                light = analyzer().analyze(article, settings)
                row: dict[str, object] = {"doc": [name, i], "words": len(TOKEN.findall(text))}
                if light.spin_probability is not None:
                    reading = read(article, light.spin_probability, analyzer().lex, whole=False)
                    if isinstance(reading, str):
                        raise SystemExit(reading)
                    other = light.verdict_by_density or light.verdict_by_odd_pairs or light.verdict_by_list_free_score
                    row |= {
                        "page_p": light.spin_probability,
                        "features": reading.features,
                        "p": reading.probability,
                        "other_verdict": other,
                    }
                out.write(json.dumps(row) + "\n")
                out.flush()


if __name__ == "__main__":
    main()
